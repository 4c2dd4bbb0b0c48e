package outbox

import "github.com/prtrack/prtrack/tracker"

// MarkDelivered records, inside the ingest's transaction tx, that the
// list archive shows the message messageID: when prtrack drafted it,
// the draft becomes delivered, whatever state it was in (the archive
// is the truth). It reports whether a draft changed.
func MarkDelivered(tx *tracker.Tx, messageID string) (bool, error) {
	id, ok := tx.DraftByMessageID(messageID)
	if !ok {
		return false, nil
	}
	d, err := tx.Draft(id)
	if err != nil || d.State == tracker.DraftDelivered {
		return false, err
	}
	return true, tx.SetDraftState(id, tracker.DraftDelivered, "seen on the list")
}
