// Package tracker implements prtrack's persistent store, a bbolt
// database holding the messages already seen, the pull requests found
// in them with their replies and history of events, the outgoing reply
// drafts and where each mail source was last read.
//
// It is the only package that knows the database schema: other
// packages work through Store.Update and Store.View and the methods of
// Tx, which copy everything out of the database, so no value returned
// by them refers to database memory. Records and their index keys are
// always written in the same transaction, and times are stored in UTC.
//
// The schema carries a version number. Opening an older database
// migrates it forward in one transaction; a newer one, or a file that
// is not a prtrack database, is refused and left untouched.
package tracker

import (
	"fmt"
	"sync"
	"time"

	"go.etcd.io/bbolt"
)

// DefaultTimeout is how long Open waits for another process to release
// the database.
const DefaultTimeout = time.Second

// Options configures Open. The zero value, or nil, means the defaults.
type Options struct {
	// Timeout is how long to wait for the file lock; zero means
	// DefaultTimeout.
	Timeout time.Duration
	// Now returns the current time, used for timestamps the caller
	// leaves zero; nil means time.Now.
	Now func() time.Time
	// ReadOnly opens an existing database for reading only (it works
	// on a read-only file system, and Update fails). Nothing is
	// created or migrated.
	ReadOnly bool
	// Release makes the store hold the file only during a
	// transaction: each Update and View opens the database and closes
	// it again, so that other prtrack processes (list, show, report, a
	// second run) can use it while this one waits on the network. The
	// timeout then also bounds each reopening.
	Release bool
}

func (o *Options) readOnly() bool { return o != nil && o.ReadOnly }
func (o *Options) release() bool  { return o != nil && o.Release }

func (o *Options) timeout() time.Duration {
	if o == nil || o.Timeout == 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

func (o *Options) now() func() time.Time {
	if o == nil || o.Now == nil {
		return time.Now
	}
	return o.Now
}

// Store is an open prtrack database. It is safe for concurrent use;
// only one process can hold it open.
type Store struct {
	mu       sync.Mutex // guards db in release mode
	db       *bbolt.DB  // nil between transactions in release mode
	path     string
	now      func() time.Time
	release  bool
	readOnly bool
	timeout  time.Duration
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Close releases the database.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}

// Update runs fn in a read-write transaction. If fn returns an error,
// nothing it wrote is kept and that error is returned as is; otherwise
// the transaction is committed and durable when Update returns.
func (s *Store) Update(fn func(tx *Tx) error) error {
	return s.run((*bbolt.DB).Update, fn)
}

// View runs fn in a read-only transaction. The writing methods of Tx
// fail inside View.
func (s *Store) View(fn func(tx *Tx) error) error {
	return s.run((*bbolt.DB).View, fn)
}

func (s *Store) run(do func(*bbolt.DB, func(*bbolt.Tx) error) error, fn func(*Tx) error) error {
	db, done, err := s.acquire()
	if err != nil {
		return err
	}
	defer done()
	var fnErr error
	err = guardFault(s.path, func() error {
		return do(db, func(btx *bbolt.Tx) error {
			fnErr = fn(&Tx{tx: btx, now: s.now})
			return fnErr
		})
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return wrap("transaction", err)
	}
	return nil
}

// Tx is a transaction on the store, valid only inside the function
// passed to Update or View. Its methods check their arguments before
// writing anything; a method that fails later has possibly written
// part of its records, so return its error to roll the whole
// transaction back.
type Tx struct {
	tx  *bbolt.Tx
	now func() time.Time
}

// writable refuses writing in a read-only transaction.
func (t *Tx) writable(op string) error {
	if !t.tx.Writable() {
		return fmt.Errorf("tracker: %s: %w", op, ErrReadOnly)
	}
	return nil
}

func (t *Tx) bucket(name []byte) *bbolt.Bucket { return t.tx.Bucket(name) }

// stamp returns v in UTC, or the current time when v is zero.
func (t *Tx) stamp(v time.Time) time.Time {
	if v.IsZero() {
		v = t.now()
	}
	return v.UTC()
}

// acquire returns the open database for one transaction and what to
// call after it: in release mode it opens the file (waiting for the
// lock at most the store's timeout) and closes it when done.
func (s *Store) acquire() (*bbolt.DB, func(), error) {
	if !s.release {
		return s.db, func() {}, nil
	}
	s.mu.Lock()
	db, err := openBolt(s.path, s.timeout, s.readOnly)
	if err != nil {
		s.mu.Unlock()
		return nil, nil, err
	}
	s.db = db
	return db, func() {
		db.Close()
		s.db = nil
		s.mu.Unlock()
	}, nil
}

// Now is the store's clock, as used for the timestamps it writes.
func (t *Tx) Now() time.Time { return t.now() }
