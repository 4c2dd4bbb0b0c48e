//go:build !unix

package gitcheck

import (
	"io"
	"os"
)

// mapOpen reads size bytes of f where there is no mmap.
func mapOpen(f *os.File, size int64) ([]byte, func(), error) {
	b := make([]byte, size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, nil, err
	}
	return b, func() {}, nil
}
