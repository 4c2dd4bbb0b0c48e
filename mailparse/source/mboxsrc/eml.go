package mboxsrc

import (
	"bytes"
	"fmt"
	"io"

	"github.com/prtrack/prtrack/mailparse/mbox"
)

// looksLikeHeader reports whether b starts with an RFC 5322 header
// field name and its colon.
func looksLikeHeader(b []byte) bool {
	i := bytes.IndexByte(b, ':')
	if i <= 0 {
		return false
	}
	for _, c := range b[:i] {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// emlReader reads a stream holding a single message.
type emlReader struct {
	r   io.Reader
	at  int64 // offset of the stream start
	max int64
	err error
}

func (e *emlReader) Next() (*mbox.Message, error) {
	if e.err != nil {
		return nil, e.err
	}
	e.err = io.EOF
	max := e.max
	if max <= 0 {
		max = mbox.DefaultMaxMessageBytes
	}
	raw, err := io.ReadAll(io.LimitReader(e.r, max+1))
	n := int64(len(raw))
	if err == nil && n > max {
		var rest int64
		rest, err = io.Copy(io.Discard, e.r)
		if err == nil {
			return nil, &mbox.MessageError{Offset: e.at, End: e.at + n + rest, Err: mbox.ErrTooLarge}
		}
	}
	if err != nil {
		e.err = fmt.Errorf("mboxsrc: reading the message at byte %d: %w", e.at+n, err)
		return nil, e.err
	}
	return &mbox.Message{Raw: raw, Offset: e.at, End: e.at + n}, nil
}
