package gitcheck

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
	"github.com/prtrack/prtrack/mailparse"
)

// env is a fixture kernel served by a real git daemon and a Checker whose
// accepted trees are the fixture's.
type env struct {
	k   *gitfixture.Kernel
	srv *gitfixture.Server
	c   *Checker
	cfg Config
}

func requireDaemon(t testing.TB) {
	t.Helper()
	if err := gitfixture.CheckDaemon(); err != nil {
		if os.Getenv("PRTRACK_REQUIRE_SERVERS") == "1" {
			t.Fatalf("git daemon required: %v", err)
		}
		t.Skipf("skipping: %v (set PRTRACK_REQUIRE_SERVERS=1 to fail instead)", err)
	}
}

// newEnv builds and serves the fixture, then updates the trees; edit
// adjusts the configuration first.
func newEnv(t *testing.T, edit func(*Config)) *env {
	t.Helper()
	requireDaemon(t)
	k, srv, err := gitfixture.Start(context.Background(), filepath.Join(t.TempDir(), "srv"), gitfixture.Build)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	e := &env{k: k, srv: srv, cfg: testConfig(t, k, srv)}
	if edit != nil {
		edit(&e.cfg)
	}
	e.c = e.open(t)
	e.updateTrees(t)
	return e
}

func testConfig(t *testing.T, k *gitfixture.Kernel, srv *gitfixture.Server) Config {
	cfg := Config{
		Repo:   filepath.Join(t.TempDir(), "prtrack.git"),
		Hosts:  []string{"127.0.0.1"},
		Logger: slog.New(slog.NewTextHandler(tWriter{t}, nil)),
	}
	for _, tr := range k.Trees {
		cfg.Trees = append(cfg.Trees, Tree{Name: tr.Name, URL: srv.RepoURL(tr.Repo), Refs: tr.Refs})
	}
	return cfg
}

func (e *env) open(t *testing.T) *Checker {
	t.Helper()
	c, err := New(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func (e *env) updateTrees(t *testing.T) {
	t.Helper()
	ups, err := e.c.UpdateTrees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range ups {
		if u.Error != "" || u.Refs == 0 {
			t.Fatalf("tree update %+v", u)
		}
	}
}

// request returns what the sample's mail says.
func (e *env) request(t *testing.T, name string) *mailparse.PullRequest {
	t.Helper()
	s, ok := e.k.Sample(name)
	if !ok {
		t.Fatalf("no sample %q", name)
	}
	return &mailparse.PullRequest{URL: e.srv.RepoURL(s.Repo), Ref: s.Ref, Base: s.Base, Tip: s.Tip}
}

func (e *env) check(t *testing.T, pr *mailparse.PullRequest) *Verdict {
	t.Helper()
	v, err := e.c.Check(context.Background(), "pr1", pr)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("verdict:\n%s", v.Summary())
	return v
}

// codes lists the verdict's finding codes.
func codes(v *Verdict) []Code {
	var out []Code
	for _, f := range v.Findings {
		out = append(out, f.Code)
	}
	return out
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
