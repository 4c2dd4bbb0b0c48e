package gitcheck

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/prtrack/prtrack/mailparse"
)

// Checker checks pull requests against the accepted trees of one local
// repository. Its methods may be called from several goroutines; they
// run one at a time. A Checker reads the accepted refs once and then
// follows only its own UpdateTrees: open a new one to see updates made
// by another process.
type Checker struct {
	cfg Config
	log *slog.Logger
	st  *store
	git *gitCLI // nil: go-git only
	now func() time.Time

	mu     sync.Mutex
	idx    *acceptedIndex                  // loaded on first use
	peeled map[plumbing.Hash]plumbing.Hash // accepted ref to commit
	tips   map[string][]tipCommit          // accepted tips the index is built for
	trust  trustCache                      // MAINTAINERS and keyring, while unchanged
	active *Profile                        // the profile of the running check
}

// New opens (or creates) the repository named by cfg.Repo.
func New(cfg Config) (*Checker, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	disableFileTransport()
	guardRedirects()
	st, err := openStore(cfg.Repo)
	if err != nil {
		return nil, err
	}
	c := &Checker{cfg: cfg, log: cfg.Logger, st: st, now: time.Now,
		peeled: map[plumbing.Hash]plumbing.Hash{}}
	idle := max(cfg.TreeTimeout, cfg.FetchTimeout) + time.Minute
	if n := sweepTempPacks(filepath.Join(st.gitDir, "objects", "pack"), idle, c.now()); n > 0 {
		c.log.Info("removed temporary packs left by an interrupted fetch", "files", n)
	}
	if path, err := findGit(cfg.Git); err == nil {
		if c.git, err = newGitCLI(path, st.gitDir); err != nil {
			st.Close()
			return nil, err
		}
	} else {
		c.log.Info("accepted trees are fetched with go-git", "why", err)
	}
	return c, nil
}

// Close releases the repository.
func (c *Checker) Close() error {
	if c.git != nil {
		c.git.close()
	}
	if c.idx != nil {
		c.idx.close()
	}
	return c.st.Close()
}

// URLPolicy returns the policy mail URLs are checked against.
func (c *Checker) URLPolicy() URLPolicy {
	return URLPolicy{Schemes: c.cfg.Schemes, Hosts: c.cfg.Hosts}
}

// Check fetches the pull request into refs/prtrack/<id>/ and judges it.
// Problems of the pull request, of its URL or of the network are in the
// verdict; the error is for failures of prtrack's own repository. id
// must be usable as a ref component (letters, digits, "-", "_", ".").
//
// A pull request whose tip is already on an accepted branch has been
// pulled: its verdict is accepted with Merged set to where the tip
// entered (the mainline when it is there) and nothing is fetched. The
// tip is the one the mail names, found in the local repository without
// fetching (the branch may since have moved or gone); only when the mail
// names none (the pre-1.7.9 format) is it the fetched one. A fetched tip
// that differs from the mail's never counts as merged: a branch reset
// onto a mainline release after sending is a moved ref, not a merge.
//
// Check judges by the driver profile; CheckWith by another.
func (c *Checker) Check(ctx context.Context, id string, pr *mailparse.PullRequest) (*Verdict, error) {
	return c.CheckWith(ctx, id, pr, ProfileDriver)
}

