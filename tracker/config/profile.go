package config

import (
	"fmt"
	"slices"

	gitconfig "github.com/go-git/go-git/v5/plumbing/format/config"
	"github.com/prtrack/prtrack/gitcheck"
)

// profiles reads the [profile "NAME"] sections:
//
//	[profile "NAME"]           # replaces the built-in profile of that name (driver, shared, rdma-core) or adds one
//		url = HOST/PATH        # repeatable glob on the pull request's URL without scheme and .git
//		ref = REF              # repeatable glob on its ref (mlx5-next, tags/mlx5-next-*)
//		baseIn = TREE          # or: its base is in this accepted tree
//		scope = DIR/<driver>/  # repeatable: per-driver paths own commits may touch
//		path = PREFIX          # repeatable: paths they may touch whatever the driver
//		uapi = PREFIX          # repeatable: paths they must not touch
//		headers = PREFIX       # a copy of include/uapi/ (kernel-headers/)
//		base = accepted|mainline-tag|upstream
//		upstream = TREE        # the tree this kind of branch is built on (default the mainline)
//		self = TREE            # the accepted tree that is the branch itself
//		appendOnly = false     # reject changed copies of already pulled commits
//		signature = warn       # off, warn or require; default check.signature
//
// A section of a built-in name starts from the built-in profile; the
// keys it sets replace that profile's values.
func (c *Config) profiles(g gitcheck.Config) ([]gitcheck.Profile, error) {
	builtin := gitcheck.DefaultProfiles(g)
	var out []gitcheck.Profile
	for _, sub := range c.File.Section("profile").Subsections {
		p := gitcheck.Profile{Name: sub.Name}
		if i := slices.IndexFunc(builtin, func(b gitcheck.Profile) bool { return b.Name == sub.Name }); i >= 0 {
			p = builtin[i]
		}
		if err := c.readProfile(sub, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (c *Config) readProfile(sub *gitconfig.Subsection, p *gitcheck.Profile) error {
	lists := map[string]*[]string{"url": &p.SelectURLs, "ref": &p.SelectRefs, "scope": &p.Scope,
		"path": &p.Paths, "uapi": &p.UAPI}
	for key, dst := range lists {
		if sub.HasOption(key) {
			*dst = sub.OptionAll(key)
		}
	}
	strs := map[string]*string{"baseIn": &p.SelectBaseIn, "headers": &p.Headers, "upstream": &p.Upstream, "self": &p.Self}
	for key, dst := range strs {
		if sub.HasOption(key) {
			*dst = sub.Option(key)
		}
	}
	if sub.HasOption("base") {
		p.Base = gitcheck.BaseRule(sub.Option("base"))
	}
	if sub.HasOption("signature") {
		p.Signature = gitcheck.SignaturePolicy(sub.Option("signature"))
	}
	if sub.HasOption("appendOnly") {
		if err := boolInto(&p.AppendOnly)(sub.Option("appendOnly")); err != nil {
			return fmt.Errorf("config: %s: profile.%s.appendOnly: %w", c.Path, p.Name, err)
		}
	}
	return nil
}
