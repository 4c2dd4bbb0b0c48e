package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/prtrack/prtrack/tracker/config"
	"github.com/prtrack/prtrack/tracker/review"
)

func runVolatile(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "volatile")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	push := fs.Bool("push", false, "push the result to volatile.push")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	// Held per transaction: the merges take a while and need no lock.
	cfg, st, err := sf.openReleasing()
	if err != nil {
		return err
	}
	defer st.Close()
	vc, err := cfg.Volatile()
	if err != nil {
		return err
	}
	if *push && vc.Push.URL == "" {
		return fmt.Errorf("--push: volatile.push is not set in the configuration")
	}
	o := review.VolatileOptions{Build: vc.Build}
	o.Build.Logger = logOf(io)
	if *push {
		o.Push = vc.Push
	}
	if vc.ConflictReply {
		if o.Replies, err = volatileReplyOptions(io, cfg); err != nil {
			return err
		}
	}
	out, err := review.RebuildVolatile(ctx, st, o)
	if err != nil {
		return err
	}
	printVolatile(io, out, *asJSON)
	return out.PushErr
}

// volatileReplyOptions are the reply settings of "check" (identity,
// horizon, reply.maxAge) without its triage.
func volatileReplyOptions(io *IO, cfg *config.Config) (*review.Options, error) {
	chk, err := newChecker(cfg, logOf(io))
	if err != nil {
		return nil, err
	}
	defer chk.Close()
	cal, err := calendar(cfg, chk)
	if err != nil {
		return nil, err
	}
	tc, err := cfg.Track()
	if err != nil {
		return nil, err
	}
	maxAge, _, err := cfg.ReplyLimits()
	if err != nil {
		return nil, err
	}
	opts := &review.Options{Logger: logOf(io), Calendar: cal, Horizon: tc.HorizonFor(cal), MaxAge: maxAge}
	opts.Drafter, err = drafter(io, cfg)
	return opts, err
}

func printVolatile(io *IO, res *review.VolatileOutcome, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		enc.Encode(res)
		return
	}
	printVolatileText(io.Out, res.Result, res.Inputs)
	for _, c := range res.Changes {
		before := c.Before
		if before == "" {
			before = "(first rebuild)"
		}
		fmt.Fprintf(io.Out, "changed: #%d %s -> %s\n", c.ID, before, c.After)
	}
	if len(res.Drafted) > 0 {
		fmt.Fprintf(io.Out, "drafted %s about the conflicts (prtrack replies to review and send)\n", plural(len(res.Drafted), "reply"))
	}
}
