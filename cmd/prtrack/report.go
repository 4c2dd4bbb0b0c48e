package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/config"
	"github.com/prtrack/prtrack/tracker/review"
)

func runReport(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "report")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	peek := fs.Bool("peek", false, "do not remember this report as the last one")
	html := fs.String("html", "", "write the status pages, feeds and JSON as static files under `DIR` (rewriting only what changed) instead")
	cfg, st, err := sf.openNoArgs(fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if *html != "" {
		return exportHTML(io, cfg, st, *html)
	}
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

// exportHTML writes the static pages; it does not count as a report.
func exportHTML(io *IO, cfg *config.Config, st *tracker.Store, dir string) error {
	site, err := newSite(cfg, st, nil)
	if err != nil {
		return err
	}
	stats, err := site.Export(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "wrote %s under %s (%d unchanged); open %s\n", plural(stats.Written, "file"), dir, stats.Unchanged,
		filepath.Join(dir, "index.html"))
	return nil
}

func printReport(w io.Writer, r *review.Report) {
	since := "first report"
	if !r.Since.IsZero() {
		since = "since " + r.Since.Local().Format("2006-01-02 15:04")
	}
	fmt.Fprintf(w, "Became clean (%s): sendable to Linus\n", since)
	printViews(w, r.BecameClean)
	for _, g := range r.Windows {
		title := "the " + g.Window + " merge window"
		if g.Window == r.Next {
			title += " (next)"
		}
		if g.Window == "unknown" {
			title = "no merge window known yet (Linus's tags not fetched)"
		}
		fmt.Fprintf(w, "\nFor %s\n  Incoming, outstanding:\n", title)
		printViews(w, g.Incoming)
		fmt.Fprintf(w, "  Sent to Linus:\n")
		printViews(w, g.Upstream)
	}
	if len(r.Windows) == 0 {
		fmt.Fprintln(w, "\nNothing outstanding.")
	}
	if r.HistoryOpen > 0 {
		fmt.Fprintf(w, "\n%s before the horizon not shown (prtrack list --all).\n", plural(r.HistoryOpen, "open pull request"))
	}
	if r.HistoryChanged > 0 {
		fmt.Fprintf(w, "%s of pull requests before the horizon not listed (prtrack show ID).\n", plural(r.HistoryChanged, "state change"))
	}
	fmt.Fprintf(w, "\nChanged (%s):\n", since)
	if len(r.Changes) == 0 {
		fmt.Fprintln(w, "    none")
	}
	for _, c := range r.Changes {
		fmt.Fprintf(w, "    #%-4d %s -> %s  %s\n", c.ID, c.From, c.To, clip(c.Subject, 60))
	}
	if len(r.Volatile) > 0 {
		fmt.Fprintf(w, "\nVolatile for-next (%s):\n", since)
	}
	for _, n := range r.Volatile {
		before := n.Before
		if before == "" {
			before = "(first rebuild)"
		}
		fmt.Fprintf(w, "    #%-4d %s\n           %s -> %s\n", n.ID, clip(n.Subject, 60), before, n.After)
	}
}

func printViews(w io.Writer, views []*review.PullView) {
	if len(views) == 0 {
		fmt.Fprintln(w, "    none")
	}
	for _, v := range views {
		state := string(v.State)
		if v.Late {
			state += " [late]"
		}
		if v.State == tracker.StateMerged && v.MergeCommit != "" {
			state += " " + v.MergeCommit[:min(12, len(v.MergeCommit))]
		}
		fmt.Fprintf(w, "    #%-4d %-10s %s  (%s)\n", v.ID, state, clip(v.Subject, 60), v.From)
		if v.Summary != "" {
			fmt.Fprintf(w, "           %s\n", v.Summary)
		}
		if t := v.VolatileTrouble(); t != "" {
			fmt.Fprintf(w, "           volatile: %s\n", t)
		}
	}
}
