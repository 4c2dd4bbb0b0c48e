package imapsrc

import "github.com/prtrack/prtrack/mailparse/source"

// position is where reading a mailbox stopped: its UIDVALIDITY and the
// last UID read.
type position struct {
	UIDValidity uint32 `json:"uidvalidity"`
	UID         uint32 `json:"uid"`
}

// checkpoint records the position in each mailbox read.
type checkpoint struct {
	Mailboxes map[string]position
}

func decodeCheckpoint(b []byte) (*checkpoint, error) {
	at, err := source.DecodePositions[position]("imapsrc", "mailboxes", b)
	if err != nil {
		return nil, err
	}
	return &checkpoint{Mailboxes: at}, nil
}

// with returns the encoding of cp with mailbox at pos; cp is unchanged.
func (cp *checkpoint) with(mailbox string, pos position) []byte {
	return source.EncodePositions("mailboxes", cp.Mailboxes, mailbox, pos)
}
