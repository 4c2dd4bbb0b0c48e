package gitcheck

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/objfile"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// objectStore is go-git's filesystem storage with prtrack's own object
// reads: loose objects, then the repository's packs through mapped
// indexes (packread.go). Refs, config and everything else are go-git's.
// Objects it cannot read itself (an alternate's, a version 1 index, a
// pack it finds malformed) it asks go-git for.
type objectStore struct {
	*filesystem.Storage
	objects    string // the objects directory
	alternates bool

	mu    sync.Mutex
	packs []*mappedPack // newest scan last
	seen  map[string]bool
	cache baseCache
}

func newObjectStore(s *filesystem.Storage, gitDir string) *objectStore {
	o := &objectStore{Storage: s, objects: filepath.Join(gitDir, "objects"),
		seen: map[string]bool{}, cache: baseCache{budget: 32 << 20}}
	if _, err := os.Stat(filepath.Join(o.objects, "info", "alternates")); err == nil {
		o.alternates = true
	}
	o.rescan()
	return o
}

// rescan maps the packs that appeared since the last scan; it reports
// whether there were any.
func (o *objectStore) rescan() bool {
	names, _ := filepath.Glob(filepath.Join(o.objects, "pack", "pack-*.idx"))
	added := false
	for _, n := range names {
		if o.seen[n] {
			continue
		}
		o.seen[n] = true
		p, err := openPack(n)
		if err != nil {
			continue // go-git's reader gets its chance on a miss
		}
		o.packs = append(o.packs, p)
		added = true
	}
	return added
}

// Reindex forgets what both readers know of the packs: git wrote some.
func (o *objectStore) Reindex() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.rescan()
	o.Storage.Reindex()
}

// Close unmaps the packs and closes go-git's storage.
func (o *objectStore) Close() error {
	o.mu.Lock()
	for _, p := range o.packs {
		p.close()
	}
	o.packs, o.seen = nil, map[string]bool{}
	o.mu.Unlock()
	return o.Storage.Close()
}

// EncodedObject returns the object h of type t (any type for
// plumbing.AnyObject); a type mismatch is plumbing.ErrObjectNotFound,
// as go-git's storage says.
func (o *objectStore) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	typ, data, err := o.read(h)
	if err != nil {
		if errors.Is(err, plumbing.ErrObjectNotFound) && !o.alternates {
			return nil, err
		}
		return o.Storage.EncodedObject(t, h)
	}
	if t != plumbing.AnyObject && typ != t {
		return nil, plumbing.ErrObjectNotFound
	}
	obj := o.NewEncodedObject()
	obj.SetType(typ)
	obj.SetSize(int64(len(data)))
	if _, err := obj.(io.Writer).Write(data); err != nil {
		return nil, err
	}
	return obj, nil
}

// HasEncodedObject reports plumbing.ErrObjectNotFound when h is absent.
func (o *objectStore) HasEncodedObject(h plumbing.Hash) error {
	if _, err := os.Stat(o.loosePath(h)); err == nil {
		return nil
	}
	o.mu.Lock()
	_, off := o.find(h)
	if off < 0 && o.rescan() {
		_, off = o.find(h)
	}
	o.mu.Unlock()
	if off >= 0 {
		return nil
	}
	if o.alternates {
		return o.Storage.HasEncodedObject(h)
	}
	return plumbing.ErrObjectNotFound
}

// EncodedObjectSize returns the size of h's content.
func (o *objectStore) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	obj, err := o.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return 0, err
	}
	return obj.Size(), nil
}

func (o *objectStore) loosePath(h plumbing.Hash) string {
	s := h.String()
	return filepath.Join(o.objects, s[:2], s[2:])
}

// read finds h loose or packed; plumbing.ErrObjectNotFound when it is
// in neither, another error when what it found does not decode.
func (o *objectStore) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	if t, data, err := o.readLoose(h); !errors.Is(err, os.ErrNotExist) {
		return t, data, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	p, off := o.find(h)
	if off < 0 && o.rescan() {
		p, off = o.find(h)
	}
	if off < 0 {
		return 0, nil, plumbing.ErrObjectNotFound
	}
	return p.read(off, &o.cache, o.refBase)
}

// refBase reads a REF_DELTA base found in no other place (o.mu held).
func (o *objectStore) refBase(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	if t, data, err := o.readLoose(h); err == nil {
		return t, data, nil
	}
	p, off := o.find(h)
	if off < 0 {
		return 0, nil, fmt.Errorf("%w: delta base %s missing", errBadPack, h)
	}
	return p.read(off, &o.cache, func(plumbing.Hash) (plumbing.ObjectType, []byte, error) {
		return 0, nil, fmt.Errorf("%w: nested delta base", errBadPack)
	})
}

// find returns the pack holding h, newest first, and h's offset there.
func (o *objectStore) find(h plumbing.Hash) (*mappedPack, int64) {
	for _, p := range slices.Backward(o.packs) {
		if off := p.offset(h); off >= 0 {
			return p, off
		}
	}
	return nil, -1
}

func (o *objectStore) readLoose(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	f, err := os.Open(o.loosePath(h))
	if err != nil {
		return 0, nil, os.ErrNotExist
	}
	defer f.Close()
	r, err := objfile.NewReader(f)
	if err != nil {
		return 0, nil, err
	}
	defer r.Close()
	t, size, err := r.Header()
	if err != nil {
		return 0, nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, size+1))
	if err == nil && int64(len(data)) != size {
		err = fmt.Errorf("gitcheck: loose object %s: size mismatch", h)
	}
	return t, data, err
}
