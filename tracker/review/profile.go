package review

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/tracker"
)

// ProfileDriver is the rule profile of the 2017 process: a driver
// team's pull request, based on accepted trees, touching only
// drivers/infiniband/hw/<driver>/, no uAPI.
const ProfileDriver = gitcheck.ProfileDriver

// Selector holds what profileFor chooses by.
type Selector struct {
	// Profiles are the checker's profiles (gitcheck.Checker.Profiles),
	// tried in order by their Select fields.
	Profiles []gitcheck.Profile
	// TreesHolding names the accepted trees holding a commit
	// (gitcheck.Checker.TreesHolding); nil skips the choice by base.
	TreesHolding func(commit string) ([]string, error)
}

// profileFor chooses the rule profile that judges an incoming pull
// request, and says why. This is the one place profiles are chosen:
// first by the pull request's URL and ref, then by the tree its base is
// in; a pull request that fits no profile is judged by the driver one.
func profileFor(rec *tracker.PullRequestRecord, sel *Selector) (name, why string, err error) {
	if rec.Role != tracker.RoleIncoming && rec.Role != "" {
		return "", "", fmt.Errorf("a %s pull request is not judged by the rules", rec.Role)
	}
	if sel == nil {
		return ProfileDriver, "no profiles configured", nil
	}
	url, ref := normalURL(rec.Pull.URL), normalRef(rec.Pull.Ref)
	for _, p := range sel.Profiles {
		if matchAny(p.SelectURLs, url, normalURL) && (len(p.SelectRefs) == 0 || matchAny(p.SelectRefs, ref, normalRef)) {
			return p.Name, fmt.Sprintf("its URL %s and ref %s fit the %s profile", url, orHEAD(ref), p.Name), nil
		}
	}
	if name, why := byBase(rec.Pull.Base, sel); name != "" {
		return name, why, nil
	}
	return ProfileDriver, "no profile's URL, ref or base fits: the driver rules", nil
}

// byBase picks the first profile whose SelectBaseIn tree holds base.
func byBase(base string, sel *Selector) (string, string) {
	if sel.TreesHolding == nil || base == "" {
		return "", ""
	}
	trees, err := sel.TreesHolding(base)
	if err != nil {
		return "", ""
	}
	for _, p := range sel.Profiles {
		if p.SelectBaseIn != "" && slices.Contains(trees, p.SelectBaseIn) {
			return p.Name, fmt.Sprintf("its base %s is in %s", shortHash(base), p.SelectBaseIn)
		}
	}
	return "", ""
}

func matchAny(patterns []string, s string, norm func(string) string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool {
		ok, err := path.Match(norm(p), s)
		return err == nil && ok
	})
}

// normalURL drops a URL's scheme, user, trailing slash and ".git".
func normalURL(u string) string {
	if _, rest, ok := strings.Cut(u, "://"); ok {
		u = rest
	}
	if at := strings.IndexByte(u, '@'); at >= 0 && at < strings.IndexByte(u+"/", '/') {
		u = u[at+1:]
	}
	u = strings.TrimSuffix(u, "/")
	return strings.TrimSuffix(u, ".git")
}

// normalRef drops "refs/" and "heads/" from a ref.
func normalRef(r string) string {
	r = strings.TrimPrefix(r, "refs/")
	return strings.TrimPrefix(r, "heads/")
}

func orHEAD(ref string) string {
	if ref == "" {
		return "HEAD"
	}
	return ref
}

// kernelCycle reports whether a profile's pull requests follow the
// kernel's merge windows: rdma-core, userspace, releases on its own.
func kernelCycle(profile string) bool {
	return profile != gitcheck.ProfileRdmaCore
}
