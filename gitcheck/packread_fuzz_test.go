package gitcheck

import (
	"bytes"
	"compress/zlib"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// packBytes is a pack of objects (type, content) as git writes them,
// with a zero trailer: enough for the reader, which the index vouches
// for.
func packBytes(objs ...[]byte) []byte {
	var b bytes.Buffer
	b.WriteString("PACK\x00\x00\x00\x02\x00\x00\x00")
	b.WriteByte(byte(len(objs)))
	for _, o := range objs {
		b.Write(o)
	}
	b.Write(make([]byte, 20))
	return b.Bytes()
}

// packObject is one object entry: a type-and-size header (no delta
// base) and its deflated content.
func packObject(t plumbing.ObjectType, content []byte) []byte {
	var b bytes.Buffer
	n := len(content)
	c := byte(t)<<4 | byte(n&15)
	n >>= 4
	for n > 0 {
		b.WriteByte(c | 0x80)
		c, n = byte(n&0x7f), n>>7
	}
	b.WriteByte(c)
	zw := zlib.NewWriter(&b)
	zw.Write(content)
	zw.Close()
	return b.Bytes()
}

// FuzzPackRead feeds the mapped pack reader damaged packs: whatever the
// bytes, reading an object at any offset returns an object or an
// error, never a panic or a runaway allocation.
func FuzzPackRead(f *testing.F) {
	blob := packObject(plumbing.BlobObject, []byte("hello, rdma\n"))
	f.Add(packBytes(blob), int64(12))
	// An OFS_DELTA whose base is the blob before it.
	delta := []byte{0x6c, byte(len(blob))} // OFS_DELTA (type 6), size 12, base len(blob) bytes back
	f.Add(packBytes(blob, append(delta, 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01)), int64(12+len(blob)))
	f.Add(packBytes(packObject(plumbing.CommitObject, bytes.Repeat([]byte("x"), 300))), int64(12))
	f.Fuzz(func(t *testing.T, pack []byte, off int64) {
		if len(pack) > 1<<16 {
			return
		}
		p := &mappedPack{name: "fuzz.pack", pack: pack}
		typ, data, err := p.read(off, &baseCache{budget: 1 << 20}, func(plumbing.Hash) (plumbing.ObjectType, []byte, error) {
			return 0, nil, errBadPack
		})
		if err == nil && (!typ.Valid() || typ == plumbing.OFSDeltaObject || typ == plumbing.REFDeltaObject) {
			t.Fatalf("read gave type %v (%d bytes) without an error", typ, len(data))
		}
	})
}

// TestPackReadSeed: the fuzz seed is a pack the reader does read, so
// the fuzzing starts from the success path.
func TestPackReadSeed(t *testing.T) {
	p := &mappedPack{name: "seed.pack", pack: packBytes(packObject(plumbing.BlobObject, []byte("hello, rdma\n")))}
	typ, data, err := p.read(12, &baseCache{budget: 1 << 20}, nil)
	if err != nil || typ != plumbing.BlobObject || string(data) != "hello, rdma\n" {
		t.Fatalf("read = %v %q %v", typ, data, err)
	}
}
