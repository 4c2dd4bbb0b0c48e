package review

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply"
	"github.com/prtrack/prtrack/tracker/triage"
	"github.com/prtrack/prtrack/tracker/window"
)

// scripted is a Checker answering from a table, so these tests can
// drive every verdict; the real checker runs in the demo test and in
// package gitcheck against a git daemon.
type scripted map[string]*gitcheck.Verdict

func (s scripted) CheckWith(_ context.Context, id string, _ *mailparse.PullRequest, profile string) (*gitcheck.Verdict, error) {
	v := *s[id]
	v.ID, v.Profile = id, profile
	return &v, nil
}

const pullMail = `From: Dev <dev@example.org>
To: Maintainer <maint@example.org>
Cc: linux-rdma@vger.kernel.org
Subject: [GIT PULL] efa for-next
Date: Mon, 11 Mar 2024 10:00:00 +0000
Message-ID: <%s>

The following changes since commit 0123456789abcdef0123456789abcdef01234567:

  Linux 6.9-rc1 (2024-03-10 12:00:00 +0000)

are available in the Git repository at:

  https://git.kernel.org/pub/scm/linux/kernel/git/dev/linux.git for-next

for you to fetch changes up to 89abcdef0123456789abcdef0123456789abcdef:

  RDMA/efa: Fix it (2024-03-11 09:00:00 +0000)
%s`

