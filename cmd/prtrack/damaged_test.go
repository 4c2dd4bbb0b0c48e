package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.etcd.io/bbolt"
)

// usedPages returns the offsets of the first n branch or leaf pages of
// a database (pages that hold records, unlike free ones), after the
// two meta pages and the freelist.
func usedPages(t *testing.T, whole []byte, n int) []int {
	t.Helper()
	path := filepath.Join(t.TempDir(), "db")
	if err := os.WriteFile(path, whole, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var offs []int
	db.View(func(tx *bbolt.Tx) error {
		for id := 2; len(offs) < n && id*db.Info().PageSize < len(whole); id++ {
			p, err := tx.Page(id)
			if err == nil && p != nil && (p.Type == "leaf" || p.Type == "branch") {
				offs = append(offs, id*db.Info().PageSize)
			}
		}
		return nil
	})
	if len(offs) < n {
		t.Fatalf("only %d record pages in the test database", len(offs))
	}
	return offs
}

// realDatabase returns a database holding the test mailbox.
func realDatabase(t *testing.T) []byte {
	t.Helper()
	db := filepath.Join(t.TempDir(), "db")
	if r := run(t, "", "ingest", "--db", db, "--mbox", testMbox(t)); r.code != 0 {
		t.Fatalf("ingest: exit %d %s", r.code, r.err)
	}
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDamagedDatabase truncates a real database at several sizes: every
// command gives a clear error naming the file, exits 1 and leaves the
// file as it was; "db check" says it is damaged.
func TestDamagedDatabase(t *testing.T) {
	whole := realDatabase(t)
	overwritten := func(off int) []byte { // a page of garbage, the size kept
		b := bytes.Clone(whole)
		copy(b[off:off+4096], bytes.Repeat([]byte{0xff, 0x13}, 2048))
		return b
	}
	var cases [][]byte
	for _, off := range usedPages(t, whole, 1) {
		cases = append(cases, overwritten(off))
	}
	for _, size := range []int{4096, 8192, 12288, len(whole) / 2} {
		cases = append(cases, whole[:size])
	}
	for _, damaged := range cases {
		size := len(damaged)
		db := filepath.Join(t.TempDir(), "db")
		if err := os.WriteFile(db, damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"list"}, {"show", "1"}, {"ingest", "--mbox", testMbox(t)}, {"db", "check"}} {
			r := run(t, "", append(args, "--db", db)...)
			if r.code == 0 && len(damaged) == len(whole) && args[0] != "db" {
				continue // a page this command does not read; db check must say so
			}
			if r.code != 1 || !strings.Contains(r.err, db) || !strings.Contains(r.err, "damaged") ||
				!strings.Contains(r.err, "backup") {
				t.Errorf("size %d, %v: exit %d, stderr %q", size, args, r.code, r.err)
			}
		}
		if b, _ := os.ReadFile(db); !bytes.Equal(b, damaged) {
			t.Errorf("size %d: the damaged file was written to", size)
		}
	}
}

// TestDatabaseCheckAndBackup: "db check" passes a sound database and
// "db backup" copies it into a file other commands can read.
func TestDatabaseCheckAndBackup(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	if err := os.WriteFile(db, realDatabase(t), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", "db", "check", "--db", db); r.code != 0 || !strings.Contains(r.out, "no problems") {
		t.Fatalf("db check: exit %d %q %q", r.code, r.out, r.err)
	}
	backup := filepath.Join(t.TempDir(), "copy.db")
	if r := run(t, "", "db", "backup", "--db", db, backup); r.code != 0 {
		t.Fatalf("db backup: exit %d %q", r.code, r.err)
	}
	if r := run(t, "", "list", "--db", backup); r.code != 0 || !strings.Contains(r.out, "efa for-next") {
		t.Fatalf("list of the backup: exit %d %q %q", r.code, r.out, r.err)
	}
	if r := run(t, "", "db", "backup", "--db", db, backup); r.code != 1 || !strings.Contains(r.err, "exists") {
		t.Errorf("backup over an existing file: exit %d %q", r.code, r.err)
	}
}

// TestReadOnlyCommandsOnReadOnlyFile: list and show open the database
// read-only.
func TestReadOnlyCommandsOnReadOnlyFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes read-only files")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	os.WriteFile(db, realDatabase(t), 0o400)
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	if r := run(t, "", "list", "--db", db); r.code != 0 || !strings.Contains(r.out, "efa for-next") {
		t.Fatalf("list on a read-only file: exit %d %q %q", r.code, r.out, r.err)
	}
}
