package imapsrc

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// ErrTooLarge is wrapped by the *source.ReadError reported for a message
// larger than Options.MaxMessageBytes.
var ErrTooLarge = errors.New("imapsrc: message too large")

// fetched is one message of a batch: its bytes, or why they are missing.
type fetched struct {
	uid imap.UID
	raw []byte
	err error
}

// fetchBatch fetches the full messages (BODY.PEEK[], leaving \\Seen
// alone) with the given UIDs from the selected mailbox, within one
// command timeout, and returns them by ascending UID. UIDs the server
// no longer has are missing from the result.
func fetchBatch(ctx context.Context, c *imapclient.Client, mailbox string, uids []imap.UID, o *Options) ([]fetched, error) {
	var out []fetched
	err := bound(ctx, o.CommandTimeout, c, func() error {
		cmd := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
			UID:         true,
			BodySection: []*imap.FetchItemBodySection{{Peek: true}},
		})
		for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
			f, err := readMessage(msg, o.MaxMessageBytes)
			if err != nil {
				cmd.Close()
				return err
			}
			if _, ok := slices.BinarySearch(uids, f.uid); ok {
				out = append(out, f)
			}
		}
		return cmd.Close()
	})
	if err != nil {
		return nil, fmt.Errorf("imapsrc: %s: fetching %d messages: %w", mailbox, len(uids), err)
	}
	slices.SortFunc(out, func(a, b fetched) int { return cmp.Compare(a.uid, b.uid) })
	return slices.CompactFunc(out, func(a, b fetched) bool { return a.uid == b.uid }), nil
}

// readMessage reads one FETCH response. A message over max is
// skipped (f.err); an error reading the connection is returned.
func readMessage(msg *imapclient.FetchMessageData, max int64) (f fetched, err error) {
	var seen bool
	for item := msg.Next(); item != nil; item = msg.Next() {
		switch item := item.(type) {
		case imapclient.FetchItemDataUID:
			f.uid = item.UID
		case imapclient.FetchItemDataBodySection:
			seen = true
			if item.Literal == nil {
				f.err = errors.New("imapsrc: server sent no body")
				continue
			}
			if item.Literal.Size() > max {
				f.err = fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, item.Literal.Size(), max)
				continue
			}
			f.raw = make([]byte, item.Literal.Size())
			if _, err := io.ReadFull(item.Literal, f.raw); err != nil {
				return f, err
			}
		}
	}
	if !seen && f.err == nil {
		f.err = errors.New("imapsrc: server sent no body")
	}
	return f, nil
}
