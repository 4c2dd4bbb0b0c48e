package gitcheck

import (
	"bytes"
	"io"
)

// searchRecords binary-searches records [lo, hi) of size rec, sorted by
// their first 20 bytes, starting at off in r, for key. It reads each
// probe with its own ReadAt: a lookup by hash in a table of a million
// entries touches a dozen places far apart, and reading them leaves
// nothing resident, where mapping the table kept every page touched
// (and its neighbours) in the process's memory.
func searchRecords(r io.ReaderAt, off int64, lo, hi, rec int, key []byte) (int, bool) {
	var buf [20]byte
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if _, err := r.ReadAt(buf[:], off+int64(mid)*int64(rec)); err != nil {
			return 0, false
		}
		switch c := bytes.Compare(buf[:], key); {
		case c == 0:
			return mid, true
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false
}
