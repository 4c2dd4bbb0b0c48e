package main

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// safeWriter escapes what a terminal would act on in everything a
// command prints on standard output: mail can carry escape sequences
// that retitle the window, clear the screen, hide text behind OSC 8
// links or reorder it (bidi overrides). They are printed as \uXXXX
// (invalid bytes as \xXX), which JSON strings read back unchanged.
// Newlines, tabs and CRLF line ends pass.
type safeWriter struct {
	w       io.Writer
	pending []byte // an incomplete UTF-8 sequence or a final CR
}

func (s *safeWriter) Write(p []byte) (int, error) {
	b := append(s.pending, p...)
	s.pending = nil
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && !utf8.FullRune(b[i:]), r == '\r' && i+1 == len(b):
			s.pending = append([]byte(nil), b[i:]...)
			i = len(b)
			continue
		case r == '\r' && b[i+1] == '\n':
			out = append(out, '\r')
		case r == utf8.RuneError && size == 1:
			out = fmt.Appendf(out, `\x%02x`, b[i])
		case dangerous(r):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	if _, err := s.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes out what Write held back, escaped.
func (s *safeWriter) Flush() error {
	var out []byte
	for _, c := range s.pending {
		out = fmt.Appendf(out, `\x%02x`, c)
	}
	s.pending = nil
	_, err := s.w.Write(out)
	return err
}

// dangerous reports whether a terminal may act on r: C0 controls other
// than newline and tab, a carriage return not ending a line, DEL, C1
// controls (U+009B is CSI) and the bidi controls.
func dangerous(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
		return true
	case r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
