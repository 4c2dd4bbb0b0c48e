package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
	"github.com/prtrack/prtrack/tracker/triage"
	"github.com/prtrack/prtrack/tracker/web"
)

// shown is everything show prints about one pull request.
type shown struct {
	rec     *tracker.PullRequestRecord
	view    *review.PullView
	events  []tracker.Event
	replies []tracker.Reply
	drafts  []*tracker.Draft  // prtrack's own replies
	related map[uint64]string // superseding and superseded pull requests: id -> subject
}

func runShow(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "show")
	asJSON := fs.Bool("json", false, "print the pull request, its thread and history as JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one pull request id or Message-ID")
	}
	_, st, err := sf.openReadOnly()
	if err != nil {
		return err
	}
	defer st.Close()
	var s shown
	err = st.View(func(tx *tracker.Tx) error {
		id, err := lookupPR(tx, pos[0])
		if err != nil {
			return err
		}
		if s.rec, err = tx.PullRequest(id); err != nil {
			return err
		}
		if s.events, err = tx.Events(id); err != nil {
			return err
		}
		if s.replies, err = tx.Replies(id); err != nil {
			return err
		}
		if s.view, err = viewIn(tx, s.rec, s.events); err != nil {
			return err
		}
		if s.related, err = related(tx, s.rec); err != nil {
			return err
		}
		all, err := tx.Drafts()
		for _, d := range all {
			if d.PRID == id {
				s.drafts = append(s.drafts, d)
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	if *asJSON {
		// The same object as the status pages' api/pr/ID.json.
		out := web.NewPullJSON(s.view, s.replies, s.events, s.drafts)
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	printShown(io.Out, &s)
	return nil
}

// viewIn is the pull request's view, from the history already read,
// under the stored cycle's horizon.
func viewIn(tx *tracker.Tx, rec *tracker.PullRequestRecord, events []tracker.Event) (*review.PullView, error) {
	cy, _, err := tx.Cycle()
	if err != nil {
		return nil, err
	}
	return review.ViewFrom(rec, events, triage.Horizon{Known: cy.Known, Since: cy.Horizon}), nil
}

// related names the pull requests that replaced rec or that it replaced.
func related(tx *tracker.Tx, rec *tracker.PullRequestRecord) (map[uint64]string, error) {
	out := map[uint64]string{}
	for _, id := range append([]uint64{rec.SupersededBy}, rec.Supersedes...) {
		if id == 0 {
			continue
		}
		r, err := tx.PullRequest(id)
		if err != nil {
			return nil, err
		}
		out[id] = r.Subject
	}
	return out, nil
}

// lookupPR resolves a pull request id or Message-ID (with or without
// angle brackets).
func lookupPR(tx *tracker.Tx, arg string) (uint64, error) {
	if n, err := strconv.ParseUint(arg, 10, 64); err == nil {
		if _, err := tx.PullRequest(n); err != nil {
			return 0, fmt.Errorf("no pull request %d", n)
		}
		return n, nil
	}
	mid := strings.TrimSuffix(strings.TrimPrefix(arg, "<"), ">")
	if id, ok := tx.PullRequestByMessageID(mid); ok {
		return id, nil
	}
	if id, ok := tx.ThreadOf(mid); ok {
		return id, nil
	}
	return 0, fmt.Errorf("no pull request with id or Message-ID %q", arg)
}

func printShown(w io.Writer, s *shown) {
	r := s.rec
	p := &parsedPull{MessageID: r.MessageID, Subject: r.Subject, From: r.From.String(), PullRequest: &r.Pull}
	if !r.Date.IsZero() {
		p.Date = r.Date.Format(time.RFC3339)
	}
	fmt.Fprintf(w, "#%d  [%s]  ", r.ID, r.State)
	printPull(w, p)
	printStanding(w, s)
	if r.Pull.TagMessage != "" {
		fmt.Fprintf(w, "tag message:\n%s\n\n", indent(r.Pull.TagMessage, "  "))
	}
	for _, e := range r.Pull.Shortlog {
		fmt.Fprintf(w, "%s (%d):\n", e.Author, e.Count)
		for _, subj := range e.Subjects {
			fmt.Fprintf(w, "      %s\n", subj)
		}
	}
	fmt.Fprintf(w, "\nrecorded from %s (%s)\n", r.Where, r.SourceKey)
	fmt.Fprintf(w, "\nthread (%s):\n", plural(len(s.replies), "reply"))
	for _, rp := range s.replies {
		fmt.Fprintf(w, "  %s  %s  <%s>\n", shortDate(rp.Date), rp.From.String(), rp.MessageID)
		for _, l := range rp.FirstLines {
			fmt.Fprintf(w, "      | %s\n", l)
		}
	}
	if len(s.drafts) > 0 {
		fmt.Fprintf(w, "\nprtrack's replies:\n")
		for _, d := range s.drafts {
			line := fmt.Sprintf("  draft %d  %-9s %-9s %s", d.ID, d.Kind, d.State, d.Reason)
			fmt.Fprintln(w, strings.TrimRight(line, " "))
		}
	}
	fmt.Fprintf(w, "\nhistory:\n")
	for _, e := range s.events {
		fmt.Fprintf(w, "  %s  %-8s %s\n", e.Time.UTC().Format("2006-01-02 15:04"), e.Kind, e.Summary)
	}
	printBackoff(w, r.ID, s.events)
}

// printBackoff says why "check --pending" leaves the pull request out.
func printBackoff(w io.Writer, id uint64, events []tracker.Event) {
	b, ok := review.BackedOff(events)
	if !ok {
		return
	}
	fmt.Fprintf(w, "\nnot fetched by \"check --pending\" before %s: fetch over the byte limit %s in a row (%s); \"prtrack check %d\" fetches it now\n",
		b.Until.UTC().Format("2006-01-02 15:04"), plural(b.Failures, "time"), b.Reason, id)
}

// printStanding says whose the pull request is and where it stands.
func printStanding(w io.Writer, s *shown) {
	v, r := s.view, s.rec
	if v == nil {
		return
	}
	role := orDash(string(v.Role))
	if r.RoleBy == tracker.RoleByMaintainer {
		role += " (set by hand)"
	}
	fmt.Fprintf(w, "  role       %s\n  state      %s", role, v.State)
	if v.StateReason != "" {
		fmt.Fprintf(w, " (%s)", v.StateReason)
	}
	fmt.Fprintln(w)
	if v.History {
		fmt.Fprintln(w, "  history    sent before the horizon: never answered, checked only by id")
	}
	if v.Window != "" {
		fmt.Fprintf(w, "  window     %s\n", v.Window)
	}
	if v.Profile != "" {
		fmt.Fprintf(w, "  profile    %s\n", v.Profile)
		if v.ProfileWhy != "" {
			fmt.Fprintf(w, "             (%s)\n", v.ProfileWhy)
		}
	}
	if v.MergeCommit != "" {
		fmt.Fprintf(w, "  merge      %s\n", v.MergeCommit)
	}
	if v.SignedBy != "" {
		fmt.Fprintf(w, "  signed by  %s\n", v.SignedBy)
	}
	for _, f := range v.Findings {
		fmt.Fprintf(w, "  %-10s %s: %s\n", f.Severity, f.Code, f.Message)
	}
	if id := r.SupersededBy; id != 0 {
		fmt.Fprintf(w, "  superseded by #%d %s\n", id, s.related[id])
	}
	for _, id := range r.Supersedes {
		fmt.Fprintf(w, "  supersedes #%d %s\n", id, s.related[id])
	}
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
