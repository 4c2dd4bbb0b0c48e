package gitcheck

import (
	"context"
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

// Once rdma-core's master holds a pull request's tip, it is merged:
// rdma-core is the tree rdma-core pull requests land in, not Linus's.
func TestRdmaCoreMergedOnMaster(t *testing.T) {
	e := newWorldEnv(t, gitfixture.BuildRdmaCore)
	s, _ := e.k.Sample("core-provider")
	if err := e.k.SetRef(context.Background(), gitfixture.RdmaCoreRepo, "refs/heads/master", s.Tip); err != nil {
		t.Fatal(err)
	}
	e.updateTrees(t)
	v := e.checkWith(t, "core-provider", ProfileRdmaCore)
	if v.Merged == nil || v.Merged.Tree != "rdma-core" || v.Readiness == nil || v.Readiness.State != Clean {
		t.Errorf("verdict %+v merged %+v, want merged into rdma-core and clean", v, v.Merged)
	}
	if v = e.checkWith(t, "core-provider", ProfileDriver); v.Readiness != nil && v.Readiness.State == Clean {
		t.Errorf("under the driver profile a tip on rdma-core only is not clean: %+v", v.Readiness)
	}
}
