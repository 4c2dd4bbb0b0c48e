package config

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/prtrack/prtrack/gitcheck"
)

// Check returns the checker's configuration:
//
//	[check]
//		repository = PATH     # bare repository of accepted trees (default: beside the database)
//		mainline = linus      # the tree that makes a pull request clean
//		scheme = https        # allowed URL schemes (repeatable; default git, https)
//		host = git.kernel.org # allowed URL hosts (repeatable; default git.kernel.org, github.com)
//		fetchTimeout = 2m     # per pull request fetch
//		maxFetchBytes = 256m  # per pull request fetch
//		refTimeout = 30s      # a server's ref advertisement, apart from the pack
//		maxRefs = 100000
//		maxRefBytes = 32m
//		treeTimeout = 1h
//		maxTreeBytes = 8g
//		maxWalk = 200000
//		scope = drivers/infiniband/hw/<driver>/
//		uapi = include/uapi/  # repeatable
//		signature = off|warn|require
//		keyring = PATH        # OpenPGP keys for signed tags: an armored keyring, or a pgpkeys.git checkout (keys/<fpr>.asc)
//		requireMaintainer = false # sender-not-maintainer is an error, not a warning
//		reviewerMaintains = false # a MAINTAINERS R: counts as a maintainer
//		cutoff = 6            # -rc after which for-next pull requests are late
//	[tree "NAME"]             # accepted trees; any one replaces the defaults
//		url = URL
//		ref = REF             # repeatable: branch, full ref or glob (refs/tags/v*)
//	[profile "NAME"]          # rule profiles: see profiles
func (c *Config) Check() (gitcheck.Config, error) {
	s := c.File.Section("check")
	g := gitcheck.Config{
		Repo:      c.repository(),
		Mainline:  s.Option("mainline"),
		Schemes:   all(s.OptionAll("scheme")),
		Hosts:     all(s.OptionAll("host")),
		Scope:     s.Option("scope"),
		UAPI:      all(s.OptionAll("uapi")),
		Signature: gitcheck.SignaturePolicy(s.Option("signature")),
		Keyring:   expandHome(s.Option("keyring")),
	}
	var err error
	set := func(key string, parse func(string) error) {
		if v := s.Option(key); v != "" && err == nil {
			if perr := parse(v); perr != nil {
				err = fmt.Errorf("config: %s: check.%s = %q: %w", c.Path, key, v, perr)
			}
		}
	}
	set("fetchTimeout", durationInto(&g.FetchTimeout))
	set("treeTimeout", durationInto(&g.TreeTimeout))
	set("maxFetchBytes", bytesInto(&g.MaxFetchBytes))
	set("maxTreeBytes", bytesInto(&g.MaxTreeBytes))
	set("refTimeout", durationInto(&g.RefTimeout))
	set("maxRefBytes", bytesInto(&g.MaxRefBytes))
	set("maxRefs", func(v string) (err error) { g.MaxRefs, err = strconv.Atoi(v); return err })
	set("maxWalk", func(v string) (err error) { g.MaxWalk, err = strconv.Atoi(v); return err })
	set("requireMaintainer", boolInto(&g.RequireMaintainer))
	set("reviewerMaintains", boolInto(&g.ReviewerMaintains))
	if err != nil {
		return g, err
	}
	if g.Trees, err = c.trees(); err != nil {
		return g, err
	}
	g.Profiles, err = c.profiles(g)
	return g, err
}

// repository is check.repository, by default trees.git beside the
// database.
func (c *Config) repository() string {
	if r := expandHome(c.Option("check", "", "repository")); r != "" {
		return r
	}
	return filepath.Join(filepath.Dir(c.Database), "trees.git")
}

// Cutoff is the -rc after which for-next pull requests are late.
func (c *Config) Cutoff() (int, error) {
	v := c.Option("check", "", "cutoff")
	if v == "" {
		return 6, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 10 {
		return 0, fmt.Errorf("config: %s: check.cutoff = %q: want an rc number from 1 to 10", c.Path, v)
	}
	return n, nil
}

func (c *Config) trees() ([]gitcheck.Tree, error) {
	var out []gitcheck.Tree
	for _, sub := range c.File.Section("tree").Subsections {
		t := gitcheck.Tree{Name: sub.Name, URL: sub.Option("url"), Refs: sub.OptionAll("ref")}
		if t.URL == "" || len(t.Refs) == 0 {
			return nil, fmt.Errorf("config: %s: tree %q needs a url and at least one ref", c.Path, t.Name)
		}
		out = append(out, t)
	}
	return out, nil
}

// all returns a repeatable key's values, or nil when it is not set,
// which the checker reads as "the default".
func all(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	return v
}

func durationInto(d *time.Duration) func(string) error {
	return func(v string) (err error) {
		*d, err = time.ParseDuration(v)
		return err
	}
}

// boolInto parses a boolean the way git does.
func boolInto(b *bool) func(string) error {
	return func(v string) error {
		switch strings.ToLower(v) {
		case "true", "yes", "on", "1":
			*b = true
		case "false", "no", "off", "0":
			*b = false
		default:
			return fmt.Errorf("not a boolean")
		}
		return nil
	}
}

// bytesInto parses a size the way git does: a number with an optional
// k, m or g suffix.
func bytesInto(n *int64) func(string) error {
	return func(v string) error {
		mult := int64(1)
		switch strings.ToLower(v[len(v)-1:]) {
		case "k":
			mult = 1 << 10
		case "m":
			mult = 1 << 20
		case "g":
			mult = 1 << 30
		}
		if mult > 1 {
			v = v[:len(v)-1]
		}
		x, err := strconv.ParseInt(v, 10, 64)
		if err != nil || x < 0 {
			return fmt.Errorf("not a size")
		}
		*n = x * mult
		return nil
	}
}
