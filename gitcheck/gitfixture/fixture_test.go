package gitfixture

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/mailparse"
)

func requireDaemon(t *testing.T) {
	t.Helper()
	if err := CheckDaemon(); err != nil {
		if os.Getenv("PRTRACK_REQUIRE_SERVERS") == "1" {
			t.Fatalf("git daemon required: %v", err)
		}
		t.Skipf("skipping: %v (set PRTRACK_REQUIRE_SERVERS=1 to fail instead)", err)
	}
}

func TestBuildAndServe(t *testing.T) {
	requireDaemon(t)
	ctx := context.Background()
	k, err := Build(ctx, filepath.Join(t.TempDir(), "srv"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Serve(k.Root)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	out, err := runGit(ctx, t.TempDir(), nil, "ls-remote", srv.RepoURL("driver.git"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range k.Samples {
		ref := "refs/heads/" + s.Ref
		if tag, ok := strings.CutPrefix(s.Ref, "tags/"); ok {
			ref = "refs/tags/" + tag
		}
		if !strings.Contains(out, ref) {
			t.Errorf("driver.git does not serve %s:\n%s", ref, out)
		}
	}
	if !strings.Contains(out, "HEAD") {
		t.Errorf("no HEAD served:\n%s", out)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := runGit(ctx, t.TempDir(), nil, "ls-remote", srv.RepoURL("driver.git")); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestRequestPullParses(t *testing.T) {
	requireDaemon(t)
	ctx := context.Background()
	k, err := Build(ctx, filepath.Join(t.TempDir(), "srv"))
	if err != nil {
		t.Fatal(err)
	}
	const url = "git://git.kernel.org/pub/scm/linux/kernel/git/mellanox/linux.git"
	for _, s := range k.Samples {
		if s.Name == "empty" {
			continue
		}
		text, err := k.RequestPull(ctx, s, url)
		if err != nil {
			t.Fatal(err)
		}
		pr := mailparse.ExtractText(text)
		if pr == nil || pr.URL != url || pr.Ref != s.Ref || pr.Base != s.Base || pr.Tip != s.Tip {
			t.Errorf("%s: parsed %+v from\n%s", s.Name, pr, text)
		}
	}
}
