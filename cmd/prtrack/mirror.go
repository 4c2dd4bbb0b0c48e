package main

import (
	"context"
	"fmt"

	"github.com/prtrack/prtrack/mailparse/source/publicinbox"
)

func runMirror(ctx context.Context, io *IO, args []string) error {
	fs := newFlags(io, lookup("mirror"))
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("give the archive URL and the local directory")
	}
	opts := &publicinbox.MirrorOptions{Progress: func(e publicinbox.MirrorEvent) {
		switch e.Stage {
		case publicinbox.StageCloning:
			fmt.Fprintf(io.Err, "epoch %d: cloning %s\n", e.Epoch, e.URL)
		case publicinbox.StageFetching:
			fmt.Fprintf(io.Err, "epoch %d: fetching\n", e.Epoch)
		case publicinbox.StageDone:
			if e.Updated {
				fmt.Fprintf(io.Err, "epoch %d: updated\n", e.Epoch)
			}
		}
	}}
	if isTerminal(io.Err) {
		opts.GitProgress = io.Err
	}
	res, err := publicinbox.Mirror(ctx, pos[0], pos[1], opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "%s: %s, %d cloned, %d updated; read it with: prtrack ingest --public-inbox %s\n",
		pos[1], plural(res.Epochs, "epoch"), len(res.Cloned), len(res.Updated), pos[1])
	return nil
}
