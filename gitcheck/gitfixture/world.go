package gitfixture

import (
	"bytes"
	"context"
	"path/filepath"
	"time"
)

// buildWorld imports the history h into a world repository under root
// and writes the served repositories.
func buildWorld(ctx context.Context, root string, h *history, repos []repoSpec) (*Kernel, error) {
	k := &Kernel{Root: root, Commits: map[string]string{}, world: filepath.Join(root, "world.git")}
	if err := initBare(ctx, k.world); err != nil {
		return nil, err
	}
	marks, err := fastImport(ctx, k.world, bytes.NewReader(h.buf.Bytes()))
	if err != nil {
		return nil, err
	}
	k.marks = marks
	for _, r := range repos {
		if err := k.makeRepo(ctx, r); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// commitDated is commit with the author and committer date when, as a
// rebase keeps a commit's author date (the committer date too, here).
func (h *history) commitDated(when time.Time, parents []int, author, msg string, change files) int {
	saved := h.when
	h.when = when.Add(-time.Hour)
	m := h.commit(parents, author, msg, change)
	h.when = saved
	return m
}

// sample records a sample of marks, to be named once imported.
type sampleSpec struct {
	name, repo, ref, driver, want string
	base, tip                     int
}

func (k *Kernel) addSamples(specs []sampleSpec) {
	for _, s := range specs {
		k.Samples = append(k.Samples, Sample{Name: s.name, Repo: s.repo, Ref: s.ref,
			Base: k.marks[s.base], Tip: k.marks[s.tip], Driver: s.driver, Want: s.want})
	}
}
