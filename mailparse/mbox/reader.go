package mbox

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

const (
	bufSize = 64 << 10
	// keepCap is the largest message buffer kept between messages, so a
	// single huge message does not pin its memory for the whole file.
	keepCap = 1 << 20
)

// Reader reads messages from an mbox stream in constant memory (one
// message at a time). Lines may be of any length; a line longer than the
// 64 KiB buffer is tested for a separator or escaping on its first
// 64 KiB only.
type Reader struct {
	br     *bufio.Reader
	format Format
	max    int64

	off     int64 // absolute offset of the next unread byte
	index   int   // number of the next message
	midLine bool  // the last fragment read did not end its line
	err     error // sticky: returned by every later Next

	started   bool  // the first separator has been found
	sepOff    int64 // offset of the current message's separator
	prevBlank bool  // the previous line was empty
	blankLen  int   // its length (1 or 2)
	tooLarge  bool  // the current message went over the limit
	buf       []byte
}

// NewReader returns a Reader reading r, which starts at a message
// boundary (offset opts.StartOffset). A nil opts means the defaults.
func NewReader(r io.Reader, opts *Options) *Reader {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.MaxMessageBytes <= 0 {
		o.MaxMessageBytes = DefaultMaxMessageBytes
	}
	return &Reader{
		br:     bufio.NewReaderSize(r, bufSize),
		format: o.Format,
		max:    o.MaxMessageBytes,
		off:    o.StartOffset,
		index:  o.StartIndex,
	}
}

// Next returns the next message, or io.EOF at the end of the stream. A
// *MessageError reports a skipped span; Next can be called again after
// it. Any other error is from the underlying reader and is final.
func (r *Reader) Next() (*Message, error) {
	if r.err != nil {
		return nil, r.err
	}
	if !r.started {
		if err := r.findFirst(); err != nil {
			return nil, err
		}
	}
	return r.readMessage()
}

// fragment returns the next line, or its next part when the line is
// longer than the buffer; start tells whether it begins a line.
func (r *Reader) fragment() (frag []byte, start bool, err error) {
	start = !r.midLine
	frag, err = r.br.ReadSlice('\n')
	r.off += int64(len(frag))
	r.midLine = err == bufio.ErrBufferFull
	switch {
	case r.midLine, err == io.EOF && len(frag) > 0:
		err = nil
	case err != nil && err != io.EOF:
		r.err = fmt.Errorf("mbox: reading message %d at byte %d: %w", r.index, r.off, err)
		err = r.err
	}
	return frag, start, err
}

// skipLine discards the rest of the current line.
func (r *Reader) skipLine() error {
	for r.midLine {
		if _, _, err := r.fragment(); err != nil {
			return err
		}
	}
	return nil
}

// findFirst reads up to the first separator line, reporting whatever
// comes before it as junk.
func (r *Reader) findFirst() error {
	junkOff := r.off
	for {
		frag, start, err := r.fragment()
		if err == io.EOF {
			r.err = io.EOF
			return r.junk(junkOff, r.off)
		}
		if err != nil {
			return err
		}
		if start && isSeparator(frag) {
			sep := r.off - int64(len(frag))
			r.started, r.sepOff = true, sep
			if err := r.skipLine(); err != nil {
				return err
			}
			return r.junk(junkOff, sep)
		}
	}
}

// junk returns the error for the span [off, end), or the sticky error
// when the span is empty.
func (r *Reader) junk(off, end int64) error {
	if off == end {
		return r.err
	}
	return &MessageError{Index: r.index, Offset: off, End: end, Err: ErrJunk}
}

// readMessage reads the body after the separator line at r.sepOff up to
// the next separator or the end of the stream.
func (r *Reader) readMessage() (*Message, error) {
	for {
		frag, start, err := r.fragment()
		if err == io.EOF {
			r.err = io.EOF
			return r.finish(r.off)
		}
		if err != nil {
			return nil, err
		}
		if start && r.prevBlank && isSeparator(frag) {
			end := r.off - int64(len(frag))
			m, merr := r.finish(end)
			r.sepOff = end
			if err := r.skipLine(); err != nil {
				return nil, err
			}
			return m, merr
		}
		if start {
			frag = unescape(frag, r.format)
		}
		r.prevBlank = start && isBlank(frag)
		if r.prevBlank {
			r.blankLen = len(frag)
		}
		r.add(frag)
	}
}

// add appends a line to the message unless it went over the limit; two
// bytes of slack leave room for the framing empty line.
func (r *Reader) add(frag []byte) {
	if r.tooLarge {
		return
	}
	if int64(len(r.buf)+len(frag)) > r.max+2 {
		r.tooLarge = true
		r.buf = r.buf[:0]
		return
	}
	r.buf = append(r.buf, frag...)
}

// finish ends the current message at end and resets for the next one.
func (r *Reader) finish(end int64) (*Message, error) {
	raw := r.buf
	if r.prevBlank && !r.tooLarge {
		raw = raw[:len(raw)-r.blankLen]
	}
	m := &Message{Offset: r.sepOff, End: end, Index: r.index}
	tooLarge := r.tooLarge || int64(len(raw)) > r.max
	if !tooLarge {
		m.Raw = bytes.Clone(raw)
		if m.Raw == nil {
			m.Raw = []byte{}
		}
	}
	r.index++
	r.prevBlank, r.tooLarge = false, false
	r.buf = r.buf[:0]
	if cap(r.buf) > keepCap {
		r.buf = nil
	}
	if tooLarge {
		return nil, &MessageError{Index: m.Index, Offset: m.Offset, End: end, Err: ErrTooLarge}
	}
	return m, nil
}
