package tracker

import (
	"errors"
	"testing"
)

func TestPositions(t *testing.T) {
	s := openTemp(t)
	cp := []byte{0, 1, 2, 0xff}
	update(t, s, func(tx *Tx) error {
		if err := tx.SetPosition("imap://u@host/INBOX", []byte("old")); err != nil {
			return err
		}
		if err := tx.SetPosition("imap://u@host/INBOX", cp); err != nil {
			return err
		}
		return tx.SetPosition("mbox:/empty", nil)
	})
	cp[0] = 9 // the store keeps its own copy
	view(t, s, func(tx *Tx) error {
		got, ok := tx.Position("imap://u@host/INBOX")
		if !ok || string(got) != "\x00\x01\x02\xff" {
			t.Errorf("Position = %q, %v", got, ok)
		}
		if got, ok := tx.Position("mbox:/empty"); !ok || len(got) != 0 {
			t.Errorf("empty checkpoint: %q, %v", got, ok)
		}
		if _, ok := tx.Position("mbox:/never"); ok {
			t.Error("Position of an unknown source")
		}
		return nil
	})
	for name, fn := range map[string]func(tx *Tx) error{
		"no key":   func(tx *Tx) error { return tx.SetPosition("", []byte("x")) },
		"too long": func(tx *Tx) error { return tx.SetPosition("k", make([]byte, MaxCheckpointLen+1)) },
	} {
		if err := s.Update(fn); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}
