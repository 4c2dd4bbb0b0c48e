package gitcheck

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	cgformat "github.com/go-git/go-git/v5/plumbing/format/commitgraph/v2"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/object/commitgraph"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// store is the local repository: object storage with descriptors kept
// open, and a commit graph reader that uses objects/info/commit-graph
// when git wrote one.
type store struct {
	gitDir string
	s      *objectStore
	graph  *graph
}

// openStore opens the repository at dir (a bare repository or a work
// tree with .git), creating a bare repository when dir does not exist.
// Alternates (objects/info/alternates) with absolute paths are followed,
// but go-git reopens the alternate's pack index on every object it looks
// up there: point prtrack at a repository that holds its objects.
func openStore(dir string) (*store, error) {
	gitDir := dir
	if fi, err := os.Stat(filepath.Join(dir, ".git")); err == nil && fi.IsDir() {
		gitDir = filepath.Join(dir, ".git")
	}
	if _, err := os.Stat(gitDir); errors.Is(err, os.ErrNotExist) {
		if _, err := git.PlainInit(gitDir, true); err != nil {
			return nil, fmt.Errorf("gitcheck: create repository: %w", err)
		}
	}
	fs := osfs.New(gitDir)
	fss := filesystem.NewStorageWithOptions(fs, cache.NewObjectLRU(16*cache.MiByte),
		filesystem.Options{KeepDescriptors: true, AlternatesFS: osfs.New("/")})
	if _, err := git.Open(fss, nil); err != nil {
		fss.Close()
		return nil, fmt.Errorf("gitcheck: open repository %s: %w", dir, err)
	}
	s := newObjectStore(fss, gitDir)
	st := &store{gitDir: gitDir, s: s, graph: &graph{}}
	st.graph.open(fs, s)
	return st, nil
}

// reload makes the store see what git wrote behind its back: new packs
// and a new commit-graph.
func (st *store) reload() {
	st.s.Reindex()
	st.graph.close()
	st.graph.open(osfs.New(st.gitDir), st.s)
}

func (st *store) Close() error {
	st.graph.close()
	return st.s.Close()
}

// graph answers parent queries, from the commit-graph file when the
// commit is in it and from the commit object otherwise.
type graph struct {
	cg    io.Closer
	fast  *cgraph // the same commit-graph, for parents
	nodes commitgraph.CommitNodeIndex
}

func (g *graph) open(fs billy.Filesystem, s *objectStore) {
	if idx, err := cgformat.OpenChainOrFileIndex(fs); err == nil {
		g.cg = idx
		g.fast = openCGraph(s.objects)
		g.nodes = commitgraph.NewGraphCommitNodeIndex(idx, s)
	} else {
		g.nodes = commitgraph.NewObjectCommitNodeIndex(s)
	}
}

func (g *graph) close() {
	if g.cg != nil {
		g.cg.Close()
		g.cg = nil
	}
	if g.fast != nil {
		g.fast.close()
		g.fast = nil
	}
}

func (g *graph) parents(h plumbing.Hash) ([]plumbing.Hash, error) {
	if g.fast != nil {
		if ps, ok := g.fast.parents(h); ok {
			return ps, nil
		}
	}
	n, err := g.node(h)
	if err != nil {
		return nil, err
	}
	return n.ParentHashes(), nil
}

func (st *store) commit(h plumbing.Hash) (*object.Commit, error) {
	c, err := object.GetCommit(st.s, h)
	if err != nil {
		return nil, fmt.Errorf("gitcheck: read commit %s: %w", h, err)
	}
	return c, nil
}

// peel follows annotated tags from h to the commit they name. It returns
// the commit and, when h is a tag, the outermost tag.
func (st *store) peel(h plumbing.Hash) (plumbing.Hash, *object.Tag, error) {
	var outer *object.Tag
	for range 10 {
		t, err := object.GetTag(st.s, h)
		if errors.Is(err, plumbing.ErrObjectNotFound) || errors.Is(err, plumbing.ErrInvalidType) {
			return h, outer, nil
		}
		if err != nil {
			return h, outer, fmt.Errorf("gitcheck: read tag %s: %w", h, err)
		}
		if outer == nil {
			outer = t
		}
		if t.TargetType != plumbing.CommitObject && t.TargetType != plumbing.TagObject {
			return h, outer, fmt.Errorf("gitcheck: tag %s names a %s", h, t.TargetType)
		}
		h = t.Target
	}
	return h, outer, fmt.Errorf("gitcheck: tag chain at %s too deep", h)
}

// node returns h's node, with its generation number when the
// commit-graph holds it.
func (g *graph) node(h plumbing.Hash) (commitgraph.CommitNode, error) {
	n, err := g.nodes.Get(h)
	if err != nil {
		return nil, fmt.Errorf("gitcheck: read commit %s: %w", h, err)
	}
	return n, nil
}
