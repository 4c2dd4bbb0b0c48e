package mailparse

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // non-UTF-8 charsets
	"github.com/emersion/go-message/mail"
)

// Defaults for ParseOptions.
const (
	DefaultMaxHeaderBytes = 1 << 20  // 1 MiB
	DefaultMaxBodyBytes   = 64 << 20 // 64 MiB of decoded text
)

// ParseOptions bound what Parse accepts. The zero value means the
// defaults. Parts nested deeper than MaxDepth, and parts after the
// MaxParts-th, are skipped and counted in Message.Problems.
type ParseOptions struct {
	MaxHeaderBytes int64 // header block limit (DefaultMaxHeaderBytes)
	MaxBodyBytes   int64 // decoded text limit (DefaultMaxBodyBytes)
	MaxDepth       int   // nested multiparts followed (DefaultMaxDepth)
	MaxParts       int   // body parts looked at (DefaultMaxParts)
}

// bodyLimits bound the walk over a message's parts.
type bodyLimits struct {
	bytes        int64
	depth, parts int
}

func (o *ParseOptions) limits() (hdr int64, body bodyLimits) {
	hdr, body = DefaultMaxHeaderBytes, bodyLimits{DefaultMaxBodyBytes, DefaultMaxDepth, DefaultMaxParts}
	if o == nil {
		return hdr, body
	}
	if o.MaxHeaderBytes > 0 {
		hdr = o.MaxHeaderBytes
	}
	if o.MaxBodyBytes > 0 {
		body.bytes = o.MaxBodyBytes
	}
	if o.MaxDepth > 0 {
		body.depth = o.MaxDepth
	}
	if o.MaxParts > 0 {
		body.parts = o.MaxParts
	}
	return hdr, body
}

// ErrNoHeader is returned for input that has no header block at all.
var ErrNoHeader = errors.New("mailparse: message has no header fields")

// ErrHeaderTooLarge is returned when the header block exceeds the limit.
var ErrHeaderTooLarge = errors.New("mailparse: header block too large")

// Parse parses one raw message. It tolerates what real list mail does:
// unknown charsets and transfer encodings, 8-bit headers, malformed
// address and message-id lists. What was tolerated is listed in
// Message.Problems. Parse fails only when there is no usable header.
func Parse(raw []byte, opts *ParseOptions) (*Message, error) {
	maxHdr, maxBody := opts.limits()
	raw = stripFromLine(raw)
	if end := headerEnd(raw); end < 0 && int64(len(raw)) > maxHdr || end > 0 && int64(end) > maxHdr {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrHeaderTooLarge, maxHdr)
	}
	ent, err := message.ReadWithOptions(bytes.NewReader(raw), &message.ReadOptions{MaxHeaderBytes: maxHdr + 1})
	var problems []string
	if err != nil {
		if ent == nil {
			return nil, fmt.Errorf("mailparse: reading header: %w", err)
		}
		problems = append(problems, err.Error())
	}
	if ent.Header.Len() == 0 {
		return nil, ErrNoHeader
	}
	m := &Message{}
	h := mail.Header{Header: ent.Header}
	m.Problems = append(problems, fillHeader(m, h)...)
	start := len(raw)
	if n := bodyOffset(raw); n >= 0 {
		start = n
	}
	body, bodyProblems := textBody(raw, ent.Header, start, maxBody)
	m.Body = body
	m.Problems = append(m.Problems, bodyProblems...)
	if m.MessageID == "" {
		m.MessageID = SyntheticID(raw)
		m.Synthetic = true
	}
	return m, nil
}

// SyntheticID derives a stable Message-ID from the content of a message
// that has none. Line endings do not change the result.
func SyntheticID(raw []byte) string {
	sum := sha256.Sum256(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")))
	return "prtrack-" + hex.EncodeToString(sum[:16]) + "@synthetic.invalid"
}

func stripFromLine(raw []byte) []byte {
	if !bytes.HasPrefix(raw, []byte("From ")) {
		return raw
	}
	if i := bytes.IndexByte(raw, '\n'); i >= 0 {
		return raw[i+1:]
	}
	return nil
}

// headerEnd returns the offset of the blank line ending the header
// block, or -1 when there is none.
func headerEnd(raw []byte) int {
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		j := bytes.Index(raw, []byte("\r\n\r\n"))
		if j >= 0 && j < i {
			return j
		}
		return i
	}
	return bytes.Index(raw, []byte("\r\n\r\n"))
}

// validUTF8 returns s as UTF-8, reading invalid input as Latin-1 (the
// usual source of raw 8-bit header bytes).
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// textBody decodes and joins the inline text parts of the message whose
// header is h and whose body starts at start, up to limit bytes.
func textBody(raw []byte, h message.Header, start int, lim bodyLimits) (string, []string) {
	var texts, problems []string
	remaining := lim.bytes
	w := &partWalker{raw: raw, maxDepth: lim.depth, maxParts: lim.parts}
	w.visit = func(n int, h message.Header, body []byte) {
		if !isInlineText(h) || remaining <= 0 {
			return
		}
		part, err := message.New(h, bytes.NewReader(body))
		if err != nil {
			problems = append(problems, fmt.Sprintf("part %d: %v", n, err))
			if part == nil {
				return
			}
		}
		b, rerr := io.ReadAll(io.LimitReader(part.Body, remaining))
		remaining -= int64(len(b))
		if rerr != nil {
			problems = append(problems, fmt.Sprintf("part %d: decoding body: %v", n, rerr))
		}
		texts = append(texts, normalizeText(b))
	}
	w.walk(h, start)
	problems = append(problems, w.problems...)
	if remaining <= 0 {
		problems = append(problems, fmt.Sprintf("text truncated at %d bytes", lim.bytes))
	}
	return strings.Join(texts, "\n"), problems
}

func isInlineText(h message.Header) bool {
	t, _, err := h.ContentType()
	if err != nil && h.Get("Content-Type") != "" {
		return false
	}
	if t != "" && t != "text/plain" {
		return false
	}
	disp, _, _ := h.ContentDisposition()
	return disp != "attachment"
}

func normalizeText(b []byte) string {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	return strings.ToValidUTF8(s, "\uFFFD")
}
