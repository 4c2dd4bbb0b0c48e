package gitcheck

import (
	"testing"

	"github.com/prtrack/prtrack/mailparse"
)

func TestScopeDriver(t *testing.T) {
	tests := []struct{ pattern, path, want string }{
		{"drivers/infiniband/hw/<driver>/", "drivers/infiniband/hw/mlx5/qp.c", "mlx5"},
		{"drivers/infiniband/hw/<driver>/", "drivers/infiniband/hw/bnxt_re/qplib_fp.c", "bnxt_re"},
		{"drivers/infiniband/hw/<driver>/", "drivers/infiniband/hw/Makefile", ""},
		{"drivers/infiniband/hw/<driver>/", "drivers/infiniband/core/cm.c", ""},
		{"providers/<driver>/", "providers/mlx5/qp.c", "mlx5"},
		{"drivers/<driver>_rdma/", "drivers/hns_rdma/x.c", "hns"},
	}
	for _, tt := range tests {
		got, _ := newScope(tt.pattern).driver(tt.path)
		if got != tt.want {
			t.Errorf("%s: driver(%q) = %q, want %q", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func TestCompareDiffstat(t *testing.T) {
	files := func(paths ...string) mailparse.Diffstat {
		var ds mailparse.Diffstat
		for _, p := range paths {
			ds.Files = append(ds.Files, mailparse.DiffstatFile{Path: p})
		}
		return ds
	}
	changed := []string{"drivers/infiniband/hw/mlx5/main.c", "drivers/infiniband/hw/mlx5/qp.c"}
	tests := []struct {
		name     string
		ds       mailparse.Diffstat
		mismatch bool
	}{
		{"same", files("drivers/infiniband/hw/mlx5/main.c", "drivers/infiniband/hw/mlx5/qp.c"), false},
		{"truncated", files(".../hw/mlx5/main.c", "drivers/infiniband/hw/mlx5/qp.c"), false},
		{"rename", files("drivers/infiniband/hw/mlx5/{old.c => main.c}"), false},
		{"missing file", files("drivers/infiniband/hw/mlx5/main.c"), true},
		{"extra file", files("drivers/infiniband/hw/mlx5/main.c", "drivers/infiniband/hw/mlx5/qp.c", "drivers/infiniband/hw/mlx5/cq.c"), true},
		{"truncated mismatch", files(".../hw/mlx5/cq.c", "drivers/infiniband/hw/mlx5/qp.c"), true},
	}
	for _, tt := range tests {
		if msg := compareDiffstat(tt.ds, changed); (msg != "") != tt.mismatch {
			t.Errorf("%s: %q, want mismatch %v", tt.name, msg, tt.mismatch)
		}
	}
}
