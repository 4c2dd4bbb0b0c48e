package tracker

import (
	"errors"
	"path/filepath"
	"testing"
)

// TestReadOnlyOpen reads a current database without writing, refuses to
// create one, and leaves an older schema to a read-write open.
func TestReadOnlyOpen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "prtrack.db")
	if _, err := Open(path, &Options{ReadOnly: true}); err == nil {
		t.Fatal("a read-only open created a database")
	}
	s, err := Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro, err := Open(path, &Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := ro.Update(func(*Tx) error { return nil }); err == nil {
		t.Error("Update succeeded on a read-only store")
	}
	ro.Close()
	old := filepath.Join(dir, "v1.db")
	writeV1(t, old, []byte(`{"id":1}`))
	if _, err := Open(old, &Options{ReadOnly: true}); !errors.Is(err, ErrOlderSchema) {
		t.Errorf("read-only open of a v1 database = %v, want ErrOlderSchema", err)
	}
	if v := storedVersion(t, old); v != 1 {
		t.Errorf("the read-only open changed the schema to %d", v)
	}
}
