package gitcheck

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/prtrack/prtrack/mailparse"
)

// checkDiffstat compares the mail's diffstat with the paths that differ
// between the base and the tip. It says nothing when the mail has no
// diffstat or the base is not in the repository.
func (c *Checker) checkDiffstat(ctx context.Context, v *Verdict, ds mailparse.Diffstat, base, tip plumbing.Hash) error {
	if len(ds.Files) == 0 {
		return nil
	}
	bc, err := c.st.commit(base)
	if err != nil {
		return nil
	}
	tc, err := c.st.commit(tip)
	if err != nil {
		return err
	}
	bt, err := bc.Tree()
	if err != nil {
		return err
	}
	tt, err := tc.Tree()
	if err != nil {
		return err
	}
	paths, err := diffPaths(ctx, bt, tt)
	if err != nil {
		return fmt.Errorf("gitcheck: diff %s..%s: %w", base, tip, err)
	}
	if msg := compareDiffstat(ds, paths); msg != "" {
		v.add(Finding{Code: CodeDiffstatMismatch, Severity: Warning, Message: msg})
	}
	return nil
}

// compareDiffstat returns why the diffstat disagrees with the changed
// paths, or "". Truncated paths (".../file") match by suffix; renames
// ("a => b") count as one diffstat line but two changed paths, so the
// counts are compared only when there is none.
func compareDiffstat(ds mailparse.Diffstat, paths []string) string {
	var missing []string
	renames := 0
	for _, f := range ds.Files {
		switch {
		case strings.Contains(f.Path, " => "):
			renames++
		case !matchesAny(f.Path, paths):
			missing = append(missing, f.Path)
		}
	}
	if len(missing) > 0 {
		return fmt.Sprintf("the mail's diffstat lists %s, which the fetched range does not change", listPaths(missing))
	}
	if renames == 0 && len(ds.Files) != len(paths) {
		return fmt.Sprintf("the mail's diffstat lists %d files but the fetched range changes %d", len(ds.Files), len(paths))
	}
	return ""
}

func matchesAny(p string, paths []string) bool {
	tail, truncated := strings.CutPrefix(p, ".../")
	for _, q := range paths {
		if q == p || truncated && strings.HasSuffix(q, "/"+tail) {
			return true
		}
	}
	return false
}
