package gitfixture

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Merge records, in a served repository, a merge of commit into ref (a
// full ref name) as "git pull" would: the merge's first parent is the
// ref's commit, its second is commit. It moves ref to the merge and
// returns the merge's hash. The merge's objects go to the shared object
// store, so that every served repository can merge it in turn. Each
// merge is dated a day after the
// fixture's history so that merges sort after what they merge.
func (k *Kernel) Merge(ctx context.Context, repo, ref, commit, message string) (string, error) {
	dir := filepath.Join(k.Root, repo)
	head, err := runGit(ctx, dir, nil, "rev-parse", "--verify", ref+"^{commit}")
	if err != nil {
		return "", err
	}
	head = strings.TrimSpace(head)
	tree, err := runGit(ctx, k.world, nil, "merge-tree", "--write-tree", head, commit)
	if err != nil {
		return "", err
	}
	k.merges++
	when := fixtureEpoch.Add(30 * 24 * time.Hour).Add(time.Duration(k.merges) * 24 * time.Hour).Unix()
	obj := fmt.Sprintf("tree %s\nparent %s\nparent %s\nauthor %s %d +0000\ncommitter %s %d +0000\n\n%s\n",
		strings.TrimSpace(tree), head, commit, maintainer, when, maintainer, when, strings.TrimSpace(message))
	out, err := runGit(ctx, k.world, strings.NewReader(obj), "hash-object", "-t", "commit", "-w", "--stdin")
	if err != nil {
		return "", err
	}
	h := strings.TrimSpace(out)
	return h, setRefs(ctx, dir, map[string]string{ref: h})
}

// MergeIntoMainline merges a sample's tip into Linus's master, as when
// Linus pulls the pull request, and returns the merge commit.
func (k *Kernel) MergeIntoMainline(ctx context.Context, s Sample) (string, error) {
	return k.PullInto(ctx, "linus", "refs/heads/master", s)
}

// PullInto merges a sample's tip into ref (a full ref name) of the
// accepted tree named tree, as when that tree's maintainer pulls the
// pull request, and returns the merge commit.
func (k *Kernel) PullInto(ctx context.Context, tree, ref string, s Sample) (string, error) {
	i := slices.IndexFunc(k.Trees, func(t Tree) bool { return t.Name == tree })
	if i < 0 {
		return "", fmt.Errorf("gitfixture: no tree %q", tree)
	}
	return k.Merge(ctx, k.Trees[i].Repo, ref, s.Tip,
		fmt.Sprintf("Merge branch '%s' of git://git.kernel.org/pub/scm/linux/kernel/git/%s", s.Ref, s.Repo))
}
