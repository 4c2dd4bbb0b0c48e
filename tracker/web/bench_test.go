package web

import (
	"fmt"
	"testing"
)

// BenchmarkFrontPage reads and renders the front page over about the
// real archive's 220 pull requests, and ten times as many.
func BenchmarkFrontPage(b *testing.B) {
	for _, n := range []int{220, 2200} {
		b.Run(fmt.Sprintf("prs=%d", n), func(b *testing.B) {
			st := openFixtureStore(b)
			buildFixture(b, st, n)
			s, err := New(st, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				snap, err := Load(st)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.frontPage(snap, Filter{}, epoch, true, ""); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "prs/s")
		})
	}
}

// BenchmarkExport writes the static export of 220 pull requests, then
// exports it again unchanged (nothing is written the second time).
func BenchmarkExport(b *testing.B) {
	st := openFixtureStore(b)
	buildFixture(b, st, 220)
	s, err := New(st, nil)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for b.Loop() {
		if _, err := s.Export(dir); err != nil {
			b.Fatal(err)
		}
	}
}