func addPull(t *testing.T, st *tracker.Store, mid, extra string) uint64 {
	t.Helper()
	raw := []byte(strings.ReplaceAll(fmt.Sprintf(pullMail, mid, extra), "\n", "\r\n"))
	m, err := mailparse.Parse(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	pr := mailparse.Extract(m)
	var id uint64
	err = st.Update(func(tx *tracker.Tx) error {
		id, err = tx.AddPullRequest(&tracker.PullRequestRecord{MessageID: m.MessageID, Subject: m.Subject,
			From: m.From, To: m.To, Cc: m.Cc, Date: m.Date, Pull: *pr}, raw)
		if err != nil {
			return err
		}
		return tx.SetRole(id, tracker.RoleIncoming, tracker.RoleByRules)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var (
	waiting = &gitcheck.Verdict{Status: gitcheck.Accepted, Driver: "efa",
		Readiness: &gitcheck.Readiness{State: gitcheck.Waiting, Waiting: []gitcheck.TreeCount{{Tree: "net-next", Commits: 3}}}}
	merged = &gitcheck.Verdict{Status: gitcheck.Accepted, Readiness: &gitcheck.Readiness{State: gitcheck.Clean},
		Merged: &gitcheck.Merge{Tree: "linus", Ref: "heads/master", Commit: "fedcba9876543210fedcba9876543210fedcba98"}}
	clean    = &gitcheck.Verdict{Status: gitcheck.Accepted, Driver: "efa", Readiness: &gitcheck.Readiness{State: gitcheck.Clean}}
	rejected = &gitcheck.Verdict{Status: gitcheck.Rejected, Driver: "efa", Findings: []gitcheck.Finding{{Code: gitcheck.CodeUAPIChange,
		Severity: gitcheck.Error, Commit: "abcdef012345", Subject: "RDMA/efa: expose", Paths: []string{"include/uapi/rdma/efa-abi.h"},
		Message: "changes the uAPI"}}}
	refMissing = &gitcheck.Verdict{Status: gitcheck.Rejected, Findings: []gitcheck.Finding{{Code: gitcheck.CodeRefMissing,
		Severity: gitcheck.Error, Message: "no ref for-next"}}}
)

// checkOnce runs a review of pull request id, the checker answering v.
func checkOnce(t *testing.T, st *tracker.Store, id uint64, v *gitcheck.Verdict, opts *Options) Outcome {
	t.Helper()
	out, err := Run(context.Background(), st, scripted{strconv.FormatUint(id, 10): v}, []uint64{id}, opts)
	if err != nil || len(out) != 1 {
		t.Fatalf("Run: %v %v", out, err)
	}
	return out[0]
}

func newStore(t *testing.T) *tracker.Store {
	st, err := tracker.Open(filepath.Join(t.TempDir(), "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// mailDay is the day after the test mail was sent, so that replies to
// it are due: the mail is new work, after the horizon.
var mailDay = time.Date(2024, 3, 12, 9, 0, 0, 0, time.UTC)

// replying are options under which the test mail gets replies.
func replying() *Options {
	return &Options{Drafter: drafter(), Horizon: triage.Horizon{Known: true, Since: time.Date(2024, 1, 7, 0, 0, 0, 0, time.UTC)},
		Now: func() time.Time { return mailDay }}
}

func drafter() *Drafter {
	return &Drafter{Identity: reply.Identity{From: mailparse.Address{Name: "Maint", Email: "maint@example.org"}, List: "linux-rdma@vger.kernel.org"},
		CommitURL: "https://git.kernel.org/torvalds/c/%s"}
}

func TestRunMovesStatesAndDraftsOnlyOnChange(t *testing.T) {
	st := newStore(t)
	id := addPull(t, st, "pr@example.org", "")
	cal := window.NewCalendar([]window.Tag{{Name: "v6.9-rc1", Date: time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)}}, 0)
	opts := replying()
	opts.Calendar = cal
	run := func(v *gitcheck.Verdict) Outcome { t.Helper(); return checkOnce(t, st, id, v, opts) }
	o := run(waiting)
	if o.State != tracker.StateWaiting || o.Draft == nil || o.Draft.Kind != "waiting" || o.Target.Window.String() != "v6.10" {
		t.Fatalf("first check: %+v", o)
	}
	if o = run(waiting); o.Draft != nil || o.Changed() {
		t.Fatalf("same verdict again drafted a reply or moved: %+v", o)
	}
	if o = run(clean); o.State != tracker.StateClean || o.Draft == nil || o.Draft.Kind != "accepted" {
		t.Fatalf("waiting -> clean: %+v", o)
	}
	if ids, _ := Pending(st, opts); len(ids) != 1 {
		t.Errorf("a clean pull request is checked until merged; pending = %v", ids)
	}
	pulled := &gitcheck.Verdict{Status: gitcheck.Accepted, Readiness: &gitcheck.Readiness{State: gitcheck.Waiting,
		Waiting: []gitcheck.TreeCount{{Tree: "rdma", Commits: 3}}},
		Merged: &gitcheck.Merge{Tree: "rdma", Ref: "heads/for-next", Commit: "0123456789abcdef0123456789abcdef01234567"}}
	if o = run(pulled); o.State != tracker.StatePulled || o.Draft == nil || !strings.Contains(string(o.Draft.Raw), "rdma") {
		t.Fatalf("clean -> pulled into rdma: %+v", o)
	}
	if ids, _ := Pending(st, opts); len(ids) != 1 {
		t.Errorf("a pull request in rdma but not in Linus's tree is checked again; pending = %v", ids)
	}
	if o = run(merged); o.State != tracker.StateMerged || o.Draft == nil || o.Draft.Kind != "merged" ||
		!strings.Contains(string(o.Draft.Raw), "https://git.kernel.org/torvalds/c/"+merged.Merged.Commit) {
		t.Fatalf("clean -> merged: %+v", o)
	}
	if ids, _ := Pending(st, opts); len(ids) != 0 {
		t.Errorf("a merged pull request is still pending: %v", ids)
	}
	st.View(func(tx *tracker.Tx) error {
		evs, _ := tx.Events(id)
		if d := LastDetail(evs); d == nil || d.Verdict.Readiness.State != gitcheck.Clean {
			t.Errorf("last verdict detail = %+v", d)
		}
		return nil
	})
}

func TestRejectedAndRefMissingReplies(t *testing.T) {
	st := newStore(t)
	a := addPull(t, st, "a@example.org", "")
	b := addPull(t, st, "b@example.org", "")
	out, err := Run(context.Background(), st, scripted{"1": rejected, "2": refMissing}, []uint64{a, b}, replying())
	if err != nil {
		t.Fatal(err)
	}
	if out[0].State != tracker.StateRejected || out[0].Draft.Kind != "rejected" ||
		!strings.Contains(string(out[0].Draft.Raw), "include/uapi/rdma/efa-abi.h") {
		t.Errorf("rejected: %+v", out[0])
	}
	// A missing ref is reported as "could not be checked", with what to fix.
	if raw := string(out[1].Draft.Raw); out[1].Draft.Kind != "unchecked" || out[1].State != tracker.StateUnchecked ||
		!strings.Contains(raw, "the repository does not have the") || strings.Contains(raw, "no ref for-next\"") {
		t.Errorf("ref missing: kind %s state %s\n%s", out[1].Draft.Kind, out[1].State, out[1].Draft.Raw)
	}
}

func TestOptOutGetsNoReplyOnce(t *testing.T) {
	st := newStore(t)
	id := addPull(t, st, "quiet@example.org", "\npr-tracker-no-ack\n")
	for i := range 2 {
		out, err := Run(context.Background(), st, scripted{"1": clean}, []uint64{id}, replying())
		if err != nil {
			t.Fatal(err)
		}
		if out[0].Draft != nil {
			t.Fatalf("run %d drafted a reply to an opted-out pull request", i)
		}
		if (i == 0) != (out[0].NoReply != "") {
			t.Errorf("run %d: NoReply = %q", i, out[0].NoReply)
		}
	}
	st.View(func(tx *tracker.Tx) error {
		evs, _ := tx.Events(id)
		n := 0
		for _, e := range evs {
			if e.Kind == EventNoReply {
				n++
				if !strings.Contains(e.Summary, "no-ack") {
					t.Errorf("no-reply event does not say why: %q", e.Summary)
				}
			}
		}
		if n != 1 {
			t.Errorf("%d no-reply events, want 1", n)
		}
		return nil
	})
}

func TestReportGroupsAndRemembers(t *testing.T) {
	st := newStore(t)
	a := addPull(t, st, "a@example.org", "")
	b := addPull(t, st, "b@example.org", "")
	addPull(t, st, "c@example.org", "")
	cal := window.NewCalendar([]window.Tag{{Name: "v6.8", Date: time.Date(2024, 1, 7, 0, 0, 0, 0, time.UTC)},
		{Name: "v6.9-rc1", Date: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
		{Name: "v6.9-rc6", Date: time.Date(2024, 3, 11, 0, 0, 0, 0, time.UTC)}}, 0)
	cycle := func() {
		t.Helper()
		tc := &triage.Config{Maintainers: []string{"maint@example.org"}}
		err := st.Update(func(tx *tracker.Tx) error {
			if _, err := tc.Apply(tx, cal); err != nil {
				return err
			}
			return tx.SetCycle(tc.CycleFor(cal, mailDay))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	cycle()
	opts := replying()
	opts.Calendar = cal
	if _, err := Run(context.Background(), st, scripted{"1": clean, "2": waiting}, []uint64{a, b}, opts); err != nil {
		t.Fatal(err)
	}
	r, err := MakeReport(st, time.Now(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Windows) != 1 || r.Windows[0].Window != "v6.11" || len(r.Windows[0].Incoming) != 3 || !r.Windows[0].Incoming[0].Late {
		t.Fatalf("windows = %+v", r.Windows)
	}
	if len(r.BecameClean) != 1 || r.BecameClean[0].ID != a {
		t.Errorf("became clean = %+v", r.BecameClean)
	}
	later := mailDay.Add(time.Hour)
	opts.Now = func() time.Time { return later }
	if _, err := Run(context.Background(), st, scripted{"2": clean}, []uint64{b}, opts); err != nil {
		t.Fatal(err)
	}
	r, _ = MakeReport(st, time.Now(), true)
	if r.Since.IsZero() || len(r.BecameClean) != 1 || r.BecameClean[0].ID != b || len(r.Changes) != 1 {
		t.Errorf("second report: since %v, became clean %+v, changes %+v", r.Since, r.BecameClean, r.Changes)
	}
}

func TestNoReplyForPassingOrLocalFailures(t *testing.T) {
	st := newStore(t)
	id := addPull(t, st, "flaky@example.org", "")
	fetchFailed := &gitcheck.Verdict{Status: gitcheck.Unchecked, Reason: "fetch failed: timeout",
		Findings: []gitcheck.Finding{{Code: gitcheck.CodeFetchFailed, Severity: gitcheck.Error, Message: "timeout"}}}
	notFetched := &gitcheck.Verdict{Status: gitcheck.Unchecked, Reason: "the linus tree has not been fetched yet"}
	check := func(v *gitcheck.Verdict) Outcome {
		t.Helper()
		return checkOnce(t, st, id, v, replying())
	}
	if o := check(notFetched); o.Draft != nil || !strings.Contains(o.NoReply, "prtrack's side") {
		t.Errorf("trees not fetched: %+v", o)
	}
	if o := check(clean); o.Draft == nil {
		t.Fatalf("first verdict: no reply")
	}
	if o := check(fetchFailed); o.Draft != nil || o.State != tracker.StateClean {
		t.Errorf("a passing fetch failure after a verdict drafted a reply or moved the state: %+v", o)
	}
	if o := check(clean); o.Draft != nil {
		t.Errorf("clean again after a failure drafted a second reply")
	}
	// A deleted pull request stays deleted and gets no reply.
	st.Update(func(tx *tracker.Tx) error { return tx.SetState(id, tracker.StateDeleted) })
	if o := check(rejected); o.State != tracker.StateDeleted || o.Draft != nil {
		t.Errorf("deleted pull request: %+v", o)
	}
}

// Sending an older draft after a newer one was drafted must not make
// the older reply's verdict look like the last thing said.
func TestSendingAnOlderDraftDoesNotReopenIt(t *testing.T) {
	st := newStore(t)
	id := addPull(t, st, "old@example.org", "")
	check := func(v *gitcheck.Verdict) Outcome {
		t.Helper()
		return checkOnce(t, st, id, v, replying())
	}
	first := check(waiting).Draft
	if second := check(clean).Draft; first == nil || second == nil {
		t.Fatal("no drafts")
	}
	st.Update(func(tx *tracker.Tx) error { return tx.SetDraftState(first.ID, tracker.DraftSent, "") })
	if o := check(clean); o.Draft != nil {
		t.Errorf("sending the older draft made a new reply due: %+v", o.Draft)
	}
}

// A fetch that got no answer is nobody's business but prtrack's: no
// reply, the pull request stays unchecked and is retried with a
// back-off. A server that answered "no such repository" is the
// sender's to fix: one reply, in plain words, with no internal error.
func TestFetchFailuresByWhoseProblem(t *testing.T) {
	st := newStore(t)
	quiet := addPull(t, st, "quiet-net@example.org", "")
	told := addPull(t, st, "gone@example.org", "")
	failed := func(f gitcheck.Failure) *gitcheck.Verdict {
		return &gitcheck.Verdict{Status: gitcheck.Unchecked, Failure: f,
			Reason:   "fetch failed: list refs: gitcheck: dial tcp: lookup git.example.org: no such host",
			Findings: []gitcheck.Finding{{Code: gitcheck.CodeFetchFailed, Severity: gitcheck.Error, Message: "gitcheck: dial tcp: no such host"}}}
	}
	o := checkOnce(t, st, quiet, failed(gitcheck.FailureNetwork), replying())
	if o.Draft != nil || o.State != tracker.StateUnchecked || !strings.Contains(o.NoReply, "nobody told") {
		t.Errorf("network failure: %+v", o)
	}
	o = checkOnce(t, st, told, failed(gitcheck.FailureNotFound), replying())
	if o.Draft == nil || o.State != tracker.StateUnchecked {
		t.Fatalf("repository not found: %+v", o)
	}
	if raw := string(o.Draft.Raw); !strings.Contains(raw, "the server says there is no such") || strings.Contains(raw, "gitcheck") || strings.Contains(raw, "dial tcp") {
		t.Errorf("the reply carries internal text or not the problem:\n%s", raw)
	}
	opts := replying()
	if ids, _ := Pending(st, opts); len(ids) != 0 {
		t.Errorf("unchecked pull requests due again at once: %v", ids)
	}
	opts.Now = func() time.Time { return time.Now().Add(backoffBase + time.Minute) }
	if ids, _ := Pending(st, opts); len(ids) != 2 {
		t.Errorf("unchecked pull requests not due after the back-off: %v", ids)
	}
	opts.Horizon.Known = false
	if ids, _ := Pending(st, opts); len(ids) != 0 {
		t.Errorf("history is checked by --pending: %v", ids)
	}
}

// An accepted pull request's reply tells the sender the warnings that
// are theirs (who maintains the paths, the tag's signature), and not
// the maintainer's own (a diffstat that disagrees).
func TestAcceptedReplyCarriesSenderNotes(t *testing.T) {
	st := newStore(t)
	id := addPull(t, st, "notes@example.org", "")
	v := *clean
	v.Findings = []gitcheck.Finding{
		{Code: gitcheck.CodeSenderNotMaintainer, Severity: gitcheck.Warning, Paths: []string{"include/linux/mlx5/driver.h"},
			Message: "dev@example.org maintains none of the sections covering include/linux/mlx5/driver.h (MELLANOX MLX5 core VPI driver: saeedm@nvidia.com)"},
		{Code: gitcheck.CodeDiffstatMismatch, Severity: gitcheck.Warning, Message: "the diffstat names 2 files, the range changes 3"},
	}
	o := checkOnce(t, st, id, &v, replying())
	if o.Draft == nil {
		t.Fatal("no reply")
	}
	raw := string(o.Draft.Raw)
	if !strings.Contains(raw, "does not stop the pull request") || !strings.Contains(raw, "maintains none of the") ||
		strings.Contains(raw, "diffstat names") {
		t.Errorf("reply:\n%s", raw)
	}
}
