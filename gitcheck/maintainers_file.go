package gitcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/prtrack/prtrack/gitcheck/maintainers"
)

// ErrNoMaintainers means the mainline tip has no MAINTAINERS file, or
// the mainline has not been fetched.
var ErrNoMaintainers = errors.New("no MAINTAINERS file at the mainline tip")

// maxMaintainersBytes bounds the MAINTAINERS blob read (the kernel's is
// under 1 MiB).
const maxMaintainersBytes = 16 << 20

// trustCache holds what the trust checks (sender-not-maintainer,
// signature) read, kept while its source is unchanged.
type trustCache struct {
	maint maintCache
	keys  keyCache
}

// maintCache is the parsed MAINTAINERS of the mainline tip, keyed by
// its blob.
type maintCache struct {
	blob plumbing.Hash
	file *maintainers.File
}

// Maintainers returns the MAINTAINERS file at the tip of the mainline
// branch (Linus's master), parsed; it is read again only when its blob
// changes. Its F: and X: names without a trailing "/" that are
// directories in that tree cover them recursively, as
// get_maintainer.pl run in a work tree of it would have them.
func (c *Checker) Maintainers(ctx context.Context) (*maintainers.File, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tips, err := c.accepted(ctx)
	if err != nil {
		return nil, err
	}
	return c.maintainersAt(tips)
}

func (c *Checker) maintainersAt(tips map[string][]tipCommit) (*maintainers.File, error) {
	tip, ok := c.mainlineHead(tips)
	if !ok {
		return nil, fmt.Errorf("gitcheck: %w", ErrNoMaintainers)
	}
	cm, err := c.st.commit(tip)
	if err != nil {
		return nil, err
	}
	tree, err := cm.Tree()
	if err != nil {
		return nil, fmt.Errorf("gitcheck: tree of %s: %w", tip, err)
	}
	e, err := tree.FindEntry("MAINTAINERS")
	if errors.Is(err, object.ErrEntryNotFound) || err == nil && !e.Mode.IsFile() {
		return nil, fmt.Errorf("gitcheck: %w", ErrNoMaintainers)
	}
	if err != nil {
		return nil, fmt.Errorf("gitcheck: find MAINTAINERS in %s: %w", tip, err)
	}
	if c.trust.maint.file != nil && c.trust.maint.blob == e.Hash {
		return c.trust.maint.file, nil
	}
	f, err := c.readMaintainers(e.Hash)
	if err != nil {
		return nil, err
	}
	f.MarkDirs(func(name string) bool {
		d, err := tree.FindEntry(name)
		return err == nil && d.Mode == filemode.Dir
	})
	c.trust.maint = maintCache{blob: e.Hash, file: f}
	return f, nil
}

func (c *Checker) readMaintainers(h plumbing.Hash) (*maintainers.File, error) {
	b, err := object.GetBlob(c.st.s, h)
	if err != nil {
		return nil, fmt.Errorf("gitcheck: read MAINTAINERS blob %s: %w", h, err)
	}
	r, err := b.Reader()
	if err != nil {
		return nil, fmt.Errorf("gitcheck: read MAINTAINERS blob %s: %w", h, err)
	}
	defer r.Close()
	f, err := maintainers.Parse(io.LimitReader(r, maxMaintainersBytes))
	if err != nil {
		return nil, fmt.Errorf("gitcheck: MAINTAINERS blob %s: %w", h, err)
	}
	return f, nil
}

// mainlineHead returns the commit of the mainline's master branch, or
// of its first branch when it has no master.
func (c *Checker) mainlineHead(tips map[string][]tipCommit) (plumbing.Hash, bool) {
	var first *tipCommit
	for i, t := range tips[c.cfg.Mainline] {
		if t.Ref == "heads/master" {
			return t.Commit, true
		}
		if first == nil && strings.HasPrefix(t.Ref, "heads/") {
			first = &tips[c.cfg.Mainline][i]
		}
	}
	if first == nil {
		return plumbing.ZeroHash, false
	}
	return first.Commit, true
}
