package tracker

import (
	"encoding/json"
	"fmt"

	"github.com/prtrack/prtrack/mailparse"

	"go.etcd.io/bbolt"
)

// Buckets. Keys are big-endian uint64 ids, (id, seq) pairs, or
// strings (Message-IDs, source keys); values are JSON unless noted.
var (
	bucketMeta      = []byte("meta")        // schema_version -> uint64
	bucketSeen      = []byte("seen")        // Message-ID -> SeenInfo
	bucketPRs       = []byte("prs")         // pr id -> PullRequestRecord
	bucketPRRaw     = []byte("pr_raw")      // pr id -> raw RFC 5322 bytes
	bucketPRMsgID   = []byte("pr_msgid")    // Message-ID -> pr id
	bucketThread    = []byte("thread")      // Message-ID -> pr id
	bucketEvents    = []byte("events")      // (pr id, seq) -> Event
	bucketReplies   = []byte("replies")     // (pr id, seq) -> Reply
	bucketDrafts    = []byte("drafts")      // draft id -> Draft
	bucketDraftMsg  = []byte("draft_msgid") // Message-ID -> draft id (v2)
	bucketPositions = []byte("positions")   // source key -> checkpoint bytes
)

var keySchemaVersion = []byte("schema_version")

// A migration moves the schema from one version to the next. They run
// in order, all in the transaction that opens the database.
type migration func(tx *bbolt.Tx) error

// migrations[i] moves a database from version i to version i+1. A new
// database starts at version 0 and runs them all. Append only: a
// shipped migration never changes.
var migrations = []migration{
	createBuckets,        // v1
	indexDraftMessageIDs, // v2
	recordParents,        // v3
}

// schemaVersion is the version this code reads and writes.
var schemaVersion = uint64(len(migrations))

// currentBuckets lists every bucket the current schema has.
var currentBuckets = [][]byte{
	bucketMeta, bucketSeen, bucketPRs, bucketPRRaw, bucketPRMsgID,
	bucketThread, bucketEvents, bucketReplies, bucketDrafts,
	bucketDraftMsg, bucketPositions,
}

// createBuckets is the version 1 schema.
func createBuckets(tx *bbolt.Tx) error {
	for _, name := range [][]byte{
		bucketSeen, bucketPRs, bucketPRRaw, bucketPRMsgID, bucketThread,
		bucketEvents, bucketReplies, bucketDrafts, bucketPositions,
	} {
		if _, err := tx.CreateBucket(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// indexDraftMessageIDs adds the Message-ID index of drafts (version 2)
// and fills it from the drafts already stored.
func indexDraftMessageIDs(tx *bbolt.Tx) error {
	idx, err := tx.CreateBucket(bucketDraftMsg)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketDraftMsg, err)
	}
	return tx.Bucket(bucketDrafts).ForEach(func(k, v []byte) error {
		var d Draft
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("draft %x: %w", k, err)
		}
		return idx.Put([]byte(d.MessageID), clone(k))
	})
}

// initSchema writes an empty database of the current version.
func initSchema(tx *bbolt.Tx) error {
	meta, err := tx.CreateBucket(bucketMeta)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketMeta, err)
	}
	if err := meta.Put(keySchemaVersion, u64Key(0)); err != nil {
		return err
	}
	return migrate(tx, schemaVersion)
}

// readSchemaVersion returns the schema version stored in tx.
func readSchemaVersion(tx *bbolt.Tx) (uint64, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0, fmt.Errorf("no %s bucket", bucketMeta)
	}
	v, ok := decodeU64(meta.Get(keySchemaVersion))
	if !ok {
		return 0, fmt.Errorf("no valid %s", keySchemaVersion)
	}
	return v, nil
}

// migrate runs the migrations from the stored version up to version
// to, then records it. The caller commits or rolls back all of it.
func migrate(tx *bbolt.Tx, to uint64) error {
	from, err := readSchemaVersion(tx)
	if err != nil {
		return err
	}
	for v := from; v < to; v++ {
		if err := migrations[v](tx); err != nil {
			return fmt.Errorf("migrate schema v%d to v%d: %w", v, v+1, err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64Key(to))
}

// checkBuckets verifies that every bucket of the current schema
// exists, so that the accessors never meet a missing one.
func checkBuckets(tx *bbolt.Tx) error {
	for _, name := range currentBuckets {
		if tx.Bucket(name) == nil {
			return fmt.Errorf("missing bucket %s", name)
		}
	}
	return nil
}

// recordParents (version 3) fills PullRequestRecord.Parents from the
// stored mail, so that superseding can follow replies, and moves the
// time of the last report out of the source positions into the meta
// bucket. Roles are left empty: they depend on the configuration and
// are worked out on the next run.
func recordParents(tx *bbolt.Tx) error {
	prs, raw := tx.Bucket(bucketPRs), tx.Bucket(bucketPRRaw)
	changed := map[string]*PullRequestRecord{}
	err := prs.ForEach(func(k, v []byte) error {
		var rec PullRequestRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("pull request %x: %w", k, err)
		}
		if rec.Parents = mailparse.QuickScan(raw.Get(k)).Parents; len(rec.Parents) > 0 {
			changed[string(k)] = &rec
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, rec := range changed { // bbolt buckets may not change while iterated
		if err := putJSON(prs, []byte(k), rec); err != nil {
			return err
		}
	}
	pos, meta := tx.Bucket(bucketPositions), tx.Bucket(bucketMeta)
	if v := pos.Get([]byte(legacyReportKey)); v != nil {
		if err := meta.Put(keyReportLast, clone(v)); err != nil {
			return err
		}
		return pos.Delete([]byte(legacyReportKey))
	}
	return nil
}
