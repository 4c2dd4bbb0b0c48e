package volatile

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The git operations the volatile tree is built from, each one git
// command with its output parsed strictly.

var hexID = regexp.MustCompile(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)

func exitCode(err error) (int, bool) {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code, true
	}
	return 0, false
}

// mergeResult is what merge-tree said about one merge.
type mergeResult struct {
	Tree      string   `json:"tree"`
	Conflicts []string `json:"conflicts,omitempty"` // conflicted paths; none when clean
}

// mergeTree merges theirs into ours without a work tree. A merge git
// refuses (unrelated histories, say) is an error.
func (g *git) mergeTree(ctx context.Context, ours, theirs string) (*mergeResult, error) {
	out, err := g.run(ctx, nil, "merge-tree", "--write-tree", "-z", "--name-only", "--no-messages", ours, theirs)
	if code, ok := exitCode(err); err != nil && (!ok || code != 1) {
		return nil, fmt.Errorf("volatile: merge %.12s into %.12s: %w", theirs, ours, err)
	}
	m, perr := parseMergeTree(out, err != nil)
	if perr != nil {
		return nil, fmt.Errorf("volatile: merge %.12s into %.12s: %w", theirs, ours, perr)
	}
	return m, nil
}

// parseMergeTree reads "merge-tree --write-tree -z --name-only
// --no-messages" output: the tree, a NUL, then each conflicted path
// followed by a NUL.
func parseMergeTree(out string, conflicted bool) (*mergeResult, error) {
	fields := strings.Split(out, "\x00")
	if len(fields) < 2 || fields[len(fields)-1] != "" || !hexID.MatchString(fields[0]) {
		return nil, fmt.Errorf("unexpected merge-tree output %q", out)
	}
	m := &mergeResult{Tree: fields[0]}
	for _, p := range fields[1 : len(fields)-1] {
		if p == "" {
			return nil, fmt.Errorf("unexpected merge-tree output %q", out)
		}
		m.Conflicts = append(m.Conflicts, p)
	}
	if conflicted != (len(m.Conflicts) > 0) {
		return nil, fmt.Errorf("merge-tree exit status and output disagree: %q", out)
	}
	return m, nil
}

// mergeTrees runs many merges in one "git merge-tree --stdin" (git
// 2.40 or later), one line "ours theirs" each, bounded in time by the
// timeout of as many commands. git stops at a merge it refuses
// (unrelated histories): that is an error for them all.
func (g *git) mergeTrees(ctx context.Context, merges [][2]string) ([]*mergeResult, error) {
	var in strings.Builder
	for _, m := range merges {
		in.WriteString(m[0] + " " + m[1] + "\n")
	}
	bounded := *g
	bounded.timeout = g.timeout * time.Duration(len(merges))
	out, err := bounded.runInput(ctx, in.String(), nil, "merge-tree", "--stdin", "--write-tree", "-z", "--name-only", "--no-messages")
	if err != nil {
		return nil, fmt.Errorf("volatile: merge-tree --stdin: %w", err)
	}
	ms, err := parseMergeTrees(out, len(merges))
	if err != nil {
		return nil, fmt.Errorf("volatile: merge-tree --stdin: %w", err)
	}
	return ms, nil
}

// parseMergeTrees reads n merges of "merge-tree --stdin --write-tree
// -z --name-only --no-messages" output: for each, its status (1 clean,
// 0 conflicted), a NUL, the tree, a NUL, each conflicted path followed
// by a NUL, and a NUL.
func parseMergeTrees(out string, n int) ([]*mergeResult, error) {
	fields := strings.Split(out, "\x00")
	var ms []*mergeResult
	i := 0
	for range n {
		if i+2 >= len(fields) || (fields[i] != "0" && fields[i] != "1") || !hexID.MatchString(fields[i+1]) {
			return nil, fmt.Errorf("unexpected output %.200q", out)
		}
		m := &mergeResult{Tree: fields[i+1]}
		clean := fields[i] == "1"
		for i += 2; i < len(fields) && fields[i] != ""; i++ {
			m.Conflicts = append(m.Conflicts, fields[i])
		}
		if i >= len(fields) || clean != (len(m.Conflicts) == 0) {
			return nil, fmt.Errorf("unexpected output %.200q", out)
		}
		i++
		ms = append(ms, m)
	}
	if i != len(fields)-1 || fields[i] != "" {
		return nil, fmt.Errorf("unexpected output after %d merges %.200q", n, out)
	}
	return ms, nil
}

