// Package mboxsrc implements source.Source for a file of list mail: an
// mbox (mboxrd or mboxo, see package mbox), gzip-compressed or not, as
// lore.kernel.org serves it; a single message (an .eml file); or the same
// read from standard input.
//
// A checkpoint records where the last message ended in the uncompressed
// stream together with a fingerprint of the file, so that opening the
// file again after mail was appended reads only the new messages, and
// opening it after it was rewritten reads it again from the start. The
// fingerprint is taken from the file as stored, so a gzip file that was
// downloaded again counts as rewritten, while gzip members appended to it
// (cat new.mbox.gz >> all.mbox.gz) are read as new mail.
package mboxsrc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/prtrack/prtrack/mailparse/mbox"
	"github.com/prtrack/prtrack/mailparse/source"
)

// Options configures a Source. The zero value reads mboxrd with the
// default message size limit.
type Options struct {
	// Format is the mbox escaping convention (default mbox.MboxRD).
	Format mbox.Format
	// MaxMessageBytes limits one message; a larger one yields a
	// *source.ReadError. Zero means mbox.DefaultMaxMessageBytes.
	MaxMessageBytes int64
	// Stdin is read for the path "-"; nil means os.Stdin.
	Stdin io.Reader
}

// Mode tells how a Source started.
type Mode int

const (
	// Fresh means there was no checkpoint: reading from the start.
	Fresh Mode = iota
	// Resumed means reading continues after the checkpoint.
	Resumed
	// Rewritten means the file no longer matches the checkpoint (it
	// shrank or its content changed): reading again from the start.
	Rewritten
)

func (m Mode) String() string {
	switch m {
	case Fresh:
		return "fresh"
	case Resumed:
		return "resumed"
	case Rewritten:
		return "rewritten"
	}
	return fmt.Sprintf("mboxsrc.Mode(%d)", int(m))
}

// spanReader yields messages and skipped spans, as *mbox.Reader does.
type spanReader interface {
	Next() (*mbox.Message, error)
}

// Source reads one mbox or .eml file. It implements source.Source.
type Source struct {
	key    string
	name   string  // base name, for Where
	file   *file   // nil for standard input
	stream *stream // what spans reads
	spans  spanReader
	mode   Mode
	at     int64 // where reading started, in the uncompressed stream
	closed bool
}

var _ source.Source = (*Source)(nil)

// Open opens the file at path ("-" for standard input, which cannot be
// resumed) and positions it after checkpoint, a value from a previous
// Item.Checkpoint or ReadError.Checkpoint (nil to read from the start).
func Open(ctx context.Context, path string, checkpoint []byte, opts *Options) (*Source, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if path == "-" {
		return openStdin(o)
	}
	ck, err := decodeCheckpoint(checkpoint)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("mboxsrc: %w", err)
	}
	f, err := openFile(abs)
	if err != nil {
		return nil, err
	}
	s := &Source{key: keyOf(abs), name: filepath.Base(abs), file: f}
	if err := s.start(ck, o); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openStdin(o Options) (*Source, error) {
	r := o.Stdin
	if r == nil {
		r = os.Stdin
	}
	s := &Source{key: "stdin", name: "stdin"}
	st, err := newStream(r)
	if err != nil {
		return nil, fmt.Errorf("mboxsrc: stdin: %w", err)
	}
	s.stream, s.spans = st, st.spans(mboxOptions(o, 0, 0))
	return s, nil
}

// Key returns "mbox:" and the absolute path, or "stdin".
func (s *Source) Key() string { return s.key }

// Mode tells whether the Source resumed after its checkpoint, and at
// which byte of the uncompressed stream reading starts.
func (s *Source) Mode() (Mode, int64) { return s.mode, s.at }

// Next returns the next message, io.EOF at the end of the file, or a
// *source.ReadError for a message that was skipped (too large, or junk
// before the first "From " line). Any other error is final.
func (s *Source) Next(ctx context.Context) (*source.Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.closed {
		return nil, fmt.Errorf("mboxsrc: %s: %w", s.name, os.ErrClosed)
	}
	m, err := s.spans.Next()
	var me *mbox.MessageError
	switch {
	case err == io.EOF:
		return nil, io.EOF
	case errors.As(err, &me):
		return nil, s.readError(me)
	case err != nil:
		return nil, fmt.Errorf("mboxsrc: %s: %w", s.name, err)
	}
	return &source.Item{
		Raw:        m.Raw,
		Where:      fmt.Sprintf("%s: message %d at byte %d", s.name, m.Index, m.Offset),
		Checkpoint: s.checkpoint(m.Offset, m.End, m.Index, sum(m.Raw)),
	}, nil
}

func (s *Source) readError(me *mbox.MessageError) *source.ReadError {
	where := fmt.Sprintf("%s: message %d at byte %d", s.name, me.Index, me.Offset)
	if errors.Is(me.Err, mbox.ErrJunk) {
		where = fmt.Sprintf("%s: bytes %d-%d before message %d", s.name, me.Offset, me.End, me.Index)
	}
	return &source.ReadError{
		Where:      where,
		Err:        me.Err,
		Checkpoint: s.checkpoint(me.Offset, me.End, me.Index, 0),
	}
}

// Close releases the file. Closing again does nothing.
func (s *Source) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if s.file == nil {
		s.stream.abandon() // standard input may never deliver again
		return nil
	}
	if s.stream != nil {
		s.stream.Close()
	}
	return s.file.Close()
}

func mboxOptions(o Options, at int64, index int) *mbox.Options {
	return &mbox.Options{
		Format:          o.Format,
		MaxMessageBytes: o.MaxMessageBytes,
		StartOffset:     at,
		StartIndex:      index,
	}
}
