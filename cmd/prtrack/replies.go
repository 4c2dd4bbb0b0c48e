package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"text/tabwriter"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply"
	"github.com/prtrack/prtrack/tracker/reply/outbox"
	"github.com/prtrack/prtrack/tracker/review"
)

func runReplies(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "replies")
	mboxPath := fs.String("mbox", "", "export: the mbox `file` to write")
	resend := fs.Bool("resend", false, "send: also send drafts a stopped run left in \"sending\" that the list does not show")
	asJSON := fs.Bool("json", false, "list: one JSON object per draft")
	dryRun := fs.Bool("dry-run", false, "send: list what would be sent, send nothing")
	yes := fs.Bool("yes", false, "send: send even more than reply.batchLimit mails")
	var drop outbox.DropFilter
	fs.Uint64Var(&drop.PR, "pr", 0, "drop: the unsent drafts of this pull request `id`")
	fs.StringVar(&drop.Kind, "kind", "", "drop: the unsent drafts of this `kind` (accepted, waiting, rejected, late, unchecked, merged)")
	fs.BoolVar(&drop.All, "all", false, "drop: every unsent draft")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	verb := "list"
	if len(rest) > 0 {
		verb, rest = rest[0], rest[1:]
	}
	ids, err := review.ParseIDs(rest)
	if err != nil {
		return usagef("%v", err)
	}
	cfg, st, err := sf.open()
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "list":
		if *asJSON {
			return listDraftsJSON(io.Out, st)
		}
		return listDrafts(io.Out, st)
	case "show":
		if len(ids) != 1 {
			return usagef("replies show takes one draft id")
		}
		return showDraft(io.Out, st, ids[0])
	case "export":
		if *mboxPath == "" {
			return usagef("replies export needs --mbox FILE")
		}
		return exportDrafts(io.Out, st, *mboxPath, ids)
	case "send":
		smtp, err := cfg.SMTP()
		if err != nil {
			return err
		}
		_, limit, err := cfg.ReplyLimits()
		if err != nil {
			return err
		}
		opts := outbox.SendOptions{Logger: logOf(io), Resend: *resend, DryRun: *dryRun, Limit: limit, Confirmed: *yes}
		return sendDrafts(ctx, io.Out, st, smtp, ids, opts)
	case "drop":
		drop.IDs = ids
		dropped, err := outbox.Drop(st, drop)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(io.Out, "dropped %s\n", plural(len(dropped), "draft"))
		return err
	}
	return usagef("unknown replies subcommand %q", verb)
}

func drafts(st *tracker.Store) ([]*tracker.Draft, error) {
	var out []*tracker.Draft
	err := st.View(func(tx *tracker.Tx) error {
		var err error
		out, err = tx.Drafts()
		return err
	})
	return out, err
}

func listDrafts(w io.Writer, st *tracker.Store) error {
	all, err := drafts(st)
	if err != nil {
		return err
	}
	if len(all) == 0 {
		_, err := fmt.Fprintln(w, "no replies drafted")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPR\tKIND\tSTATE\tTO\tSUBJECT")
	for _, d := range all {
		m, err := reply.ParseMail(d.Raw)
		if err != nil {
			return fmt.Errorf("draft %d: %w", d.ID, err)
		}
		to := ""
		if len(m.Rcpt) > 0 {
			to = m.Rcpt[0]
		}
		fmt.Fprintf(tw, "%d\t#%d\t%s\t%s\t%s\t%s\n", d.ID, d.PRID, d.Kind, d.State, clip(to, 30), clip(subjectOf(d.Raw), 60))
	}
	return tw.Flush()
}

// draftJSON is a draft as "replies list --json" prints it.
type draftJSON struct {
	ID        uint64       `json:"id"`
	PRID      uint64       `json:"pr_id"`
	PRMessage string       `json:"pr_message_id"`
	Role      tracker.Role `json:"role"`
	Kind      string       `json:"kind"`
	State     string       `json:"state"`
	MessageID string       `json:"message_id"`
	To        []string     `json:"to"`
	Subject   string       `json:"subject"`
	Reason    string       `json:"reason,omitempty"`
}

func listDraftsJSON(w io.Writer, st *tracker.Store) error {
	enc := json.NewEncoder(w)
	return st.View(func(tx *tracker.Tx) error {
		all, err := tx.Drafts()
		if err != nil {
			return err
		}
		for _, d := range all {
			rec, err := tx.PullRequest(d.PRID)
			if err != nil {
				return err
			}
			m, err := reply.ParseMail(d.Raw)
			if err != nil {
				return fmt.Errorf("draft %d: %w", d.ID, err)
			}
			if err := enc.Encode(draftJSON{ID: d.ID, PRID: d.PRID, PRMessage: rec.MessageID, Role: rec.Role, Kind: d.Kind,
				State: string(d.State), MessageID: d.MessageID, To: m.Rcpt, Subject: subjectOf(d.Raw), Reason: d.Reason}); err != nil {
				return err
			}
		}
		return nil
	})
}

// subjectOf returns the decoded Subject of a stored draft, for listing.
func subjectOf(raw []byte) string {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return m.Header.Get("Subject")
	}
	return subj
}

func showDraft(w io.Writer, st *tracker.Store, id uint64) error {
	var d *tracker.Draft
	err := st.View(func(tx *tracker.Tx) error {
		var err error
		d, err = tx.Draft(id)
		return err
	})
	if errors.Is(err, tracker.ErrNotFound) {
		return fmt.Errorf("no draft %d", id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "# draft %d for pull request #%d: %s, %s\n", d.ID, d.PRID, d.Kind, d.State)
	_, err = io.WriteString(w, strings.ReplaceAll(string(d.Raw), "\r\n", "\n"))
	return err
}

func exportDrafts(w io.Writer, st *tracker.Store, path string, ids []uint64) error {
	n, err := outbox.Export(st, path, ids)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "wrote %s to %s (send with: git send-email %s); prtrack will not send them itself\n",
		plural(n, "reply"), path, path)
	return err
}

func sendDrafts(ctx context.Context, w io.Writer, st *tracker.Store, smtp outbox.SMTPConfig, ids []uint64, opts outbox.SendOptions) error {
	results, err := outbox.Send(ctx, outbox.NewBox(st, ids), smtp, opts)
	unsent := 0
	for _, r := range results {
		fmt.Fprintf(w, "draft %d <%s>: %s", r.ID, r.MessageID, r.Action)
		if r.Err != nil {
			fmt.Fprintf(w, ": %v", r.Err)
		}
		fmt.Fprintln(w)
		if !r.Settled() {
			unsent++
		}
	}
	if err == nil && len(results) == 0 {
		fmt.Fprintln(w, "nothing to send")
	}
	if err == nil && unsent > 0 {
		err = fmt.Errorf("%s not sent (see above)", plural(unsent, "reply"))
	}
	return err
}
