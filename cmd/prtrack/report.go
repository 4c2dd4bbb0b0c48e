package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/prtrack/prtrack/tracker/review"
)

func init() {
	register(&command{
		name:    "report",
		args:    "[--json] [--peek]",
		summary: "outstanding pull requests per merge window, and which became clean since the last report",
		run:     runReport,
	})
}

func runReport(ctx context.Context, io *IO, args []string) error {
	fs := newFlags(io, commands["report"])
	var sf storeFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	peek := fs.Bool("peek", false, "do not remember this report as the last one")
	_, st, err := sf.openNoArgs(fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := review.MakeReport(st, time.Now(), !*peek)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	printReport(io.Out, r)
	return nil
}

func printReport(w io.Writer, r *review.Report) {
	if r.Since.IsZero() {
		fmt.Fprintf(w, "Clean (first report): sendable to Linus\n")
	} else {
		fmt.Fprintf(w, "Became clean since the last report (%s): sendable to Linus\n", r.Since.Local().Format("2006-01-02 15:04"))
	}
	if len(r.BecameClean) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, e := range r.BecameClean {
		fmt.Fprintf(w, "  #%-3d %s  (%s)\n", e.ID, e.Subject, e.From)
	}
	if len(r.Windows) == 0 {
		fmt.Fprintln(w, "\nNo outstanding pull requests.")
	}
	for _, g := range r.Windows {
		if g.Window == "unchecked" {
			fmt.Fprintf(w, "\nNot checked yet:\n")
		} else {
			fmt.Fprintf(w, "\nOutstanding for the %s merge window:\n", g.Window)
		}
		for _, e := range g.Entries {
			late := ""
			if e.Late {
				late = " [late]"
			}
			fmt.Fprintf(w, "  #%-3d %-8s %s%s\n", e.ID, e.State, e.Subject, late)
			if e.Summary != "" {
				fmt.Fprintf(w, "       %s\n", e.Summary)
			}
		}
	}
}
