package maintainers

import "testing"

// BenchmarkSections matches paths against the fixture, reporting
// paths/s.
func BenchmarkSections(b *testing.B) {
	f := readFixture(b, true)
	paths := []string{"drivers/infiniband/hw/mlx5/main.c", "drivers/net/ethernet/mellanox/mlx5/core/en/xdp.c",
		"include/linux/mlx5/driver.h", "net/core/dev.c", "MAINTAINERS"}
	n := 0
	for b.Loop() {
		for _, p := range paths {
			f.Sections(p)
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "paths/s")
}
