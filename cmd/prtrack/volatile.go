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
	changes, err := recordVolatile(cfg, res)
	if err != nil {
		return err
	}
	printVolatile(io, &volatileJSON{Result: res, Changes: changes}, inputs, *asJSON)
	return pushErr
}

// recordVolatile notes each pull request's result in its history.
func recordVolatile(cfg *config.Config, res *volatile.Result) ([]review.VolatileChange, error) {
	st, err := openStore(cfg)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	changes, err := review.RecordVolatile(st, res)
	if changes == nil {
		changes = []review.VolatileChange{}
	}
	return changes, err
}

// volatileJSON is the result with what changed since the last rebuild.
type volatileJSON struct {
	*volatile.Result
	Changes []review.VolatileChange `json:"changes"`
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
}
