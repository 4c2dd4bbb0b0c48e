package maintainers

import (
	"slices"
	"testing"
)

func TestCover(t *testing.T) {
	f := readFixture(t, true)
	paths := []string{"drivers/infiniband/hw/mlx5/main.c", "include/linux/mlx5/driver.h",
		"drivers/net/ethernet/mellanox/mlx5/core/en_main.c"}
	tests := []struct {
		sender       string
		opts         *CoverOptions
		unmaintained []string
	}{
		{"leonro@nvidia.com", nil, nil},
		{"tariqt@nvidia.com", nil, []string{"drivers/infiniband/hw/mlx5/main.c"}},
		{"SaeedM@Nvidia.com", nil, []string{"drivers/infiniband/hw/mlx5/main.c"}},
		{"horms@kernel.org", nil, []string{"drivers/infiniband/hw/mlx5/main.c", "include/linux/mlx5/driver.h",
			"drivers/net/ethernet/mellanox/mlx5/core/en_main.c"}},
		{"andrew@lunn.ch", nil, []string{"drivers/infiniband/hw/mlx5/main.c", "include/linux/mlx5/driver.h"}},
		{"", nil, paths},
	}
	for _, tt := range tests {
		r := f.Cover(paths, tt.sender, tt.opts)
		var got []string
		for _, p := range r.Unmaintained() {
			got = append(got, p.Path)
		}
		if !slices.Equal(got, tt.unmaintained) {
			t.Errorf("%q: unmaintained %q, want %q", tt.sender, got, tt.unmaintained)
		}
	}
}

func TestCoverSections(t *testing.T) {
	f := readFixture(t, true)
	r := f.Cover([]string{"drivers/infiniband/hw/mlx5/main.c", "drivers/infiniband/hw/mlx5/qp.c"}, "jgg@nvidia.com", nil)
	var got []string
	for _, c := range r.Sections {
		got = append(got, c.Section.Name+":"+string(c.Role))
		if len(c.Paths) != 2 {
			t.Errorf("%s covers %q", c.Section.Name, c.Paths)
		}
	}
	if want := []string{mlx5ib + ":", ib + ":maintainer", rest + ":"}; !slices.Equal(got, want) {
		t.Errorf("sections %q, want %q", got, want)
	}
}

func TestCoverReviewers(t *testing.T) {
	f := readFixture(t, true)
	paths := []string{"net/core/dev.c"}
	if len(f.Cover(paths, "horms@kernel.org", nil).Unmaintained()) != 1 {
		t.Error("a reviewer counted without CoverOptions.Reviewers")
	}
	if len(f.Cover(paths, "horms@kernel.org", &CoverOptions{Reviewers: true}).Unmaintained()) != 0 {
		t.Error("a reviewer not counted with CoverOptions.Reviewers")
	}
}

func TestResponsible(t *testing.T) {
	f := readFixture(t, true)
	r := f.Cover([]string{"drivers/net/ethernet/mellanox/mlx5/core/en_main.c", "MAINTAINERS"}, "leonro@nvidia.com", nil)
	if u := r.Unmaintained(); len(u) != 1 || u[0].Path != "MAINTAINERS" {
		t.Errorf("unmaintained by the mlx5 core maintainer: %+v", u)
	}
	r = f.Cover([]string{"drivers/net/ethernet/mellanox/mlx5/core/en_main.c", "MAINTAINERS"}, "jgg@nvidia.com", nil)
	u := r.Unmaintained()
	if len(u) != 2 {
		t.Fatalf("unmaintained %+v", u)
	}
	if got, want := names(u[0].Responsible()), []string{mlx5e, mlx5, netdrv}; !slices.Equal(got, want) {
		t.Errorf("responsible for en_main.c: %q, want %q (THE REST left out)", got, want)
	}
	if got := names(u[1].Responsible()); !slices.Equal(got, []string{rest}) {
		t.Errorf("responsible for MAINTAINERS: %q", got)
	}
}
