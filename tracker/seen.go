package tracker

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// SeenInfo records a message that has been read from a source.
type SeenInfo struct {
	// Hash identifies the message's content (ingest hashes the body,
	// line endings normalised, since archives and IMAP servers rewrite
	// header fields). The same Message-ID with another hash is a
	// different message reusing the ID.
	Hash      string    `json:"hash"`
	SourceKey string    `json:"source"`
	Where     string    `json:"where"`
	FirstSeen time.Time `json:"first_seen"`
	// PRID is the pull request whose thread the message belongs to,
	// or 0.
	PRID uint64 `json:"pr_id,omitempty"`
}

// HashRaw returns the content hash stored in SeenInfo: the hex
// SHA-256 of the raw message.
func HashRaw(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// Seen returns what was recorded about messageID, if anything. A
// record that cannot be decoded is reported as seen with an empty
// Hash, so that it reads as a conflict rather than as a new message.
func (t *Tx) Seen(messageID string) (SeenInfo, bool) {
	var info SeenInfo
	ok, err := getJSON(t.bucket(bucketSeen), []byte(messageID), &info)
	if err != nil {
		return SeenInfo{}, true
	}
	return info, ok
}

// MarkSeen records messageID, replacing what was recorded before. A
// zero FirstSeen means now.
func (t *Tx) MarkSeen(messageID string, info SeenInfo) error {
	if err := t.writable("mark seen"); err != nil {
		return err
	}
	if err := checkKey("message-id", messageID); err != nil {
		return err
	}
	info.FirstSeen = t.stamp(info.FirstSeen)
	if err := putJSON(t.bucket(bucketSeen), []byte(messageID), info); err != nil {
		return wrap("mark seen", err)
	}
	return nil
}
