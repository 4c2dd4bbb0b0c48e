package main

import (
	"context"
	"fmt"

	"github.com/prtrack/prtrack/tracker"
)

func runDB(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "db")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 1 && pos[0] == "check":
	case len(pos) == 2 && pos[0] == "backup":
	default:
		return usagef("give check or backup FILE")
	}
	_, st, err := sf.openReadOnly()
	if err != nil {
		return err
	}
	defer st.Close()
	if pos[0] == "backup" {
		if err := st.Backup(pos[1]); err != nil {
			return err
		}
		fmt.Fprintf(io.Out, "%s copied to %s\n", st.Path(), pos[1])
		return nil
	}
	return checkDB(io, st)
}

func checkDB(io *IO, st *tracker.Store) error {
	found, err := st.Check()
	if err != nil {
		return err
	}
	for _, e := range found {
		fmt.Fprintf(io.Out, "%s: %v\n", st.Path(), e)
	}
	if len(found) > 0 {
		return fmt.Errorf("%s: %w: %d problems found; restore it from a backup", st.Path(), tracker.ErrDamaged, len(found))
	}
	fmt.Fprintf(io.Out, "%s: no problems found\n", st.Path())
	return nil
}
