package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// webDB is a database holding the test mailbox's pull request.
func webDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "prtrack.db")
	if r := run(t, "", "ingest", "--db", db, "--mbox", testMbox(t)); r.code != 0 {
		t.Fatalf("ingest: exit %d: %s", r.code, r.err)
	}
	return db
}

func TestReportHTMLExportsOnce(t *testing.T) {
	db := webDB(t)
	dir := filepath.Join(t.TempDir(), "site")
	r := run(t, "", "report", "--db", db, "--html", dir)
	if r.code != 0 || !strings.Contains(r.out, "wrote 11 files") {
		t.Fatalf("report --html: exit %d\n%s%s", r.code, r.out, r.err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "pr", "1.html"))
	if err != nil || !strings.Contains(string(page), "[GIT PULL v2] efa for-next") {
		t.Fatalf("pr/1.html: %v", err)
	}
	if r := run(t, "", "report", "--db", db, "--html", dir); r.code != 0 || !strings.Contains(r.out, "wrote 0 files") {
		t.Errorf("second export: exit %d\n%s%s", r.code, r.out, r.err)
	}
}

func TestServeAnswersAndStops(t *testing.T) {
	db := webDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"serve", "--db", db, "--listen", "127.0.0.1:0"}, &IO{In: strings.NewReader(""), Out: pw, Err: io.Discard})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed nothing: %v", err)
	}
	go io.Copy(io.Discard, pr)
	_, rest, _ := strings.Cut(line, "on http://")
	base, _, _ := strings.Cut(rest, " ")
	for path, want := range map[string]string{"": "release cycle is not known yet", "?q=efa": "efa for-next", "pr/1.html": "Thanks, pulled.", "feed.atom": "<feed"} {
		resp, err := http.Get("http://" + strings.TrimSuffix(base, "/") + "/" + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
			t.Errorf("GET /%s: %s, lacks %q", path, resp.Status, want)
		}
	}
	// The server holds no lock between requests: list reads meanwhile.
	if r := run(t, "", "list", "--db", db); r.code != 0 {
		t.Errorf("list while serving: exit %d: %s", r.code, r.err)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exit %d", code)
	}
}
