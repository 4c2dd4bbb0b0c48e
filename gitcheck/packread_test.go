package gitcheck

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"testing"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// TestPackReaderAgreesWithGoGit repacks a repository with deep delta
// chains, OFS_DELTA and REF_DELTA, and reads every object through the
// mapped packs and through go-git's storage.
func TestPackReaderAgreesWithGoGit(t *testing.T) {
	for _, ofs := range []string{"true", "false"} {
		t.Run("deltaBaseOffset="+ofs, func(t *testing.T) {
			e := newEnv(t, nil)
			cmd := exec.Command("git", "-c", "repack.useDeltaBaseOffset="+ofs, "-c", "pack.deltaCacheSize=0",
				"repack", "-adfq", "--depth=50", "--window=100")
			cmd.Dir, cmd.Env = e.cfg.Repo, append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("repack: %v: %s", err, out)
			}
			gg := filesystem.NewStorage(osfs.New(e.cfg.Repo), cache.NewObjectLRUDefault())
			defer gg.Close()
			ours := newObjectStore(gg, e.cfg.Repo)
			defer ours.Close()
			iter, err := gg.IterEncodedObjects(plumbing.AnyObject)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			err = iter.ForEach(func(want plumbing.EncodedObject) error {
				n++
				typ, data, err := ours.read(want.Hash())
				if err != nil {
					t.Fatalf("%s: %v", want.Hash(), err)
				}
				r, _ := want.Reader()
				wantData, _ := io.ReadAll(r)
				if typ != want.Type() || !bytes.Equal(data, wantData) {
					t.Fatalf("%s: %s of %d bytes, want %s of %d", want.Hash(), typ, len(data), want.Type(), len(wantData))
				}
				if err := ours.HasEncodedObject(want.Hash()); err != nil {
					t.Fatalf("%s: %v", want.Hash(), err)
				}
				return nil
			})
			if err != nil || n < 100 {
				t.Fatalf("%d objects compared: %v", n, err)
			}
			missing := plumbing.NewHash("0123456789012345678901234567890123456789")
			if _, err := ours.EncodedObject(plumbing.AnyObject, missing); err != plumbing.ErrObjectNotFound {
				t.Errorf("missing object: %v", err)
			}
			if err := ours.HasEncodedObject(missing); err != plumbing.ErrObjectNotFound {
				t.Errorf("missing object: %v", err)
			}
		})
	}
}
