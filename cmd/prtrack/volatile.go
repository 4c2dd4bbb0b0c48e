package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/prtrack/prtrack/gitcheck/volatile"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
)

func init() {
	register(&command{
		name:    "volatile",
		args:    "[--json] [--push]",
		summary: "rebuild the volatile for-next: merge every pending accepted pull request on rdma for-next, report conflicts",
		run:     runVolatile,
	})
}

func runVolatile(ctx context.Context, io *IO, args []string) error {
	fs := newFlags(io, commands["volatile"])
	var sf storeFlags
	sf.register(fs)
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
	printVolatile(io, res, inputs, *asJSON)
	return pushErr
}

func volatileInputs(st *tracker.Store) ([]volatile.Input, error) {
	var in []volatile.Input
	err := st.View(func(tx *tracker.Tx) (err error) {
		in, err = review.VolatileCandidates(tx)
		return err
	})
	return in, err
}

func printVolatile(io *IO, res *volatile.Result, inputs []volatile.Input, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		enc.Encode(res)
		return
	}
	printVolatileText(io.Out, res, inputs)
}
