package imapsrc

import (
	"context"
	"io"
	"slices"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source/publicinbox"
	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

// TestPublicInboxIMAPD reads an inbox made by the real public-inbox
// tools, served by public-inbox-imapd, by its group name: the same
// messages as reading its git epoch, then only the new ones.
func TestPublicInboxIMAPD(t *testing.T) {
	msgs := sourcetest.CorpusMessages(t, "linux-rdma-2022.mbox.gz", 8)
	ib := sourcetest.NewInbox(t)
	ib.Deliver(t, msgs[:6]...)
	addr := ib.ServeIMAP(t)
	u := mustURL(t, "imap://anonymous@"+addr+"/"+ib.Newsgroup)
	opts := &Options{AllowPlaintext: true, BatchSize: 4}

	src, items := readAll(t, u, "anonymous", nil, opts)
	if want := []string{ib.Newsgroup + ".0"}; !slices.Equal(src.Mailboxes(), want) {
		t.Errorf("Mailboxes = %q, want %q", src.Mailboxes(), want)
	}
	assertIDs(t, "public-inbox-imapd", items, msgs[:6])
	if got, want := itemIDs(t, items), gitIDs(t, ib.Dir); !slices.Equal(got, want) {
		t.Errorf("IMAP gave %q, the git epoch %q", got, want)
	}

	ib.Deliver(t, msgs[6:]...)
	_, more := readAll(t, u, "anonymous", last(items, nil), opts)
	assertIDs(t, "public-inbox-imapd, after the checkpoint", more, msgs[6:])
}

// gitIDs reads the Message-IDs of an inbox from its git epochs.
func gitIDs(t *testing.T, dir string) []string {
	t.Helper()
	ctx := context.Background()
	src, err := publicinbox.Open(ctx, dir, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var ids []string
	for {
		it, err := src.Next(ctx)
		if err == io.EOF {
			return ids
		}
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sourcetest.MessageID(t, it.Raw))
	}
}
