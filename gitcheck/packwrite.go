package gitcheck

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// packWriter receives a fetched pack into objects/pack/tmp_pack_*, then
// indexes it and moves pack and index into place, as go-git's own
// writer does but with prtrack owning the file: a pack cut short (the
// byte limit, a timeout, a dropped connection) is closed and removed,
// where go-git's writer returned from Close with the file and its
// descriptors left open. It never loads the repository's other pack
// indexes (go-git's does, all of them, before the first byte).
type packWriter struct {
	o      *objectStore
	f      *os.File
	n      int64
	failed bool
}

func (o *objectStore) PackfileWriter() (*packWriter, error) {
	f, err := os.CreateTemp(filepath.Join(o.objects, "pack"), "tmp_pack_")
	if err != nil {
		return nil, fmt.Errorf("gitcheck: write pack: %w", err)
	}
	return &packWriter{o: o, f: f}, nil
}

func (w *packWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.n += int64(n)
	if err != nil {
		w.failed = true
	}
	return n, err
}

// abort makes Close discard the pack.
func (w *packWriter) abort() { w.failed = true }

// Close indexes and keeps the pack, or removes it.
func (w *packWriter) Close() error {
	name := w.f.Name()
	if w.failed || w.n == 0 {
		w.f.Close()
		os.Remove(name)
		return nil
	}
	err := w.keep()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("gitcheck: write pack: %w", err)
	}
	return nil
}

func (w *packWriter) keep() error {
	if _, err := w.f.Seek(0, 0); err != nil {
		return err
	}
	iw := new(idxfile.Writer)
	p, err := packfile.NewParser(packfile.NewScanner(w.f), iw)
	if err != nil {
		return err
	}
	sum, err := p.Parse()
	if errors.Is(err, packfile.ErrEmptyPackfile) {
		return os.Remove(w.f.Name())
	}
	if err != nil {
		return err
	}
	idx, err := iw.Index()
	if err != nil {
		return err
	}
	base := filepath.Join(w.o.objects, "pack", "pack-"+sum.String())
	if _, err := os.Stat(base + ".idx"); err == nil {
		return os.Remove(w.f.Name()) // the same pack is already there
	}
	if err := os.Rename(w.f.Name(), base+".pack"); err != nil {
		return err
	}
	if err := writeIndexFile(base+".idx", idx); err != nil {
		os.Remove(base + ".pack")
		return err
	}
	w.o.Reindex()
	return nil
}

func writeIndexFile(path string, idx *idxfile.MemoryIndex) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "tmp_idx_")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = idxfile.NewEncoder(tmp).Encode(idx)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		os.Chmod(tmp.Name(), 0o444)
		err = os.Rename(tmp.Name(), path)
	}
	return err
}

// tempPacks lists the temporary packs under dir.
func tempPacks(dir string) []string {
	names, _ := filepath.Glob(filepath.Join(dir, "tmp_pack_*"))
	idx, _ := filepath.Glob(filepath.Join(dir, "tmp_idx_*"))
	return append(names, idx...)
}

// sweepTempPacks removes the temporary packs and indexes under dir
// untouched for longer than idle: what a fetch killed by a signal
// (kill -9, a power cut) left. A fetch under way writes to its file at
// least once per idle (its timeout) or is abandoned.
func sweepTempPacks(dir string, idle time.Duration, now time.Time) int {
	n := 0
	for _, name := range tempPacks(dir) {
		fi, err := os.Stat(name)
		if err == nil && now.Sub(fi.ModTime()) > idle && os.Remove(name) == nil {
			n++
		}
	}
	return n
}
