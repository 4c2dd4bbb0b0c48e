package mailparse

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenRecord is what the golden files hold for one message.
type goldenRecord struct {
	MessageID   string       `json:"message_id"`
	Synthetic   bool         `json:"synthetic,omitempty"`
	Subject     string       `json:"subject"`
	From        Address      `json:"from"`
	Date        string       `json:"date,omitempty"`
	InReplyTo   []string     `json:"in_reply_to,omitempty"`
	References  []string     `json:"references,omitempty"`
	PullRequest *PullRequest `json:"pull_request"`
}

// TestGoldenSamples parses every testdata/pulls/*.eml (mail written for
// this project, modelled on real linux-rdma mail) and compares what is
// extracted with the .json file beside it. Run with -update to rewrite.
func TestGoldenSamples(t *testing.T) {
	files, err := filepath.Glob("testdata/pulls/*.eml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(raw, nil)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			rec := goldenRecord{MessageID: m.MessageID, Synthetic: m.Synthetic, Subject: m.Subject,
				From: m.From, InReplyTo: m.InReplyTo, References: m.References, PullRequest: Extract(m)}
			if !m.Date.IsZero() {
				rec.Date = m.Date.UTC().Format(time.RFC3339)
			}
			got, _ := json.MarshalIndent(rec, "", "  ")
			got = append(got, '\n')
			checkGolden(t, strings.TrimSuffix(f, ".eml")+".json", got)
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what was extracted (run with -update and review the diff):\n--- got\n%s", path, got)
	}
}
