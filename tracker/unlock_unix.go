//go:build unix

package tracker

import (
	"os"
	"syscall"
)

// unlock releases bbolt's flock on f.
func unlock(f *os.File) {
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
