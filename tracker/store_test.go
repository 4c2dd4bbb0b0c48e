package tracker

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

var t0 = time.Date(2025, 7, 8, 10, 0, 0, 0, time.UTC)

// testClock returns a clock that starts at t0 and advances a second
// on every call, so that stored times are distinct and predictable.
func testClock() func() time.Time {
	n := 0
	return func() time.Time {
		n++
		return t0.Add(time.Duration(n) * time.Second)
	}
}

func testOptions() *Options {
	return &Options{Timeout: 100 * time.Millisecond, Now: testClock()}
}

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "state", "prtrack.db"), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func update(t *testing.T, s *Store, fn func(tx *Tx) error) {
	t.Helper()
	if err := s.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func view(t *testing.T, s *Store, fn func(tx *Tx) error) {
	t.Helper()
	if err := s.View(fn); err != nil {
		t.Fatal(err)
	}
}

func storedVersion(t *testing.T, path string) uint64 {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v uint64
	if err := db.View(func(tx *bbolt.Tx) error {
		var err error
		v, err = readSchemaVersion(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpenCreates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "prtrack.db")
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, path: 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode(), want)
		}
	}
	if v := storedVersion(t, path); v != schemaVersion {
		t.Errorf("schema version %d, want %d", v, schemaVersion)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the database", len(entries))
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prtrack.db")
	s, err := Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	update(t, s, func(tx *Tx) error { return tx.SetPosition("mbox:/x", []byte("42")) })
	s.Close()
	s, err = Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	view(t, s, func(tx *Tx) error {
		if pos, ok := tx.Position("mbox:/x"); !ok || string(pos) != "42" {
			t.Errorf("Position after reopen = %q, %v", pos, ok)
		}
		return nil
	})
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prtrack.db")
	s, err := Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = Open(path, testOptions())
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	want := "tracker: " + path + ": database is in use by another prtrack"
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

// boltLikeGarbage has bbolt's magic number where a meta page starts
// but nothing valid around it, so only bbolt itself can refuse it.
func boltLikeGarbage() []byte {
	b := make([]byte, 8192)
	copy(b[boltMagicOffset:], []byte{0xed, 0xda, 0x0c, 0xed, 2, 0, 0, 0})
	return b
}

func TestOpenNotDatabase(t *testing.T) {
	rnd := make([]byte, 3*4096)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range rnd {
		rnd[i] = byte(r.Uint32())
	}
	tests := map[string][]byte{
		"text":    []byte("From mboxrd@z Thu Jan  1 00:00:00 1970\nSubject: hi\n\nhello\n"),
		"random":  rnd,
		"empty":   {},
		"garbage": boltLikeGarbage(),
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "prtrack.db")
			if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Open(path, testOptions())
			if !errors.Is(err, ErrNotDatabase) {
				t.Fatalf("Open: %v, want ErrNotDatabase", err)
			}
			t.Log(err)
			assertUnchanged(t, path, content, 0o644)
			assertAlone(t, dir)
		})
	}
}

// TestOpenForeignBolt refuses a bbolt database written by another
// program: it has no prtrack schema.
func TestOpenForeignBolt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket([]byte("widgets"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	before := readFile(t, path)
	if _, err := Open(path, testOptions()); !errors.Is(err, ErrNotDatabase) {
		t.Fatalf("Open: %v, want ErrNotDatabase", err)
	}
	assertUnchanged(t, path, before, 0o600)
}

func TestOpenNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prtrack.db")
	s, err := Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	setStoredVersion(t, path, schemaVersion+1)
	before := readFile(t, path)

	_, err = Open(path, testOptions())
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open: %v, want ErrNewerSchema", err)
	}
	want := fmt.Sprintf("tracker: %s: database schema v%d is newer than this prtrack (v%d); upgrade prtrack",
		path, schemaVersion+1, schemaVersion)
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	assertUnchanged(t, path, before, 0o600)
}

func setStoredVersion(t *testing.T, path string, v uint64) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64Key(v))
	}); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func assertUnchanged(t *testing.T, path string, want []byte, mode os.FileMode) {
	t.Helper()
	if got := readFile(t, path); !bytes.Equal(got, want) {
		t.Errorf("%s was modified: %d bytes, had %d", path, len(got), len(want))
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != mode {
		t.Errorf("%s mode %v, want %v", path, fi.Mode(), mode)
	}
}

// assertAlone checks that Open left no temporary file behind.
func assertAlone(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("%s holds %d entries, want 1", dir, len(entries))
	}
}

func TestUpdateRollback(t *testing.T) {
	s := openTemp(t)
	boom := errors.New("boom")
	err := s.Update(func(tx *Tx) error {
		id, err := tx.AddPullRequest(samplePR("pr1@example.org"), []byte("raw"))
		if err != nil {
			return err
		}
		if err := tx.AttachReply(id, Reply{MessageID: "r1@example.org"}); err != nil {
			return err
		}
		if err := tx.MarkSeen("pr1@example.org", SeenInfo{Hash: "h"}); err != nil {
			return err
		}
		if err := tx.SetPosition("mbox:/x", []byte("1")); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("Update returned %v, want the function's own error", err)
	}
	view(t, s, func(tx *Tx) error {
		if _, ok := tx.Seen("pr1@example.org"); ok {
			t.Error("seen record survived the rollback")
		}
		if _, ok := tx.Position("mbox:/x"); ok {
			t.Error("position survived the rollback")
		}
		if _, ok := tx.PullRequestByMessageID("pr1@example.org"); ok {
			t.Error("message-id index survived the rollback")
		}
		if _, ok := tx.ThreadOf("r1@example.org"); ok {
			t.Error("thread index survived the rollback")
		}
		if prs, err := tx.PullRequests(); err != nil || len(prs) != 0 {
			t.Errorf("PullRequests() = %d records, %v", len(prs), err)
		}
		return nil
	})
	update(t, s, func(tx *Tx) error {
		id, err := tx.AddPullRequest(samplePR("pr2@example.org"), []byte("raw"))
		if id != 1 {
			t.Errorf("first id after rollback = %d, want 1", id)
		}
		return err
	})
}

func TestViewRefusesWrites(t *testing.T) {
	s := openTemp(t)
	err := s.View(func(tx *Tx) error { return tx.MarkSeen("a@b", SeenInfo{}) })
	if !errors.Is(err, ErrReadOnly) {
		t.Errorf("MarkSeen in View: %v", err)
	}
}

// A store opened with Release holds the file only during a
// transaction: another process (here another Open, which takes the
// same flock) gets in between, and the first gets it back after.
func TestReleaseModeLetsOthersIn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	long, err := Open(path, &Options{Release: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer long.Close()
	update(t, long, func(tx *Tx) error { return tx.SetPosition("mbox:/x", []byte("1")) })
	short, err := Open(path, &Options{Release: true, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer short.Close()
	other, err := Open(path, &Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("a released store still holds the file: %v", err)
	}
	// While the other holds it, a released store waits, then fails
	// with ErrLocked once its timeout is over.
	if err := short.View(func(tx *Tx) error { return nil }); !errors.Is(err, ErrLocked) {
		t.Errorf("transaction while another holds the file: %v, want ErrLocked", err)
	}
	other.Close()
	update(t, long, func(tx *Tx) error { return tx.SetPosition("mbox:/x", []byte("2")) })
	if err := long.View(func(tx *Tx) error {
		if p, _ := tx.Position("mbox:/x"); string(p) != "2" {
			t.Errorf("position = %q", p)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
