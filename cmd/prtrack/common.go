package main

import (
	"errors"
	"flag"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/config"
)

// storeFlags are the options every command using the database takes.
type storeFlags struct {
	config string
	db     string
	log    *slog.Logger // the process's logger, for the checker
}

// storeCommand makes the flag set of the command called name with
// the store flags registered: the start of every command that uses the
// database.
func storeCommand(io *IO, name string) (*flag.FlagSet, *storeFlags) {
	fs := newFlags(io, lookup(name))
	sf := &storeFlags{log: logOf(io)}
	sf.register(fs)
	return fs, sf
}

func (s *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.config, "config", "", "configuration `file` (default $XDG_CONFIG_HOME/prtrack/config)")
	fs.StringVar(&s.db, "db", "", "database `path` (default prtrack.database, or $XDG_DATA_HOME/prtrack/prtrack.db)")
}

func (s *storeFlags) load() (*config.Config, error) {
	return config.Load(s.config, config.Overrides{Database: s.db})
}

// open loads the configuration and opens the database it names.
func (s *storeFlags) open() (*config.Config, *tracker.Store, error) {
	return s.openWith(openStore)
}

// openReleasing is open for commands that do network work: the
// database is held only during each transaction, so list, show and
// report work while they wait on a server.
func (s *storeFlags) openReleasing() (*config.Config, *tracker.Store, error) {
	return s.openWith(openStoreReleasing)
}

func (s *storeFlags) openWith(openDB func(*config.Config) (*tracker.Store, error)) (*config.Config, *tracker.Store, error) {
	cfg, err := s.load()
	if err != nil {
		return nil, nil, err
	}
	st, err := openDB(cfg)
	if err != nil {
		return nil, nil, err
	}
	return cfg, st, nil
}

// openReadOnly loads the configuration and opens the database for
// reading only: commands that only read work on a read-only file. A
// database that does not exist yet is created, as by open.
func (s *storeFlags) openReadOnly() (*config.Config, *tracker.Store, error) {
	cfg, err := s.load()
	if err != nil {
		return nil, nil, err
	}
	if _, err := os.Lstat(cfg.Database); errors.Is(err, fs.ErrNotExist) {
		return s.open()
	}
	st, err := tracker.Open(cfg.Database, &tracker.Options{ReadOnly: true})
	if errors.Is(err, tracker.ErrOlderSchema) {
		return s.open() // migrate first
	}
	if err != nil {
		return nil, nil, err
	}
	return cfg, st, nil
}

// openNoArgs parses a command's flags, which take no positional
// arguments, then opens the database.
func (s *storeFlags) openNoArgs(fs *flag.FlagSet, args []string) (*config.Config, *tracker.Store, error) {
	if err := noArgs(fs, args); err != nil {
		return nil, nil, err
	}
	return s.open()
}

// openReleasingNoArgs is openNoArgs for commands that do network work.
func (s *storeFlags) openReleasingNoArgs(fs *flag.FlagSet, args []string) (*config.Config, *tracker.Store, error) {
	if err := noArgs(fs, args); err != nil {
		return nil, nil, err
	}
	return s.openReleasing()
}

func noArgs(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// checking is what a command that checks pull requests works with:
// the configuration, the database (held per transaction) and the
// checker.
type checking struct {
	cfg *config.Config
	st  *tracker.Store
	chk *gitcheck.Checker
}

// openChecking loads the configuration, opens the database releasing
// it between transactions, and opens the checker.
func (s *storeFlags) openChecking() (*checking, error) {
	cfg, st, err := s.openReleasing()
	if err != nil {
		return nil, err
	}
	chk, err := newChecker(cfg, s.log)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &checking{cfg: cfg, st: st, chk: chk}, nil
}

func (c *checking) Close() {
	c.chk.Close()
	c.st.Close()
}

// checker loads the configuration and opens the checker's repository.
func (s *storeFlags) checker() (*config.Config, *gitcheck.Checker, error) {
	cfg, err := s.load()
	if err != nil {
		return nil, nil, err
	}
	chk, err := newChecker(cfg, s.log)
	return cfg, chk, err
}

func openStore(cfg *config.Config) (*tracker.Store, error) {
	return tracker.Open(cfg.Database, nil)
}

// releaseTimeout is how long a command that releases the database
// between transactions waits to get it back from another prtrack.
const releaseTimeout = 30 * time.Second

func openStoreReleasing(cfg *config.Config) (*tracker.Store, error) {
	return tracker.Open(cfg.Database, &tracker.Options{Release: true, Timeout: releaseTimeout})
}
