package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/prtrack/prtrack/tracker"
)

func init() {
	register(&command{
		name:    "list",
		args:    "[--json] [--db PATH]",
		summary: "list the recorded pull requests",
		run:     runList,
	})
}

func runList(ctx context.Context, io *IO, args []string) error {
	fs := newFlags(io, commands["list"])
	var sf storeFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "print one JSON object per line")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	_, st, err := sf.openReadOnly()
	if err != nil {
		return err
	}
	defer st.Close()
	var recs []*tracker.PullRequestRecord
	if err := st.View(func(tx *tracker.Tx) error {
		recs, err = tx.PullRequests()
		return err
	}); err != nil {
		return err
	}
	if *asJSON {
		return listJSON(io.Out, recs)
	}
	return listTable(io.Out, recs)
}

func listJSON(w io.Writer, recs []*tracker.PullRequestRecord) error {
	enc := json.NewEncoder(w)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

func listTable(w io.Writer, recs []*tracker.PullRequestRecord) error {
	if len(recs) == 0 {
		_, err := fmt.Fprintln(w, "no pull requests recorded")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDATE\tSTATE\tFROM\tSUBJECT\tPULL")
	for _, r := range recs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, shortDate(r.Date), r.State,
			clip(r.From.Name+" <"+r.From.Email+">", 32), clip(r.Subject, 60), pullSpec(r))
	}
	return tw.Flush()
}

func pullSpec(r *tracker.PullRequestRecord) string {
	if r.Pull.Ref == "" {
		return r.Pull.URL + " (HEAD)"
	}
	return r.Pull.URL + " " + r.Pull.Ref
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
