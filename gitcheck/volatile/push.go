package volatile

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// DefaultPushTimeout bounds a push when PushOptions.Timeout is 0.
const DefaultPushTimeout = 5 * time.Minute

// PushOptions configure Push.
type PushOptions struct {
	Repo string // prtrack's repository
	// URL is the remote the maintainer names (volatile.push); it is
	// trusted configuration, not mail.
	URL string
	// Ref is the remote ref written; "" means DefaultRef.
	Ref     string
	Timeout time.Duration // 0 means DefaultPushTimeout
	Git     string        // "" means "git"
}

// Push force-pushes commit (a rebuilt volatile tree replaces the old
// one) to the configured remote with the git CLI. Unlike the merges, it
// keeps the user's global git configuration, where credentials and URL
// rewrites live; the system configuration, prompts and hooks stay off.
func Push(ctx context.Context, o PushOptions, commit string) error {
	if o.URL == "" || strings.HasPrefix(o.URL, "-") {
		return fmt.Errorf("volatile: bad push URL %q", o.URL)
	}
	if !hexID.MatchString(commit) {
		return fmt.Errorf("volatile: push: bad commit %q", commit)
	}
	if o.Ref == "" {
		o.Ref = DefaultRef
	}
	if !strings.HasPrefix(o.Ref, "refs/") || strings.ContainsAny(o.Ref, ": ") {
		return fmt.Errorf("volatile: push: bad ref %q", o.Ref)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultPushTimeout
	}
	if o.Git == "" {
		o.Git = "git"
	}
	g := &git{path: o.Git, gitDir: gitDir(o.Repo), timeout: o.Timeout, keepConfig: true}
	if _, err := g.run(ctx, nil, "push", "--force", "--quiet", o.URL, commit+":"+o.Ref); err != nil {
		return fmt.Errorf("volatile: push to %s: %w", o.URL, err)
	}
	return nil
}
