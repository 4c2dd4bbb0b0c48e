package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/cmd/prtrack/demo"
	"github.com/prtrack/prtrack/mailparse/source/sourcetest"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
)

// world is a maintainer's setup over the fixture kernel: trees served
// by git daemon, one mbox the list appends to, the daily job.
type world struct {
	t      *testing.T
	ctx    context.Context
	k      *gitfixture.Kernel
	srv    *gitfixture.Server
	mbox   string
	config string
}

// serveFixture builds the fixture kernel in a temporary directory and
// serves it with git daemon until the test ends; it skips without git
// daemon unless PRTRACK_REQUIRE_SERVERS is set.
func serveFixture(t *testing.T) (*gitfixture.Kernel, *gitfixture.Server, string) {
	t.Helper()
	if err := gitfixture.CheckDaemon(); err != nil {
		if os.Getenv("PRTRACK_REQUIRE_SERVERS") != "" {
			t.Fatalf("git daemon required: %v", err)
		}
		t.Skipf("needs git daemon: %v", err)
	}
	dir := t.TempDir()
	k, srv, err := gitfixture.Start(context.Background(), filepath.Join(dir, "git"), gitfixture.Build)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return k, srv, dir
}

func newWorld(t *testing.T) *world {
	t.Helper()
	k, srv, dir := serveFixture(t)
	ctx := context.Background()
	w := &world{t: t, ctx: ctx, k: k, srv: srv, mbox: filepath.Join(dir, "list.mbox")}
	os.WriteFile(w.mbox, nil, 0o644)
	days := int(time.Since(gitfixture.Epoch).Hours()/24) + 60
	var b strings.Builder
	fmt.Fprintf(&b, "[prtrack]\n\tdatabase = %s\n", filepath.Join(dir, "db"))
	fmt.Fprintf(&b, "[check]\n\trepository = %s\n\tscheme = git\n\thost = 127.0.0.1\n\tfetchTimeout = 20s\n", filepath.Join(dir, "trees.git"))
	fmt.Fprintf(&b, "[reply]\n\tfrom = RDMA maintainers <jgg@example.org>\n\tmaxAge = %dd\n", days)
	fmt.Fprintf(&b, "[track]\n\tmaintainer = jgg@example.org\n\tupstream = torvalds@example.org\n\tsince = %s\n", gitfixture.Epoch.Format(time.DateOnly))
	fmt.Fprintf(&b, "[source]\n\tmbox = %s\n", w.mbox)
	b.WriteString(demo.TreeSections(k, srv))
	w.config = filepath.Join(dir, "config")
	os.WriteFile(w.config, []byte(b.String()), 0o600)
	return w
}