func (c *Checker) check(ctx context.Context, id string, pr *mailparse.PullRequest) (*Verdict, error) {
	if !validName(id) {
		return nil, fmt.Errorf("gitcheck: bad pull request id %q", id)
	}
	if pr == nil {
		return nil, fmt.Errorf("gitcheck: no pull request to check")
	}
	v := &Verdict{ID: id, URL: pr.URL, CheckedAt: c.now().UTC(), Profile: c.active.Name}
	url, err := CheckURL(pr.URL, c.URLPolicy())
	if err == nil {
		err = CheckRef(pr.Ref)
	}
	if err != nil {
		v.add(Finding{Code: CodeURLRefused, Severity: Error, Message: err.Error()})
		v.settle()
		return v, nil
	}
	tips, err := c.accepted(ctx)
	if err != nil {
		return nil, err
	}
	if len(tips[c.cfg.Mainline]) == 0 {
		v.Status = Unchecked
		v.Reason = fmt.Sprintf("the %s tree has not been fetched yet (update the accepted trees)", c.cfg.Mainline)
		return v, nil
	}
	if c.upstreamMissing(v, tips) {
		return v, nil
	}
	m, err := c.merged(ctx, pr.Tip, pr.Base, tips)
	if err != nil {
		return nil, err
	}
	if m != nil {
		v.Tip = strings.ToLower(pr.Tip)
		err = c.setMerged(ctx, v, m, plumbing.NewHash(v.Tip), tips)
	} else {
		err = c.fetchAndJudge(ctx, v, id, url, pr, tips)
	}
	if err != nil {
		return nil, err
	}
	v.settle()
	var into string
	if v.Merged != nil {
		into = v.Merged.Tree
	}
	c.log.Info("pull request checked", "id", id, "status", v.Status, "findings", len(v.Findings),
		"commits", len(v.Commits), "merged_into", into, "elapsed", time.Since(v.CheckedAt))
	return v, nil
}

// fetchAndJudge fetches the pull request and judges what it fetched.
func (c *Checker) fetchAndJudge(ctx context.Context, v *Verdict, id, url string, pr *mailparse.PullRequest, tips map[string][]tipCommit) error {
	f, err := c.fetchRequest(ctx, id, url, pr, tips)
	if err != nil {
		c.fetchFailed(v, pr.Ref, err)
		return nil
	}
	v.Ref, v.LocalRef, v.Tip = f.remoteRef, f.localRef, f.tip.String()
	return c.judge(ctx, v, pr, f, tips)
}

func (c *Checker) fetchFailed(v *Verdict, ref string, err error) {
	if errors.Is(err, errRefMissing) {
		if ref == "" {
			ref = "HEAD"
		}
		v.add(Finding{Code: CodeRefMissing, Severity: Error,
			Message: fmt.Sprintf("%s has no ref %q", v.URL, ref)})
		return
	}
	v.Status = Unchecked
	v.Failure = classifyFetch(err)
	v.Reason = "fetch failed: " + err.Error()
	v.OverLimit = errors.Is(err, ErrTooLarge)
	v.add(Finding{Code: CodeFetchFailed, Severity: Error, Message: err.Error()})
}

// judge runs every rule on a fetched pull request.
func (c *Checker) judge(ctx context.Context, v *Verdict, pr *mailparse.PullRequest, f *fetched, tips map[string][]tipCommit) error {
	if pr.Tip == "" { // the pre-1.7.9 format: the fetched tip is the request
		m, err := c.merged(ctx, f.tip.String(), pr.Base, tips)
		if err != nil {
			return err
		}
		if m != nil {
			return c.setMerged(ctx, v, m, f.tip, tips)
		}
	}
	v.Accepted = c.acceptedRefs(tips)
	moved := c.checkTip(v, pr.Tip, f.tip)
	base := c.checkBaseBy(v, c.active, pr.Base, tips)
	if err := c.checkSignature(v, f.tag, pr.Sender); err != nil {
		return err
	}
	h, err := c.walkTip(ctx, f.tip)
	if errors.Is(err, errWalkLimit) {
		v.Status, v.Reason = Unchecked, err.Error()
		return nil
	}
	if err != nil {
		return err
	}
	if v.Commits, err = c.describe(ctx, h.own); err != nil {
		return err
	}
	if err := c.judgeProfile(ctx, v, f.tip, tips); err != nil {
		return err
	}
	c.checkMaintainers(v, pr.Sender, tips)
	v.Shared = h.shared
	v.Readiness = c.readiness(h)
	if base.IsZero() || moved {
		return nil // the mail's diffstat describes another range
	}
	return c.checkDiffstat(ctx, v, pr.Diffstat, base, f.tip)
}

// merged reports whether the pull request with this tip and base has
// been pulled into an accepted tree, and where. A tip equal to its base
// requests nothing and is not merged.
func (c *Checker) merged(ctx context.Context, tip, base string, tips map[string][]tipCommit) (*Merge, error) {
	h, ok := parseCommit(tip)
	if !ok || strings.EqualFold(tip, base) {
		return nil, nil
	}
	return c.pulledInto(ctx, h, tips)
}

