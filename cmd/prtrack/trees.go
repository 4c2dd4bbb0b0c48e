package main

import (
	"context"
	"fmt"

	"github.com/prtrack/prtrack/gitcheck"
)

func runTrees(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "trees")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "update" {
		return usagef("the only subcommand is \"update\"")
	}
	_, chk, err := sf.checker()
	if err != nil {
		return err
	}
	defer chk.Close()
	return updateTreesWith(ctx, io, chk)
}

func updateTreesWith(ctx context.Context, io *IO, chk *gitcheck.Checker) error {
	updates, err := chk.UpdateTrees(ctx)
	failed := 0
	for _, u := range updates {
		if u.Error != "" {
			failed++
			fmt.Fprintf(io.Out, "%-12s FAILED: %s\n", u.Tree, u.Error)
			continue
		}
		fmt.Fprintf(io.Out, "%-12s %s\n", u.Tree, plural(u.Refs, "ref"))
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d trees could not be updated (they keep their previous refs)", failed, len(updates))
	}
	return nil
}
