package gitcheck

import (
	"os"
	"os/exec"
	"slices"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// TestCGraphParents reads every commit's parents from git's
// commit-graph, one file and a split chain of two layers (the second
// written after a merge), and from the commit objects.
func TestCGraphParents(t *testing.T) {
	for _, split := range []bool{false, true} {
		t.Run(map[bool]string{false: "file", true: "chain"}[split], func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.Git = "none" })
			write := func() {
				args := []string{"commit-graph", "write", "--reachable"}
				if split {
					args = append(args, "--split=no-merge")
				}
				cmd := exec.Command("git", args...)
				cmd.Dir, cmd.Env = e.cfg.Repo, append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("commit-graph: %v: %s", err, out)
				}
			}
			write()
			s, _ := e.k.Sample("clean")
			if _, err := e.k.MergeIntoMainline(t.Context(), s); err != nil {
				t.Fatal(err)
			}
			e.updateTrees(t)
			write()
			g := openCGraph(e.c.st.s.objects)
			if g == nil {
				t.Fatal("no commit-graph read")
			}
			defer g.close()
			if split && len(g.layers) < 2 {
				t.Fatalf("%d layers, want a chain", len(g.layers))
			}
			iter, err := e.c.st.s.IterEncodedObjects(plumbing.CommitObject)
			if err != nil {
				t.Fatal(err)
			}
			n, merges := 0, 0
			err = iter.ForEach(func(o plumbing.EncodedObject) error {
				c, err := object.DecodeCommit(e.c.st.s, o)
				if err != nil {
					return err
				}
				got, ok := g.parents(c.Hash)
				if !ok || !slices.Equal(got, c.ParentHashes) {
					t.Fatalf("%s: parents %v (%v), want %v", c.Hash, got, ok, c.ParentHashes)
				}
				n++
				if len(got) > 1 {
					merges++
				}
				return nil
			})
			if err != nil || n < 20 || merges == 0 {
				t.Fatalf("%d commits, %d merges compared: %v", n, merges, err)
			}
			if _, ok := g.parents(plumbing.NewHash("0123456789012345678901234567890123456789")); ok {
				t.Error("a missing commit has parents")
			}
		})
	}
}
