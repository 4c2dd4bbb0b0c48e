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
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// A pack as git reads it: an object found by binary search in its .idx
// (version 2) and decoded at its offset in the .pack, mapped into
// memory; an OFS_DELTA base found by offset. go-git's own reader
// builds, per pack, an offset-to-hash map of every object the first
// time it decodes one (idxfile.MemoryIndex.FindHash) and copies the
// whole index onto the heap: on a kernel-sized pack that is a second
// and a gigabyte per process, whatever the question. This one touches
// the pages it needs.

var errBadPack = errors.New("malformed pack")

// mappedPack is one pack and its index.
type mappedPack struct {
	name   string   // the .pack path
	idx    *os.File // the .idx, read where a lookup probes
	fanout [256]uint32
	pack   []byte // the whole .pack, mapped
	count  int
	unmap  func()
}

const (
	idxHeader  = 8
	fanoutSize = 256 * 4
	maxChain   = 10000 // delta chain bound (git's own packs stay under 4095)
)

// openPack opens a version 2 pack index and maps its pack.
func openPack(idxPath string) (*mappedPack, error) {
	packPath := strings.TrimSuffix(idxPath, ".idx") + ".pack"
	idx, err := os.Open(idxPath)
	if err != nil {
		return nil, err
	}
	pack, unmapPack, err := mapFile(packPath)
	if err != nil {
		idx.Close()
		return nil, err
	}
	p := &mappedPack{name: packPath, idx: idx, pack: pack, unmap: func() { idx.Close(); unmapPack() }}
	if err := p.checkIndex(); err != nil {
		p.unmap()
		return nil, fmt.Errorf("gitcheck: %s: %w", idxPath, err)
	}
	return p, nil
}

func (p *mappedPack) checkIndex() error {
	var head [idxHeader + fanoutSize]byte
	fi, err := p.idx.Stat()
	if err != nil {
		return err
	}
	if _, err := p.idx.ReadAt(head[:], 0); err != nil || !bytes.Equal(head[:8], []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}) {
		return errors.New("not a version 2 pack index")
	}
	for i := range p.fanout {
		p.fanout[i] = binary.BigEndian.Uint32(head[idxHeader+i*4:])
	}
	p.count = int(p.fanout[255])
	if fi.Size() < int64(idxHeader+fanoutSize+p.count*28+40) || len(p.pack) < 32 {
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

// name20 returns the i-th hash of the index.
func (p *mappedPack) name20(i int) []byte {
	b := make([]byte, 20)
	p.idx.ReadAt(b, int64(idxHeader+fanoutSize+i*20))
	return b
}

// offset returns the pack offset of h, or -1.
func (p *mappedPack) offset(h plumbing.Hash) int64 {
	lo := 0
	if h[0] > 0 {
		lo = int(p.fanout[h[0]-1])
	}
	i, ok := searchRecords(p.idx, idxHeader+fanoutSize, lo, int(p.fanout[h[0]]), 20, h[:])
	if !ok {
		return -1
	}
	return p.offsetAt(i)
}

func (p *mappedPack) offsetAt(i int) int64 {
	base := int64(idxHeader + fanoutSize + p.count*24)
	var b [8]byte
	if _, err := p.idx.ReadAt(b[:4], base+int64(i)*4); err != nil {
		return -1
	}
	off := binary.BigEndian.Uint32(b[:4])
	if off&0x80000000 == 0 {
		return int64(off)
	}
	large := base + int64(p.count)*4 + int64(off&0x7fffffff)*8
	if _, err := p.idx.ReadAt(b[:], large); err != nil {
		return -1
	}
	return int64(binary.BigEndian.Uint64(b[:]))
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
	src := bytes.NewReader(p.pack[off : len(p.pack)-20])
	zr, _ := zlibPool.Get().(io.ReadCloser)
	var err error
	if zr == nil {
		zr, err = zlib.NewReader(src)
	} else {
		err = zr.(zlib.Resetter).Reset(src, nil)
	}
	if err != nil {
		return nil, errBadPack
	}
	defer zlibPool.Put(zr)
	out := make([]byte, size)
	if _, err := io.ReadFull(zr, out); err != nil {
		return nil, errBadPack
	}
	return out, nil
}

// zlibPool keeps inflaters: each holds a 32 KiB window, and a check
// reads hundreds of objects.
var zlibPool sync.Pool

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
