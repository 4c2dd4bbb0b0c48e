package gitcheck

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/prtrack/prtrack/mailparse"
)

// errRefMissing reports that the remote has no ref matching the mail's.
var errRefMissing = errors.New("ref missing")

// fetched is what a pull request fetch produced.
type fetched struct {
	remoteRef string // full ref at the remote
	localRef  string // refs/prtrack/<id>/...
	tip       plumbing.Hash
	tag       *object.Tag // outermost tag when the ref is a tag
}

// fetchRequest fetches the ref the mail names from url into the pull
// request's namespace, offering the accepted heads and the base as
// common commits.
func (c *Checker) fetchRequest(ctx context.Context, id, url string, pr *mailparse.PullRequest, tips map[string][]tipCommit) (*fetched, error) {
	rm, err := newRemote(c.st.s, url, limits{c.cfg.FetchTimeout, c.cfg.MaxFetchBytes, c.refLimits()}, c.cfg.Hosts,
		c.haves(tips, plumbing.NewHash(pr.Base)))
	if err != nil {
		return nil, err
	}
	defer rm.close()
	ref := pr.Ref
	refs, err := rm.list(ctx)
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	full, ok := resolveRef(refs, ref)
	if !ok {
		return nil, errRefMissing
	}
	f := &fetched{remoteRef: full, localRef: localRefName(id, full)}
	spec := config.RefSpec("+" + full + ":" + f.localRef)
	if err := rm.fetch(ctx, []config.RefSpec{spec}, false); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", full, err)
	}
	r, err := c.st.s.Reference(plumbing.ReferenceName(f.localRef))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", full, err)
	}
	f.tip, f.tag, err = c.st.peel(r.Hash())
	return f, err
}

// resolveRef finds the remote ref the mail names, as git does for a
// short name: refs/<ref>, refs/tags/<ref>, refs/heads/<ref>. An empty
// ref names the remote HEAD.
func resolveRef(refs []*plumbing.Reference, ref string) (string, bool) {
	byName := map[string]*plumbing.Reference{}
	for _, r := range refs {
		if safeRefName(r.Name().String()) {
			byName[r.Name().String()] = r
		}
	}
	if ref == "" || ref == "HEAD" {
		head, ok := byName["HEAD"]
		if !ok {
			return "", false
		}
		if head.Type() == plumbing.SymbolicReference {
			_, ok := byName[head.Target().String()]
			return head.Target().String(), ok
		}
		return "HEAD", true
	}
	cands := []string{ref}
	if !strings.HasPrefix(ref, "refs/") {
		cands = []string{"refs/" + ref, "refs/tags/" + ref, "refs/heads/" + ref}
	}
	for _, c := range cands {
		if _, ok := byName[c]; ok {
			return c, true
		}
	}
	return "", false
}

func localRefName(id, full string) string {
	return "refs/prtrack/" + id + "/" + strings.TrimPrefix(full, "refs/")
}

// safeRefName reports whether a ref name from a remote is usable in a
// refspec: git's rules, which a hostile server need not follow.
func safeRefName(name string) bool {
	if name == "" || len(name) > 1024 || strings.Contains(name, "..") ||
		strings.Contains(name, "//") || strings.HasSuffix(name, "/") || strings.HasSuffix(name, ".lock") {
		return false
	}
	return !strings.ContainsFunc(name, func(r rune) bool {
		return r <= ' ' || r == 0x7f || strings.ContainsRune(":*?[\\^~", r)
	})
}
