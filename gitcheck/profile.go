package gitcheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Profile is one set of rules a pull request is judged by: what its own
// commits may touch, what it must be based on, and the extra rules of
// its kind of branch. The profile is chosen by the caller (see
// CheckWith); its Select fields say which pull requests it is meant for.
type Profile struct {
	// Name identifies the profile in verdicts. Config section:
	// [profile "NAME"].
	Name string `json:"name"`

	// SelectURLs are globs (path.Match, "*" within one path segment)
	// matched against the pull request's URL without its scheme and
	// without a trailing ".git" or "/". Key: url (repeatable).
	SelectURLs []string `json:"select_urls,omitempty"`
	// SelectRefs are globs matched against the ref the mail quotes,
	// without "refs/" and "heads/" ("mlx5-next", "tags/mlx5-next-*");
	// none means any ref of a matching URL. Key: ref (repeatable).
	SelectRefs []string `json:"select_refs,omitempty"`
	// SelectBaseIn selects the profile for a pull request whose base
	// is in this accepted tree, whatever its URL. Key: baseIn.
	SelectBaseIn string `json:"select_base_in,omitempty"`

	// Scope are the per-driver patterns own commits may touch, with
	// "<driver>" standing for the pull request's driver; the driver is
	// the one most commits touch under the patterns that are
	// directories ("<driver>/"). Key: scope (repeatable).
	Scope []string `json:"scope,omitempty"`
	// Paths are path prefixes own commits may touch whatever the
	// driver. Key: path (repeatable).
	Paths []string `json:"paths,omitempty"`
	// UAPI lists path prefixes own commits must not touch. Key: uapi
	// (repeatable).
	UAPI []string `json:"uapi,omitempty"`
	// Headers is the prefix of a copy of the kernel's uAPI headers
	// ("kernel-headers/"): a header changed under it must be
	// byte-identical, at the tip, to include/uapi/<the rest of its
	// path> on a branch of an accepted tree. Key: headers.
	Headers string `json:"headers,omitempty"`

	// Base is the rule for the base commit. Key: base.
	Base BaseRule `json:"base"`
	// Upstream is the accepted tree this kind of branch is built on
	// and lands in ("" means the mainline): the walk for own commits
	// stops at its commits, a tip on it is merged, and BaseUpstream
	// bases must be in it. Key: upstream.
	Upstream string `json:"upstream,omitempty"`
	// Self is the accepted tree that is this branch itself (mlx5-next):
	// holding a commit neither makes it shared nor the pull request
	// pulled. Key: self.
	Self string `json:"self,omitempty"`
	// AppendOnly rejects a pull request that carries a changed copy of
	// a commit an accepted tree already pulled (same author, author
	// date and subject, another commit id). Key: appendOnly.
	AppendOnly bool `json:"append_only,omitempty"`
	// Signature is this profile's signed-tag policy; "" means the
	// checker's (Config.Signature). Key: signature.
	Signature SignaturePolicy `json:"signature,omitempty"`
}

// BaseRule says what a pull request's base must be.
type BaseRule string

// Base rules.
const (
	// BaseAccepted: a commit of any accepted tree.
	BaseAccepted BaseRule = "accepted"
	// BaseMainlineTag: a mainline release tag, vX.Y or vX.Y-rcN.
	BaseMainlineTag BaseRule = "mainline-tag"
	// BaseUpstream: a commit of the profile's Upstream tree (its
	// configured refs: rdma-core's master and stable-vNN branches).
	BaseUpstream BaseRule = "upstream"
)

// Built-in profile names.
const (
	ProfileDriver   = "driver"
	ProfileShared   = "shared"
	ProfileRdmaCore = "rdma-core"
)

// DefaultProfiles returns the linux-rdma profiles for cfg: the driver
// rules of cfg.Scope and cfg.UAPI (or their defaults), the mlx5-next
// shared branch and rdma-core.
func DefaultProfiles(cfg Config) []Profile {
	return []Profile{driverProfile(cfg), sharedProfile(), rdmaCoreProfile()}
}

