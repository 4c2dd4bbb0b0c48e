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

// loadIndex reads the index for trees; a missing file, or one built for
// other trees, gives an empty index.
func loadIndex(path string, trees []string) (*acceptedIndex, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return newAcceptedIndex(trees), nil
	}
	if err != nil {
		return nil, fmt.Errorf("gitcheck: open accepted index: %w", err)
	}
	defer f.Close()
	x, err := readIndex(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("gitcheck: read accepted index %s: %w", path, err)
	}
	if !slices.Equal(x.Trees, trees) {
		return newAcceptedIndex(trees), nil
	}
	return x, nil
}

func readIndex(r io.Reader) (*acceptedIndex, error) {
	var magic [8]byte
	var hlen, n uint64
	if _, err := io.ReadFull(r, magic[:]); err != nil || string(magic[:]) != indexMagic {
		return nil, errors.New("not an accepted index")
	}
	if err := binary.Read(r, binary.BigEndian, &hlen); err != nil || hlen > maxIndexHeader {
		return nil, errors.New("bad header length")
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, err
	}
	x := &acceptedIndex{}
	if err := json.Unmarshal(hdr, x); err != nil {
		return nil, err
	}
	if err := binary.Read(r, binary.BigEndian, &n); err != nil || n > 1<<32 {
		return nil, errors.New("bad entry count")
	}
	x.entries = make([]entry, n)
	var buf [indexEntrySize]byte
	for i := range x.entries {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			return nil, err
		}
		copy(x.entries[i].hash[:], buf[:20])
		x.entries[i].mask = binary.BigEndian.Uint32(buf[20:])
	}
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
