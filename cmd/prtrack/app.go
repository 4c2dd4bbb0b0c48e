package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
)

// IO is where a command reads and writes; tests pass buffers.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// Log is the process's logger (see logging.go); nil discards.
	Log *slog.Logger
}

// command is one subcommand.
type command struct {
	name    string
	args    string // usage after the name
	summary string
	run     func(ctx context.Context, io *IO, args []string) error
}

// usageError is bad usage: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// Main runs prtrack with args and returns the exit status: 0 on
// success, 1 on failure, 2 on bad usage.
func Main(ctx context.Context, args []string, io *IO) int {
	verbose, args := globalOptions(args)
	if io.Log == nil || verbose {
		log, err := newLogger(io.Err, verbose)
		if err != nil {
			fmt.Fprintf(io.Err, "prtrack: %v\n", err)
			return 2
		}
		io = &IO{In: io.In, Out: io.Out, Err: io.Err, Log: log}
	}
	if len(args) == 0 {
		printUsage(io.Err)
		return 2
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		if len(args) > 1 && lookup(args[1]) != nil {
			return Main(ctx, []string{args[1], "--help"}, io)
		}
		printUsage(io.Out)
		return 0
	}
	cmd := lookup(name)
	if cmd == nil {
		fmt.Fprintf(io.Err, "prtrack: unknown command %q\n\n", name)
		printUsage(io.Err)
		return 2
	}
	out := &safeWriter{w: io.Out}
	err := cmd.run(ctx, &IO{In: io.In, Out: out, Err: io.Err, Log: io.Log}, args[1:])
	out.Flush()
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(io.Err, "prtrack %s: %v\nusage: prtrack %s %s\n", name, err, name, cmd.args)
		return 2
	default:
		fmt.Fprintf(io.Err, "prtrack %s: %v\n", name, err)
		return 1
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: prtrack [-v] <command> [options]")
	fmt.Fprintln(w, "\nprtrack tracks git pull requests sent to a mailing list and checks them")
	fmt.Fprintln(w, "against the subsystem's rules.\n\ncommands:")
	cmds := commandTable()
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"prtrack <command> --help\" for a command's options.")
}

// newFlags makes a command's flag set, printing its help to io.Out.
func newFlags(io *IO, c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.Usage = func() {
		fs.SetOutput(io.Out)
		fmt.Fprintf(io.Out, "usage: prtrack %s %s\n\n%s\n", c.name, c.args, c.summary)
		if hasFlags(fs) {
			fmt.Fprintln(io.Out, "\noptions:")
			fs.PrintDefaults()
		}
		fmt.Fprintln(io.Out, "\n  -v\tlog from info up to standard error (PRTRACK_LOG=debug|info|warn|error sets the level)")
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parseFlags parses args, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	help := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		help()
		return err
	}
	if err != nil {
		return usagef("%v", err)
	}
	return nil
}

// parseInterspersed parses flags that may come before, between or after
// positional arguments ("replies show 3 --db x") and returns the
// positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// isTerminal reports whether w is a terminal, for progress output.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	if strings.HasSuffix(word, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(word, "y"))
	}
	return fmt.Sprintf("%d %ss", n, word)
}
