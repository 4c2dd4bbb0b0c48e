// Package source defines how prtrack reads raw list mail from where it
// lives (an mbox file, a public-inbox archive, an IMAP mailbox) one
// message at a time, with a checkpoint after every message so that the
// next run starts where this one stopped.
package source

import "context"

// Item is one raw message read from a source.
type Item struct {
	// Raw is the message as RFC 5322 bytes (no mbox "From " line, mbox
	// escaping undone).
	Raw []byte
	// Where says where the message was found, for error reports:
	// "linux-rdma.mbox: message 12 at byte 40960",
	// "git/0.git commit 1a2b3c4", "INBOX uid 812".
	Where string
	// Deleted is true when the source records that this message was
	// removed from the archive (public-inbox "d" files). Raw then holds
	// the removed message.
	Deleted bool
	// Checkpoint is the position to store once this item is recorded:
	// opening the source again with it resumes after this item.
	Checkpoint []byte
}

// Source yields raw messages in archive order.
type Source interface {
	// Key identifies the source in the store ("mbox:/abs/path",
	// "public-inbox:/abs/dir/git/0.git", "imap://user@host/INBOX").
	Key() string
	// Next returns the next item, or io.EOF when the source is
	// exhausted. A damaged message yields a *ReadError; the caller
	// counts it and calls Next again.
	Next(ctx context.Context) (*Item, error)
	// Close releases the source.
	Close() error
}

// ReadError reports a message that could not be read, and where.
// Checkpoint, when set, is the position after the damaged message.
type ReadError struct {
	Where      string
	Err        error
	Checkpoint []byte
}

func (e *ReadError) Error() string { return e.Where + ": " + e.Err.Error() }

func (e *ReadError) Unwrap() error { return e.Err }
