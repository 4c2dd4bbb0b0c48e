package imapsrc

import "github.com/prtrack/prtrack/mailparse/source"

// position is where reading a mailbox stopped: its UIDVALIDITY and the
// last UID read.
type position struct {
	UIDValidity uint32 `json:"uidvalidity"`
	UID         uint32 `json:"uid"`
}

// checkpoint records the position in each mailbox read.
type checkpoint = source.Positions[position]

func decodeCheckpoint(b []byte) (*checkpoint, error) {
	return source.DecodePositions[position]("imapsrc", "mailboxes", b)
}
