package mailparse

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestQuickScan(t *testing.T) {
	raw := "From mboxrd@z Thu Jan  1 00:00:00 1970\r\n" +
		"MESSAGE-ID:\r\n <folded@example.org>\r\n" +
		"References: <root@example.org>\r\n\t<v2@example.org>\r\n" +
		"In-Reply-To: Message from Foo <parent@example.org> of Mon\r\n" +
		"Subject: Re: x\r\n\r\nThanks, pulled.\r\n"
	q := QuickScan([]byte(raw))
	if q.MessageID != "folded@example.org" {
		t.Errorf("MessageID = %q", q.MessageID)
	}
	// Nearest first: In-Reply-To, then References newest to oldest.
	want := []string{"parent@example.org", "v2@example.org", "root@example.org"}
	if !slices.Equal(q.Parents, want) {
		t.Errorf("Parents = %q, want %q", q.Parents, want)
	}
	if q.Candidate {
		t.Error("a plain reply is a candidate")
	}
}

// Every sample pull request, encoded or not, must be a candidate, and
// QuickScan must agree with Parse on the Message-ID.
func TestQuickScanAgreesWithParse(t *testing.T) {
	files, _ := filepath.Glob("testdata/pulls/*.eml")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(raw, nil)
		if err != nil {
			t.Fatal(err)
		}
		q := QuickScan(raw)
		if !m.Synthetic && q.MessageID != m.MessageID {
			t.Errorf("%s: QuickScan id %q, Parse id %q", f, q.MessageID, m.MessageID)
		}
		if Extract(m) != nil && !q.Candidate {
			t.Errorf("%s: holds a pull request but is not a candidate", f)
		}
	}
}
