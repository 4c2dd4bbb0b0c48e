package outbox

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/mailparse/mbox"
	"github.com/prtrack/prtrack/tracker"
)

// storeWithDrafts is a real store holding twoDrafts as drafts 1 and 2.
func storeWithDrafts(t *testing.T) *boxHarness {
	h := newBoxHarness(t).(*boxHarness)
	for _, m := range twoDrafts(t) {
		h.add(t, m)
	}
	return h
}

// mboxCount counts the messages of an mbox file.
func mboxCount(t *testing.T, path string) int {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := mbox.NewReader(f, nil)
	n := 0
	for {
		if _, err := r.Next(); err != nil {
			return n
		}
		n++
	}
}

// TestExport: an exported draft is written once however often it is
// named, and marked sending so that prtrack never sends it itself; an
// unknown id is an error and writes nothing.
func TestExport(t *testing.T) {
	h := storeWithDrafts(t)
	path := filepath.Join(t.TempDir(), "out.mbox")
	n, err := Export(h.Store, path, []uint64{2, 1, 2})
	if err != nil || n != 2 || mboxCount(t, path) != 2 {
		t.Fatalf("Export(2, 1, 2) = %d, %v; mbox holds %d; want each draft once", n, err, mboxCount(t, path))
	}
	if h.state(t, 1) != tracker.DraftSending || !strings.Contains(h.reason(t, 1), "exported to") {
		t.Errorf("draft 1 is %s (%q), want sending, exported", h.state(t, 1), h.reason(t, 1))
	}
	if pending, _ := h.Pending(); len(pending) != 2 || pending[0].State != tracker.DraftSending {
		t.Errorf("pending after export = %+v", pending)
	}
	other := filepath.Join(t.TempDir(), "other.mbox")
	if _, err := Export(h.Store, other, []uint64{99}); !errors.Is(err, tracker.ErrNotFound) {
		t.Errorf("Export(99) = %v, want not found", err)
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("a failed export wrote a file")
	}
}

// TestDrop: the unsent drafts a filter selects are dropped; a draft
// already being sent keeps its state, and naming it is an error that
// drops nothing.
func TestDrop(t *testing.T) {
	h := storeWithDrafts(t)
	if err := h.SetState(1, tracker.DraftSending, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := Drop(h.Store, DropFilter{IDs: []uint64{1, 2}}); err == nil {
		t.Fatal("Drop of a sending draft succeeded")
	}
	if h.state(t, 2) != tracker.DraftDraft {
		t.Fatalf("a refused drop dropped draft 2 (%s)", h.state(t, 2))
	}
	if _, err := Drop(h.Store, DropFilter{}); err == nil {
		t.Error("Drop with an empty filter succeeded")
	}
	dropped, err := Drop(h.Store, DropFilter{All: true})
	if err != nil || len(dropped) != 1 || dropped[0] != 2 || h.state(t, 1) != tracker.DraftSending || h.state(t, 2) != tracker.DraftDropped {
		t.Errorf("Drop(all) = %v, %v; states %s, %s", dropped, err, h.state(t, 1), h.state(t, 2))
	}
}

// TestMarkDelivered: seeing a reply on the list makes its draft
// delivered, from any state, once; other messages change nothing.
func TestMarkDelivered(t *testing.T) {
	h := storeWithDrafts(t)
	mails := twoDrafts(t)
	var changed []bool
	for _, id := range []string{mails[0].MessageID, mails[0].MessageID, "someone-else@example.org"} {
		h.update(t, func(tx *tracker.Tx) error {
			c, err := MarkDelivered(tx, id)
			changed = append(changed, c)
			return err
		})
	}
	if changed[0] != true || changed[1] || changed[2] {
		t.Errorf("changed = %v, want only the first", changed)
	}
	if h.state(t, 1) != tracker.DraftDelivered || h.state(t, 2) != tracker.DraftDraft {
		t.Errorf("states %s, %s", h.state(t, 1), h.state(t, 2))
	}
}

// TestSendNamesUnknownDraft: naming a draft that does not exist is an
// error, not "nothing to send".
func TestSendNamesUnknownDraft(t *testing.T) {
	h := storeWithDrafts(t)
	box := &Box{Store: h.Store, Only: map[uint64]bool{7: true}}
	if _, err := box.Pending(); !errors.Is(err, tracker.ErrNotFound) {
		t.Errorf("Pending with an unknown id = %v, want not found", err)
	}
}
