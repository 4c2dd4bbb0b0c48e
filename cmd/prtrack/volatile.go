package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/prtrack/prtrack/gitcheck/volatile"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/config"
	"github.com/prtrack/prtrack/tracker/review"
)

func runVolatile(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "volatile")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	push := fs.Bool("push", false, "push the result to volatile.push")
	cfg, st, err := sf.openNoArgs(fs, args)
	if err != nil {
		return err
	}
	inputs, err := volatileInputs(st)
	st.Close() // the merges need no database: do not hold its lock
	if err != nil {
		return err
	}
	vc, err := cfg.Volatile()
	if err != nil {
		return err
	}
	if *push && vc.Push.URL == "" {
		return fmt.Errorf("--push: volatile.push is not set in the configuration")
	}
	vc.Build.Logger = logOf(io)
	res, err := volatile.Build(ctx, vc.Build, inputs)
	if err != nil {
		return err
	}
	var pushErr error
	if *push {
		if pushErr = volatile.Push(ctx, vc.Push, res.Commit); pushErr == nil {
			res.Pushed = vc.Push.URL
		}
	}
	out, err := recordVolatile(io, cfg, vc, res)
	if err != nil {
		return err
	}
	printVolatile(io, out, inputs, *asJSON)
	return pushErr
}

// recordVolatile notes each pull request's result in its history and,
// with volatile.conflictReply, drafts the replies about new conflicts.
func recordVolatile(io *IO, cfg *config.Config, vc config.Volatile, res *volatile.Result) (*volatileJSON, error) {
	st, err := openStore(cfg)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	out := &volatileJSON{Result: res, Changes: []review.VolatileChange{}}
	changes, err := review.RecordVolatile(st, res)
	if err != nil {
		return nil, err
	}
	out.Changes = append(out.Changes, changes...)
	if !vc.ConflictReply {
		return out, nil
	}
	opts, err := volatileReplyOptions(io, cfg)
	if err != nil {
		return nil, err
	}
	out.Drafted, err = draftConflicts(st, res, opts)
	return out, err
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

// draftConflicts drafts the conflict replies and returns their ids.
func draftConflicts(st *tracker.Store, res *volatile.Result, opts *review.Options) ([]uint64, error) {
	drafts, err := review.DraftConflicts(st, res, opts)
	ids := []uint64{}
	for _, d := range drafts {
		ids = append(ids, d.ID)
	}
	return ids, err
}

// volatileJSON is the result with what changed since the last rebuild
// and the conflict replies drafted.
type volatileJSON struct {
	*volatile.Result
	Changes []review.VolatileChange `json:"changes"`
	Drafted []uint64                `json:"drafted,omitempty"`
}

func volatileInputs(st *tracker.Store) ([]volatile.Input, error) {
	var in []volatile.Input
	err := st.View(func(tx *tracker.Tx) (err error) {
		in, err = review.VolatileCandidates(tx)
		return err
	})
	return in, err
}

func printVolatile(io *IO, res *volatileJSON, inputs []volatile.Input, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		enc.Encode(res)
		return
	}
	printVolatileText(io.Out, res.Result, inputs)
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
