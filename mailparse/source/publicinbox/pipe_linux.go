package publicinbox

import (
	"os"
	"syscall"
)

// fSetPipeSize is F_SETPIPE_SZ (linux/fcntl.h).
const fSetPipeSize = 1031

// growPipe asks for a 1 MiB pipe (the default maximum of
// /proc/sys/fs/pipe-max-size) instead of 64 KiB, so that git and the
// reader hand over 16 times fewer pieces of a stream of mail; it is only
// a hint.
func growPipe(f *os.File) {
	syscall.Syscall(syscall.SYS_FCNTL, f.Fd(), fSetPipeSize, 1<<20)
}
