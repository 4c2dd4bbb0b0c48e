package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
)

// stateCommand parses "NAME ID [ARG...]" (nargs positional arguments
// in all) with the store flags and opens the database.
func stateCommand(io *IO, name string, args []string, nargs int, extra func(fs *flag.FlagSet)) (uint64, []string, *tracker.Store, error) {
	fs, sf := storeCommand(io, name)
	if extra != nil {
		extra(fs)
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return 0, nil, nil, err
	}
	if len(pos) != nargs {
		return 0, nil, nil, usagef("usage: prtrack %s %s", name, lookup(name).args)
	}
	ids, err := review.ParseIDs(pos[:1])
	if err != nil {
		return 0, nil, nil, usagef("%v", err)
	}
	_, st, err := sf.open()
	return ids[0], pos[1:], st, err
}

func runClose(ctx context.Context, io *IO, args []string) error {
	var reason string
	id, _, st, err := stateCommand(io, "close", args, 1, func(fs *flag.FlagSet) { fs.StringVar(&reason, "reason", "", "why it is closed (required)") })
	if err != nil {
		return err
	}
	defer st.Close()
	if strings.TrimSpace(reason) == "" {
		return usagef("close needs --reason")
	}
	if err := st.Update(func(tx *tracker.Tx) error { return tx.Close(id, reason) }); err != nil {
		return err
	}
	_, err = fmt.Fprintf(io.Out, "#%d closed: %s\n", id, reason)
	return err
}

func runReopen(ctx context.Context, io *IO, args []string) error {
	id, _, st, err := stateCommand(io, "reopen", args, 1, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	var state tracker.State
	if err := st.Update(func(tx *tracker.Tx) error { state, err = tx.Reopen(id); return err }); err != nil {
		return err
	}
	_, err = fmt.Fprintf(io.Out, "#%d reopened: %s\n", id, state)
	return err
}

func runRole(ctx context.Context, io *IO, args []string) error {
	id, rest, st, err := stateCommand(io, "role", args, 2, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	role, err := tracker.ParseRole(rest[0])
	if err != nil {
		return usagef("%v", err)
	}
	if err := st.Update(func(tx *tracker.Tx) error { return tx.SetRole(id, role, tracker.RoleByMaintainer) }); err != nil {
		return err
	}
	_, err = fmt.Fprintf(io.Out, "#%d is %s (set by hand; prtrack keeps it)\n", id, role)
	return err
}
