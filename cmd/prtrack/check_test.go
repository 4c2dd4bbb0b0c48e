package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/cmd/prtrack/demo"
)

// TestCheckJSONAgainstGitDaemon records the "uapi" sample's mail, checks
// it against repositories served by a real git daemon, and reads the
// verdict from "check --json": rejected for a uAPI change, with the
// offending commit and path; "show" then has the verdict in its history.
func TestCheckJSONAgainstGitDaemon(t *testing.T) {
	ctx := context.Background()
	k, srv, dir := serveFixture(t)
	s, _ := k.Sample("uapi")
	block, err := k.RequestPull(ctx, s, srv.RepoURL(s.Repo))
	if err != nil {
		t.Fatal(err)
	}
	mbox := filepath.Join(dir, "list.mbox")
	os.WriteFile(mbox, []byte(testMail("uapi@example.org", "[GIT PULL] efa: query", "", block)), 0o644)
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "[prtrack]\n\tdatabase = %s\n[check]\n\trepository = %s\n\thost = 127.0.0.1\n",
		filepath.Join(dir, "db"), filepath.Join(dir, "trees.git"))
	cfg.WriteString(demo.TreeSections(k, srv))
	cfgPath := filepath.Join(dir, "config")
	os.WriteFile(cfgPath, []byte(cfg.String()), 0o600)

	if r := run(t, "", "ingest", "--mbox", mbox, "--config", cfgPath); r.code != 0 {
		t.Fatalf("ingest: %+v", r)
	}
	r := run(t, "", "check", "--json", "--update-trees", "1", "--config", cfgPath)
	if r.code != 0 {
		t.Fatalf("check: %+v", r)
	}
	var got outcomeLine
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("check --json: %v\n%s", err, r.out)
	}
	if got.State != "rejected" || got.Verdict == nil || got.Verdict.Driver != "efa" {
		t.Fatalf("outcome = %+v", got)
	}
	if got.Profile != "driver" || got.Verdict.Profile != "driver" || !strings.Contains(got.ProfileWhy, "no profile's URL, ref or base fits") {
		t.Errorf("profile %q (%q), verdict's %q: want driver, as nothing else fits", got.Profile, got.ProfileWhy, got.Verdict.Profile)
	}
	found := false
	for _, f := range got.Verdict.Findings {
		found = found || f.Code == "uapi-change" && strings.Contains(strings.Join(f.Paths, " "), "include/uapi/rdma/ib_user_verbs.h") && f.Commit != ""
	}
	if !found {
		t.Errorf("no uapi-change finding naming the commit and path: %+v", got.Verdict.Findings)
	}
	if r := run(t, "", "show", "1", "--config", cfgPath); !strings.Contains(r.out, "verdict  driver: rejected: uapi-change") ||
		!strings.Contains(r.out, "profile    driver\n             (no profile's URL") {
		t.Errorf("show lacks the verdict:\n%s", r.out)
	}
}
