package web

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
)

// mtimes returns the modification time of every file under dir.
func mtimes(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	out := map[string]time.Time{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		out[p] = info.ModTime()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExportWritesOnlyWhatChanged(t *testing.T) {
	s, _ := newTestSite(t, nil)
	dir := t.TempDir()
	first, err := s.Export(dir)
	if err != nil {
		t.Fatal(err)
	}
	// index, feed, style, pulls.json, report.json, 3 files per pull
	// request, and a page per window (2), role (3), state (7) and
	// driver (3; not "<b>evil</b>").
	if want := 5 + 3*len(fixturePRs) + 15; first.Written != want || first.Unchanged != 0 {
		t.Fatalf("first export %+v, want %d written", first, want)
	}
	before := mtimes(t, dir)
	old := time.Now().Add(-time.Hour)
	for p := range before { // so that a rewrite would show even within the clock's resolution
		os.Chtimes(p, old, old)
	}
	second, err := s.Export(dir)
	if err != nil {
		t.Fatal(err)
	}
	if second.Written != 0 {
		t.Errorf("second export of unchanged data wrote %d files", second.Written)
	}
	for p, m := range mtimes(t, dir) {
		if m.After(old.Add(time.Minute)) {
			t.Errorf("%s rewritten", p)
		}
	}
	err = s.st.Update(func(tx *tracker.Tx) error { return tx.SetStateWhy(idRejected, tracker.StateClosed, "withdrawn") })
	if err != nil {
		t.Fatal(err)
	}
	third, err := s.Export(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The front page, the pull request's page, feed and JSON, the
	// lists and the report: their dates moved with the new event.
	if third.Written == 0 || third.Written == first.Written {
		t.Errorf("export after a change wrote %d files", third.Written)
	}
}

func TestExportLinksAreRelative(t *testing.T) {
	s, _ := newTestSite(t, nil)
	dir := t.TempDir()
	if _, err := s.Export(dir); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	index := read("index.html")
	for _, want := range []string{`href="pr/1.html"`, `href="style.css"`, `href="feed.atom"`} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	if strings.Contains(index, "<form") {
		t.Error("the static front page has a search form that cannot work")
	}
	for _, want := range []string{`href="by/window-v6.16.html"`, `href="by/state-rejected.html"`, `href="by/driver-hns.html"`} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	byDriver := read("by/driver-bnxt_re.html")
	if got := rowIDs(byDriver); strings.Join(got, ",") != "7,6" || !strings.Contains(byDriver, `href="../pr/7.html"`) {
		t.Errorf("by/driver-bnxt_re.html lists %v", got)
	}
	pr := read("pr/2.html")
	for _, want := range []string{`href="../style.css"`, `href="../index.html"`, `href="2.atom"`, `href="../api/pr/2.json"`} {
		if !strings.Contains(pr, want) {
			t.Errorf("pr/2.html lacks %s", want)
		}
	}
	parseFeed(t, read("feed.atom"))
	var views []review.PullView
	if err := json.Unmarshal([]byte(read("api/pulls.json")), &views); err != nil || len(views) != len(fixturePRs) {
		t.Errorf("api/pulls.json: %d views, %v", len(views), err)
	}
}

func TestAPIMirrorsJSONSchema(t *testing.T) {
	_, srv := newTestSite(t, nil)
	var pr map[string]any
	if err := json.Unmarshal([]byte(getOK(t, srv, "/api/pr/2.json")), &pr); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"id", "message_id", "subject", "from", "role", "state", "window", "replies", "events", "drafts"} {
		if _, ok := pr[key]; !ok {
			t.Errorf("/api/pr/2.json lacks %q", key)
		}
	}
	if d := pr["drafts"].([]any); len(d) != 1 {
		t.Errorf("drafts %v", d)
	}
	var rep review.Report
	if err := json.Unmarshal([]byte(getOK(t, srv, "/api/report.json")), &rep); err != nil || len(rep.Windows) == 0 {
		t.Errorf("/api/report.json: %+v %v", rep, err)
	}
}
