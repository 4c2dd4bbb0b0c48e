package source

import (
	"maps"
	"strings"
	"testing"
)

// TestPositionsRoundTrip: what With writes, DecodePositions
// reads back, and a checkpoint written before the shared codec (the
// version first) still reads.
func TestPositionsRoundTrip(t *testing.T) {
	old := []byte(`{"v":1,"epochs":{"git/0.git":"1a2b"}}`)
	p, err := DecodePositions[string]("publicinbox", "epochs", old)
	if err != nil || p.At["git/0.git"] != "1a2b" {
		t.Fatalf("old checkpoint = %v, %v", p, err)
	}
	b := p.With("git/1.git", "3c4d")
	if p.At["git/1.git"] != "" {
		t.Error("With changed its checkpoint")
	}
	back, err := DecodePositions[string]("publicinbox", "epochs", b)
	if err != nil || !maps.Equal(back.At, map[string]string{"git/0.git": "1a2b", "git/1.git": "3c4d"}) {
		t.Fatalf("round trip = %v, %v", back, err)
	}
	if empty, err := DecodePositions[string]("publicinbox", "epochs", nil); err != nil || len(empty.At) != 0 {
		t.Errorf("empty checkpoint = %v, %v", empty, err)
	}
}

// TestPositionsErrors: garbage and another version are errors that
// name the source, never a silent restart from the beginning.
func TestPositionsErrors(t *testing.T) {
	for _, b := range []string{"{", `{"v":99,"epochs":{}}`, `{"epochs":{}}`, `{"v":1,"epochs":[1]}`} {
		_, err := DecodePositions[string]("publicinbox", "epochs", []byte(b))
		if err == nil || !strings.HasPrefix(err.Error(), "publicinbox: ") {
			t.Errorf("%s: err = %v, want an error naming publicinbox", b, err)
		}
	}
}

func FuzzPositions(f *testing.F) {
	f.Add([]byte(`{"v":1,"mailboxes":{"INBOX":{"uidvalidity":3,"uid":9}}}`))
	f.Add([]byte(`{"v":1}`))
	type pos struct {
		UIDValidity uint32 `json:"uidvalidity"`
		UID         uint32 `json:"uid"`
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodePositions[pos]("imapsrc", "mailboxes", b)
		if err != nil {
			return
		}
		want := len(p.At)
		if _, ok := p.At["x"]; !ok {
			want++
		}
		again, err := DecodePositions[pos]("imapsrc", "mailboxes", p.With("x", pos{1, 2}))
		if err != nil || again.At["x"] != (pos{1, 2}) || len(again.At) != want {
			t.Fatalf("re-encoding %q: %v, %v", b, again, err)
		}
	})
}
