package tracker

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"go.etcd.io/bbolt"
)

// ErrDamaged means the database file is damaged (truncated, overwritten):
// bbolt would crash reading it. The file is never written to then.
var ErrDamaged = errors.New("database damaged")

// fault is what a memory fault becomes under debug.SetPanicOnFault.
type fault interface{ Addr() uintptr }

// guardOpen runs fn, turning any panic or memory fault (SIGSEGV, SIGBUS
// in bbolt's mmap of a truncated file) into ErrDamaged.
func guardOpen(path string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = damaged(path, fmt.Sprint(r))
		}
	}()
	return fn()
}

// guardFault runs fn, turning a memory fault into ErrDamaged; other
// panics go on.
func guardFault(path string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(fault); !ok {
				panic(r)
			}
			err = damaged(path, fmt.Sprint(r))
		}
	}()
	return fn()
}

func damaged(path, why string) error {
	return fmt.Errorf("tracker: %s: %w (%s); the file was left unchanged: "+
		"restore it from a backup (\"prtrack db backup\" makes one), and see \"prtrack db check\"", path, ErrDamaged, why)
}

// Check runs bbolt's consistency check over the whole file and returns
// what it found, nothing when the database is sound.
func (s *Store) Check() ([]error, error) {
	var found []error
	err := guardOpen(s.path, func() error {
		return s.db.View(func(tx *bbolt.Tx) error {
			for err := range tx.Check() {
				found = append(found, err)
			}
			return nil
		})
	})
	return found, err
}

// Backup writes a consistent copy of the database to path, which must
// not exist; the copy appears only once complete.
func (s *Store) Backup(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("tracker: backup: %s already exists", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".prtrack-backup-*")
	if err != nil {
		return fmt.Errorf("tracker: backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	err = guardFault(s.path, func() error {
		return s.db.View(func(tx *bbolt.Tx) error {
			_, err := tx.WriteTo(tmp)
			return err
		})
	})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("tracker: backup to %s: %w", path, err)
	}
	return nil
}
