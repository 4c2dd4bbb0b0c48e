package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/gitcheck"
)

func loadCheck(t *testing.T, text string) (gitcheck.Config, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	if err := os.WriteFile(path, []byte("[prtrack]\n\tdatabase = "+dir+"/db\n"+text), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	return c.Check()
}

func TestProfileSections(t *testing.T) {
	g, err := loadCheck(t, `[profile "shared"]
	path = include/linux/mlx5/
	appendOnly = no
[profile "iwl-next"]
	url = git.kernel.org/pub/scm/linux/kernel/git/tnguy/next-queue
	ref = tags/for-next-*
	path = drivers/net/ethernet/intel/ice/
	base = mainline-tag
	appendOnly = true
`)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Profiles) != 2 {
		t.Fatalf("profiles %+v", g.Profiles)
	}
	shared, iwl := g.Profiles[0], g.Profiles[1]
	if !slices.Equal(shared.Paths, []string{"include/linux/mlx5/"}) || shared.AppendOnly ||
		shared.Base != gitcheck.BaseMainlineTag || shared.Self != "mlx5-next" {
		t.Errorf("shared: the keys set must replace the built-in values, the others stay: %+v", shared)
	}
	if iwl.Name != "iwl-next" || !iwl.AppendOnly || iwl.Base != gitcheck.BaseMainlineTag ||
		!slices.Equal(iwl.SelectRefs, []string{"tags/for-next-*"}) || len(iwl.Scope) != 0 {
		t.Errorf("iwl-next: %+v", iwl)
	}
	if _, err := gitcheck.New(withRepo(t, g)); err != nil {
		t.Errorf("the configured profiles do not validate: %v", err)
	}
}

func withRepo(t *testing.T, g gitcheck.Config) gitcheck.Config {
	g.Repo = filepath.Join(t.TempDir(), "trees.git")
	return g
}

func TestProfileSectionErrors(t *testing.T) {
	if _, err := loadCheck(t, "[profile \"x\"]\n\tpath = a/\n\tappendOnly = perhaps\n"); err == nil || !strings.Contains(err.Error(), "appendOnly") {
		t.Errorf("bad boolean: %v", err)
	}
	g, err := loadCheck(t, "[profile \"x\"]\n\tpath = a/\n\tbase = tip\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gitcheck.New(withRepo(t, g)); err == nil || !strings.Contains(err.Error(), "unknown base rule") {
		t.Errorf("bad base rule: %v", err)
	}
}