func driverProfile(cfg Config) Profile {
	p := Profile{Name: ProfileDriver, Scope: []string{cfg.Scope}, UAPI: slices.Clone(cfg.UAPI), Base: BaseAccepted}
	if cfg.Scope == "" {
		p.Scope = []string{defaultScope}
	}
	if cfg.UAPI == nil {
		p.UAPI = []string{kernelUAPI}
	}
	return p
}

// defaultScope is the driver profile's directory.
const defaultScope = "drivers/infiniband/hw/<driver>/"

// withDefaults fills what a configured profile leaves out.
func (p Profile) withDefaults() Profile {
	if p.Base == "" {
		p.Base = BaseAccepted
	}
	return p
}

func (p Profile) validate(trees []string) error {
	if !validName(p.Name) {
		return fmt.Errorf("gitcheck: bad profile name %q", p.Name)
	}
	if p.Signature != "" && !p.Signature.valid() {
		return fmt.Errorf("gitcheck: profile %s: unknown signature policy %q", p.Name, p.Signature)
	}
	switch p.Base {
	case BaseAccepted, BaseMainlineTag, BaseUpstream:
	default:
		return fmt.Errorf("gitcheck: profile %s: unknown base rule %q", p.Name, p.Base)
	}
	for _, s := range p.Scope {
		if strings.Count(s, "<driver>") != 1 {
			return fmt.Errorf("gitcheck: profile %s: scope %q must contain <driver> once", p.Name, s)
		}
	}
	if len(p.Scope) == 0 && len(p.Paths) == 0 {
		return fmt.Errorf("gitcheck: profile %s allows no path (set scope or path)", p.Name)
	}
	for _, t := range []string{p.Upstream, p.Self, p.SelectBaseIn} {
		if t != "" && !slices.Contains(trees, t) {
			return fmt.Errorf("gitcheck: profile %s names tree %q, which is not an accepted tree", p.Name, t)
		}
	}
	return nil
}

// Profiles returns the profiles the Checker judges by, the driver one
// first.
func (c *Checker) Profiles() []Profile {
	return slices.Clone(c.cfg.Profiles)
}

func (c *Checker) profile(name string) (*Profile, error) {
	i := slices.IndexFunc(c.cfg.Profiles, func(p Profile) bool { return p.Name == name })
	if i < 0 {
		return nil, fmt.Errorf("gitcheck: no profile %q", name)
	}
	p := c.cfg.Profiles[i]
	return &p, nil
}

// upstream is the tree the active profile's branches are built on.
func (c *Checker) upstream() string {
	if c.active != nil && c.active.Upstream != "" {
		return c.active.Upstream
	}
	return c.cfg.Mainline
}

// maskOf returns the accepted trees holding h, leaving out the active
// profile's own tree.
func (c *Checker) maskOf(h plumbing.Hash) uint32 {
	m := c.idx.mask(h)
	if c.active != nil && c.active.Self != "" {
		m &^= c.idx.bit(c.active.Self)
	}
	return m
}

// profilesWithDefaults returns the default profiles fitted to the
// configured trees, each replaced by the configured profile of the
// same name, then the other configured profiles.
func (c Config) profilesWithDefaults() []Profile {
	out := c.fitDefaults(DefaultProfiles(c))
	for _, p := range c.Profiles {
		p = p.withDefaults()
		if i := slices.IndexFunc(out, func(q Profile) bool { return q.Name == p.Name }); i >= 0 {
			out[i] = p
		} else {
			out = append(out, p)
		}
	}
	return out
}

// fitDefaults drops what the built-in profiles need from trees that
// are not configured: the own tree of a shared branch, the rdma-core
// profile without an rdma-core tree.
func (c Config) fitDefaults(ps []Profile) []Profile {
	trees := c.treeNames()
	out := ps[:0]
	for _, p := range ps {
		if p.Self != "" && !slices.Contains(trees, p.Self) {
			p.Self = ""
		}
		if p.SelectBaseIn != "" && !slices.Contains(trees, p.SelectBaseIn) {
			p.SelectBaseIn = ""
		}
		if p.Upstream != "" && !slices.Contains(trees, p.Upstream) {
			continue
		}
		out = append(out, p)
	}
	return out
}

func (c Config) treeNames() []string {
	names := make([]string, len(c.Trees))
	for i, t := range c.Trees {
		names[i] = t.Name
	}
	return names
}
