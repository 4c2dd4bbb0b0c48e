package gitcheck

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// A pack as git reads it: its .idx (version 2) and .pack mapped into
// memory, an object found by binary search in the index and decoded at
// its offset, an OFS_DELTA base found by offset. go-git's own reader
// builds, per pack, an offset-to-hash map of every object the first
// time it decodes one (idxfile.MemoryIndex.FindHash) and copies the
// whole index onto the heap: on a kernel-sized pack that is a second
// and a gigabyte per process, whatever the question. This one touches
// the pages it needs.

var errBadPack = errors.New("gitcheck: malformed pack")

// mappedPack is one pack and its index.
type mappedPack struct {
	name  string // the .pack path
	idx   []byte // the whole .idx
	pack  []byte // the whole .pack
	count int
	unmap func()
}

const (
	idxHeader  = 8
	fanoutSize = 256 * 4
	maxChain   = 10000 // delta chain bound (git's own packs stay under 4095)
)

// openPack maps a version 2 pack index and its pack.
func openPack(idxPath string) (*mappedPack, error) {
	packPath := strings.TrimSuffix(idxPath, ".idx") + ".pack"
	idx, unmapIdx, err := mapFile(idxPath)
	if err != nil {
		return nil, err
	}
	pack, unmapPack, err := mapFile(packPath)
	if err != nil {
		unmapIdx()
		return nil, err
	}
	p := &mappedPack{name: packPath, idx: idx, pack: pack, unmap: func() { unmapIdx(); unmapPack() }}
	if err := p.checkIndex(); err != nil {
		p.unmap()
		return nil, fmt.Errorf("gitcheck: %s: %w", idxPath, err)
	}
	return p, nil
}

func (p *mappedPack) checkIndex() error {
	if len(p.idx) < idxHeader+fanoutSize+40 || !bytes.Equal(p.idx[:8], []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}) {
		return errors.New("not a version 2 pack index")
	}
	p.count = int(binary.BigEndian.Uint32(p.idx[idxHeader+255*4:]))
	if len(p.idx) < idxHeader+fanoutSize+p.count*28+40 || len(p.pack) < 32 {
		return errBadPack
	}
	return nil
}

func (p *mappedPack) close() {
	if p.unmap != nil {
		p.unmap()
		p.unmap = nil
	}
}

func (p *mappedPack) name20(i int) []byte {
	o := idxHeader + fanoutSize + i*20
	return p.idx[o : o+20]
}

