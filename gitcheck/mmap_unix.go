//go:build unix

package gitcheck

import (
	"os"
	"syscall"
)

// mapOpen maps size bytes of f read-only; the mapping outlives f.
func mapOpen(f *os.File, size int64) ([]byte, func(), error) {
	if size == 0 {
		return nil, func() {}, nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return b, func() { syscall.Munmap(b) }, nil
}
