package tracker

import (
	"errors"
	"testing"
	"time"
)

func TestSeenRoundTrip(t *testing.T) {
	s := openTemp(t)
	raw := []byte("Message-ID: <m1@example.org>\n\nhello\n")
	info := SeenInfo{
		Hash:      HashRaw(raw),
		SourceKey: "public-inbox:/srv/linux-rdma/git/0.git",
		Where:     "git/0.git commit 1a2b3c4",
		FirstSeen: time.Date(2025, 1, 2, 3, 4, 5, 0, time.FixedZone("", -7*3600)),
		PRID:      3,
	}
	view(t, s, func(tx *Tx) error {
		if _, ok := tx.Seen("m1@example.org"); ok {
			t.Error("Seen reports a message never marked")
		}
		return nil
	})
	update(t, s, func(tx *Tx) error {
		if err := tx.MarkSeen("m1@example.org", info); err != nil {
			return err
		}
		return tx.MarkSeen("m2@example.org", SeenInfo{Hash: HashRaw([]byte("other"))})
	})
	view(t, s, func(tx *Tx) error {
		got, ok := tx.Seen("m1@example.org")
		if !ok {
			t.Fatal("Seen lost the message")
		}
		if got.Hash != info.Hash || got.SourceKey != info.SourceKey || got.Where != info.Where ||
			got.PRID != 3 || !got.FirstSeen.Equal(info.FirstSeen) || got.FirstSeen.Location() != time.UTC {
			t.Errorf("Seen = %+v, want %+v", got, info)
		}
		got2, ok := tx.Seen("m2@example.org")
		if !ok || got2.Hash == info.Hash || !got2.FirstSeen.Equal(t0.Add(time.Second)) {
			t.Errorf("second message: %+v %v", got2, ok)
		}
		return nil
	})
}

func TestHashRaw(t *testing.T) {
	// SHA-256 of the empty string.
	if got := HashRaw(nil); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("HashRaw(nil) = %s", got)
	}
	if HashRaw([]byte("a")) == HashRaw([]byte("b")) {
		t.Error("different messages hash alike")
	}
}

func TestMarkSeenRefusesBadKeys(t *testing.T) {
	s := openTemp(t)
	for _, mid := range []string{"", string(make([]byte, MaxKeyLen+1))} {
		err := s.Update(func(tx *Tx) error { return tx.MarkSeen(mid, SeenInfo{}) })
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("MarkSeen(%d bytes): %v, want ErrInvalid", len(mid), err)
		}
	}
}
