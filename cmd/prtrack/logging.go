package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// The process's one logger: built in Main from -v and PRTRACK_LOG, and
// handed (through IO.Log) to the sources, the ingest, the checker, the
// review, the outbox and the web server.

// logLevels are the values PRTRACK_LOG takes.
var logLevels = map[string]slog.Level{
	"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError,
}

// newLogger writes to w at the level PRTRACK_LOG names; without it,
// warnings, or with verbose (-v) everything from info up. An unknown
// PRTRACK_LOG is an error.
func newLogger(w io.Writer, verbose bool) (*slog.Logger, error) {
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelInfo
	}
	if v := os.Getenv("PRTRACK_LOG"); v != "" {
		l, ok := logLevels[strings.ToLower(v)]
		if !ok {
			return nil, fmt.Errorf("PRTRACK_LOG=%q: want debug, info, warn or error", v)
		}
		level = l
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), nil
}

// globalOptions takes "-v" (or "--verbose") off args, before or after
// the command name, up to a "--".
func globalOptions(args []string) (verbose bool, rest []string) {
	rest = make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return verbose, append(rest, args[i:]...)
		}
		if a == "-v" || a == "--verbose" {
			verbose = true
			continue
		}
		rest = append(rest, a)
	}
	return verbose, rest
}

// logOf is io's logger, or one that discards.
func logOf(io *IO) *slog.Logger {
	if io == nil || io.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return io.Log
}
