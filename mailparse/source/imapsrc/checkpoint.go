package imapsrc

import (
	"encoding/json"
	"fmt"
)

// checkpointVersion is the version of the checkpoint encoding.
const checkpointVersion = 1

// position is where reading a mailbox stopped: its UIDVALIDITY and the
// last UID read.
type position struct {
	UIDValidity uint32 `json:"uidvalidity"`
	UID         uint32 `json:"uid"`
}

// checkpoint records the position in each mailbox read.
type checkpoint struct {
	V         int                 `json:"v"`
	Mailboxes map[string]position `json:"mailboxes"`
}

func decodeCheckpoint(b []byte) (*checkpoint, error) {
	cp := &checkpoint{V: checkpointVersion, Mailboxes: map[string]position{}}
	if len(b) == 0 {
		return cp, nil
	}
	if err := json.Unmarshal(b, cp); err != nil {
		return nil, fmt.Errorf("imapsrc: bad checkpoint: %w", err)
	}
	if cp.V != checkpointVersion {
		return nil, fmt.Errorf("imapsrc: checkpoint version %d, want %d", cp.V, checkpointVersion)
	}
	if cp.Mailboxes == nil {
		cp.Mailboxes = map[string]position{}
	}
	return cp, nil
}

// with returns the encoding of cp with mailbox at pos; cp is unchanged.
func (cp *checkpoint) with(mailbox string, pos position) []byte {
	next := checkpoint{V: checkpointVersion, Mailboxes: make(map[string]position, len(cp.Mailboxes)+1)}
	for k, v := range cp.Mailboxes {
		next.Mailboxes[k] = v
	}
	next.Mailboxes[mailbox] = pos
	b, err := json.Marshal(next)
	if err != nil {
		panic("imapsrc: encoding checkpoint: " + err.Error())
	}
	return b
}
