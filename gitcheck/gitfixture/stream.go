package gitfixture

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"time"
)

// files is the content of a commit's tree, path to content.
type files map[string]string

// history writes a git fast-import stream, remembering each commit's tree
// so that merges and changes can be expressed as edits.
type history struct {
	buf    bytes.Buffer
	mark   int
	when   time.Time
	states map[int]files
	subj   map[int]string
}

func newHistory(start time.Time) *history {
	return &history{when: start, states: map[int]files{0: {}}, subj: map[int]string{}}
}

// commit records a commit with the given parents (marks; none for a
// root) whose tree is the first parent's with change applied ("" deletes
// a path). It returns the commit's mark.
func (h *history) commit(parents []int, author, msg string, change files) int {
	first := 0
	if len(parents) > 0 {
		first = parents[0]
	}
	tree := maps.Clone(h.states[first])
	for p, c := range change {
		if c == "" {
			delete(tree, p)
		} else {
			tree[p] = c
		}
	}
	return h.emit(parents, author, msg, tree)
}

// merge records a merge of theirs into ours: the tree takes every path
// theirs changed since base, then extra (an evil merge's own edits).
func (h *history) merge(ours, theirs, base int, author, msg string, extra files) int {
	tree := maps.Clone(h.states[ours])
	for p, c := range h.states[theirs] {
		if h.states[base][p] != c {
			tree[p] = c
		}
	}
	maps.Copy(tree, extra)
	return h.emit([]int{ours, theirs}, author, msg, tree)
}

func (h *history) emit(parents []int, author, msg string, tree files) int {
	h.mark++
	h.when = h.when.Add(time.Hour)
	h.states[h.mark] = tree
	h.subj[h.mark] = msg
	stamp := fmt.Sprintf("%s %d +0000", author, h.when.Unix())
	fmt.Fprintf(&h.buf, "commit refs/fixture/work\nmark :%d\nauthor %s\ncommitter %s\n", h.mark, stamp, stamp)
	fmt.Fprintf(&h.buf, "data %d\n%s\n", len(msg)+1, msg)
	for i, p := range parents {
		verb := "merge"
		if i == 0 {
			verb = "from"
		}
		fmt.Fprintf(&h.buf, "%s :%d\n", verb, p)
	}
	h.buf.WriteString("deleteall\n")
	for _, p := range slices.Sorted(maps.Keys(tree)) {
		fmt.Fprintf(&h.buf, "M 100644 inline %s\ndata %d\n%s\n", p, len(tree[p]), tree[p])
	}
	h.buf.WriteString("\n")
	return h.mark
}

// tag records an annotated tag refs/tags/<name> on a commit and returns
// the tag object's mark.
func (h *history) tag(name string, target int, msg string) int {
	h.mark++
	h.when = h.when.Add(time.Minute)
	fmt.Fprintf(&h.buf, "tag %s\nmark :%d\nfrom :%d\ntagger %s %d +0000\ndata %d\n%s\n\n",
		name, h.mark, target, maintainer, h.when.Unix(), len(msg)+1, msg)
	return h.mark
}

const (
	maintainer = "Linus Torvalds <torvalds@linux-foundation.org>"
	netdev     = "Jakub Kicinski <kuba@kernel.org>"
	rdmaMaint  = "Leon Romanovsky <leon@kernel.org>"
	mlx5Dev    = "Saeed Mahameed <saeedm@nvidia.com>"
	hnsDev     = "Junxian Huang <huangjunxian6@hisilicon.com>"
	efaDev     = "Michael Margolin <mrgolin@amazon.com>"
)