// setMerged makes v the verdict of a pulled pull request: accepted, with
// no commits of its own left to judge.
//
// Readiness keeps its meaning, sendable to Linus: clean once the tip is
// in the mainline. Pulled into another tree only (rdma for-next, say),
// the pull request is now that tree's business and not in Linus's tree
// yet, so it is waiting, its commits counted as shared ones on the trees
// holding them. The count walks only the commits outside the mainline;
// beyond Config.MaxWalk of them it is left out (waiting, no counts).
func (c *Checker) setMerged(ctx context.Context, v *Verdict, m *Merge, tip plumbing.Hash, tips map[string][]tipCommit) error {
	v.Merged = m
	v.Accepted = c.acceptedRefs(tips)
	if m.Tree == c.upstream() {
		v.Readiness = &Readiness{State: Clean}
		return nil
	}
	h, err := c.walkTip(ctx, tip)
	if errors.Is(err, errWalkLimit) {
		c.log.Info("pulled commits not counted", "tip", tip, "err", err)
		v.Readiness = &Readiness{State: Waiting}
		return nil
	}
	if err != nil {
		return err
	}
	v.Shared = h.shared
	v.Readiness = c.readiness(h)
	return nil
}

// acceptedRefs lists the accepted branches the check was judged
// against; tags, which never move, are left out.
func (c *Checker) acceptedRefs(tips map[string][]tipCommit) []AcceptedRef {
	var out []AcceptedRef
	for _, t := range c.cfg.Trees {
		for _, tc := range tips[t.Name] {
			if !strings.HasPrefix(tc.Ref, "tags/") {
				out = append(out, AcceptedRef{Tree: t.Name, Ref: tc.Ref, Commit: tc.Commit.String()})
			}
		}
	}
	return out
}

// checkTip reports whether the ref moved away from the mail's tip.
func (c *Checker) checkTip(v *Verdict, want string, got plumbing.Hash) bool {
	if want == "" || strings.EqualFold(want, got.String()) {
		return false
	}
	var subject string
	if cm, err := c.st.commit(got); err == nil {
		subject, _, _ = strings.Cut(cm.Message, "\n")
	}
	v.add(Finding{Code: CodeTipMismatch, Severity: Error, Commit: shortSHA(got.String()), Subject: subject,
		Message: fmt.Sprintf("%s is at %s, not at %s as the mail says (moved or rebased after sending)",
			v.Ref, shortSHA(got.String()), shortSHA(want))})
	return true
}

// checkBase returns the base commit when the mail names a well-formed one.
func (c *Checker) checkBase(v *Verdict, base string) plumbing.Hash {
	h, ok := parseCommit(base)
	if !ok {
		v.add(Finding{Code: CodeBaseNotAccepted, Severity: Error,
			Message: fmt.Sprintf("the mail names no usable base commit (%q)", base)})
		return plumbing.ZeroHash
	}
	if c.idx.mask(h) == 0 {
		v.add(Finding{Code: CodeBaseNotAccepted, Severity: Error, Commit: shortSHA(base),
			Message: fmt.Sprintf("base %s is in none of the accepted trees", shortSHA(base))})
	}
	return h
}

// describe reads the subjects and changed paths of the own commits.
func (c *Checker) describe(ctx context.Context, own []plumbing.Hash) ([]Commit, error) {
	out := make([]Commit, 0, len(own))
	for _, h := range own {
		cm, err := c.st.commit(h)
		if err != nil {
			return nil, err
		}
		paths, err := changedPaths(ctx, cm)
		if err != nil {
			return nil, err
		}
		subject, _, _ := strings.Cut(cm.Message, "\n")
		out = append(out, Commit{SHA: h.String(), Subject: subject, Merge: cm.NumParents() > 1, Paths: paths})
	}
	return out, nil
}

func (c *Checker) readiness(h *history) *Readiness {
	if h.shared == 0 {
		return &Readiness{State: Clean}
	}
	r := &Readiness{State: Waiting}
	for i, n := range h.perTree {
		if n > 0 {
			r.Waiting = append(r.Waiting, TreeCount{Tree: c.idx.Trees[i], Commits: n})
		}
	}
	return r
}