// identity is the fixed author and committer of every volatile commit.
const (
	identityName  = "prtrack volatile"
	identityEmail = "volatile@prtrack.invalid"
)

// commitTree records a commit of tree with parents, dated at unix
// seconds, by the fixed identity.
func (g *git) commitTree(ctx context.Context, tree string, parents []string, msg string, when int64) (string, error) {
	date := strconv.FormatInt(when, 10) + " +0000"
	env := []string{"GIT_AUTHOR_NAME=" + identityName, "GIT_AUTHOR_EMAIL=" + identityEmail, "GIT_AUTHOR_DATE=" + date,
		"GIT_COMMITTER_NAME=" + identityName, "GIT_COMMITTER_EMAIL=" + identityEmail, "GIT_COMMITTER_DATE=" + date}
	args := []string{"commit-tree", "--no-gpg-sign", "-m", msg}
	for _, p := range parents {
		args = append(args, "-p", p)
	}
	out, err := g.run(ctx, env, append(args, tree)...)
	if err != nil {
		return "", fmt.Errorf("volatile: commit-tree: %w", err)
	}
	h := strings.TrimSpace(out)
	if !hexID.MatchString(h) {
		return "", fmt.Errorf("volatile: commit-tree: unexpected output %q", out)
	}
	return h, nil
}

// commitTime is a commit's committer date in unix seconds.
func (g *git) commitTime(ctx context.Context, c string) (int64, error) {
	out, err := g.run(ctx, nil, "log", "-1", "--format=%ct", c)
	if err != nil {
		return 0, fmt.Errorf("volatile: read commit %.12s: %w", c, err)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("volatile: read commit %.12s: date %q", c, out)
	}
	return n, nil
}

// isAncestor reports whether a is reachable from b.
func (g *git) isAncestor(ctx context.Context, a, b string) (bool, error) {
	_, err := g.run(ctx, nil, "merge-base", "--is-ancestor", a, b)
	if code, ok := exitCode(err); ok && code == 1 {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("volatile: merge-base: %w", err)
	}
	return true, nil
}

// touching lists, newest first, at most max non-merge commits reachable
// from include and not from exclude that touch paths.
func (g *git) touching(ctx context.Context, include, exclude string, paths []string, max int) ([]Commit, error) {
	args := []string{"log", "--no-merges", "-z", "--format=%H %s", "--max-count=" + strconv.Itoa(max), include, "^" + exclude, "--"}
	out, err := g.run(ctx, nil, append(args, paths...)...)
	if err != nil {
		return nil, fmt.Errorf("volatile: log: %w", err)
	}
	var cs []Commit
	for _, rec := range strings.Split(out, "\x00") {
		if rec == "" {
			continue
		}
		h, subject, _ := strings.Cut(rec, " ")
		if !hexID.MatchString(h) {
			return nil, fmt.Errorf("volatile: log: unexpected output %q", rec)
		}
		cs = append(cs, Commit{SHA: h[:12], Subject: subject})
	}
	return cs, nil
}

// updateRef points ref at commit.
func (g *git) updateRef(ctx context.Context, ref, commit string) error {
	if _, err := g.run(ctx, nil, "check-ref-format", ref); err != nil || !strings.HasPrefix(ref, "refs/") {
		return fmt.Errorf("volatile: bad ref name %q", ref)
	}
	if _, err := g.run(ctx, nil, "update-ref", "-m", "prtrack volatile", ref, commit); err != nil {
		return fmt.Errorf("volatile: update %s: %w", ref, err)
	}
	return nil
}
