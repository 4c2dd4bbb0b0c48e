//go:build !unix

package tracker

import "os"

// unlock does nothing where bbolt does not use flock: closing the file
// releases its lock.
func unlock(*os.File) {}
