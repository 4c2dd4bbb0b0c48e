package mailparse

import (
	"bytes"
	"slices"
)

// Quick is what QuickScan learns from a raw message without a MIME
// parse: enough to skip a duplicate, to see whether the message joins a
// tracked thread, and whether it may carry a pull request.
type Quick struct {
	MessageID string // without angle brackets; empty if none
	// Parents are the messages this one answers, nearest first: the
	// In-Reply-To IDs, then the References from the newest to the
	// oldest; no angle brackets.
	Parents []string
	// Candidate is true when the body may hold a request-pull block:
	// the anchor text appears in the raw bytes, or part of the message
	// is base64-encoded so the text cannot be seen without decoding.
	// (Quoted-printable keeps the short anchor line readable: its soft
	// breaks only split lines longer than 76 characters.)
	Candidate bool
	// HeaderBytes is the size of the header block.
	HeaderBytes int
}

var (
	anchorText = []byte("epository at")
	cteName    = []byte("ransfer-")
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
	sawID := false
	var refs []string
	scanFields(raw[:end], func(name, value []byte) {
		switch {
		case asciiEqualFold(name, "message-id"):
			if q.MessageID == "" && !sawID {
				q.MessageID = looseMessageID(value)
			}
			sawID = true
		case asciiEqualFold(name, "in-reply-to"):
			q.Parents = append(q.Parents, angleIDs(value)...)
		default:
			refs = append(refs, angleIDs(value)...)
		}
	})
	slices.Reverse(refs)
	q.Parents = append(q.Parents, refs...)
	q.Candidate = bytes.Contains(raw, anchorText) || hasBase64Part(raw)
	return q
}

// looseMessageID reads a Message-ID field the way Parse falls back to
// when the strict parser fails: the first <...>, else the first word
// without its brackets.
func looseMessageID(value []byte) string {
	if ids := angleIDs(value); len(ids) > 0 {
		return ids[0]
	}
	if f := bytes.Fields(value); len(f) > 0 {
		return validUTF8(string(bytes.Trim(f[0], "<>")))
	}
	return ""
}

// hasBase64Part looks for "Content-Transfer-Encoding: base64" in the
// message or any of its parts, in any letter case.
func hasBase64Part(raw []byte) bool {
	for {
		i := bytes.Index(raw, cteName)
		if i < 0 {
			return false
		}
		raw = raw[i+len(cteName):]
		rest := raw[:min(len(raw), 40)]
		if c := bytes.IndexByte(rest, ':'); c >= 0 {
			v := bytes.TrimLeft(rest[c+1:], " \t\"")
			if len(v) >= 6 && asciiEqualFold(v[:6], "base64") {
				return true
			}
		}
	}
}

// routing reports whether a header field is one QuickScan reads.
func routing(name []byte) bool {
	return asciiEqualFold(name, "message-id") || asciiEqualFold(name, "in-reply-to") ||
		asciiEqualFold(name, "references")
}

// scanFields calls fn for the routing fields of a header block,
// unfolding continuation lines; other fields are skipped unread.
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
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if name != nil {
				value = append(append(value, ' '), bytes.TrimSpace(line)...)
			}
			continue
		}
		flush()
		if c := bytes.IndexByte(line, ':'); c > 0 && routing(line[:c]) {
			name = line[:c]
			value = append([]byte(nil), bytes.TrimSpace(line[c+1:])...)
		}
	}
	flush()
}

// angleIDs returns every <...> in v holding no white space, without the
// brackets, as `<([^<>\s]+)>` would match them. Parse falls back to it
// for malformed Message-ID, In-Reply-To and References fields.
func angleIDs(v []byte) []string {
	var out []string
	for {
		j := bytes.IndexByte(v, '>')
		if j < 0 {
			return out
		}
		if i := bytes.LastIndexByte(v[:j], '<'); i >= 0 {
			if id := v[i+1 : j]; len(id) > 0 && !bytes.ContainsAny(id, " \t\n\f\r") {
				out = append(out, validUTF8(string(id)))
			}
		}
		v = v[j+1:]
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
