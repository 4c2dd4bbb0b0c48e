package gitcheck

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/mailparse"
)

func TestCheckSamples(t *testing.T) {
	e := newEnv(t, nil)
	for _, s := range e.k.Samples {
		t.Run(s.Name, func(t *testing.T) {
			v := e.check(t, e.request(t, s.Name))
			got := string(v.Status)
			switch {
			case v.Readiness != nil:
				got += " " + v.Readiness.State
			case len(v.Findings) > 0:
				got += " " + string(v.Findings[0].Code)
			}
			if got != s.Want {
				t.Errorf("verdict %q, want %q", got, s.Want)
			}
			if s.Driver != v.Driver {
				t.Errorf("driver %q, want %q", v.Driver, s.Driver)
			}
		})
	}
}

func TestCleanBranch(t *testing.T) {
	e := newEnv(t, nil)
	v := e.check(t, e.request(t, "clean"))
	if v.Status != Accepted || v.Readiness.State != Clean || len(v.Findings) != 0 {
		t.Fatalf("verdict %+v", v)
	}
	if len(v.Commits) != 3 || v.Commits[0].Subject != "RDMA/mlx5: use the new counters" {
		t.Errorf("own commits %+v", v.Commits)
	}
	if v.Ref != "refs/heads/for-next-clean" || v.LocalRef != "refs/prtrack/pr1/heads/for-next-clean" {
		t.Errorf("ref %q local %q", v.Ref, v.LocalRef)
	}
	if !slices.ContainsFunc(v.Accepted, func(a AcceptedRef) bool {
		return a.Tree == "linus" && a.Ref == "heads/master" && a.Commit == e.k.Commits["v6.9-rc3"]
	}) || len(v.Accepted) != 6 {
		t.Errorf("accepted refs: %+v", v.Accepted)
	}
}

func TestTreesNotFetched(t *testing.T) {
	e := newEnv(t, nil)
	e.cfg.Repo = filepath.Join(t.TempDir(), "fresh.git")
	e.c = e.open(t)
	v := e.check(t, e.request(t, "clean"))
	if v.Status != Unchecked || !strings.Contains(v.Reason, "linus tree has not been fetched") {
		t.Fatalf("verdict %+v", v)
	}
}

func TestTagRef(t *testing.T) {
	e := newEnv(t, nil)
	v := e.check(t, e.request(t, "tag"))
	if v.Status != Accepted || v.Ref != "refs/tags/mlx5-for-next" {
		t.Fatalf("verdict %+v", v)
	}
	clean, _ := e.k.Sample("clean")
	if v.Tip != clean.Tip {
		t.Errorf("tag peeled to %s, want %s", v.Tip, clean.Tip)
	}
}

func TestRemoteHEAD(t *testing.T) {
	e := newEnv(t, nil)
	pr := e.request(t, "clean")
	pr.Ref = ""
	v := e.check(t, pr)
	if v.Status != Accepted || v.Ref != "refs/heads/for-next-clean" {
		t.Fatalf("verdict %+v", v)
	}
}

func TestRefMissing(t *testing.T) {
	e := newEnv(t, nil)
	pr := e.request(t, "clean")
	pr.Ref = "for-next-gone"
	v := e.check(t, pr)
	if v.Status != Rejected || !slices.Equal(codes(v), []Code{CodeRefMissing}) {
		t.Fatalf("verdict %+v", v)
	}
}

func TestTipMismatch(t *testing.T) {
	e := newEnv(t, nil)
	v := e.check(t, e.request(t, "rebased"))
	if v.Status != Rejected || !slices.Contains(codes(v), CodeTipMismatch) {
		t.Fatalf("verdict %+v", v)
	}
	if s, _ := e.k.Sample("rebased"); v.Tip == s.Tip {
		t.Errorf("tip %s is the mailed one", v.Tip)
	}
}

func TestBaseNotAccepted(t *testing.T) {
	e := newEnv(t, nil)
	pr := e.request(t, "clean")
	uapi, _ := e.k.Sample("uapi")
	pr.Base = uapi.Tip // a driver commit no accepted tree holds
	v := e.check(t, pr)
	if v.Status != Rejected || !slices.Equal(codes(v), []Code{CodeBaseNotAccepted}) {
		t.Fatalf("verdict %+v", v)
	}
	pr.Base = "not a sha"
	if v := e.check(t, pr); !slices.Equal(codes(v), []Code{CodeBaseNotAccepted}) {
		t.Fatalf("malformed base: verdict %+v", v)
	}
}

