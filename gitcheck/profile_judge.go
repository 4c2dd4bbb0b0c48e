package gitcheck

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/prtrack/prtrack/mailparse"
)

// Finding codes of the shared-branch profile.
const (
	CodeBaseNotTag    Code = "base-not-tag"
	CodeRebasedShared Code = "rebased-shared"
)

// CheckWith is Check judging by the named profile (see Profiles).
func (c *Checker) CheckWith(ctx context.Context, id string, pr *mailparse.PullRequest, profile string) (*Verdict, error) {
	p, err := c.profile(profile)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.active = p
	defer func() { c.active = nil }()
	return c.check(ctx, id, pr)
}

// upstreamMissing reports, for a profile built on a tree other than
// the mainline, that this tree has not been fetched.
func (c *Checker) upstreamMissing(v *Verdict, tips map[string][]tipCommit) bool {
	up := c.upstream()
	if up == c.cfg.Mainline || len(tips[up]) > 0 {
		return false
	}
	v.Status = Unchecked
	v.Reason = fmt.Sprintf("the %s tree has not been fetched yet (update the accepted trees)", up)
	return true
}

// judgeProfile applies the active profile's path, uAPI-copy and
// append-only rules to the own commits.
func (c *Checker) judgeProfile(ctx context.Context, v *Verdict, tip plumbing.Hash, tips map[string][]tipCommit) error {
	p := c.active
	headers := c.judgeCommits(v, p)
	if err := c.checkHeaders(v, p, headers, tip, tips); err != nil {
		return err
	}
	if !p.AppendOnly {
		return nil
	}
	err := c.checkAppendOnly(ctx, v, tips)
	if errors.Is(err, errWalkLimit) {
		v.Status, v.Reason = Unchecked, err.Error()
		return nil
	}
	return err
}
