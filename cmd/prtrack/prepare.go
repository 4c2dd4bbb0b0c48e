package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/config"
	"github.com/prtrack/prtrack/tracker/review"
	"github.com/prtrack/prtrack/tracker/triage"
	"github.com/prtrack/prtrack/tracker/window"
)

// prepareReview reads the cycle from Linus's tags, brings roles,
// windows and thread states up to date (triage), records the cycle for
// the commands that do not read the repository, and assembles the
// review's options: calendar, horizon, reply limits, trees state and
// the reply drafter.
func prepareReview(ctx context.Context, io *IO, cfg *config.Config, st *tracker.Store, chk *gitcheck.Checker) (*review.Options, []triage.Change, error) {
	cal, err := calendar(cfg, chk)
	if err != nil {
		return nil, nil, err
	}
	tc, err := cfg.Track()
	if err != nil {
		return nil, nil, err
	}
	maxAge, _, err := cfg.ReplyLimits()
	if err != nil {
		return nil, nil, err
	}
	trees, err := chk.TreeState()
	if err != nil {
		return nil, nil, err
	}
	tc.SenderMaintains = senderMaintains(ctx, io, chk)
	changes, err := applyTriage(st, tc, cal)
	if err != nil {
		return nil, nil, err
	}
	opts := &review.Options{Logger: logOf(io), Calendar: cal, Horizon: tc.HorizonFor(cal), MaxAge: maxAge, TreeState: trees,
		Profiles: profileSelector(ctx, chk)}
	opts.Drafter, err = drafter(io, cfg)
	return opts, changes, err
}

// senderMaintains answers from the MAINTAINERS file at the tip of
// Linus's master, or is nil before the tree is fetched.
func senderMaintains(ctx context.Context, io *IO, chk *gitcheck.Checker) func(string, []string) bool {
	f, err := chk.Maintainers(ctx)
	if err != nil {
		if !errors.Is(err, gitcheck.ErrNoMaintainers) && !errors.Is(err, gitcheck.ErrNotFetched) {
			fmt.Fprintf(io.Err, "prtrack: roles without MAINTAINERS: %v\n", err)
		}
		return nil
	}
	return func(sender string, paths []string) bool {
		return len(f.Cover(paths, sender, nil).Unmaintained()) == 0
	}
}

// applyTriage runs triage over every pull request and stores the cycle.
func applyTriage(st *tracker.Store, tc *triage.Config, cal *window.Calendar) ([]triage.Change, error) {
	var changes []triage.Change
	err := st.Update(func(tx *tracker.Tx) error {
		var err error
		if changes, err = tc.Apply(tx, cal); err != nil {
			return err
		}
		return tx.SetCycle(tc.CycleFor(cal, tx.Now()))
	})
	return changes, err
}

// calendar builds the release calendar from the mainline's tags, or nil
// before they are fetched.
func calendar(cfg *config.Config, chk *gitcheck.Checker) (*window.Calendar, error) {
	tags, err := chk.ReleaseTags()
	if err != nil || len(tags) == 0 {
		return nil, err
	}
	cutoff, err := cfg.Cutoff()
	if err != nil {
		return nil, err
	}
	wt := make([]window.Tag, len(tags))
	for i, t := range tags {
		wt[i] = window.Tag{Name: t.Name, Date: t.Date}
	}
	return window.NewCalendar(wt, cutoff), nil
}

// drafter is the reply drafter for the configured identity, or nil
// (no replies drafted) without one.
func drafter(io *IO, cfg *config.Config) (*review.Drafter, error) {
	smtp, err := cfg.SMTP()
	if err != nil {
		// Only sendemail.from is wanted here; a broken SMTP setting
		// matters to "replies send", not to checking.
		fmt.Fprintf(io.Err, "prtrack: ignoring the sendemail settings: %v\n", err)
	}
	id, ok, err := cfg.Identity(smtp)
	if err != nil || !ok {
		if err == nil {
			fmt.Fprintln(io.Err, "prtrack: no reply identity (reply.from, sendemail.from or user.email): no replies drafted")
		}
		return nil, err
	}
	return &review.Drafter{Identity: id, CommitURL: cfg.Option("reply", "", "commitURL")}, nil
}

// profileSelector chooses profiles by the checker's profiles and its
// accepted trees.
func profileSelector(ctx context.Context, chk *gitcheck.Checker) *review.Selector {
	return &review.Selector{Profiles: chk.Profiles(), TreesHolding: func(commit string) ([]string, error) {
		return chk.TreesHolding(ctx, commit)
	}}
}
