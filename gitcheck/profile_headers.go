package gitcheck

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// kernelUAPI is where the kernel keeps the headers a uAPI copy mirrors.
const kernelUAPI = "include/uapi/"

// checkHeaders rejects a change under the profile's uAPI copy unless
// every changed header is, at the tip, byte-identical to the kernel's
// include/uapi/ file on a branch of an accepted tree: a sync of an
// already accepted uAPI.
func (c *Checker) checkHeaders(v *Verdict, p *Profile, headers []string, tip plumbing.Hash, tips map[string][]tipCommit) error {
	if len(headers) == 0 {
		return nil
	}
	ours, err := c.treeOf(tip)
	if err != nil {
		return err
	}
	kernels := c.kernelTrees(tips)
	var differ []string
	for _, h := range headers {
		if !identicalSomewhere(ours, h, kernelUAPI+strings.TrimPrefix(h, p.Headers), kernels) {
			differ = append(differ, h)
		}
	}
	if len(differ) > 0 {
		v.add(Finding{Code: CodeUAPIChange, Severity: Error, Paths: differ,
			Message: fmt.Sprintf("changes %s, which is not a copy of %s in any accepted kernel tree", listPaths(differ), kernelUAPI)})
	}
	return nil
}

func (c *Checker) treeOf(h plumbing.Hash) (*object.Tree, error) {
	cm, err := c.st.commit(h)
	if err != nil {
		return nil, err
	}
	t, err := cm.Tree()
	if err != nil {
		return nil, fmt.Errorf("gitcheck: tree of %s: %w", h, err)
	}
	return t, nil
}

// kernelTrees returns the trees of the accepted branch tips.
func (c *Checker) kernelTrees(tips map[string][]tipCommit) []*object.Tree {
	var out []*object.Tree
	for _, name := range c.treeNames() {
		for _, t := range tips[name] {
			if !strings.HasPrefix(t.Ref, "heads/") {
				continue
			}
			if tr, err := c.treeOf(t.Commit); err == nil {
				out = append(out, tr)
			}
		}
	}
	return out
}

// identicalSomewhere reports whether the file at path in ours has the
// same blob as kpath in one of kernels. A deleted header is never a copy.
func identicalSomewhere(ours *object.Tree, path, kpath string, kernels []*object.Tree) bool {
	e, err := ours.FindEntry(path)
	if err != nil {
		return false
	}
	for _, k := range kernels {
		if ke, err := k.FindEntry(kpath); err == nil && ke.Hash == e.Hash {
			return true
		}
	}
	return false
}
