package tracker

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.etcd.io/bbolt"
)

// MaxKeyLen bounds Message-IDs and source keys used as database keys.
// Longer values come from hostile or broken mail and are refused.
const MaxKeyLen = 1024

// maxSummaryLen bounds the one-line summaries of events.
const maxSummaryLen = 400

// u64Key encodes an id as a big-endian key, so keys sort numerically.
func u64Key(v uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), v)
}

// pairKey encodes (owner, seq) so that a prefix scan over the owner's
// 8 bytes yields its entries in sequence order.
func pairKey(owner, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(u64Key(owner), seq)
}

// decodeU64 decodes a value written by u64Key.
func decodeU64(b []byte) (uint64, bool) {
	if len(b) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(b), true
}

// checkKey refuses strings that cannot serve as keys.
func checkKey(what, s string) error {
	if s == "" {
		return fmt.Errorf("tracker: empty %s: %w", what, ErrInvalid)
	}
	if len(s) > MaxKeyLen {
		return fmt.Errorf("tracker: %s longer than %d bytes: %w", what, MaxKeyLen, ErrInvalid)
	}
	return nil
}

func putJSON(b *bbolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// getJSON decodes the value under key into v. It reports false when
// the key is absent.
func getJSON(b *bbolt.Bucket, key []byte, v any) (bool, error) {
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	return true, json.Unmarshal(data, v)
}

// clone copies a byte slice out of a transaction's memory map.
func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

// oneLine folds s onto one line and cuts it to at most max bytes
// without splitting a UTF-8 sequence.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// forEachOf calls fn with the values stored under pairKey(owner, *),
// in sequence order.
func forEachOf(b *bbolt.Bucket, owner uint64, fn func(v []byte) error) error {
	prefix := u64Key(owner)
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}
