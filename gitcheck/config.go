package gitcheck

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Config configures a Checker. The zero value, with Repo set, gives the
// linux-rdma defaults. Each field maps onto one git-config key of the
// prtrack configuration file; the key is named in the field's comment.
type Config struct {
	// Repo is the local repository holding the accepted trees: a bare
	// repository prtrack owns (created when missing) or an existing
	// kernel clone. Key: check.repository.
	Repo string

	// Trees are the accepted trees; nil means DefaultTrees. Keys:
	// [tree "NAME"] url = URL, ref = REF (repeatable).
	Trees []Tree

	// Mainline names the tree whose commits make a pull request clean
	// (sendable to Linus); "" means "linus". Key: check.mainline.
	Mainline string

	// Schemes are the URL schemes accepted in mail; nil means git and
	// https. Add http or ssh to allow them. Key: check.scheme
	// (repeatable).
	Schemes []string

	// Hosts are the hosts accepted in mail URLs, compared without the
	// port; nil means git.kernel.org and github.com. Key: check.host
	// (repeatable).
	Hosts []string

	// FetchTimeout bounds one pull request's fetch, from connecting to
	// the last byte; 0 means 2 minutes. Key: check.fetchTimeout.
	FetchTimeout time.Duration

	// MaxFetchBytes bounds the pack one pull request fetch may
	// receive; 0 means 256 MiB. Key: check.maxFetchBytes.
	MaxFetchBytes int64

	// MaxRefs, MaxRefBytes and RefTimeout bound the refs a server
	// advertises before any pack (its ref listing and the start of each
	// fetch); 0 means 100000 refs, 32 MiB and 30 seconds. Keys:
	// check.maxRefs, check.maxRefBytes, check.refTimeout.
	MaxRefs     int
	MaxRefBytes int64
	RefTimeout  time.Duration

	// TreeTimeout and MaxTreeBytes bound one accepted tree's update;
	// 0 means 1 hour and 8 GiB (a first kernel clone is about 5 GiB).
	// Keys: check.treeTimeout, check.maxTreeBytes.
	TreeTimeout  time.Duration
	MaxTreeBytes int64

	// Git names the git binary used, when it is git 2.29 or later, to
	// fetch the accepted trees (mail URLs never) and to write the
	// commit-graph after each update: "" looks for git in PATH, "none"
	// keeps to go-git, which fetches each tree more slowly and with
	// more memory, and writes no commit-graph.
	Git string

	// MaxWalk bounds how many commits outside the mainline one check may
	// visit; 0 means 200000. A pull request over the limit is
	// unchecked. Key: check.maxWalk.
	MaxWalk int

	// Scope is the only directory own commits may touch, with
	// "<driver>" standing for the pull request's driver; "" means
	// "drivers/infiniband/hw/<driver>/". Key: check.scope.
	Scope string

	// UAPI lists path prefixes own commits must not touch; nil means
	// "include/uapi/". Key: check.uapi (repeatable).
	UAPI []string

	// Signature is the signed-tag policy of the profiles that set none;
	// "" means warn (which does nothing without a Keyring). Key:
	// check.signature.
	Signature SignaturePolicy

	// Keyring holds the OpenPGP keys that verify signed tags: an
	// ASCII-armored keyring file, or a directory in the layout of
	// kernel.org's pgpkeys repository (keys/<fingerprint>.asc, one
	// armored key per file). A good signature must be made by a key
	// with a user id of the sender's address. Key: check.keyring.
	Keyring string

	// RequireMaintainer makes sender-not-maintainer (the sender
	// maintains no MAINTAINERS section covering a path the pull
	// request touches) an error instead of a warning. Key:
	// check.requireMaintainer.
	RequireMaintainer bool

	// ReviewerMaintains counts a section's R: as its maintainer for
	// sender-not-maintainer. Key: check.reviewerMaintains.
	ReviewerMaintains bool

	// Profiles replace the default profile of the same name
	// (DefaultProfiles, those whose trees are configured) or add to
	// them. Keys: [profile "NAME"], see Profile.
	Profiles []Profile

	// Logger receives progress and diagnostics; nil discards them.
	Logger *slog.Logger
}

// Tree is one accepted tree.
type Tree struct {
	// Name identifies the tree in verdicts; local refs live under
	// refs/trees/<Name>/.
	Name string `json:"name"`
	URL  string `json:"url"`
	// Refs are branch names ("master"), full refs
	// ("refs/heads/for-next") or full-ref globs ("refs/tags/v*").
	Refs []string `json:"refs"`
}

// SignaturePolicy says what to do with signed tags.
type SignaturePolicy string

