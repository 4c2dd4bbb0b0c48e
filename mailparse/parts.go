package mailparse

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// Defaults for ParseOptions' MIME structure limits.
const (
	DefaultMaxDepth = 32   // nested multiparts followed
	DefaultMaxParts = 1000 // parts looked at
)

// maxPartHeader bounds the header block of one body part.
const maxPartHeader = 64 << 10

// partWalker finds the leaf parts of a MIME message (RFC 2046) in one
// pass over its bytes: every line is looked at once, against the
// boundaries of the multiparts open around it, however deep they nest
// (go-message's nested readers pass each byte through every level).
type partWalker struct {
	raw      []byte
	maxDepth int
	maxParts int
	visit    func(n int, h message.Header, body []byte)

	open     []string // "--" + boundary of each open multipart, outermost first
	leaf     *leafPart
	parts    int
	deep     int // multiparts nested too deep to follow
	extra    int // parts beyond maxParts
	problems []string
}

type leafPart struct {
	n     int
	h     message.Header
	start int
}

// walk visits the leaf parts of the entity whose header is h and whose
// body starts at start.
func (w *partWalker) walk(h message.Header, start int) {
	w.begin(h, start, 0)
	for pos := start; pos < len(w.raw); {
		next := len(w.raw)
		if i := bytes.IndexByte(w.raw[pos:], '\n'); i >= 0 {
			next = pos + i + 1
		}
		if len(w.open) > 0 && bytes.HasPrefix(w.raw[pos:], []byte("--")) {
			next = w.delimiter(pos, next)
		}
		pos = next
	}
	w.end(len(w.raw), false)
	w.report()
}

// delimiter handles the line [pos, next) when it closes the current
// part, and returns where scanning goes on.
func (w *partWalker) delimiter(pos, next int) int {
	line := bytes.TrimRight(w.raw[pos:next], " \t\r\n")
	i, closing, ok := w.match(line)
	if !ok {
		return next
	}
	w.end(pos, true)
	w.open = w.open[:i+1]
	if closing {
		w.open = w.open[:i]
		return next
	}
	if w.parts >= w.maxParts {
		w.extra++
		return next
	}
	h, body, ok := w.header(next)
	if !ok {
		return next
	}
	w.begin(h, body, i+1)
	return body
}

// match finds the open multipart whose delimiter line is line.
func (w *partWalker) match(line []byte) (int, bool, bool) {
	for i := len(w.open) - 1; i >= 0; i-- {
		d := w.open[i]
		if string(line) == d {
			return i, false, true
		}
		if len(line) == len(d)+2 && bytes.HasPrefix(line, []byte(d)) && bytes.HasSuffix(line, []byte("--")) {
			return i, true, true
		}
	}
	return 0, false, false
}

// begin starts a part at depth: a multipart is followed down to
// maxDepth; anything else is a leaf.
func (w *partWalker) begin(h message.Header, start, depth int) {
	if depth > 0 {
		w.parts++
	}
	t, params, _ := h.ContentType()
	if !strings.HasPrefix(t, "multipart/") || params["boundary"] == "" {
		w.leaf = &leafPart{n: w.parts, h: h, start: start}
		return
	}
	if depth >= w.maxDepth {
		w.deep++
		return
	}
	w.open = append(w.open, "--"+params["boundary"])
}

// end closes the current leaf at pos; before a delimiter, the line
// break ending the part belongs to the delimiter.
func (w *partWalker) end(pos int, delim bool) {
	l := w.leaf
	if l == nil {
		return
	}
	w.leaf = nil
	if delim && pos > l.start && w.raw[pos-1] == '\n' {
		pos--
		if pos > l.start && w.raw[pos-1] == '\r' {
			pos--
		}
	}
	w.visit(l.n, l.h, w.raw[l.start:max(pos, l.start)])
}

// header reads the header block of the part starting at pos and returns
// it with where the part's body starts.
func (w *partWalker) header(pos int) (message.Header, int, bool) {
	region := w.raw[pos:min(len(w.raw), pos+maxPartHeader)]
	n := bodyOffset(region)
	if n < 0 {
		w.problems = append(w.problems, fmt.Sprintf("part %d: header block not ended within %d bytes", w.parts+1, maxPartHeader))
		return message.Header{}, 0, false
	}
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(region[:n])))
	if err != nil {
		w.problems = append(w.problems, fmt.Sprintf("part %d: %v", w.parts+1, err))
		return message.Header{}, 0, false
	}
	return message.Header{Header: h}, pos + n, true
}

// bodyOffset returns the length of the header block at the start of b,
// blank line included, or -1.
func bodyOffset(b []byte) int {
	switch {
	case bytes.HasPrefix(b, []byte("\n")):
		return 1
	case bytes.HasPrefix(b, []byte("\r\n")):
		return 2
	}
	i, j := bytes.Index(b, []byte("\n\n")), bytes.Index(b, []byte("\r\n\r\n"))
	switch {
	case j >= 0 && (i < 0 || j < i):
		return j + 4
	case i >= 0:
		return i + 2
	}
	return -1
}

func (w *partWalker) report() {
	if w.deep > 0 {
		noun := "multipart"
		if w.deep > 1 {
			noun = "multiparts"
		}
		w.problems = append(w.problems, fmt.Sprintf("%d %s nested deeper than %d levels skipped", w.deep, noun, w.maxDepth))
	}
	if w.extra > 0 {
		w.problems = append(w.problems, fmt.Sprintf("more than %d parts: %d skipped", w.maxParts, w.extra))
	}
}
