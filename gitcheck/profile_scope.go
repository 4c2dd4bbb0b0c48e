package gitcheck

import (
	"fmt"
	"slices"
	"strings"
)

// pickDriver returns the driver most own commits touch under the
// directory patterns of scopes (ties broken by name) and every driver
// touched.
func pickDriver(scopes []scope, commits []Commit) (string, []string) {
	n := map[string]int{}
	for _, c := range commits {
		seen := map[string]bool{}
		for _, p := range c.Paths {
			for _, s := range scopes {
				if d, ok := s.driver(p); ok && !seen[d] {
					seen[d] = true
					n[d]++
				}
			}
		}
	}
	all := make([]string, 0, len(n))
	for d := range n {
		all = append(all, d)
	}
	slices.SortFunc(all, func(a, b string) int {
		if n[a] != n[b] {
			return n[b] - n[a]
		}
		return strings.Compare(a, b)
	})
	if len(all) == 0 {
		return "", nil
	}
	return all[0], all
}

// allowed is what one pull request's own commits may touch under a
// profile once its driver is known.
type allowed struct {
	prefixes []string // scope patterns with the driver, then paths
	where    string   // how findings name them
	uapi     []string
	headers  string
}

func (p *Profile) allowedFor(driver string) allowed {
	a := allowed{uapi: p.UAPI, headers: p.Headers}
	if driver != "" {
		for _, s := range p.Scope {
			a.prefixes = append(a.prefixes, newScope(s).dir(driver))
		}
	}
	a.prefixes = append(a.prefixes, p.Paths...)
	if len(a.prefixes) == 0 {
		a.where = strings.Join(p.Scope, ", ")
	} else {
		a.where = strings.Join(a.prefixes, ", ")
	}
	return a
}

func hasPrefix(p string, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(u string) bool { return strings.HasPrefix(p, u) })
}

// judgeCommits applies the empty, out-of-scope and uapi-change rules of
// the profile, and collects the uAPI copies for checkHeaders.
func (c *Checker) judgeCommits(v *Verdict, p *Profile) []string {
	if len(v.Commits) == 0 {
		v.add(Finding{Code: CodeEmpty, Severity: Error,
			Message: "the ref adds no commit that is not already in an accepted tree"})
		return nil
	}
	scopes := make([]scope, 0, len(p.Scope))
	for _, s := range p.Scope {
		scopes = append(scopes, newScope(s))
	}
	driver, all := pickDriver(scopes, v.Commits)
	v.Driver = driver
	if len(all) > 1 {
		v.add(Finding{Code: CodeOutOfScope, Severity: Error,
			Message: fmt.Sprintf("the pull request touches %d drivers (%s); it may touch only one",
				len(all), strings.Join(all, ", "))})
	}
	a := p.allowedFor(driver)
	var headers []string
	for _, cm := range v.Commits {
		headers = append(headers, judgeCommit(v, a, cm)...)
	}
	slices.Sort(headers)
	return slices.Compact(headers)
}

// judgeCommit judges one commit's paths and returns those under the
// uAPI copy.
func judgeCommit(v *Verdict, a allowed, cm Commit) []string {
	var outside, uapi, headers []string
	for _, p := range cm.Paths {
		switch {
		case hasPrefix(p, a.uapi):
			uapi = append(uapi, p)
		case a.headers != "" && strings.HasPrefix(p, a.headers):
			headers = append(headers, p)
		case !hasPrefix(p, a.prefixes):
			outside = append(outside, p)
		}
	}
	if len(outside) > 0 {
		v.add(commitFinding(CodeOutOfScope, cm, outside,
			fmt.Sprintf("touches %s outside %s", listPaths(outside), a.where)))
	}
	if len(uapi) > 0 {
		v.add(commitFinding(CodeUAPIChange, cm, uapi, "changes the uAPI: "+listPaths(uapi)))
	}
	return headers
}
