package outbox

import (
	"bytes"
	"slices"
	"testing"

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/mailparse/mbox"
	"github.com/prtrack/prtrack/tracker/reply"
)

func TestWriteMboxReadsBack(t *testing.T) {
	mails := twoDrafts(t)
	var buf bytes.Buffer
	if err := WriteMbox(&buf, mails...); err != nil {
		t.Fatal(err)
	}
	r := mbox.NewReader(&buf, nil)
	for i, want := range mails {
		msg, err := r.Next()
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if bytes.Contains(msg.Raw, []byte("\r\n")) {
			t.Errorf("message %d keeps CRLF in the mbox", i)
		}
		got, err := reply.ParseMail(msg.Raw)
		if err != nil {
			t.Fatal(err)
		}
		if got.MessageID != want.MessageID || got.InReplyTo != want.InReplyTo || got.Kind != want.Kind ||
			got.From != want.From || !slices.Equal(got.Rcpt, want.Rcpt) {
			t.Errorf("read back %+v, want %+v", got, want)
		}
		pm, err := mailparse.Parse(msg.Raw, nil)
		if err != nil || pm.MessageID != want.MessageID {
			t.Errorf("mailparse reads %v, %v", pm, err)
		}
	}
	if _, err := reply.ParseMail([]byte("Subject: x\r\n\r\nbody\r\n")); err == nil {
		t.Error("ParseMail accepted a message without Message-ID")
	}
}
