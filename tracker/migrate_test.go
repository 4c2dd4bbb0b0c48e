package tracker

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"
)

// writeV1 builds a schema version 1 database by hand, as prtrack with
// that schema left it: one pull request with one draft, whose
// Message-ID index did not exist yet. draftJSON is the stored draft.
func writeV1(t *testing.T, path string, draftJSON []byte) {
	t.Helper()
	writeAt(t, path, 1, func(tx *bbolt.Tx) error {
		pr, err := json.Marshal(samplePR("pr@example.org"))
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketPRs).Put(u64Key(1), pr); err != nil {
			return err
		}
		return tx.Bucket(bucketDrafts).Put(u64Key(7), draftJSON)
	})
}

// writeAt builds a database of schema version v by hand, as prtrack
// with that schema left it, then runs fill in the same transaction.
func writeAt(t *testing.T, path string, v uint64, fill func(tx *bbolt.Tx) error) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := meta.Put(keySchemaVersion, u64Key(0)); err != nil {
			return err
		}
		if err := migrate(tx, v); err != nil {
			return err
		}
		return fill(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prtrack.db")
	d := Draft{ID: 7, PRID: 1, Kind: "verdict", MessageID: "draft7@prtrack", Raw: []byte("Subject: x\n\nbody\n"), State: DraftSent}
	dj, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	writeV1(t, path, dj)
	if v := storedVersion(t, path); v != 1 {
		t.Fatalf("hand-made database has version %d", v)
	}

	s, err := Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	view(t, s, func(tx *Tx) error {
		id, ok := tx.DraftByMessageID("draft7@prtrack")
		if !ok || id != 7 {
			t.Errorf("DraftByMessageID after migration = %d, %v; want 7", id, ok)
		}
		got, err := tx.Draft(7)
		if err != nil {
			return err
		}
		if got.State != DraftSent || string(got.Raw) != string(d.Raw) {
			t.Errorf("migrated draft = %+v", got)
		}
		return nil
	})
	s.Close()
	if v := storedVersion(t, path); v != schemaVersion {
		t.Errorf("version after migration %d, want %d", v, schemaVersion)
	}
}

// TestMigrateFailureKeepsOldSchema shows that migrations run in one
// transaction: when one fails, the database stays at its old version.
func TestMigrateFailureKeepsOldSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prtrack.db")
	writeV1(t, path, []byte("{not json"))
	_, err := Open(path, testOptions())
	if err == nil {
		t.Fatal("Open migrated a database with an undecodable draft")
	}
	if errors.Is(err, ErrNotDatabase) {
		t.Errorf("migration failure reported as %v", err)
	}
	t.Log(err)
	if v := storedVersion(t, path); v != 1 {
		t.Errorf("version after failed migration %d, want 1", v)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketDraftMsg) != nil {
			t.Error("failed migration left its bucket behind")
		}
		return nil
	})
}

// TestMigrateV2 moves a version 2 database on: the pull request's
// parents are read from its stored mail, and the last report's time
// moves from the source positions to its own key.
func TestMigrateV2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prtrack.db")
	writeAt(t, path, 2, func(tx *bbolt.Tx) error {
		pr, err := json.Marshal(samplePR("v2@example.org"))
		if err != nil {
			return err
		}
		raw := "Message-ID: <v2@example.org>\nIn-Reply-To: <v1@example.org>\nSubject: [GIT PULL v2] x\n\nbody\n"
		if err := tx.Bucket(bucketPRs).Put(u64Key(1), pr); err != nil {
			return err
		}
		if err := tx.Bucket(bucketPRRaw).Put(u64Key(1), []byte(raw)); err != nil {
			return err
		}
		return tx.Bucket(bucketPositions).Put([]byte(legacyReportKey), []byte("2025-06-01T10:00:00Z"))
	})
	s, err := Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	view(t, s, func(tx *Tx) error {
		rec, err := tx.PullRequest(1)
		if err != nil {
			return err
		}
		if len(rec.Parents) != 1 || rec.Parents[0] != "v1@example.org" {
			t.Errorf("parents after migration = %q", rec.Parents)
		}
		if at := tx.ReportLast(); at.Format("2006-01-02") != "2025-06-01" {
			t.Errorf("report time after migration = %v", at)
		}
		if _, ok := tx.Position(legacyReportKey); ok {
			t.Error("the report time is still among the source positions")
		}
		return nil
	})
}
