package mbox

import (
	"bufio"
	"bytes"
	"io"
)

// Separator is the separator line the Writer writes, as public-inbox and
// lore.kernel.org do.
const Separator = "From mboxrd@z Thu Jan  1 00:00:00 1970\n"

// Writer writes messages as mboxrd.
type Writer struct {
	w *bufio.Writer
}

// NewWriter returns a Writer writing to w. Call Flush when done.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriter(w)}
}

// WriteMessage writes raw (an RFC 5322 message) with its separator line,
// escaping lines matching ^>*From  with one more '>', ending it with a
// newline if it has none, and adding the empty line that closes it.
func (w *Writer) WriteMessage(raw []byte) error {
	w.w.WriteString(Separator)
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line = raw[:i+1]
		}
		raw = raw[len(line):]
		if isSeparator(bytes.TrimLeft(line, ">")) {
			w.w.WriteByte('>')
		}
		w.w.Write(line)
		if line[len(line)-1] != '\n' {
			w.w.WriteByte('\n')
		}
	}
	_, err := w.w.WriteString("\n")
	return err
}

// Flush writes any buffered data to the underlying writer.
func (w *Writer) Flush() error {
	return w.w.Flush()
}
