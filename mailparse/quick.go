package mailparse

import (
	"bytes"
)

// Quick is what QuickScan learns from a raw message without a MIME
// parse: enough to skip a duplicate, to see whether the message joins a
// tracked thread, and whether it may carry a pull request.
type Quick struct {
	MessageID string   // without angle brackets; empty if none
	Parents   []string // In-Reply-To then References, no angle brackets
	// Candidate is true when the body may hold a request-pull block:
	// the anchor text appears in the raw bytes, or part of the message
	// is transfer-encoded so the text cannot be seen without decoding.
	Candidate bool
	// HeaderBytes is the size of the header block.
	HeaderBytes int
}

var (
	anchorText = []byte("epository at")
	encodings  = [][]byte{[]byte("base64"), []byte("BASE64"), []byte("Base64"),
		[]byte("quoted-printable"), []byte("Quoted-Printable"), []byte("QUOTED-PRINTABLE")}
)

// QuickScan reads the header fields prtrack needs for routing and
// decides whether the message needs a full parse. It allocates little
// and never fails: a damaged header just yields less.
func QuickScan(raw []byte) Quick {
	var q Quick
	raw = stripFromLine(raw)
	end := headerEnd(raw)
	if end < 0 {
		end = len(raw)
	}
	q.HeaderBytes = end
	scanFields(raw[:end], func(name, value []byte) {
		switch {
		case asciiEqualFold(name, "message-id"):
			if ids := angleIDs(value); len(ids) > 0 {
				q.MessageID = ids[0]
			} else if f := bytes.Fields(value); len(f) > 0 {
				q.MessageID = validUTF8(string(f[0]))
			}
		case asciiEqualFold(name, "in-reply-to"), asciiEqualFold(name, "references"):
			q.Parents = append(q.Parents, angleIDs(value)...)
		}
	})
	q.Candidate = bytes.Contains(raw, anchorText)
	for _, e := range encodings {
		if q.Candidate {
			break
		}
		q.Candidate = bytes.Contains(raw, e)
	}
	return q
}

// scanFields calls fn for each header field, unfolding continuation
// lines.
func scanFields(hdr []byte, fn func(name, value []byte)) {
	var name, value []byte
	flush := func() {
		if name != nil {
			fn(name, value)
		}
		name, value = nil, nil
	}
	for len(hdr) > 0 {
		line := hdr
		if i := bytes.IndexByte(hdr, '\n'); i >= 0 {
			line, hdr = hdr[:i], hdr[i+1:]
		} else {
			hdr = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if name != nil {
				value = append(append(value, ' '), bytes.TrimSpace(line)...)
			}
			continue
		}
		flush()
		if c := bytes.IndexByte(line, ':'); c > 0 {
			name = line[:c]
			value = append([]byte(nil), bytes.TrimSpace(line[c+1:])...)
		}
	}
	flush()
}

// angleIDs returns every <...> in v, without the brackets.
func angleIDs(v []byte) []string {
	var out []string
	for {
		i := bytes.IndexByte(v, '<')
		if i < 0 {
			return out
		}
		j := bytes.IndexByte(v[i:], '>')
		if j < 0 {
			return out
		}
		if id := v[i+1 : i+j]; len(id) > 0 && bytes.IndexAny(id, " \t<") < 0 {
			out = append(out, validUTF8(string(id)))
		}
		v = v[i+j+1:]
	}
}

func asciiEqualFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
