package gitcheck

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
)

type worldBuilder = gitfixture.Builder

// newWorldEnv is newEnv over another fixture world, with the default
// profiles fitted to its trees.
func newWorldEnv(t *testing.T, build worldBuilder) *env {
	t.Helper()
	requireDaemon(t)
	k, srv, err := gitfixture.Start(context.Background(), filepath.Join(t.TempDir(), "srv"), build)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	e := &env{k: k, srv: srv, cfg: testConfig(t, k, srv)}
	e.c = e.open(t)
	e.updateTrees(t)
	return e
}

// checkWith checks the sample by the profile.
func (e *env) checkWith(t *testing.T, name, profile string) *Verdict {
	t.Helper()
	v, err := e.c.CheckWith(context.Background(), "pr1", e.request(t, name), profile)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("verdict:\n%s", v.Summary())
	return v
}

// outcome is a verdict as the samples' Want say it.
func outcome(v *Verdict) string {
	got := string(v.Status)
	switch {
	case v.Readiness != nil:
		got += " " + v.Readiness.State
	case len(v.Findings) > 0:
		got += " " + string(v.Findings[0].Code)
	}
	return got
}

func checkSamples(t *testing.T, e *env, profile string) map[string]*Verdict {
	out := map[string]*Verdict{}
	for _, s := range e.k.Samples {
		t.Run(s.Name, func(t *testing.T) {
			v := e.checkWith(t, s.Name, profile)
			out[s.Name] = v
			if got := outcome(v); got != s.Want {
				t.Errorf("verdict %q, want %q", got, s.Want)
			}
			if v.Profile != profile {
				t.Errorf("profile %q, want %q", v.Profile, profile)
			}
		})
	}
	return out
}
