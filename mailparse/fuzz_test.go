package mailparse

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that no input makes Parse panic and that what it
// returns is well-formed. Seeds: testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add([]byte("From: a@example.org\nSubject: x\n\nbody\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw, &ParseOptions{MaxHeaderBytes: 64 << 10, MaxBodyBytes: 1 << 20})
		if err != nil {
			return
		}
		if m.MessageID == "" {
			t.Fatal("parsed message without a Message-ID")
		}
		for _, s := range []string{m.MessageID, m.Subject, m.Body, m.From.Email} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
		if strings.Contains(m.Body, "\r\n") {
			t.Fatal("CRLF left in body")
		}
		_ = Extract(m)
	})
}

// FuzzExtract checks the request-pull parser on arbitrary text: no
// panic, and what it extracts is internally consistent.
// Seeds: testdata/fuzz/FuzzExtract.
func FuzzExtract(f *testing.F) {
	f.Add("The following changes since commit 0123456789abcdef0123456789abcdef01234567:\n\n" +
		"are available in the Git repository at:\n\n  git://h/r.git tags/for-\nlinus\n")
	f.Fuzz(func(t *testing.T, body string) {
		pr := ExtractText(body)
		if pr == nil {
			return
		}
		if !hexRun.MatchString(pr.Base) {
			t.Fatalf("base %q is not a full commit id", pr.Base)
		}
		if pr.Tip != "" && !hexRun.MatchString(pr.Tip) {
			t.Fatalf("tip %q is not a full commit id", pr.Tip)
		}
		if pr.URL == "" || strings.ContainsAny(pr.URL+pr.Ref, " \t\n") {
			t.Fatalf("url %q ref %q hold white space or are empty", pr.URL, pr.Ref)
		}
		if pr.Version != 1 {
			t.Fatalf("version %d without a subject", pr.Version)
		}
	})
}

// FuzzQuickScan checks that the routing scan never panics and agrees
// with the full parser on the Message-ID when both find one.
func FuzzQuickScan(f *testing.F) {
	f.Add([]byte("Message-ID: <a@b>\nIn-Reply-To: <c@d>\n\nbody\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		q := QuickScan(raw)
		if q.HeaderBytes > len(raw) {
			t.Fatalf("header size %d beyond input %d", q.HeaderBytes, len(raw))
		}
		m, err := Parse(raw, &ParseOptions{MaxHeaderBytes: 64 << 10, MaxBodyBytes: 1 << 20})
		if err != nil || m.Synthetic || q.MessageID == "" {
			return
		}
		if strings.HasPrefix(q.MessageID, "<") || strings.HasSuffix(q.MessageID, ">") || !utf8.ValidString(q.MessageID) {
			t.Fatalf("bad Message-ID %q", q.MessageID)
		}
		if q.MessageID != m.MessageID {
			t.Fatalf("QuickScan says %q, Parse says %q", q.MessageID, m.MessageID)
		}
	})
}
