// Package config loads prtrack's configuration: a file in git-config
// syntax (git-config(1), parsed with go-git's plumbing/format/config),
// by default $XDG_CONFIG_HOME/prtrack/config. Defaults come first, then
// the file, then the command line's overrides, validated in one Load.
//
// Keys:
//
//	[prtrack]
//		database = PATH       # default $XDG_DATA_HOME/prtrack/prtrack.db
//		list = ADDRESS        # the list tracked (linux-rdma@vger.kernel.org)
//	[imap]
//		password = SECRET     # or $PRTRACK_IMAP_PASSWORD
//
// Other sections ([tree "NAME"], [profile "NAME"], [check], [reply], [sendemail], [volatile]) are read
// by the features they configure through Config.File.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	gitconfig "github.com/go-git/go-git/v5/plumbing/format/config"
)

// DefaultList is the mailing list prtrack tracks unless told otherwise.
const DefaultList = "linux-rdma@vger.kernel.org"

// Config is prtrack's loaded configuration.
type Config struct {
	Path     string // the file read, or "" when there was none
	Database string
	List     string
	// File is the whole parsed file, for sections other features read.
	File *gitconfig.Config
}

// Overrides are values from the command line; empty means unset.
type Overrides struct {
	Database string
}

// Load reads the configuration. path "" means the default location,
// where a missing file is fine; a path given explicitly must exist.
func Load(path string, over Overrides) (*Config, error) {
	c := &Config{File: gitconfig.New(), List: DefaultList}
	var err error
	if c.Database, err = defaultDatabase(); err != nil {
		return nil, err
	}
	explicit := path != ""
	if !explicit {
		if path, err = DefaultPath(); err != nil {
			return nil, err
		}
	}
	if err := c.read(path, explicit); err != nil {
		return nil, err
	}
	if over.Database != "" {
		c.Database = over.Database
	}
	return c, c.validate()
}

func (c *Config) read(path string, explicit bool) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	if err := gitconfig.NewDecoder(f).Decode(c.File); err != nil {
		return fmt.Errorf("config: %s: %w", path, err)
	}
	c.Path = path
	s := c.File.Section("prtrack")
	if v := s.Option("database"); v != "" {
		c.Database = expandHome(v)
	}
	if v := s.Option("list"); v != "" {
		c.List = v
	}
	return nil
}

func (c *Config) validate() error {
	if c.Database == "" {
		return fmt.Errorf("config: no database path")
	}
	if !strings.Contains(c.List, "@") {
		return fmt.Errorf("config: %s: prtrack.list %q is not a mail address", c.Path, c.List)
	}
	return nil
}

// Option returns section[.subsection].key from the file, or "".
func (c *Config) Option(section, subsection, key string) string {
	s := c.File.Section(section)
	if subsection == "" {
		return s.Option(key)
	}
	return s.Subsection(subsection).Option(key)
}

// DefaultPath is $XDG_CONFIG_HOME/prtrack/config.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("config: locating the configuration directory: %w", err)
	}
	return filepath.Join(dir, "prtrack", "config"), nil
}

// defaultDatabase is $XDG_DATA_HOME/prtrack/prtrack.db, with the XDG
// fallback ~/.local/share.
func defaultDatabase() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("config: locating the data directory: %w", err)
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "prtrack", "prtrack.db"), nil
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}
