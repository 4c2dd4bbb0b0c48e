package web

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
	"github.com/prtrack/prtrack/tracker/window"
)

// epoch is the fixture's "now": a month into the v6.15 -> v6.16 cycle.
var epoch = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// Hostile mail text: if any of it runs, it sets data-pwned on <body>.
const (
	hostileSubject = `[GIT PULL] <script>document.body.dataset.pwned='subject'</script> fixes`
	hostileName    = `"><img src=x onerror="document.body.dataset.pwned='name'">`
	hostileRef     = `javascript:document.body.dataset.pwned='ref'`
	hostileURL     = `javascript:alert(document.domain)//git.example.org/x.git`
	hostileTag     = "</pre><script>alert(1);document.body.dataset.pwned='tag'</script>\n<a href=\"javascript:alert(2)\">x</a>"
)

// clock is a fake store clock advancing a minute per call.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Minute)
	return c.t
}

func openFixtureStore(t testing.TB) *tracker.Store {
	t.Helper()
	c := &clock{t: epoch.Add(-10 * 24 * time.Hour)}
	st, err := tracker.Open(filepath.Join(t.TempDir(), "prtrack.db"), &tracker.Options{Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// fixturePR describes one pull request of the fixture.
type fixturePR struct {
	subject, name, email, ref, url, tag string
	role                                tracker.Role
	states                              []tracker.State // in order
	findings                            []gitcheck.Finding
	driver                              string
	volatile                            *review.VolatileDetail
}

// The fixture's pull requests, by id.
const (
	idClean = iota + 1
	idRejected
	idHostile
	idUpstream
	idMerged
	idOld
	idV2
	idForeign
)

var fixturePRs = []fixturePR{
	{subject: "[GIT PULL] mlx5-next 2026-05-20", name: "Saeed M", email: "saeed@example.org", role: tracker.RoleIncoming,
		states: []tracker.State{tracker.StateClean}, driver: "mlx5", volatile: &review.VolatileDetail{Status: "merged"}},
	{subject: "[GIT PULL] hns uapi change", name: "Chengchang T", email: "tcc@example.org", role: tracker.RoleIncoming,
		states: []tracker.State{tracker.StateRejected}, driver: "hns",
		findings: []gitcheck.Finding{
			{Code: gitcheck.CodeUAPIChange, Severity: gitcheck.Error, Commit: "0123456789ab", Subject: "RDMA/hns: new uapi", Paths: []string{"include/uapi/rdma/hns-abi.h"}, Message: "changes the uapi"},
			{Code: gitcheck.CodeOutOfScope, Severity: gitcheck.Warning, Commit: "ba9876543210", Subject: "net: touch", Paths: []string{"net/core/dev.c"}, Message: "outside the driver"}},
		volatile: &review.VolatileDetail{Status: "left out, conflict", ConflictsWith: []string{"mlx5@example.org"}, Paths: []string{"drivers/infiniband/core/device.c"}}},
	{subject: hostileSubject, name: hostileName, email: "evil@example.org", ref: hostileRef, url: hostileURL, tag: hostileTag,
		role: tracker.RoleIncoming, states: []tracker.State{tracker.StateWaiting}, driver: "<b>evil</b>",
		findings: []gitcheck.Finding{{Code: gitcheck.CodeEmpty, Severity: gitcheck.Warning, Subject: "<script>alert(3)</script>", Message: `"><img src=x onerror=alert(4)>`}}},
	{subject: "[GIT PULL] Please pull rdma.git tag for v6.16", name: "Jason G", email: "jgg@example.org", role: tracker.RoleUpstream,
		states: []tracker.State{tracker.StateAccepted}},
	{subject: "[GIT PULL] rdma-rc fixes", name: "Jason G", email: "jgg@example.org", role: tracker.RoleUpstream,
		states: []tracker.State{tracker.StateMerged}},
	{subject: "[GIT PULL] bnxt_re for-next", name: "Selvin X", email: "selvin@example.org", role: tracker.RoleIncoming,
		states: []tracker.State{tracker.StateSuperseded}, driver: "bnxt_re"},
	{subject: "[GIT PULL v2] bnxt_re for-next", name: "Selvin X", email: "selvin@example.org", role: tracker.RoleIncoming,
		states: []tracker.State{tracker.StateClean}, driver: "bnxt_re"},
	{subject: "[GIT PULL] netdev stuff", name: "Jakub K", email: "kuba@example.org", role: tracker.RoleForeign},
}

func msgID(i int) string { return fmt.Sprintf("pr%d@example.org", i) }

// buildFixture fills st with the fixture's pull requests, then n-len
// more ordinary ones (for benchmarks); n below the fixture's size means
// just the fixture.
func buildFixture(t testing.TB, st *tracker.Store, n int) {
	t.Helper()
	err := st.Update(func(tx *tracker.Tx) error {
		cy := tracker.Cycle{Known: true, Next: "v6.16", Last: "v6.15", Horizon: epoch.Add(-30 * 24 * time.Hour)}
		if err := tx.SetCycle(cy); err != nil {
			return err
		}
		for i := 0; i < max(n, len(fixturePRs)); i++ {
			p := fixturePRs[i%len(fixturePRs)]
			if i >= len(fixturePRs) {
				p.subject, p.name = fmt.Sprintf("[GIT PULL] driver %d for-next", i), fmt.Sprintf("Sender %d", i%37)
				p.driver, p.volatile = fmt.Sprintf("drv%d", i%11), nil
			}
			if err := addFixturePR(tx, i+1, p); err != nil {
				return err
			}
		}
		return linkFixture(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func addFixturePR(tx *tracker.Tx, i int, p fixturePR) error {
	if p.url == "" {
		p.url = "https://git.kernel.org/pub/scm/linux/kernel/git/x/linux.git"
	}
	rec := &tracker.PullRequestRecord{MessageID: msgID(i), Subject: p.subject,
		From: mailparse.Address{Name: p.name, Email: p.email}, Date: epoch.Add(-time.Duration(i) * 7 * time.Hour),
		Pull: mailparse.PullRequest{URL: p.url, Ref: p.ref, TagMessage: p.tag, Version: 1,
			Base: "1111111111111111111111111111111111111111", Tip: "2222222222222222222222222222222222222222",
			Shortlog: []mailparse.ShortlogEntry{{Author: p.name, Count: 1, Subjects: []string{p.subject}}}}}
	id, err := tx.AddPullRequest(rec, []byte("raw"))
	if err != nil {
		return err
	}
	if err := tx.SetRole(id, p.role, tracker.RoleByRules); err != nil {
		return err
	}
	if p.role == tracker.RoleIncoming {
		if err := appendVerdict(tx, id, p); err != nil {
			return err
		}
	}
	for _, s := range p.states {
		if err := tx.SetStateWhy(id, s, "fixture"); err != nil {
			return err
		}
	}
	if p.volatile != nil {
		raw, _ := json.Marshal(p.volatile)
		if err := tx.AppendEvent(id, tracker.Event{Kind: review.EventVolatile, Summary: p.volatile.Status, Detail: raw}); err != nil {
			return err
		}
	}
	return tx.AttachReply(id, tracker.Reply{MessageID: "re-" + msgID(i), From: mailparse.Address{Name: p.name, Email: p.email},
		Date: rec.Date.Add(time.Hour), Subject: "Re: " + p.subject, FirstLines: []string{p.tag, "Applied, thanks"}})
}

func appendVerdict(tx *tracker.Tx, id uint64, p fixturePR) error {
	v := &gitcheck.Verdict{ID: msgID(int(id)), Status: gitcheck.Accepted, URL: p.url, Driver: p.driver, Findings: p.findings,
		Readiness: &gitcheck.Readiness{State: gitcheck.Clean}}
	for _, f := range p.findings {
		if f.Severity == gitcheck.Error {
			v.Status, v.Readiness = gitcheck.Rejected, nil
		}
	}
	d := review.Detail{Profile: "driver", Verdict: v, Target: &window.Target{Window: window.Version{Major: 6, Minor: 16}, Last: "v6.15-rc3"}}
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return tx.AppendEvent(id, tracker.Event{Kind: tracker.EventVerdict, Summary: string(v.Status), Detail: raw})
}

// linkFixture makes the v2 supersede the old one and drafts a reply.
func linkFixture(tx *tracker.Tx) error {
	if err := tx.UpdatePullRequest(idOld, func(r *tracker.PullRequestRecord) { r.SupersededBy = idV2 }); err != nil {
		return err
	}
	if err := tx.UpdatePullRequest(idV2, func(r *tracker.PullRequestRecord) { r.Supersedes = []uint64{idOld} }); err != nil {
		return err
	}
	d := &tracker.Draft{PRID: idRejected, Kind: "verdict", MessageID: "prtrack-1@example.org", Raw: []byte("Subject: x\r\n\r\nx\r\n")}
	if _, err := tx.AddDraft(d); err != nil {
		return err
	}
	if err := tx.SetDraftState(d.ID, tracker.DraftSending, ""); err != nil {
		return err
	}
	return tx.SetDraftState(d.ID, tracker.DraftSent, "")
}
