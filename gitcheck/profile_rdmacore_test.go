package gitcheck

import (
	"slices"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
)

func TestRdmaCoreProfile(t *testing.T) {
	e := newWorldEnv(t, gitfixture.BuildRdmaCore)
	vs := checkSamples(t, e, ProfileRdmaCore)
	for name, v := range vs {
		if v.Driver != "mlx5" && name != "core-two-providers" { // a tie: the first by name
			t.Errorf("%s: driver %q, want mlx5", name, v.Driver)
		}
	}
	if v := vs["core-headers-new"]; v != nil && !slices.Equal(v.Findings[0].Paths, []string{"kernel-headers/rdma/mlx5-abi.h"}) {
		t.Errorf("headers-new: finding %+v", v.Findings[0])
	}
	if v := vs["core-libibverbs"]; v != nil && !slices.Equal(v.Findings[0].Paths, []string{"libibverbs/verbs.c"}) {
		t.Errorf("libibverbs: finding %+v", v.Findings[0])
	}
	if v := vs["core-two-providers"]; v != nil && !strings.Contains(v.Findings[0].Message, "2 drivers (efa, mlx5)") {
		t.Errorf("two providers: finding %+v", v.Findings[0])
	}
}

// Under the driver profile the same provider branch is out of scope:
// providers/ is not drivers/infiniband/hw/.
func TestRdmaCoreNeedsItsProfile(t *testing.T) {
	e := newWorldEnv(t, gitfixture.BuildRdmaCore)
	v := e.checkWith(t, "core-provider", ProfileDriver)
	if v.Status != Rejected {
		t.Errorf("driver profile verdict %s, want rejected", v.Status)
	}
}
