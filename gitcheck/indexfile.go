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

// loadIndex maps the index for trees; a missing file, or one built for
// other trees, gives an empty index. The entries stay in the mapped
// file, searched in place, until an update changes them: a check reads
// a few pages of it, whatever the size of the repository.
func loadIndex(path string, trees []string) (*acceptedIndex, error) {
	b, unmap, err := mapFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return newAcceptedIndex(trees), nil
	}
	if err != nil {
		return nil, fmt.Errorf("gitcheck: open accepted index: %w", err)
	}
	x, err := parseIndex(b)
	if err != nil {
		unmap()
		return nil, fmt.Errorf("gitcheck: read accepted index %s: %w", path, err)
	}
	if !slices.Equal(x.Trees, trees) {
		unmap()
		return newAcceptedIndex(trees), nil
	}
	x.unmap = unmap
	return x, nil
}

// parseIndex reads the header of an index file and leaves its entries
// in b.
func parseIndex(b []byte) (*acceptedIndex, error) {
	if len(b) < 16 || string(b[:8]) != indexMagic {
		return nil, errors.New("not an accepted index")
	}
	hlen := binary.BigEndian.Uint64(b[8:])
	if hlen > maxIndexHeader || uint64(len(b)-16) < hlen+8 {
		return nil, errors.New("bad header length")
	}
	x := &acceptedIndex{}
	if err := json.Unmarshal(b[16:16+hlen], x); err != nil {
		return nil, err
	}
	rest := b[16+hlen:]
	n := binary.BigEndian.Uint64(rest)
	rest = rest[8:]
	if n > uint64(len(rest))/indexEntrySize || uint64(len(rest)) != n*indexEntrySize {
		return nil, errors.New("bad entry count")
	}
	x.raw = rest
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
