package reply

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/emersion/go-message/mail"
	"github.com/prtrack/prtrack/mailparse"
)

// corpusFile is the real pull requests of linux-rdma, 2019-2023.
var corpusFile = filepath.Join("..", "..", "..", "shared", "corpus", "pulls-2019-2023.mbox.gz")

// readCorpus splits the mboxrd corpus into raw messages.
func readCorpus(t *testing.T) [][]byte {
	t.Helper()
	f, err := os.Open(corpusFile)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("corpus %s is absent", corpusFile)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	unescape := regexp.MustCompile(`^>(>*From )`)
	var msgs [][]byte
	var cur []byte
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.HasPrefix(line, []byte("From mboxrd@z ")) {
			if cur != nil {
				msgs = append(msgs, cur)
			}
			cur = []byte{}
			continue
		}
		cur = append(cur, unescape.ReplaceAll(line, []byte("$1"))...)
		cur = append(cur, '\n')
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return append(msgs, cur)
}

// TestCorpus drafts a reply to every real pull request in the corpus
// and checks its threading and headers against the original, read
// independently with go-message.
func TestCorpus(t *testing.T) {
	drafted, optOut := 0, 0
	for i, raw := range readCorpus(t) {
		m, err := mailparse.Parse(raw, nil)
		if err != nil || !strings.Contains(m.Body, "are available in the") {
			continue
		}
		p := mailparse.Extract(m)
		if p == nil {
			continue // a quoted copy in a reply
		}
		out, err := Draft(Input{Message: m, Pull: p, Verdict: Rejected, Findings: []Finding{uapiFinding}}, maintainer, draftTime)
		if errors.Is(err, ErrOptOut) {
			optOut++
			continue
		}
		if err != nil {
			t.Errorf("message %d (%s): %v", i, m.Subject, err)
			continue
		}
		drafted++
		checkThreading(t, i, raw, out)
		checkLayout(t, out.Raw)
	}
	t.Logf("drafted %d replies, %d opt-outs", drafted, optOut)
	if drafted < 130 {
		t.Errorf("drafted %d replies, want the corpus's pull requests (142)", drafted)
	}
}

// checkThreading compares a reply's header with its original's.
func checkThreading(t *testing.T, i int, orig []byte, out *Mail) {
	t.Helper()
	oh := readHeader(t, orig)
	rh := readHeader(t, out.Raw)
	oid, err := oh.MessageID()
	if err != nil || oid == "" {
		t.Errorf("message %d: original Message-ID: %v", i, err)
		return
	}
	subj, _ := oh.Subject()
	rsubj, _ := rh.Subject()
	if !strings.HasPrefix(rsubj, "Re: ") || strings.HasPrefix(strings.ToLower(rsubj[4:]), "re:") {
		t.Errorf("message %d: subject %q for %q", i, rsubj, subj)
	}
	if irt, err := rh.MsgIDList("In-Reply-To"); err != nil || len(irt) != 1 || irt[0] != oid {
		t.Errorf("message %d: In-Reply-To %v (%v), want %s", i, irt, err, oid)
	}
	refs, err := rh.MsgIDList("References")
	if err != nil || len(refs) == 0 || refs[len(refs)-1] != oid {
		t.Errorf("message %d: References %v (%v) do not end with %s", i, refs, err, oid)
	}
	from, _ := oh.AddressList("From")
	to, err := rh.AddressList("To")
	if len(from) == 0 || err != nil || len(to) != 1 || !strings.EqualFold(to[0].Address, from[0].Address) {
		t.Errorf("message %d: To %v (%v), want the sender %v", i, to, err, from)
	}
	if v := rh.Get(HeaderTrackedMessageID); v != "<"+oid+">" {
		t.Errorf("message %d: %s = %q", i, HeaderTrackedMessageID, v)
	}
	if id, err := rh.MessageID(); err != nil || !strings.HasSuffix(id, "@example.org") {
		t.Errorf("message %d: Message-ID %q (%v)", i, id, err)
	}
}

func readHeader(t *testing.T, raw []byte) mail.Header {
	t.Helper()
	r, err := mail.CreateReader(bytes.NewReader(raw))
	if r == nil {
		t.Fatalf("read header: %v", err)
	}
	return r.Header
}
