package mbox

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReader checks that the reader never panics, that the spans it
// reports tile the input in order, that no span holds a separator the
// reader missed, and that writing the messages as mboxrd and reading them
// back gives them again.
func FuzzReader(f *testing.F) {
	f.Add([]byte(sep+"S: a\n\n>From x\n\n"+sep+"S: b\n"), false)
	f.Add([]byte("junk\nFrom x\r\nS: a\r\n\r\n>From y\r\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, mboxo bool) {
		opts := &Options{MaxMessageBytes: 64}
		if mboxo {
			opts.Format = MboxO
		}
		raws := checkSpans(t, data, opts)
		checkRoundTrip(t, raws)
	})
}

// checkSpans reads data and checks the spans; it returns the messages.
func checkSpans(t *testing.T, data []byte, opts *Options) [][]byte {
	r := NewReader(bytes.NewReader(data), opts)
	var raws [][]byte
	var end int64
	for i := 0; ; i++ {
		m, err := r.Next()
		if err == io.EOF {
			break
		}
		var me *MessageError
		var off, next int64
		switch {
		case errors.As(err, &me):
			off, next = me.Offset, me.End
		case err != nil:
			t.Fatalf("Next: %v", err)
		default:
			off, next = m.Offset, m.End
			raws = append(raws, m.Raw)
		}
		if off != end || next <= off || next > int64(len(data)) {
			t.Fatalf("span %d: bytes %d-%d, previous ended at %d", i, off, next, end)
		}
		checkNoSeparator(t, data[off:next], me != nil && me.Err == ErrJunk)
		end = next
	}
	if end != int64(len(data)) {
		t.Fatalf("spans end at %d, input is %d bytes", end, len(data))
	}
	return raws
}

// checkNoSeparator fails if a line of span after its first one is a
// separator: one after an empty line, or any "From " line in junk.
func checkNoSeparator(t *testing.T, span []byte, junk bool) {
	lines := bytes.SplitAfter(span, []byte("\n"))
	if !junk && !isSeparator(lines[0]) {
		t.Fatalf("message does not start with a separator: %q", span)
	}
	for i := 1; i < len(lines); i++ {
		after := junk || isBlank(lines[i-1])
		if after && isSeparator(lines[i]) {
			t.Fatalf("missed separator at line %d of %q", i, span)
		}
	}
}

func checkRoundTrip(t *testing.T, raws [][]byte) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, raw := range raws {
		if err := w.WriteMessage(raw); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r := NewReader(&buf, nil)
	for i, raw := range raws {
		m, err := r.Next()
		if err != nil {
			t.Fatalf("reading back message %d: %v", i, err)
		}
		want := raw
		if len(raw) > 0 && raw[len(raw)-1] != '\n' {
			want = append(want[:len(want):len(want)], '\n')
		}
		if !bytes.Equal(m.Raw, want) {
			t.Fatalf("message %d: read back %q, want %q", i, m.Raw, want)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("after the last message: %v, want io.EOF", err)
	}
}