// post appends a mail to the list archive.
func (w *world) post(from, to, subject, msgID, inReplyTo string, at time.Time, body string) {
	w.t.Helper()
	m := fmt.Sprintf("From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: %s\nTo: %s\nCc: linux-rdma@vger.kernel.org\nSubject: %s\nDate: %s\nMessage-ID: <%s>\n",
		from, to, subject, at.Format(time.RFC1123Z), msgID)
	if inReplyTo != "" {
		m += fmt.Sprintf("In-Reply-To: <%s>\nReferences: <%s>\n", inReplyTo, inReplyTo)
	}
	f, err := os.OpenFile(w.mbox, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	defer f.Close()
	fmt.Fprintf(f, "%s\n%s\n\n", m, body)
}

// pull is the request-pull text of a fixture sample.
func (w *world) pull(name string) (gitfixture.Sample, string) {
	w.t.Helper()
	s, ok := w.k.Sample(name)
	if !ok {
		w.t.Fatalf("no sample %q", name)
	}
	block, err := w.k.RequestPull(w.ctx, s, w.srv.RepoURL(s.Repo))
	if err != nil {
		w.t.Fatal(err)
	}
	return s, block
}

// day runs the daily job and returns its output; it must succeed.
func (w *world) day(n int) string {
	w.t.Helper()
	r := run(w.t, "", "run", "--config", w.config)
	if r.code != 0 {
		w.t.Fatalf("day %d: run exit %d\n%s\n%s", n, r.code, r.out, r.err)
	}
	return r.out
}

// states returns each pull request's state by Message-ID.
func (w *world) states() map[string]*review.PullView {
	w.t.Helper()
	r := run(w.t, "", "list", "--all", "--json", "--config", w.config)
	out := map[string]*review.PullView{}
	dec := json.NewDecoder(strings.NewReader(r.out))
	for dec.More() {
		v := new(review.PullView)
		if err := dec.Decode(v); err != nil {
			w.t.Fatal(err)
		}
		out[v.MessageID] = v
	}
	return out
}

func (w *world) drafts() []string {
	w.t.Helper()
	return strings.Split(strings.TrimSpace(run(w.t, "", "replies", "--config", w.config).out), "\n")
}

func wantState(t *testing.T, day int, views map[string]*review.PullView, msgID string, want tracker.State) {
	t.Helper()
	v := views[msgID]
	if v == nil || v.State != want {
		t.Errorf("day %d: %s is %+v, want %s", day, msgID, v, want)
	}
}

func wantLine(t *testing.T, day int, out, line string) {
	t.Helper()
	if !strings.Contains(out, line) {
		t.Errorf("day %d: output lacks %q:\n%s", day, line, out)
	}
}

// TestDailyScenario follows a maintainer's week with the daily job: a
// pull request waits on net-next, becomes clean when net-next reaches
// Linus, is pulled; a v2 supersedes a v1; a history pull request is
// never answered; our own pull to Linus is tracked to merged.
func TestDailyScenario(t *testing.T) {
	w := newWorld(t)
	at := gitfixture.Epoch.Add(2 * time.Hour) // after v6.9-rc1: on time for v6.10
	waiting, waitingPull := w.pull("waiting")
	clean, cleanPull := w.pull("clean")
	w.post("Dev A <deva@example.org>", "Jason <jgg@example.org>", "[GIT PULL] mlx5: steering", "a@x", "", at, waitingPull)
	w.post("Dev B <devb@example.org>", "Jason <jgg@example.org>", "[GIT PULL] efa: updates", "b1@x", "", at, cleanPull)
	w.post("Old <old@example.org>", "Jason <jgg@example.org>", "[GIT PULL] old work", "h@x", "", gitfixture.Epoch.AddDate(0, -1, 0), cleanPull)
	w.post("Jason <jgg@example.org>", "Linus <torvalds@example.org>", "[GIT PULL] Please pull RDMA subsystem changes", "u@x", "", at, cleanPull)

	// Day 1: A waits on net-next, B is clean; one reply each; nothing
	// for history or for our own pull to Linus.
	out := w.day(1)
	v := w.states()
	wantState(t, 1, v, "a@x", tracker.StateWaiting)
	wantState(t, 1, v, "b1@x", tracker.StateClean)
	wantState(t, 1, v, "h@x", tracker.StateNew)
	wantState(t, 1, v, "u@x", tracker.StateNew)
	if v["u@x"].Role != tracker.RoleUpstream || !v["h@x"].History {
		t.Errorf("day 1: roles %s, history %v", v["u@x"].Role, v["h@x"].History)
	}
	wantLine(t, 1, out, "drafted       2")
	if d := w.drafts(); len(d) != 3 {
		t.Errorf("day 1: drafts %q", d)
	}

	// Day 2: net-next reaches Linus's master; A becomes clean, one reply.
	if err := w.k.LandNetNext(w.ctx); err != nil {
		t.Fatal(err)
	}
	out = w.day(2)
	wantState(t, 2, w.states(), "a@x", tracker.StateClean)
	wantLine(t, 2, out, "became clean  1 #1")
	wantLine(t, 2, out, "drafted       1")

	// Day 3: Jason's "Pulled, thanks" arrives and A's tip is in rdma
	// for-next; B sends a v2 in reply to its v1.
	w.post("Jason <jgg@example.org>", "Dev A <deva@example.org>", "Re: [GIT PULL] mlx5: steering", "ack@x", "a@x", at.Add(48*time.Hour), "Pulled, thanks.")
	if _, err := w.k.PullInto(w.ctx, "rdma", "refs/heads/for-next", waiting); err != nil {
		t.Fatal(err)
	}
	w.post("Dev B <devb@example.org>", "Jason <jgg@example.org>", "[GIT PULL v2] efa: updates", "b2@x", "b1@x", at.Add(49*time.Hour), cleanPull)
	out = w.day(3)
	v = w.states()
	wantState(t, 3, v, "a@x", tracker.StatePulled)
	wantState(t, 3, v, "b1@x", tracker.StateSuperseded)
	wantState(t, 3, v, "b2@x", tracker.StateClean)
	if v["b1@x"].SupersededBy != v["b2@x"].ID || v["a@x"].MergeCommit == "" {
		t.Errorf("day 3: superseded by %d (want %d), A merged by %q", v["b1@x"].SupersededBy, v["b2@x"].ID, v["a@x"].MergeCommit)
	}
	wantLine(t, 3, out, "drafted       1") // B v2's first verdict; nothing to A after "Pulled"

	// Day 4: Linus pulls B's work and our pull; merged, one reply to B v2.
	if _, err := w.k.MergeIntoMainline(w.ctx, clean); err != nil {
		t.Fatal(err)
	}
	out = w.day(4)
	v = w.states()
	wantState(t, 4, v, "u@x", tracker.StateMerged)
	wantState(t, 4, v, "b2@x", tracker.StateMerged)
	wantState(t, 4, v, "h@x", tracker.StateNew)
	wantLine(t, 4, out, "drafted       1")

	// Day 5: nothing happened; nothing changes.
	before := run(t, "", "list", "--all", "--json", "--config", w.config).out
	out = w.day(5)
	wantLine(t, 5, out, "drafted       0")
	if after := run(t, "", "list", "--all", "--json", "--config", w.config).out; after != before {
		t.Errorf("day 5 changed the pull requests")
	}
	for _, d := range w.drafts() {
		if strings.Contains(d, "old work") || strings.Contains(d, "Please pull RDMA") {
			t.Errorf("a reply to history or to our own pull: %s", d)
		}
	}
}

// TestListWhileCheckWaitsOnSilentServer: a check waiting on a server
// that never answers holds no database lock; list, report and ingest
// work meanwhile.
func TestListWhileCheckWaitsOnSilentServer(t *testing.T) {
	w := newWorld(t)
	connected := make(chan struct{}, 1)
	addr, _ := sourcetest.Listen(t, func(c net.Conn) {
		defer c.Close() // read nothing, answer nothing, until the test ends
		connected <- struct{}{}
		<-t.Context().Done()
	})
	_, block := w.pull("clean")
	silent := fmt.Sprintf("git://%s/silent.git", addr)
	s, _ := w.k.Sample("clean")
	block = strings.ReplaceAll(block, w.srv.RepoURL(s.Repo), silent)
	w.post("Dev <dev@example.org>", "Jason <jgg@example.org>", "[GIT PULL] silent", "s@x", "", gitfixture.Epoch.Add(time.Hour), block)
	if r := run(t, "", "trees", "--config", w.config, "update"); r.code != 0 {
		t.Fatalf("trees update: %+v", r)
	}
	if r := run(t, "", "ingest", "--mbox", w.mbox, "--config", w.config); r.code != 0 {
		t.Fatalf("ingest: %+v", r)
	}
	os.WriteFile(w.config, append(must(os.ReadFile(w.config)), "[check]\n\tfetchTimeout = 10s\n"...), 0o600)
	done := make(chan result, 1)
	go func() { done <- run(t, "", "check", "--pending", "--config", w.config) }()
	select {
	case <-connected:
	case r := <-done:
		t.Fatalf("check ended before reaching the silent server: %+v", r)
	}
	for _, args := range [][]string{{"list"}, {"report", "--peek"}, {"ingest", "--mbox", w.mbox}} {
		if r := run(t, "", append(args, "--config", w.config)...); r.code != 0 {
			t.Errorf("%s while check waits: exit %d %s", args[0], r.code, r.err)
		}
	}
	if r := <-done; r.code != 0 || !strings.Contains(r.out, "UNCHECKED") {
		t.Errorf("check: %+v", r)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestRepliesNeverSurprise: what would go is listed without sending;
// more than reply.batchLimit mails need --yes; drafts are dropped by
// kind, by pull request or all at once.
func TestRepliesNeverSurprise(t *testing.T) {
	w := newWorld(t)
	os.WriteFile(w.config, append(must(os.ReadFile(w.config)),
		"[sendemail]\n\tsmtpServer = 127.0.0.1\n\tsmtpServerPort = 1\n[reply]\n\tbatchLimit = 2\n"...), 0o600)
	at := gitfixture.Epoch.Add(2 * time.Hour)
	for i, name := range []string{"waiting", "clean", "uapi"} {
		_, block := w.pull(name)
		w.post("Dev <dev@example.org>", "Jason <jgg@example.org>", "[GIT PULL] "+name, fmt.Sprintf("%s@x", name), "", at.Add(time.Duration(i)*time.Minute), block)
	}
	w.day(1)
	r := run(t, "", "replies", "list", "--json", "--config", w.config)
	var kinds []string
	dec := json.NewDecoder(strings.NewReader(r.out))
	for dec.More() {
		var d draftJSON
		if err := dec.Decode(&d); err != nil {
			t.Fatal(err)
		}
		if d.Role != tracker.RoleIncoming || !strings.HasSuffix(d.PRMessage, "@x") || d.State != "draft" {
			t.Errorf("draft %+v", d)
		}
		kinds = append(kinds, d.Kind)
	}
	if strings.Join(kinds, ",") != "waiting,accepted,rejected" {
		t.Fatalf("drafts %v", kinds)
	}
	// A dry run connects to nothing (port 1 would refuse) and sends nothing.
	if r = run(t, "", "replies", "send", "--dry-run", "--config", w.config); r.code != 0 || strings.Count(r.out, "would send") != 3 {
		t.Errorf("dry run: %+v", r)
	}
	if r = run(t, "", "replies", "send", "--config", w.config); r.code != 1 || !strings.Contains(r.err, "batch limit") || !strings.Contains(r.err, "--yes") {
		t.Errorf("over the batch limit: %+v", r)
	}
	for _, step := range []struct {
		args []string
		want string
	}{
		{[]string{"--kind", "rejected"}, "dropped 1 draft"},
		{[]string{"--pr", "1"}, "dropped 1 draft"},
		{[]string{"--all"}, "dropped 1 draft"},
		{[]string{"--all"}, "dropped 0 drafts"},
	} {
		args := append([]string{"replies", "drop", "--config", w.config}, step.args...)
		if r = run(t, "", args...); r.code != 0 || !strings.Contains(r.out, step.want) {
			t.Errorf("drop %v: %+v", step.args, r)
		}
	}
	if r = run(t, "", "replies", "send", "--config", w.config); r.code != 0 || !strings.Contains(r.out, "nothing to send") {
		t.Errorf("after dropping all: %+v", r)
	}
}
