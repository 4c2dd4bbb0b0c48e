package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/gitcheck/maintainers"
)

func runMaintainers(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "maintainers")
	file := fs.String("file", "", "read this MAINTAINERS `file` (default: the one at the tip of the mainline in prtrack's repository)")
	sender := fs.String("sender", "", "say whether this `address` maintains each path")
	reviewers := fs.Bool("reviewers", false, "count an R: as a maintainer for --sender")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("name at least one path")
	}
	f, err := loadMaintainers(ctx, sf, *file)
	if err != nil {
		return err
	}
	r := f.Cover(paths, *sender, &maintainers.CoverOptions{Reviewers: *reviewers})
	printCover(io.Out, r, *sender)
	return nil
}

// loadMaintainers reads MAINTAINERS from path or, without one, from the
// mainline tip in prtrack's repository.
func loadMaintainers(ctx context.Context, sf *storeFlags, path string) (*maintainers.File, error) {
	if path == "" {
		_, chk, err := sf.checker()
		if err != nil {
			return nil, err
		}
		defer chk.Close()
		f, err := chk.Maintainers(ctx)
		if errors.Is(err, gitcheck.ErrNoMaintainers) {
			return nil, fmt.Errorf("%w (update the trees with \"prtrack trees update\", or give --file)", err)
		}
		return f, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	f, err := maintainers.Parse(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	top := filepath.Dir(path) // the top of the tree, as for get_maintainer.pl
	f.MarkDirs(func(name string) bool {
		fi, err := os.Stat(filepath.Join(top, name))
		return err == nil && fi.IsDir()
	})
	return f, nil
}

func printCover(w io.Writer, r *maintainers.Report, sender string) {
	for _, p := range r.Paths {
		fmt.Fprintln(w, p.Path)
		if sender != "" {
			verb := "does not maintain"
			if p.Maintained {
				verb = "maintains"
			}
			fmt.Fprintf(w, "  %s %s it\n", sender, verb)
		}
		for _, m := range p.Matches {
			printSection(w, m.Section)
		}
	}
}

func printSection(w io.Writer, s *maintainers.Section) {
	fmt.Fprintf(w, "  %s", s.Name)
	if s.Status != "" {
		fmt.Fprintf(w, " [%s]", s.Status)
	}
	fmt.Fprintln(w)
	for _, l := range []struct {
		tag    string
		people []maintainers.Person
	}{{"M", s.Maintainers}, {"R", s.Reviewers}, {"L", s.Lists}} {
		for _, p := range l.people {
			fmt.Fprintf(w, "    %s: %s\n", l.tag, p.Raw)
		}
	}
	for _, t := range s.Trees {
		fmt.Fprintf(w, "    T: %s\n", t)
	}
	if n := len(s.Keywords); n > 0 {
		fmt.Fprintf(w, "    (%s not matched: K: matches patch content, not paths)\n", plural(n, "K: pattern"))
	}
	for _, f := range s.Unsupported {
		fmt.Fprintf(w, "    (N: %s not matched: not a Go regular expression)\n", f.Value)
	}
}
