package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadDefaultsFileAndOverrides(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "cfg"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))

	c, err := Load("", Overrides{})
	if err != nil {
		t.Fatalf("Load without a file: %v", err)
	}
	if want := filepath.Join(dir, "data", "prtrack", "prtrack.db"); c.Database != want || c.List != DefaultList || c.Path != "" {
		t.Fatalf("defaults = %+v, want database %s", c, want)
	}

	path := filepath.Join(dir, "cfg", "prtrack", "config")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte("[prtrack]\n\tdatabase = /srv/prtrack.db\n\tlist = rdma@example.org\n[tree \"linus\"]\n\turl = https://git.example.org/linux.git\n"), 0o600)
	c, err = Load("", Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Database != "/srv/prtrack.db" || c.List != "rdma@example.org" || c.Path != path {
		t.Errorf("from file = %+v", c)
	}
	if got := c.Option("tree", "linus", "url"); got != "https://git.example.org/linux.git" {
		t.Errorf("tree.linus.url = %q", got)
	}
	c, err = Load(path, Overrides{Database: "/tmp/x.db"})
	if err != nil || c.Database != "/tmp/x.db" {
		t.Errorf("override: %+v, %v", c, err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "missing"), Overrides{}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("explicit missing file: err = %v", err)
	}
	bad := filepath.Join(dir, "bad")
	os.WriteFile(bad, []byte("[prtrack\ndatabase = x\n"), 0o600)
	if _, err := Load(bad, Overrides{}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("malformed file: err = %v", err)
	}
	badList := filepath.Join(dir, "badlist")
	os.WriteFile(badList, []byte("[prtrack]\n\tlist = nobody\n"), 0o600)
	if _, err := Load(badList, Overrides{}); err == nil || !strings.Contains(err.Error(), "not a mail address") {
		t.Errorf("bad list: err = %v", err)
	}
}

func TestCheckConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	os.WriteFile(path, []byte(`[prtrack]
	database = `+dir+`/db
[check]
	host = 127.0.0.1
	host = git.kernel.org
	fetchTimeout = 30s
	maxFetchBytes = 64m
	cutoff = 7
	requireMaintainer = yes
[tree "linus"]
	url = git://127.0.0.1/linux.git
	ref = master
	ref = refs/tags/v*
`), 0o600)
	c, err := Load(path, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := c.Check()
	if err != nil {
		t.Fatal(err)
	}
	if g.Repo != filepath.Join(dir, "trees.git") || len(g.Hosts) != 2 || g.FetchTimeout.String() != "30s" || g.MaxFetchBytes != 64<<20 {
		t.Errorf("check config = %+v", g)
	}
	if !g.RequireMaintainer || g.ReviewerMaintains {
		t.Errorf("requireMaintainer %v reviewerMaintains %v", g.RequireMaintainer, g.ReviewerMaintains)
	}
	if len(g.Trees) != 1 || g.Trees[0].Name != "linus" || len(g.Trees[0].Refs) != 2 {
		t.Errorf("trees = %+v", g.Trees)
	}
	if g.UAPI != nil || g.Schemes != nil {
		t.Errorf("unset repeatable keys must stay nil (the checker's defaults): uapi %q schemes %q", g.UAPI, g.Schemes)
	}
	if n, err := c.Cutoff(); n != 7 || err != nil {
		t.Errorf("cutoff = %d, %v", n, err)
	}
	os.WriteFile(path, []byte("[check]\n\tmaxFetchBytes = lots\n"), 0o600)
	c, _ = Load(path, Overrides{})
	if _, err := c.Check(); err == nil || !strings.Contains(err.Error(), "maxFetchBytes") {
		t.Errorf("bad size: %v", err)
	}
	os.WriteFile(path, []byte("[check]\n\treviewerMaintains = perhaps\n"), 0o600)
	c, _ = Load(path, Overrides{})
	if _, err := c.Check(); err == nil || !strings.Contains(err.Error(), "reviewerMaintains") {
		t.Errorf("bad boolean: %v", err)
	}
}

func TestVolatileConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	os.WriteFile(path, []byte("[prtrack]\n\tdatabase = "+filepath.Join(dir, "db")+"\n[volatile]\n\tbase = refs/trees/rdma/heads/wip\n"+
		"\tref = refs/heads/vol\n\tpush = https://git.example.org/rdma.git\n\tmaxPairs = 45\n\ttimeout = 30s\n"), 0o600)
	c, err := Load(path, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.Volatile()
	if err != nil {
		t.Fatal(err)
	}
	b, p := v.Build, v.Push
	if b.Repo != filepath.Join(dir, "trees.git") || b.Base != "refs/trees/rdma/heads/wip" || b.Ref != "refs/heads/vol" ||
		b.MaxPairs != 45 || b.GitTimeout.String() != "30s" {
		t.Errorf("build options = %+v", b)
	}
	if p.URL != "https://git.example.org/rdma.git" || p.Ref != "refs/heads/vol" || p.Repo != b.Repo {
		t.Errorf("push options = %+v", p)
	}
	if v.ConflictReply {
		t.Error("conflictReply is on by default")
	}
	os.WriteFile(path, []byte("[volatile]\n\tconflictReply = yes\n\tjobs = 3\n"), 0o600)
	if c, err = Load(path, Overrides{}); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Volatile(); err != nil || !v.ConflictReply || v.Build.Jobs != 3 {
		t.Errorf("conflictReply = yes, jobs = 3: %+v, %v", v, err)
	}
	os.WriteFile(path, []byte("[volatile]\n\tref = volatile\n"), 0o600)
	if c, err = Load(path, Overrides{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Volatile(); err == nil || !strings.Contains(err.Error(), "volatile.ref") {
		t.Errorf("short ref: err = %v", err)
	}
}
