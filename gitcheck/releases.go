package gitcheck

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ReleaseTag is one tag of the mainline tree and when it was made.
type ReleaseTag struct {
	Name string
	Date time.Time
}

// ReleaseTags lists the mainline tree's tags (as last fetched by
// UpdateTrees) with their dates: the tagger's date for annotated tags,
// the commit's for lightweight ones, sorted by name. It feeds the
// merge-window calendar.
func (c *Checker) ReleaseTags() ([]ReleaseTag, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	prefix := treeRefPrefix(c.cfg.Mainline) + "tags/"
	iter, err := c.st.s.IterReferences()
	if err != nil {
		return nil, fmt.Errorf("gitcheck: list refs: %w", err)
	}
	var out []ReleaseTag
	err = iter.ForEach(func(r *plumbing.Reference) error {
		name, ok := strings.CutPrefix(r.Name().String(), prefix)
		if !ok || r.Type() != plumbing.HashReference {
			return nil
		}
		if d, ok := c.tagDate(r.Hash()); ok {
			out = append(out, ReleaseTag{Name: name, Date: d})
		}
		return nil
	})
	slices.SortFunc(out, func(a, b ReleaseTag) int { return strings.Compare(a.Name, b.Name) })
	return out, err
}

func (c *Checker) tagDate(h plumbing.Hash) (time.Time, bool) {
	if tag, err := object.GetTag(c.st.s, h); err == nil {
		return tag.Tagger.When, true
	}
	if commit, err := object.GetCommit(c.st.s, h); err == nil {
		return commit.Committer.When, true
	}
	return time.Time{}, false
}
