package tracker

import (
	"errors"
	"fmt"
)

// Errors returned by the store. Callers test for them with errors.Is.
var (
	// ErrLocked means another process holds the database open.
	ErrLocked = errors.New("database is in use by another prtrack")
	// ErrNotDatabase means the file is not a prtrack database. The
	// file is left as it was.
	ErrNotDatabase = errors.New("not a prtrack database")
	// ErrOlderSchema means a read-only Open found a database that a
	// read-write Open would migrate first.
	ErrOlderSchema = errors.New("database schema is older: it needs a migration, which a read-only open cannot do")
	// ErrNewerSchema means the database was written by a newer
	// prtrack. The file is left as it was.
	ErrNewerSchema = errors.New("database schema is newer than this prtrack")
	// ErrNotFound means the record asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExists means a record with the same key is already stored.
	ErrExists = errors.New("already recorded")
	// ErrReadOnly means a writing method was called inside View.
	ErrReadOnly = errors.New("transaction is read-only")
	// ErrInvalid means a value cannot be stored as given (an empty or
	// oversized key, an unknown state, malformed JSON detail).
	ErrInvalid = errors.New("invalid value")
)

// newerSchemaError reports a database whose schema version is above
// the one this code knows. It matches ErrNewerSchema.
type newerSchemaError struct {
	path         string
	found, known uint64
}

func (e *newerSchemaError) Error() string {
	return fmt.Sprintf("tracker: %s: database schema v%d is newer than this prtrack (v%d); upgrade prtrack",
		e.path, e.found, e.known)
}

func (e *newerSchemaError) Is(target error) bool { return target == ErrNewerSchema }
