package mailparse

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRejectsWhatIsNotMail(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want error
	}{
		{"empty", "", ErrNoHeader},
		{"body only", "\nHello, no header here\n", ErrNoHeader},
		{"huge header", "From: a@b.example\nX-Junk: " + strings.Repeat("x", 5<<20) + "\n\nbody\n", ErrHeaderTooLarge},
		{"huge header no body", "From: a@b.example\nX-Junk: " + strings.Repeat("x", 2<<20), ErrHeaderTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.raw), nil)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseHeaderLimitIsConfigurable(t *testing.T) {
	raw := "Message-ID: <big@example.org>\nX-Junk: " + strings.Repeat("x", 2<<20) + "\n\nbody\n"
	m, err := Parse([]byte(raw), &ParseOptions{MaxHeaderBytes: 4 << 20})
	if err != nil {
		t.Fatalf("Parse with a raised limit: %v", err)
	}
	if m.MessageID != "big@example.org" {
		t.Errorf("MessageID = %q", m.MessageID)
	}
}

func TestParseToleratesBrokenMail(t *testing.T) {
	raw := "From mboxrd@z Thu Jan  1 00:00:00 1970\n" +
		"From: \"Broken \xe9\" <broken@example.org>\n" +
		"Subject: caf\xe9 [GIT PULL]\n" +
		"Date: the day after tomorrow\n" +
		"Message-ID: not-angle-bracketed@example.org\n" +
		"In-Reply-To: Message from Foo <parent@example.org> of Mon, 1 Jan\n" +
		"References: <a@example.org> garbage <b@example.org>\n" +
		"Content-Type: text/plain; charset=x-no-such-charset\n" +
		"Content-Transfer-Encoding: x-no-such-encoding\n\nbody text\n"
	m, err := Parse([]byte(raw), nil)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if m.MessageID != "not-angle-bracketed@example.org" {
		t.Errorf("MessageID = %q", m.MessageID)
	}
	if m.Subject != "café [GIT PULL]" {
		t.Errorf("Subject = %q", m.Subject)
	}
	if m.From.Email != "broken@example.org" {
		t.Errorf("From = %+v", m.From)
	}
	if !m.Date.IsZero() || m.DateRaw != "the day after tomorrow" {
		t.Errorf("Date = %v, DateRaw = %q", m.Date, m.DateRaw)
	}
	if len(m.InReplyTo) != 1 || m.InReplyTo[0] != "parent@example.org" {
		t.Errorf("InReplyTo = %q", m.InReplyTo)
	}
	if strings.Join(m.References, " ") != "a@example.org b@example.org" {
		t.Errorf("References = %q", m.References)
	}
	if !strings.Contains(m.Body, "body text") {
		t.Errorf("Body = %q", m.Body)
	}
	if len(m.Problems) == 0 {
		t.Error("no problems reported for a broken message")
	}
}

func TestSyntheticIDIsStable(t *testing.T) {
	lf := "From: a@example.org\nSubject: no id\n\nbody\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	a, err := Parse([]byte(lf), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse([]byte(crlf), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Synthetic || a.MessageID != b.MessageID {
		t.Errorf("synthetic IDs differ or not synthetic: %q %q", a.MessageID, b.MessageID)
	}
	c, _ := Parse([]byte(lf+"more\n"), nil)
	if c.MessageID == a.MessageID {
		t.Error("different content gave the same synthetic ID")
	}
}

func TestExtractIgnoresQuotedAndPartialBlocks(t *testing.T) {
	const base = "0123456789abcdef0123456789abcdef01234567"
	for name, body := range map[string]string{
		"quoted":     "> The following changes since commit " + base + ":\n>\n> are available in the Git repository at:\n>\n>   git://h/r.git x\n",
		"nested":     ">> The following changes since commit " + base + ":\n>>\n>> are available in the Git repository at:\n>>\n>>   git://h/r.git x\n",
		"no base":    "are available in the Git repository at:\n\n  git://h/r.git x\n",
		"short base": "The following changes since commit 0123abc:\n\nare available in the Git repository at:\n\n  git://h/r.git x\n",
		"no url":     "The following changes since commit " + base + ":\n\nare available in the Git repository at:\n\nfor you to fetch changes up to " + base + ":\n",
		"prose url":  "The following changes since commit " + base + ":\n\nare available in the Git repository at:\n\n  somewhere on my laptop\n",
	} {
		if pr := ExtractText(body); pr != nil {
			t.Errorf("%s: extracted %+v from a body that holds no pull request", name, pr)
		}
	}
}

func TestExtractNoAck(t *testing.T) {
	const base = "0123456789abcdef0123456789abcdef01234567"
	body := "The following changes since commit " + base + ":\n\n  Linux 6.7 (2024-01-07 12:18:38 -0800)\n\n" +
		"are available in the Git repository at:\n\n  https://git.example.org/r.git for-next\n\npr-tracker-no-ack\n"
	pr := ExtractText(body)
	if pr == nil || !pr.NoAck || pr.Ref != "for-next" {
		t.Fatalf("ExtractText = %+v, want a pull request with NoAck", pr)
	}
}