func TestOutOfScope(t *testing.T) {
	e := newEnv(t, nil)
	v := e.check(t, e.request(t, "out-of-scope"))
	if v.Status != Rejected || v.Driver != "hns" || len(v.Findings) != 1 {
		t.Fatalf("verdict %+v", v)
	}
	f := v.Findings[0]
	if f.Code != CodeOutOfScope || f.Subject != "RDMA/core: export a helper for hns" ||
		!slices.Equal(f.Paths, []string{"drivers/infiniband/core/cm.c"}) || len(f.Commit) != 12 {
		t.Errorf("finding %+v", f)
	}
}

func TestTwoDrivers(t *testing.T) {
	e := newEnv(t, nil)
	v := e.check(t, e.request(t, "two-drivers"))
	if v.Status != Rejected || !slices.Equal(codes(v), []Code{CodeOutOfScope, CodeOutOfScope}) {
		t.Fatalf("verdict %+v", v)
	}
	if f := v.Findings[0]; f.Commit != "" || !strings.Contains(f.Message, "2 drivers (hns, mlx5)") {
		t.Errorf("first finding %+v", f)
	}
	if f := v.Findings[1]; !slices.Equal(f.Paths, []string{"drivers/infiniband/hw/mlx5/qp.c"}) {
		t.Errorf("second finding %+v", f)
	}
}

func TestUAPIChange(t *testing.T) {
	e := newEnv(t, nil)
	v := e.check(t, e.request(t, "uapi"))
	if v.Status != Rejected || !slices.Equal(codes(v), []Code{CodeUAPIChange}) {
		t.Fatalf("verdict %+v", v)
	}
	if p := v.Findings[0].Paths; !slices.Equal(p, []string{"include/uapi/rdma/ib_user_verbs.h"}) {
		t.Errorf("paths %v", p)
	}
}

func TestEmpty(t *testing.T) {
	e := newEnv(t, nil)
	v := e.check(t, e.request(t, "empty"))
	if v.Status != Rejected || !slices.Equal(codes(v), []Code{CodeEmpty}) {
		t.Fatalf("verdict %+v", v)
	}
}

func TestMergeOfNetNextIsAllowed(t *testing.T) {
	e := newEnv(t, nil)
	v := e.check(t, e.request(t, "merge-net-next"))
	if v.Status != Accepted || v.Readiness.State != Waiting {
		t.Fatalf("verdict %+v", v)
	}
	var merges int
	for _, c := range v.Commits {
		if c.Merge {
			merges++
			if len(c.Paths) != 0 {
				t.Errorf("clean merge changes %v", c.Paths)
			}
		}
	}
	if merges != 1 || len(v.Commits) != 3 {
		t.Errorf("own commits %+v", v.Commits)
	}
}

func TestEvilMerge(t *testing.T) {
	e := newEnv(t, nil)
	v := e.check(t, e.request(t, "evil-merge"))
	if v.Status != Rejected || len(v.Findings) != 1 {
		t.Fatalf("verdict %+v", v)
	}
	f := v.Findings[0]
	if f.Code != CodeOutOfScope || !strings.HasPrefix(f.Subject, "Merge branch") ||
		!slices.Equal(f.Paths, []string{"drivers/infiniband/core/cm.c"}) {
		t.Errorf("finding %+v", f)
	}
}

func TestDiffstatMismatch(t *testing.T) {
	e := newEnv(t, nil)
	pr := e.request(t, "clean")
	pr.Diffstat.Files = append(pr.Diffstat.Files,
		mailparseFile("drivers/infiniband/hw/mlx5/main.c"), mailparseFile("drivers/infiniband/hw/mlx5/cq.c"))
	v := e.check(t, pr)
	if v.Status != Accepted || !slices.Equal(codes(v), []Code{CodeDiffstatMismatch}) ||
		v.Findings[0].Severity != Warning || !strings.Contains(v.Findings[0].Message, "cq.c") {
		t.Fatalf("verdict %+v", v)
	}
}

func TestReadinessMovesToClean(t *testing.T) {
	e := newEnv(t, nil)
	v := e.check(t, e.request(t, "waiting"))
	want := []TreeCount{{Tree: "net-next", Commits: 3}}
	if v.Status != Accepted || v.Readiness.State != Waiting || !slices.Equal(v.Readiness.Waiting, want) {
		t.Fatalf("verdict %+v readiness %+v", v, v.Readiness)
	}
	if err := e.k.LandNetNext(t.Context()); err != nil {
		t.Fatal(err)
	}
	e.updateTrees(t)
	v = e.check(t, e.request(t, "waiting"))
	if v.Status != Accepted || v.Readiness.State != Clean || v.Shared != 0 {
		t.Fatalf("after landing: verdict %+v readiness %+v", v, v.Readiness)
	}
}

func mailparseFile(path string) mailparse.DiffstatFile {
	return mailparse.DiffstatFile{Path: path, Changes: 1, Plus: 1}
}
