package outbox

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/prtrack/prtrack/mailparse/mbox"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply"
)

// Export writes the drafts named by ids, or every unsent draft when
// ids is empty, to the mbox file at path, and returns how many it
// wrote. Whatever sends the file then, prtrack must not send these
// again: like a send whose outcome is unknown, each unsent one is
// marked sending and waits for the list archive to show it (or for a
// send with Resend).
func Export(st *tracker.Store, path string, ids []uint64) (int, error) {
	sel, err := selected(st, ids)
	if err != nil {
		return 0, err
	}
	mails := make([]*reply.Mail, 0, len(sel))
	for _, d := range sel {
		m, err := reply.ParseMail(d.Raw)
		if err != nil {
			return 0, fmt.Errorf("outbox: export draft %d: %w", d.ID, err)
		}
		mails = append(mails, m)
	}
	if err := writeMboxFile(path, mails); err != nil {
		return 0, err
	}
	err = st.Update(func(tx *tracker.Tx) error {
		for _, d := range sel {
			if d.State == tracker.DraftDraft {
				if err := tx.SetDraftState(d.ID, tracker.DraftSending, "exported to "+path); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return len(mails), err
}

// selected returns the drafts named by ids, each once and oldest
// first, or every unsent draft. An id that does not exist is an error.
func selected(st *tracker.Store, ids []uint64) ([]*tracker.Draft, error) {
	want := idSet(ids)
	var out []*tracker.Draft
	err := st.View(func(tx *tracker.Tx) error {
		if err := onRecord(tx, want); err != nil {
			return fmt.Errorf("outbox: export: %w", err)
		}
		all, err := tx.Drafts()
		for _, d := range all {
			if len(want) > 0 && want[d.ID] || len(want) == 0 && d.State == tracker.DraftDraft {
				out = append(out, d)
			}
		}
		return err
	})
	return out, err
}

func writeMboxFile(path string, mails []*reply.Mail) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("outbox: export: %w", err)
	}
	if err := WriteMbox(f, mails...); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("outbox: export: %w", err)
	}
	return nil
}

// WriteMbox writes mails to w as an mboxrd with LF line ends, which
// git send-email and mail clients read.
func WriteMbox(w io.Writer, mails ...*reply.Mail) error {
	mw := mbox.NewWriter(w)
	for _, m := range mails {
		if err := mw.WriteMessage(bytes.ReplaceAll(m.Raw, []byte("\r\n"), []byte("\n"))); err != nil {
			return fmt.Errorf("outbox: export mbox: %w", err)
		}
	}
	if err := mw.Flush(); err != nil {
		return fmt.Errorf("outbox: export mbox: %w", err)
	}
	return nil
}
