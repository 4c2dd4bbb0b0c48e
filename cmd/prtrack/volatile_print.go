package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/prtrack/prtrack/gitcheck/volatile"
)

// printVolatileText is the maintainer's view, the way linux-next
// reports its merges: what went in, then each conflict with its files
// and the commits on each side.
func printVolatileText(w io.Writer, res *volatile.Result, inputs []volatile.Input) {
	subjects := map[uint64]string{}
	for _, in := range inputs {
		subjects[in.ID] = in.Subject
	}
	fmt.Fprintf(w, "base %s at %.12s\n", res.Base.Ref, res.Base.Commit)
	if len(inputs) == 0 {
		fmt.Fprintln(w, "no pending accepted pull requests to merge")
	}
	for _, k := range res.Kept {
		how := "merged"
		if k.Merge == "" {
			how = "already in"
		}
		fmt.Fprintf(w, "#%-3d %-10s %.12s %s\n", k.ID, how, k.Tip, subjects[k.ID])
	}
	for _, l := range res.LeftOut {
		printLeftOut(w, l, subjects[l.ID])
	}
	printPairs(w, res)
	fmt.Fprintf(w, "%s at %.12s (%s kept, %s left out)\n", res.Ref, res.Commit,
		plural(len(res.Kept), "pull request"), plural(len(res.LeftOut), "pull request"))
	fmt.Fprintf(w, "%s run (%d pairwise), %d answered from the cache\n", plural(res.Stats.Merges, "merge"),
		res.Stats.PairMerges, res.Stats.Cached)
	if res.Pushed != "" {
		fmt.Fprintf(w, "pushed to %s\n", res.Pushed)
	}
}

func printLeftOut(w io.Writer, l volatile.LeftOut, subject string) {
	fmt.Fprintf(w, "#%-3d %-10s %s\n", l.ID, "LEFT OUT", subject)
	switch l.Reason {
	case volatile.ReasonConflict:
		fmt.Fprintf(w, "     conflicts with %s in:\n", strings.Join(l.ConflictsWith, ", "))
		printConflict(w, l.Paths, l.Sides)
	case volatile.ReasonNotFetched:
		fmt.Fprintf(w, "     not fetched: tip %s is not in the repository (run \"prtrack check\")\n", orNone(l.Tip))
	default:
		fmt.Fprintf(w, "     %s: %s\n", l.Reason, l.Error)
	}
}

func printConflict(w io.Writer, paths []string, sides []volatile.Side) {
	for _, p := range paths {
		fmt.Fprintf(w, "       %s\n", p)
	}
	for _, s := range sides {
		name := s.Name
		if s.ID != 0 {
			name = fmt.Sprintf("#%d <%s>", s.ID, s.Name)
		}
		fmt.Fprintf(w, "     commits in %s:\n", name)
		for _, c := range s.Commits {
			fmt.Fprintf(w, "       %s (%q)\n", c.SHA, c.Subject)
		}
	}
}

func printPairs(w io.Writer, res *volatile.Result) {
	if len(res.Pairs) > 0 {
		fmt.Fprintf(w, "conflicting pairs, each merged as (base + A) + B:\n")
	}
	for _, p := range res.Pairs {
		if p.Error != "" {
			fmt.Fprintf(w, "  #%d and #%d: trial merge failed: %s\n", p.AID, p.BID, p.Error)
			continue
		}
		fmt.Fprintf(w, "  #%d and #%d: %s\n", p.AID, p.BID, strings.Join(p.Paths, ", "))
	}
	if res.PairsSkipped > 0 {
		fmt.Fprintf(w, "pairwise bound reached: %d of %d pairs not checked (volatile.maxPairs)\n",
			res.PairsSkipped, res.PairsSkipped+res.PairsChecked)
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none recorded)"
	}
	return s
}
