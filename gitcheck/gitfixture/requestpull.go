package gitfixture

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// RequestPull renders the "git request-pull" text a driver team would
// mail for the sample, quoting url (the repository's URL) and the
// sample's ref, base and tip.
func (k *Kernel) RequestPull(ctx context.Context, s Sample, url string) (string, error) {
	describe := func(h string) (string, error) {
		out, err := runGit(ctx, k.world, nil, "show", "-s", "--format=%s (%ci)", h)
		return strings.TrimSpace(out), err
	}
	base, err := describe(s.Base)
	if err != nil {
		return "", err
	}
	tip, err := describe(s.Tip)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The following changes since commit %s:\n\n  %s\n\n", s.Base, base)
	fmt.Fprintf(&b, "are available in the Git repository at:\n\n  %s %s\n\n", url, s.Ref)
	fmt.Fprintf(&b, "for you to fetch changes up to %s:\n\n  %s\n\n", s.Tip, tip)
	b.WriteString(strings.Repeat("-", 64) + "\n")
	if tag, ok := strings.CutPrefix(s.Ref, "tags/"); ok {
		msg, err := runGit(ctx, filepath.Join(k.Root, s.Repo), nil, "for-each-ref", "--format=%(contents)", "refs/tags/"+tag)
		if err != nil {
			return "", err
		}
		b.WriteString(strings.TrimSpace(msg) + "\n\n" + strings.Repeat("-", 64) + "\n")
	}
	shortlog, err := runGit(ctx, k.world, nil, "shortlog", s.Base+".."+s.Tip)
	if err != nil {
		return "", err
	}
	stat, err := runGit(ctx, k.world, nil, "diff", "-M", "--stat", "--summary", s.Base, s.Tip)
	if err != nil {
		return "", err
	}
	b.WriteString(shortlog + "\n" + stat)
	return b.String(), nil
}
