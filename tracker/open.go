package tracker

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// bbolt's meta page: a 16-byte page header, then the magic number and
// format version in the machine's byte order.
const (
	boltMagic       = 0xED0CDAED
	boltMagicOffset = 16
	boltMinPage     = 1024
	boltMaxPage     = 1024 << 14
)

// Open opens the database at path, creating it, and its parent
// directories (mode 0700), when it does not exist. The file is created
// with mode 0600 and appears only once fully initialised.
//
// Open fails with ErrLocked when another process holds the database
// for longer than the timeout, with ErrNotDatabase when the file is
// not a prtrack database (an empty file included) and with
// ErrNewerSchema when it was written by a newer prtrack; in the last
// two cases the file is not modified. An older schema is migrated.
func Open(path string, opts *Options) (*Store, error) {
	if !opts.readOnly() {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("tracker: %w", err)
		}
		if err := create(path); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	// A damaged file can crash bbolt: read it first, read-only, with
	// faults turned into errors, and only then open it for writing.
	db, err := openGuarded(path, opts.timeout(), true)
	if err == nil && opts.readOnly() {
		err = current(db, path)
	}
	if err != nil || opts.readOnly() {
		return storeOf(db, path, opts, err)
	}
	db.Close()
	db, err = openGuarded(path, opts.timeout(), false)
	return storeOf(db, path, opts, err)
}

// current refuses, for a read-only open, a schema that needs migrating.
func current(db *bbolt.DB, path string) error {
	var found uint64
	db.View(func(tx *bbolt.Tx) error {
		found, _ = readSchemaVersion(tx)
		return nil
	})
	if found < schemaVersion {
		db.Close()
		return fmt.Errorf("tracker: %s: %w", path, ErrOlderSchema)
	}
	return nil
}

func storeOf(db *bbolt.DB, path string, opts *Options, err error) (*Store, error) {
	if err != nil {
		return nil, err
	}
	st := &Store{db: db, path: path, now: opts.now(), release: opts.release(), readOnly: opts.readOnly(), timeout: opts.timeout()}
	if st.release {
		db.Close()
		st.db = nil
	}
	return st, nil
}

// openBolt opens a database file checked by Open before, waiting at
// most timeout for another process to release it.
func openBolt(path string, timeout time.Duration, readOnly bool) (*bbolt.DB, error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: timeout, ReadOnly: readOnly, OpenFile: openExisting})
	if err != nil {
		return nil, openError(path, err)
	}
	return db, nil
}

// openGuarded opens the file with bbolt and checks it: read-only, that
// its schema is readable; read-write, it also migrates an older one.
func openGuarded(path string, timeout time.Duration, readOnly bool) (*bbolt.DB, error) {
	var db *bbolt.DB
	var file *os.File
	opener := func(name string, flag int, perm os.FileMode) (*os.File, error) {
		f, err := openExisting(name, flag, perm)
		file = f
		return f, err
	}
	err := guardOpen(path, func() error {
		var err error
		db, err = bbolt.Open(path, 0o600, &bbolt.Options{Timeout: timeout, ReadOnly: readOnly, OpenFile: opener})
		if err != nil {
			return openError(path, err)
		}
		if readOnly {
			return readable(db, path)
		}
		return upgrade(db, path)
	})
	switch {
	case err != nil && db != nil && !errors.Is(err, ErrDamaged):
		db.Close()
	case err != nil && file != nil:
		// bbolt crashed holding the file lock, and its mapping of the
		// file keeps the lock past Close: unlock, close, leave the rest.
		unlock(file)
		file.Close()
	}
	if err != nil {
		return nil, err
	}
	return db, nil
}

// create makes a new database at path unless a file is already there.
// The database is built under a temporary name in the same directory
// and linked into place, so path never names a half-written file and
// an existing file is never replaced.
func create(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fs.ErrExist
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".prtrack-new-*")
	if err != nil {
		return fmt.Errorf("tracker: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	db, err := bbolt.Open(tmp.Name(), 0o600, nil)
	if err != nil {
		return fmt.Errorf("tracker: create %s: %w", tmp.Name(), err)
	}
	err = db.Update(initSchema)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("tracker: create %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		return fmt.Errorf("tracker: create %s: %w", path, err)
	}
	return nil
}

// openExisting is bbolt's file opener with O_CREATE removed: if the
// file vanished after the checks, bbolt must not create and initialise
// an empty one in its place.
func openExisting(name string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag&^os.O_CREATE, perm)
}

