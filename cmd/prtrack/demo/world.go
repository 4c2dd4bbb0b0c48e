// Package demo builds the world "prtrack demo" runs in: the kernel
// repositories of gitcheck/gitfixture (Linus's tree with release tags,
// net, net-next, rdma, mlx5-next, a driver tree, rdma-core and a fork)
// served by git daemon on 127.0.0.1, a MAINTAINERS file and a signed tag
// with its key, a configuration pointing prtrack at all of it, and the
// list mail asking to pull each sample branch. It links the fixture
// builder into the binary on purpose: the demo needs real repositories
// and a real git server, with no network and no setup. The narrated
// steps that run prtrack's commands stay in cmd/prtrack.
package demo

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
)

// maintainersFile is the MAINTAINERS file the demo commits to Linus's
// master: who maintains which driver.
//
//go:embed data/MAINTAINERS
var maintainersFile []byte

// World is the demo's world in a directory.
type World struct {
	Dir     string
	Kernel  *gitfixture.Kernel
	Server  *gitfixture.Server
	Keyring string // the pgpkeys-style key directory
	Config  string // the configuration file
	DB      string // the database the configuration names
	Mbox    string // the list mail, once WriteMail wrote it
}

// Build builds the repositories under dir, serves them and writes the
// configuration. Close stops the server.
func Build(ctx context.Context, dir string) (*World, error) {
	if err := gitfixture.CheckDaemon(); err != nil {
		return nil, fmt.Errorf("the demo serves its repositories with git daemon: %w", err)
	}
	w := &World{Dir: dir, DB: filepath.Join(dir, "prtrack.db"), Config: filepath.Join(dir, "config")}
	k, err := gitfixture.Build(ctx, filepath.Join(dir, "git"))
	if err != nil {
		return nil, err
	}
	if err := k.AddProfileSamples(ctx); err != nil {
		return nil, err
	}
	w.Kernel = k
	if err := w.trust(ctx); err != nil {
		return nil, err
	}
	if w.Server, err = gitfixture.Serve(k.Root); err != nil {
		return nil, err
	}
	if err := os.WriteFile(w.Config, []byte(w.config()), 0o600); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// Close stops the world's git server.
func (w *World) Close() {
	if w.Server != nil {
		w.Server.Close()
	}
}

// trust gives the world what the trust checks read: a MAINTAINERS file
// in Linus's master, and Leon's signed tag with his key in a keyring
// directory laid out as kernel.org's pgpkeys.
func (w *World) trust(ctx context.Context) error {
	if err := w.Kernel.CommitMaintainers(ctx, maintainersFile); err != nil {
		return err
	}
	key, err := gitfixture.NewKey("Leon Romanovsky", "leon@example.org")
	if err != nil {
		return err
	}
	s, ok := w.Kernel.Sample("tag")
	if !ok {
		return fmt.Errorf("fixture has no sample \"tag\"")
	}
	name := strings.TrimPrefix(s.Ref, "tags/")
	if _, err := w.Kernel.AddTag(ctx, s.Repo, name, s.Tip, "mlx5 updates for the next merge window", key.Sign); err != nil {
		return err
	}
	w.Keyring, err = key.WriteKeyDir(filepath.Join(w.Dir, "pgpkeys"))
	return err
}

// config points prtrack at the world's server. The little kernel has
// only three release candidates, so its cut-off is rc3, not rc6.
func (w *World) config() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[prtrack]\n\tdatabase = %s\n", w.DB)
	fmt.Fprintf(&b, "[check]\n\trepository = %s\n\tscheme = git\n\thost = 127.0.0.1\n\tfetchTimeout = 20s\n\tcutoff = 3\n\tkeyring = %s\n",
		filepath.Join(w.Dir, "trees.git"), w.Keyring)
	fmt.Fprintf(&b, "[reply]\n\tfrom = RDMA maintainers (prtrack demo) <rdma-maint@example.org>\n")
	// The world is dated from its fixture (March 2024): the horizon is
	// that cycle's start and replies may go to mail that old.
	days := int(time.Since(gitfixture.Epoch).Hours()/24) + 60
	fmt.Fprintf(&b, "\tmaxAge = %dd\n", days)
	// The demo shows the optional reply to both senders of a conflict.
	fmt.Fprintf(&b, "[volatile]\n\tconflictReply = true\n")
	fmt.Fprintf(&b, "[track]\n\tmaintainer = jgg@example.org\n\tmaintainer = leon@example.org\n\tupstream = torvalds@example.org\n")
	fmt.Fprintf(&b, "\tsince = %s\n", gitfixture.Epoch.Format(time.DateOnly))
	fmt.Fprintf(&b, "[source]\n\tmbox = %s\n", w.mboxPath())
	b.WriteString(TreeSections(w.Kernel, w.Server))
	// The built-in profiles pick mlx5-next and rdma-core by their real
	// URLs; here they are on the demo server.
	fmt.Fprintf(&b, "[profile \"shared\"]\n\turl = 127.0.0.1:*/mlx5-next\n")
	fmt.Fprintf(&b, "[profile \"rdma-core\"]\n\turl = 127.0.0.1:*/%s\n", strings.TrimSuffix(gitfixture.RdmaCoreRepo, ".git"))
	return b.String()
}

// TreeSections are the [tree "NAME"] configuration sections pointing
// the accepted trees at the fixture's repositories on srv.
func TreeSections(k *gitfixture.Kernel, srv *gitfixture.Server) string {
	var b strings.Builder
	for _, t := range k.Trees {
		fmt.Fprintf(&b, "[tree %q]\n\turl = %s\n", t.Name, srv.RepoURL(t.Repo))
		for _, r := range t.Refs {
			fmt.Fprintf(&b, "\tref = %s\n", r)
		}
	}
	return b.String()
}

// MergeWindow plays the merge window: Linus merges net-next and pulls
// the clean sample. It returns the merge commit.
func (w *World) MergeWindow(ctx context.Context) (string, error) {
	if err := w.Kernel.LandNetNext(ctx); err != nil {
		return "", err
	}
	clean, _ := w.Kernel.Sample("clean")
	return w.Kernel.MergeIntoMainline(ctx, clean)
}