// offset returns the pack offset of h, or -1.
func (p *mappedPack) offset(h plumbing.Hash) int64 {
	lo := 0
	if h[0] > 0 {
		lo = int(binary.BigEndian.Uint32(p.idx[idxHeader+(int(h[0])-1)*4:]))
	}
	hi := int(binary.BigEndian.Uint32(p.idx[idxHeader+int(h[0])*4:]))
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(p.name20(mid), h[:]); {
		case c == 0:
			return p.offsetAt(mid)
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1
}

func (p *mappedPack) offsetAt(i int) int64 {
	base := idxHeader + fanoutSize + p.count*24
	off := binary.BigEndian.Uint32(p.idx[base+i*4:])
	if off&0x80000000 == 0 {
		return int64(off)
	}
	large := base + p.count*4 + int(off&0x7fffffff)*8
	if large+8 > len(p.idx)-40 {
		return -1
	}
	return int64(binary.BigEndian.Uint64(p.idx[large:]))
}

// header reads the object header at off: type, inflated size, the
// base (an offset for OFS_DELTA, a hash for REF_DELTA) and where the
// deflated data starts.
type objHeader struct {
	typ     plumbing.ObjectType
	size    int64
	baseOff int64
	baseRef plumbing.Hash
	data    int64
}

func (p *mappedPack) header(off int64) (objHeader, error) {
	var h objHeader
	end := int64(len(p.pack) - 20)
	if off < 12 || off >= end {
		return h, errBadPack
	}
	pos := off
	b := p.pack[pos]
	pos++
	h.typ = plumbing.ObjectType((b >> 4) & 7)
	h.size = int64(b & 15)
	for shift := 4; b&0x80 != 0; shift += 7 {
		if pos >= end || shift > 56 {
			return h, errBadPack
		}
		b = p.pack[pos]
		pos++
		h.size |= int64(b&0x7f) << shift
	}
	switch h.typ {
	case plumbing.OFSDeltaObject:
		if pos >= end {
			return h, errBadPack
		}
		b = p.pack[pos]
		pos++
		rel := int64(b & 0x7f)
		for b&0x80 != 0 {
			if pos >= end || rel > 1<<55 {
				return h, errBadPack
			}
			b = p.pack[pos]
			pos++
			rel = (rel+1)<<7 | int64(b&0x7f)
		}
		if rel <= 0 || rel > off {
			return h, errBadPack
		}
		h.baseOff = off - rel
	case plumbing.REFDeltaObject:
		if pos+20 > end {
			return h, errBadPack
		}
		copy(h.baseRef[:], p.pack[pos:pos+20])
		pos += 20
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	default:
		return h, errBadPack
	}
	h.data = pos
	return h, nil
}

// inflate returns the size bytes deflated at off.
func (p *mappedPack) inflate(off, size int64) ([]byte, error) {
	if size < 0 || size > int64(len(p.pack))*1032 { // deflate expands at most ~1032x
		return nil, errBadPack
	}
	zr, err := zlib.NewReader(bytes.NewReader(p.pack[off : len(p.pack)-20]))
	if err != nil {
		return nil, errBadPack
	}
	defer zr.Close()
	out := make([]byte, size)
	if _, err := io.ReadFull(zr, out); err != nil {
		return nil, errBadPack
	}
	return out, nil
}

// baseFinder resolves a REF_DELTA base outside the pack (never in a
// pack git or prtrack keeps on disk, but allowed).
type baseFinder func(h plumbing.Hash) (plumbing.ObjectType, []byte, error)

// read decodes the object at off: its type and content.
func (p *mappedPack) read(off int64, c *baseCache, ref baseFinder) (plumbing.ObjectType, []byte, error) {
	t, data, err := p.resolve(off, c, ref)
	if err == nil {
		c.put(p, off, t, data)
	}
	return t, data, err
}

func (p *mappedPack) resolve(off int64, c *baseCache, ref baseFinder) (plumbing.ObjectType, []byte, error) {
	var chain [][]byte
	for range maxChain {
		if t, data, ok := c.get(p, off); ok {
			return patch(t, data, chain)
		}
		h, err := p.header(off)
		if err != nil {
			return 0, nil, err
		}
		data, err := p.inflate(h.data, h.size)
		if err != nil {
			return 0, nil, err
		}
		switch h.typ {
		case plumbing.OFSDeltaObject:
			chain = append(chain, data)
			off = h.baseOff
		case plumbing.REFDeltaObject:
			chain = append(chain, data)
			if bo := p.offset(h.baseRef); bo >= 0 {
				off = bo
				continue
			}
			t, base, err := ref(h.baseRef)
			if err != nil {
				return 0, nil, err
			}
			return patch(t, base, chain)
		default:
			if len(chain) > 0 {
				c.put(p, off, h.typ, data)
			}
			return patch(h.typ, data, chain)
		}
	}
	return 0, nil, fmt.Errorf("%w: delta chain longer than %d", errBadPack, maxChain)
}

// patch applies the deltas of chain, innermost last, to base.
func patch(t plumbing.ObjectType, base []byte, chain [][]byte) (plumbing.ObjectType, []byte, error) {
	for i := len(chain) - 1; i >= 0; i-- {
		out, err := packfile.PatchDelta(base, chain[i])
		if err != nil {
			return 0, nil, fmt.Errorf("%w: %v", errBadPack, err)
		}
		base = out
	}
	return t, base, nil
}

// baseCache keeps recently decoded whole objects, by pack and offset,
// within a byte budget: trees of neighbouring commits share bases.
type baseCache struct {
	budget int
	used   int
	m      map[cacheKey]cached
}

type cacheKey struct {
	p   *mappedPack
	off int64
}

type cached struct {
	t    plumbing.ObjectType
	data []byte
}

func (c *baseCache) get(p *mappedPack, off int64) (plumbing.ObjectType, []byte, bool) {
	v, ok := c.m[cacheKey{p, off}]
	return v.t, v.data, ok
}

func (c *baseCache) put(p *mappedPack, off int64, t plumbing.ObjectType, data []byte) {
	if len(data) > c.budget/4 {
		return
	}
	if c.m == nil || c.used+len(data) > c.budget {
		c.m, c.used = map[cacheKey]cached{}, 0
	}
	c.m[cacheKey{p, off}] = cached{t, data}
	c.used += len(data)
}

// mapFile maps a whole file read-only.
func mapFile(path string) ([]byte, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	return mapOpen(f, fi.Size())
}
