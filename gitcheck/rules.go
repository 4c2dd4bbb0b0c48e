package gitcheck

import (
	"fmt"
	"slices"
	"strings"
)

// scope is the per-driver directory pattern, split around <driver>.
type scope struct {
	prefix, suffix string
}

func newScope(pattern string) scope {
	p, s, _ := strings.Cut(pattern, "<driver>")
	return scope{prefix: p, suffix: s}
}

// driver returns the driver whose directory holds path, if any.
func (s scope) driver(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, s.prefix)
	if !ok {
		return "", false
	}
	end := strings.IndexByte(rest, '/')
	if s.suffix != "" && s.suffix != "/" {
		end = strings.Index(rest, s.suffix)
	}
	if end <= 0 {
		return "", false
	}
	return rest[:end], true
}

func (s scope) dir(driver string) string {
	return s.prefix + driver + s.suffix
}

// pickDriver returns the driver most own commits touch (ties broken by
// name) and every driver touched.
func (s scope) pickDriver(commits []Commit) (string, []string) {
	n := map[string]int{}
	for _, c := range commits {
		seen := map[string]bool{}
		for _, p := range c.Paths {
			if d, ok := s.driver(p); ok && !seen[d] {
				seen[d] = true
				n[d]++
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

// judgeCommits applies the empty, out-of-scope and uapi-change rules.
func (c *Checker) judgeCommits(v *Verdict) {
	if len(v.Commits) == 0 {
		v.add(Finding{Code: CodeEmpty, Severity: Error,
			Message: "the ref adds no commit that is not already in an accepted tree"})
		return
	}
	sc := newScope(c.cfg.Scope)
	driver, all := sc.pickDriver(v.Commits)
	v.Driver = driver
	if len(all) > 1 {
		v.add(Finding{Code: CodeOutOfScope, Severity: Error,
			Message: fmt.Sprintf("the pull request touches %d drivers (%s); it may touch only one",
				len(all), strings.Join(all, ", "))})
	}
	for _, cm := range v.Commits {
		c.judgeCommit(v, sc.dir(driver), driver != "", cm)
	}
}

func (c *Checker) judgeCommit(v *Verdict, dir string, haveDriver bool, cm Commit) {
	var outside, uapi []string
	for _, p := range cm.Paths {
		switch {
		case c.isUAPI(p):
			uapi = append(uapi, p)
		case !haveDriver || !strings.HasPrefix(p, dir):
			outside = append(outside, p)
		}
	}
	where := dir
	if !haveDriver {
		where = c.cfg.Scope
	}
	if len(outside) > 0 {
		v.add(commitFinding(CodeOutOfScope, cm, outside,
			fmt.Sprintf("touches %s outside %s", listPaths(outside), where)))
	}
	if len(uapi) > 0 {
		v.add(commitFinding(CodeUAPIChange, cm, uapi, "changes the uAPI: "+listPaths(uapi)))
	}
}

func (c *Checker) isUAPI(p string) bool {
	return slices.ContainsFunc(c.cfg.UAPI, func(u string) bool { return strings.HasPrefix(p, u) })
}

func commitFinding(code Code, cm Commit, paths []string, msg string) Finding {
	return Finding{Code: code, Severity: Error, Commit: shortSHA(cm.SHA), Subject: cm.Subject,
		Paths: paths, Message: msg}
}

// listPaths names up to three paths.
func listPaths(paths []string) string {
	if len(paths) <= 3 {
		return strings.Join(paths, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(paths[:3], ", "), len(paths)-3)
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}