// Signature policies. Under SignatureWarn a bad or missing signature,
// and a branch instead of a tag, is a warning; under SignatureRequire
// the ref must be a tag whose signature verifies against the keyring.
const (
	SignatureOff     SignaturePolicy = "off"
	SignatureWarn    SignaturePolicy = "warn"
	SignatureRequire SignaturePolicy = "require"
)

// DefaultTrees returns the accepted trees of linux-rdma.
func DefaultTrees() []Tree {
	const kernel = "https://git.kernel.org/pub/scm/linux/kernel/git/"
	return []Tree{
		{Name: "linus", URL: "git://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
			Refs: []string{"master", "refs/tags/v*"}},
		{Name: "net", URL: kernel + "netdev/net.git", Refs: []string{"main"}},
		{Name: "net-next", URL: kernel + "netdev/net-next.git", Refs: []string{"main"}},
		{Name: "rdma", URL: "git://git.kernel.org/pub/scm/linux/kernel/git/rdma/rdma.git",
			Refs: []string{"for-next", "for-rc"}},
		{Name: "mlx5-next", URL: "git://git.kernel.org/pub/scm/linux/kernel/git/mellanox/linux.git",
			Refs: []string{"mlx5-next"}},
		{Name: "rdma-core", URL: "https://github.com/linux-rdma/rdma-core",
			Refs: []string{"master", "refs/heads/stable-v*"}},
	}
}

// maxTrees is the number of trees the accepted index has bits for.
const maxTrees = 32

func (c Config) withDefaults() (Config, error) {
	if c.Repo == "" {
		return c, fmt.Errorf("gitcheck: no repository configured")
	}
	if c.Trees == nil {
		c.Trees = DefaultTrees()
	}
	if c.Mainline == "" {
		c.Mainline = "linus"
	}
	if c.Schemes == nil {
		c.Schemes = []string{"git", "https"}
	}
	if c.Hosts == nil {
		c.Hosts = []string{"git.kernel.org", "github.com"}
	}
	setDuration(&c.FetchTimeout, 2*time.Minute)
	setDuration(&c.TreeTimeout, time.Hour)
	setInt64(&c.MaxFetchBytes, 256<<20)
	setInt64(&c.MaxTreeBytes, 8<<30)
	setInt64(&c.MaxRefBytes, defaultRefLimits().maxBytes)
	setDuration(&c.RefTimeout, defaultRefLimits().timeout)
	if c.MaxRefs <= 0 {
		c.MaxRefs = defaultRefLimits().maxRefs
	}
	if c.MaxWalk <= 0 {
		c.MaxWalk = 200000
	}
	if c.Scope == "" {
		c.Scope = defaultScope
	}
	if c.UAPI == nil {
		c.UAPI = []string{"include/uapi/"}
	}
	if c.Signature == "" {
		c.Signature = SignatureWarn
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.Profiles = c.profilesWithDefaults()
	return c, c.validate()
}

func setDuration(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

func setInt64(n *int64, def int64) {
	if *n <= 0 {
		*n = def
	}
}

func (c Config) validate() error {
	if len(c.Trees) > maxTrees {
		return fmt.Errorf("gitcheck: %d accepted trees, at most %d", len(c.Trees), maxTrees)
	}
	seen := map[string]bool{}
	for _, t := range c.Trees {
		if !validName(t.Name) || seen[t.Name] {
			return fmt.Errorf("gitcheck: bad or duplicate tree name %q", t.Name)
		}
		seen[t.Name] = true
		if len(t.Refs) == 0 {
			return fmt.Errorf("gitcheck: tree %q has no refs", t.Name)
		}
	}
	if !seen[c.Mainline] {
		return fmt.Errorf("gitcheck: mainline tree %q is not an accepted tree", c.Mainline)
	}
	if strings.Count(c.Scope, "<driver>") != 1 {
		return fmt.Errorf("gitcheck: scope %q must contain <driver> once", c.Scope)
	}
	for _, p := range c.Profiles {
		if err := p.validate(c.treeNames()); err != nil {
			return err
		}
	}
	switch c.Signature {
	case SignatureOff, SignatureWarn, SignatureRequire:
	default:
		return fmt.Errorf("gitcheck: unknown signature policy %q", c.Signature)
	}
	return nil
}

// validName reports whether s is usable as one ref path component.
func validName(s string) bool {
	if s == "" || len(s) > 200 || s[0] == '.' || s[0] == '-' || strings.Contains(s, "..") ||
		strings.HasSuffix(s, ".lock") {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_' || r == '.' || r == '+'
		if !ok {
			return false
		}
	}
	return true
}

func (p SignaturePolicy) valid() bool {
	switch p {
	case SignatureOff, SignatureWarn, SignatureRequire:
		return true
	}
	return false
}
