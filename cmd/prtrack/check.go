package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/config"
	"github.com/prtrack/prtrack/tracker/review"
	"github.com/prtrack/prtrack/tracker/window"
)

func runCheck(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "check")
	asJSON := fs.Bool("json", false, "print one JSON object per pull request")
	pending := fs.Bool("pending", false, "check every pull request not yet judged for good (the default without IDs)")
	updateTrees := fs.Bool("update-trees", false, "update the accepted trees first (as \"prtrack trees update\")")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	ids, err := review.ParseIDs(pos)
	if err != nil {
		return usagef("%v", err)
	}
	if *pending && len(ids) > 0 {
		return usagef("give IDs or --pending, not both")
	}
	w, err := sf.openChecking()
	if err != nil {
		return err
	}
	defer w.Close()
	cfg, st, chk := w.cfg, w.st, w.chk
	if *updateTrees {
		treesIO := io
		if *asJSON { // keep standard output pure JSON
			treesIO = &IO{In: io.In, Out: io.Err, Err: io.Err}
		}
		if err := updateTreesWith(ctx, treesIO, chk); err != nil {
			return err
		}
	}
	return checkIDs(ctx, io, cfg, st, chk, ids, *asJSON)
}

// checkIDs checks ids, or every pending pull request when there are
// none, and prints the outcomes.
func checkIDs(ctx context.Context, io *IO, cfg *config.Config, st *tracker.Store, chk *gitcheck.Checker, ids []uint64, asJSON bool) error {
	opts, _, err := prepareReview(ctx, io, cfg, st, chk)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		if ids, err = review.Pending(st, opts); err != nil {
			return err
		}
	}
	outcomes, err := review.Run(ctx, st, chk, ids, opts)
	printOutcomes(io.Out, outcomes, asJSON)
	return err
}

// checkPending updates the trees and checks every pending pull request.
func checkPending(ctx context.Context, io *IO, cfg *config.Config, st *tracker.Store) error {
	chk, err := newChecker(cfg, logOf(io))
	if err != nil {
		return err
	}
	defer chk.Close()
	if err := updateTreesWith(ctx, io, chk); err != nil {
		fmt.Fprintf(io.Err, "prtrack: %v\n", err)
	}
	return checkIDs(ctx, io, cfg, st, chk, nil, false)
}

func newChecker(cfg *config.Config, log *slog.Logger) (*gitcheck.Checker, error) {
	gcfg, err := cfg.Check()
	if err != nil {
		return nil, err
	}
	gcfg.Logger = log
	return gitcheck.New(gcfg)
}

// printFinding prints the commit and paths of a finding, then the rule.
func printFinding(w io.Writer, f gitcheck.Finding) {
	where := strings.TrimSpace(f.Commit + " " + f.Subject)
	if where == "" {
		fmt.Fprintf(w, "     %-7s %-17s %s\n", f.Severity, f.Code, f.Message)
		return
	}
	fmt.Fprintf(w, "     %-7s %-17s %s\n", f.Severity, f.Code, where)
	if len(f.Paths) > 0 {
		fmt.Fprintf(w, "     %25s %s\n", "", strings.Join(f.Paths, ", "))
	}
	fmt.Fprintf(w, "     %25s %s\n", "", f.Message)
}

func printOutcomes(w io.Writer, outcomes []review.Outcome, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(w)
		for i := range outcomes {
			enc.Encode(outcomeJSON(&outcomes[i]))
		}
		return
	}
	if len(outcomes) == 0 {
		fmt.Fprintln(w, "nothing to check")
	}
	for i := range outcomes {
		printOutcome(w, &outcomes[i])
	}
}

type outcomeLine struct {
	ID        uint64       `json:"id"`
	MessageID string       `json:"message_id"`
	Subject   string       `json:"subject"`
	Role      tracker.Role `json:"role"`
	Profile   string       `json:"profile,omitempty"`
	// ProfileWhy says why that profile judged it.
	ProfileWhy string            `json:"profile_why,omitempty"`
	Previous   tracker.State     `json:"previous_state"`
	State      tracker.State     `json:"state"`
	Verdict    *gitcheck.Verdict `json:"verdict"`
	Target     *window.Target    `json:"target,omitempty"`
	Draft      uint64            `json:"draft,omitempty"`
	NoReply    string            `json:"no_reply,omitempty"`
	Skipped    string            `json:"skipped,omitempty"`
}

func outcomeJSON(o *review.Outcome) outcomeLine {
	l := outcomeLine{ID: o.ID, MessageID: o.MessageID, Subject: o.Subject, Role: o.Role, Profile: o.Profile, ProfileWhy: o.ProfileWhy, Previous: o.Previous,
		State: o.State, Verdict: o.Verdict, Target: o.Target, NoReply: o.NoReply, Skipped: o.Skipped}
	if o.Draft != nil {
		l.Draft = o.Draft.ID
	}
	return l
}

// printOutcome is the five-second view: state, subject, then findings.
func printOutcome(w io.Writer, o *review.Outcome) {
	if o.Skipped != "" {
		fmt.Fprintf(w, "#%-3d %-9s %s\n     not checked: %s\n", o.ID, strings.ToUpper(string(o.State)), o.Subject, o.Skipped)
		return
	}
	v := o.Verdict
	state := strings.ToUpper(string(o.State))
	if v.Status == gitcheck.Unchecked {
		state = "UNCHECKED"
	}
	fmt.Fprintf(w, "#%-3d %-9s %s\n", o.ID, state, o.Subject)
	if v.Driver != "" {
		fmt.Fprintf(w, "     driver %s, %s", v.Driver, plural(len(v.Commits), "own commit"))
		if r := v.Readiness; r != nil && r.State == gitcheck.Waiting {
			for _, t := range r.Waiting {
				fmt.Fprintf(w, "; waiting on %s (%s not in Linus's tree)", t.Tree, plural(t.Commits, "commit"))
			}
		}
		fmt.Fprintln(w)
	}
	if v.SignedBy != "" {
		fmt.Fprintf(w, "     tag signed by %s\n", v.SignedBy)
	}
	if m := v.Merged; m != nil {
		fmt.Fprintf(w, "     merged into %s", m.Tree)
		if m.Commit != "" {
			fmt.Fprintf(w, " %s by %.12s", m.Ref, m.Commit)
		}
		fmt.Fprintln(w)
	}
	if v.Reason != "" && (len(v.Findings) == 0 || !strings.HasSuffix(v.Reason, v.Findings[0].Message)) {
		fmt.Fprintf(w, "     %s\n", v.Reason)
	}
	for _, f := range v.Findings {
		printFinding(w, f)
	}
	if t := o.Target; t != nil {
		fmt.Fprintf(w, "     merge window %s", t.Window)
		if t.Late {
			fmt.Fprintf(w, " (late for %s: sent after %s)", t.Missed, t.CutOff)
		}
		fmt.Fprintln(w)
	}
	switch {
	case o.Draft != nil:
		fmt.Fprintf(w, "     reply drafted: %d (%s); see \"prtrack replies show %d\"\n", o.Draft.ID, o.Draft.Kind, o.Draft.ID)
	case o.NoReply != "":
		fmt.Fprintf(w, "     no reply: %s\n", o.NoReply)
	}
}
