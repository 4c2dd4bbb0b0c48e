package gitcheck

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// The accepted index file: the magic, a length-prefixed JSON header
// (trees and tips) and the sorted entries, 20-byte hash and 4-byte mask.
const (
	indexMagic     = "PRTKACC1"
	indexEntrySize = 24
	maxIndexHeader = 64 << 20
)

func indexPath(gitDir string) string {
	return filepath.Join(gitDir, "prtrack", "accepted.idx")
}

// loadIndex opens the index for trees; a missing file, or one built
// for other trees, gives an empty index. The entries stay in the file,
// searched in place (searchRecords), until an update changes them: a
// check reads a few records of it, whatever the size of the repository.
func loadIndex(path string, trees []string) (*acceptedIndex, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return newAcceptedIndex(trees), nil
	}
	if err != nil {
		return nil, fmt.Errorf("gitcheck: open accepted index: %w", err)
	}
	x, err := readIndexHeader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("gitcheck: read accepted index %s: %w", path, err)
	}
	if !slices.Equal(x.Trees, trees) {
		f.Close()
		return newAcceptedIndex(trees), nil
	}
	return x, nil
}

// readIndexHeader reads the header of an index file and leaves its
// entries in the file.
func readIndexHeader(f *os.File) (*acceptedIndex, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	var head [16]byte
	if _, err := f.ReadAt(head[:], 0); err != nil || string(head[:8]) != indexMagic {
		return nil, errors.New("not an accepted index")
	}
	hlen := binary.BigEndian.Uint64(head[8:])
	if hlen > maxIndexHeader || uint64(fi.Size()-16) < hlen+8 {
		return nil, errors.New("bad header length")
	}
	hdr := make([]byte, hlen+8)
	if _, err := f.ReadAt(hdr, 16); err != nil {
		return nil, err
	}
	x := &acceptedIndex{}
	if err := json.Unmarshal(hdr[:hlen], x); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint64(hdr[hlen:])
	off := int64(16 + hlen + 8)
	if n > uint64(fi.Size()) || uint64(fi.Size()-off) != n*indexEntrySize {
		return nil, errors.New("bad entry count")
	}
	x.file, x.fileOff, x.fileN = f, off, int(n)
	if x.Tips == nil {
		x.Tips = map[string][]tipCommit{}
	}
	return x, nil
}

// save writes the index atomically.
func (x *acceptedIndex) save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("gitcheck: save accepted index: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "accepted-*.tmp")
	if err != nil {
		return fmt.Errorf("gitcheck: save accepted index: %w", err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	err = x.write(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("gitcheck: save accepted index: %w", err)
	}
	return nil
}

func (x *acceptedIndex) write(w io.Writer) error {
	hdr, err := json.Marshal(x)
	if err != nil {
		return err
	}
	io.WriteString(w, indexMagic)
	binary.Write(w, binary.BigEndian, uint64(len(hdr)))
	w.Write(hdr)
	x.materialize()
	binary.Write(w, binary.BigEndian, uint64(len(x.entries)))
	var buf [indexEntrySize]byte
	for _, e := range x.entries {
		copy(buf[:20], e.hash[:])
		binary.BigEndian.PutUint32(buf[20:], e.mask)
		if _, err := w.Write(buf[:]); err != nil {
			return err
		}
	}
	return nil
}