// checkHeader reads the file without writing and refuses anything
// without a bbolt meta page: bbolt itself would initialise an empty
// file in place.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("tracker: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("tracker: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return notDatabase(path, "not a regular file")
	}
	if fi.Size() == 0 {
		return notDatabase(path, "empty file")
	}
	// bbolt keeps two meta pages; the second one, at the page size,
	// is used when the first is damaged.
	for off := int64(0); off <= boltMaxPage; off = nextMetaOffset(off) {
		ok, err := hasMagic(f, off)
		if err != nil {
			return fmt.Errorf("tracker: %s: %w", path, err)
		}
		if ok {
			return nil
		}
	}
	return notDatabase(path, "no bbolt header")
}

func nextMetaOffset(off int64) int64 {
	if off == 0 {
		return boltMinPage
	}
	return off * 2
}

// hasMagic reports whether a bbolt meta page starts at off.
func hasMagic(f *os.File, off int64) (bool, error) {
	var b [4]byte
	_, err := f.ReadAt(b[:], off+boltMagicOffset)
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return binary.NativeEndian.Uint32(b[:]) == boltMagic, nil
}

func notDatabase(path, why string) error {
	return fmt.Errorf("tracker: %s: %w (%s); the file was left unchanged", path, ErrNotDatabase, why)
}

// openError translates bbolt's errors from Open.
func openError(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("tracker: %s: %w", path, ErrLocked)
	case errors.Is(err, berrors.ErrInvalid),
		errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum):
		return notDatabase(path, err.Error())
	case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("tracker: open %s: %w", path, err)
	}
	// The file has a bbolt header (checkHeader), yet bbolt refuses it.
	return damaged(path, err.Error())
}

// readable checks, without writing, that the schema is one this
// prtrack reads: the current one, or an older one it will migrate.
func readable(db *bbolt.DB, path string) error {
	if err := wholeFile(db, path); err != nil {
		return err
	}
	var found uint64
	err := db.View(func(tx *bbolt.Tx) error {
		v, err := readSchemaVersion(tx)
		found = v
		return err
	})
	if err != nil {
		return notDatabase(path, err.Error())
	}
	if found > schemaVersion {
		return &newerSchemaError{path: path, found: found, known: schemaVersion}
	}
	if found == schemaVersion {
		if err := db.View(checkBuckets); err != nil {
			return notDatabase(path, err.Error())
		}
	}
	return nil
}

// wholeFile refuses a truncated file: one shorter than the pages its
// meta page counts. bbolt would read past the end (SIGBUS) or write
// into the hole.
func wholeFile(db *bbolt.DB, path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("tracker: %w", err)
	}
	var need int64
	db.View(func(tx *bbolt.Tx) error { need = tx.Size(); return nil })
	if fi.Size() < need {
		return damaged(path, fmt.Sprintf("truncated: %d bytes, its pages need %d", fi.Size(), need))
	}
	return nil
}

// upgrade checks the schema version and migrates an older database.
// It writes nothing unless a migration is needed.
func upgrade(db *bbolt.DB, path string) error {
	if err := readable(db, path); err != nil {
		return err
	}
	var found uint64
	db.View(func(tx *bbolt.Tx) error {
		found, _ = readSchemaVersion(tx)
		return nil
	})
	if found < schemaVersion {
		if err := db.Update(func(tx *bbolt.Tx) error { return migrate(tx, schemaVersion) }); err != nil {
			return fmt.Errorf("tracker: %s: %w", path, err)
		}
	}
	if err := db.View(checkBuckets); err != nil {
		return notDatabase(path, err.Error())
	}
	return nil
}

// wrap prefixes an error from bbolt or encoding/json with what failed.
func wrap(what string, err error) error {
	return fmt.Errorf("tracker: %s: %w", what, err)
}
