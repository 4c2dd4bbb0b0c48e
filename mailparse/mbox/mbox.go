// Package mbox implements a streaming reader and writer for Unix mbox
// files in the mboxrd and mboxo variants (see the "mbox" section of
// https://www.loc.gov/preservation/digital/formats/fdd/fdd000383.shtml
// and qmail's mbox(5)), as served by public-inbox and lore.kernel.org.
//
// A message starts with a separator line beginning "From " that sits at
// the start of the stream or right after an empty line. The empty line
// before a separator belongs to the mbox framing and is not part of the
// message. Messages keep their own line endings (LF or CRLF): the reader
// does not normalise them.
//
// The package is pure: it reads an io.Reader and never touches the file
// system.
package mbox

import (
	"bytes"
	"errors"
	"fmt"
)

// Format selects how body lines that look like separators were escaped.
type Format int

const (
	// MboxRD escapes every line matching ^>*From  with one more '>'
	// (reversible). It is what lore.kernel.org serves.
	MboxRD Format = iota
	// MboxO escapes only ^From  as >From  (not reversible).
	MboxO
)

func (f Format) String() string {
	switch f {
	case MboxRD:
		return "mboxrd"
	case MboxO:
		return "mboxo"
	}
	return fmt.Sprintf("mbox.Format(%d)", int(f))
}

// DefaultMaxMessageBytes is the message size limit used when
// Options.MaxMessageBytes is zero.
const DefaultMaxMessageBytes = 64 << 20

// Options configures a Reader. The zero value reads mboxrd from offset 0.
type Options struct {
	// Format is the escaping convention; the zero value is MboxRD.
	Format Format
	// MaxMessageBytes limits the size of one message. A larger message
	// is skipped and reported as a *MessageError wrapping ErrTooLarge.
	// Zero means DefaultMaxMessageBytes.
	MaxMessageBytes int64
	// StartOffset is the absolute offset of the first byte of the
	// reader, for resuming at a message boundary (a previous
	// Message.End). Reported offsets include it.
	StartOffset int64
	// StartIndex is the number given to the first message read.
	StartIndex int
}

// Message is one message read from an mbox.
type Message struct {
	// Raw is the message without its separator line and without the
	// empty line that ends it in the mbox, with escaping undone. The
	// caller owns it.
	Raw []byte
	// Offset is the absolute offset of the separator line.
	Offset int64
	// End is the absolute offset just past the message and its framing:
	// the Offset of the next message, or the end of the stream.
	End int64
	// Index is the 0-based message number (from Options.StartIndex).
	Index int
}

var (
	// ErrTooLarge reports a message over Options.MaxMessageBytes.
	ErrTooLarge = errors.New("mbox: message too large")
	// ErrJunk reports bytes before the first separator line.
	ErrJunk = errors.New("mbox: data before the first \"From \" line")
)

// MessageError reports a span of the stream that was skipped. The Reader
// stays usable: call Next again to read the following message.
type MessageError struct {
	// Index is the number of the skipped message. For ErrJunk, which
	// does not count as a message, it is the number of the next one.
	Index int
	// Offset and End delimit the skipped span, as in Message.
	Offset, End int64
	// Err is ErrTooLarge or ErrJunk.
	Err error
}

func (e *MessageError) Error() string {
	return fmt.Sprintf("%v (message %d, bytes %d-%d)", e.Err, e.Index, e.Offset, e.End)
}

func (e *MessageError) Unwrap() error { return e.Err }

// IsMbox reports whether a stream starting with prefix is an mbox, that
// is, starts with a separator line. A single RFC 5322 message (an .eml
// file) does not: its first header is never "From " with a space.
func IsMbox(prefix []byte) bool {
	return isSeparator(prefix)
}

var fromSpace = []byte("From ")

func isSeparator(line []byte) bool {
	return bytes.HasPrefix(line, fromSpace)
}

func isBlank(line []byte) bool {
	return len(line) == 1 && line[0] == '\n' ||
		len(line) == 2 && line[0] == '\r' && line[1] == '\n'
}

// unescape removes the escaping '>' from the start of line, if any.
func unescape(line []byte, f Format) []byte {
	if len(line) == 0 || line[0] != '>' {
		return line
	}
	i := 1
	if f == MboxRD {
		for i < len(line) && line[i] == '>' {
			i++
		}
	}
	if bytes.HasPrefix(line[i:], fromSpace) {
		return line[1:]
	}
	return line
}
