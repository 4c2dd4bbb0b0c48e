package gitcheck

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// PulledCommit is the commit an accepted tree already pulled that a
// rebased shared branch carries a changed copy of (rebased-shared).
type PulledCommit struct {
	Commit  string   `json:"commit"` // short SHA
	Subject string   `json:"subject"`
	Trees   []string `json:"trees"` // the accepted trees holding it
}

// identity is what survives a rebase of a commit: its author, author
// date and subject.
type identity struct {
	author  string
	when    int64
	subject string
}

func identityOf(cm *object.Commit) identity {
	subject, _, _ := strings.Cut(cm.Message, "\n")
	return identity{author: cm.Author.Name + " <" + cm.Author.Email + ">", when: cm.Author.When.Unix(), subject: subject}
}

// checkAppendOnly rejects own commits that are a changed copy of a
// commit an accepted tree (other than the mainline and the branch
// itself) already holds: the shared branch was rebased under the trees
// that pulled it. It walks only the accepted commits not yet in the
// mainline, within Config.MaxWalk.
func (c *Checker) checkAppendOnly(ctx context.Context, v *Verdict, tips map[string][]tipCommit) error {
	own := map[identity]Commit{}
	for _, cm := range v.Commits {
		obj, err := c.st.commit(plumbing.NewHash(cm.SHA))
		if err != nil {
			return err
		}
		own[identityOf(obj)] = cm
	}
	if len(own) == 0 {
		return nil
	}
	pulled, err := c.pulledCopies(ctx, own, tips)
	if err != nil {
		return err
	}
	for _, cm := range v.Commits { // newest first, as the commits are
		if old, ok := pulled[cm.SHA]; ok {
			v.add(Finding{Code: CodeRebasedShared, Severity: Error, Commit: shortSHA(cm.SHA), Subject: cm.Subject, Pulled: old,
				Message: fmt.Sprintf("was already pulled into %s as %s %q; the branch was rebased",
					strings.Join(old.Trees, ", "), old.Commit, old.Subject)})
		}
	}
	return nil
}

// pulledCopies maps own commits (by SHA) to the pulled commit with the
// same identity and another id.
func (c *Checker) pulledCopies(ctx context.Context, own map[identity]Commit, tips map[string][]tipCommit) (map[string]*PulledCommit, error) {
	out := map[string]*PulledCommit{}
	err := c.walkPulled(ctx, tips, func(h plumbing.Hash) error {
		cm, err := c.st.commit(h)
		if err != nil {
			return err
		}
		id := identityOf(cm)
		if o, ok := own[id]; ok && o.SHA != h.String() {
			out[o.SHA] = &PulledCommit{Commit: shortSHA(h.String()), Subject: id.subject, Trees: c.pulledTrees(h)}
		}
		return nil
	})
	return out, err
}

// walkPulled visits the commits of the accepted branches, other than
// the mainline's and the active profile's own tree, that are not in
// the mainline.
func (c *Checker) walkPulled(ctx context.Context, tips map[string][]tipCommit, visit func(plumbing.Hash) error) error {
	main := c.idx.bit(c.cfg.Mainline)
	var queue []plumbing.Hash
	seen := map[plumbing.Hash]bool{}
	for _, name := range c.treeNames() {
		if name == c.cfg.Mainline || c.active != nil && name == c.active.Self {
			continue
		}
		for _, t := range tips[name] {
			if strings.HasPrefix(t.Ref, "heads/") && !seen[t.Commit] {
				seen[t.Commit] = true
				queue = append(queue, t.Commit)
			}
		}
	}
	for len(queue) > 0 {
		if len(seen) > c.cfg.MaxWalk {
			return fmt.Errorf("gitcheck: append-only check: %w (more than %d)", errWalkLimit, c.cfg.MaxWalk)
		}
		if len(seen)%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		cur := queue[0]
		queue = queue[1:]
		if c.idx.mask(cur)&main != 0 {
			continue
		}
		if err := visit(cur); err != nil {
			return err
		}
		parents, err := c.st.graph.parents(cur)
		if err != nil {
			return err
		}
		for _, p := range parents {
			if !seen[p] {
				seen[p] = true
				queue = append(queue, p)
			}
		}
	}
	return nil
}

// pulledTrees names the trees that pulled h: those holding it but the
// active profile's own tree.
func (c *Checker) pulledTrees(h plumbing.Hash) []string {
	var out []string
	for _, t := range c.treesHolding(h) {
		if c.active == nil || t != c.active.Self {
			out = append(out, t)
		}
	}
	return out
}
