package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
)

// listFilter is what "prtrack list" shows.
type listFilter struct {
	window, state, role string
	all                 bool
}

func runList(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "list")
	var f listFilter
	asJSON := fs.Bool("json", false, "print one JSON object per line")
	fs.StringVar(&f.window, "window", "", "the merge `window` (v6.15); default: the next one")
	fs.StringVar(&f.state, "state", "", "only pull requests in this `state`")
	fs.StringVar(&f.role, "role", "", "only this `role` (incoming, upstream, foreign)")
	fs.BoolVar(&f.all, "all", false, "every window and role, history and other subsystems' pull requests included")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	_, st, err := sf.openReadOnly()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := f.validate(); err != nil {
		return err
	}
	views, cy, err := review.Views(st)
	if err != nil {
		return err
	}
	if f.window == "" && !f.all {
		f.window = cy.Next
	}
	views = f.apply(views)
	if *asJSON {
		return listJSON(io.Out, views)
	}
	return listTable(io.Out, views, f)
}

func (f *listFilter) validate() error {
	if f.state != "" {
		if _, err := tracker.ParseState(f.state); err != nil {
			return usagef("--state: %v", err)
		}
	}
	if f.role != "" {
		if _, err := tracker.ParseRole(f.role); err != nil {
			return usagef("--role: %v", err)
		}
	}
	return nil
}

// apply keeps the views the filter selects, most urgent first. Without
// --all and --role, other subsystems' pull requests are left out.
func (f *listFilter) apply(views []*review.PullView) []*review.PullView {
	var out []*review.PullView
	for _, v := range views {
		switch {
		case f.window != "" && v.Window != f.window && v.Window != "",
			f.state != "" && string(v.State) != f.state,
			f.role != "" && string(v.Role) != f.role,
			f.role == "" && !f.all && v.Role == tracker.RoleForeign:
			continue
		}
		out = append(out, v)
	}
	slices.SortStableFunc(out, review.Rank)
	return out
}

func listJSON(w io.Writer, views []*review.PullView) error {
	enc := json.NewEncoder(w)
	for _, v := range views {
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	return nil
}

func listTable(w io.Writer, views []*review.PullView, f listFilter) error {
	if len(views) == 0 {
		what := "no pull requests"
		if f.window != "" {
			what += " for the " + f.window + " merge window"
		}
		_, err := fmt.Fprintln(w, what+" (prtrack list --all shows every one)")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDATE\tROLE\tSTATE\tWINDOW\tFROM\tSUBJECT")
	for _, v := range views {
		state := string(v.State)
		if v.History {
			state += " (history)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, shortDate(v.Date), orDash(string(v.Role)), state,
			orDash(v.Window), clip(v.From, 32), clip(v.Subject, 60))
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func shortDate(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
