package gitcheck

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
)

func TestSharedProfile(t *testing.T) {
	e := newWorldEnv(t, gitfixture.BuildShared)
	vs := checkSamples(t, e, ProfileShared)

	if v := vs["shared-append"]; v != nil && (len(v.Commits) != 1 || v.Commits[0].Subject != "RDMA/mlx5: use the port query") {
		t.Errorf("append: own commits %+v, want only the added one (mlx5-next itself does not count as accepted)", v.Commits)
	}
	if v := vs["shared-outside"]; v != nil {
		f := v.Findings[0]
		if !slices.Equal(f.Paths, []string{"drivers/infiniband/core/verbs.c"}) || !strings.Contains(f.Message, "outside include/linux/mlx5/") {
			t.Errorf("outside: finding %+v", f)
		}
	}
	if v := vs["shared-for-next"]; v != nil && !strings.Contains(v.Findings[0].Message, "it is a commit of rdma") {
		t.Errorf("for-next base: %q does not say where the base is", v.Findings[0].Message)
	}
}

func TestSharedRebasedNamesBothCommits(t *testing.T) {
	e := newWorldEnv(t, gitfixture.BuildShared)
	v := e.checkWith(t, "shared-rebased", ProfileShared)
	var got []Finding
	for _, f := range v.Findings {
		if f.Code == CodeRebasedShared {
			got = append(got, f)
		}
	}
	if len(got) != 2 {
		t.Fatalf("rebased-shared findings %+v, want one per rebased commit", v.Findings)
	}
	for i, f := range got { // newest first
		n := 2 - i
		old, cur := e.k.Commits["pulled-"+string(rune('0'+n))], e.k.Commits["rebased-"+string(rune('0'+n))]
		if f.Commit != shortSHA(cur) || f.Pulled == nil || f.Pulled.Commit != shortSHA(old) {
			t.Errorf("finding %d: commit %s pulled %+v, want %s was %s", i, f.Commit, f.Pulled, shortSHA(cur), shortSHA(old))
			continue
		}
		if f.Subject != f.Pulled.Subject || !slices.Equal(f.Pulled.Trees, []string{"net-next", "rdma"}) {
			t.Errorf("finding %d: subject %q pulled %+v", i, f.Subject, f.Pulled)
		}
		if !strings.Contains(f.Message, shortSHA(old)) || !strings.Contains(f.Message, f.Subject) {
			t.Errorf("finding %d message %q names neither the old commit nor its subject", i, f.Message)
		}
	}
}

// The driver profile, which does not know mlx5-next is append-only,
// accepts the same rebased branch: the rule is the profile's.
func TestDriverProfileIgnoresSharedRules(t *testing.T) {
	e := newWorldEnv(t, gitfixture.BuildShared)
	v := e.checkWith(t, "shared-rebased", ProfileDriver)
	if slices.Contains(codes(v), CodeRebasedShared) || slices.Contains(codes(v), CodeBaseNotTag) {
		t.Errorf("driver profile applied shared rules: %v", codes(v))
	}
}

// The Build world with AddProfileSamples, as the demo serves it.
func TestProfileSamplesOfTheDemoWorld(t *testing.T) {
	e := newWorldEnv(t, func(ctx context.Context, root string) (*gitfixture.Kernel, error) {
		k, err := gitfixture.Build(ctx, root)
		if err != nil {
			return nil, err
		}
		return k, k.AddProfileSamples(ctx)
	})
	for name, profile := range map[string]string{"shared-rebased": ProfileShared, "rdma-core-provider": ProfileRdmaCore} {
		s, _ := e.k.Sample(name)
		if got := outcome(e.checkWith(t, name, profile)); got != s.Want {
			t.Errorf("%s: verdict %q, want %q", name, got, s.Want)
		}
	}
}
