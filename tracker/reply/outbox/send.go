package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply"
)

// Pending is a draft waiting to be sent: in state draft, or left in
// state sending by a run that stopped.
type Pending struct {
	ID    uint64
	State tracker.DraftState
	Mail  *reply.Mail
}

// Store is what Send needs from where drafts are kept: Box over the
// tracker's store in prtrack, and an in-memory fake in the tests. Both
// pass the same conformance suite (TestConformance in suite_test.go).
type Store interface {
	// Pending lists the drafts in state draft or sending, oldest first.
	Pending() ([]Pending, error)
	// SetState records a draft's new state, durably, before returning;
	// a move the draft's life does not allow (tracker.DraftState's
	// CanBecome) is an error.
	SetState(id uint64, s tracker.DraftState, reason string) error
	// SeenOnList reports whether a message with this Message-ID was
	// ingested from the list.
	SeenOnList(messageID string) (bool, error)
}

// SendOptions changes how Send works. The zero value is the
// safe default.
type SendOptions struct {
	// Resend sends again drafts left in state sending that the list
	// archive does not show, accepting that one may arrive twice.
	Resend bool
	// DryRun lists what would be sent (ActionWouldSend) and sends and
	// records nothing.
	DryRun bool
	// Limit, when positive, is the most mails one call sends: more
	// than that and nothing is sent (ErrOverLimit) unless Confirmed.
	Limit     int
	Confirmed bool
	// AfterMarkSending, when set, is called once a draft is recorded
	// as sending, just before its SMTP transaction. An error stops
	// Send there, leaving the draft in state sending, as a
	// crash would.
	AfterMarkSending func(id uint64) error
	// Logger receives a line per draft looked at; nil discards.
	Logger *slog.Logger
}

// Action is what Send did with a draft.
type Action string

// Actions.
const (
	ActionSent      Action = "sent"       // submitted; now sent
	ActionDelivered Action = "delivered"  // was sending, found on the list
	ActionHeld      Action = "held"       // was sending, not on the list: needs Resend
	ActionFailed    Action = "failed"     // refused by the server; back to draft
	ActionUnknown   Action = "unknown"    // outcome unknown; left sending
	ActionWouldSend Action = "would send" // a dry run's answer
)

// ErrOverLimit is returned when more mails are due than
// SendOptions.Limit allows without confirmation; nothing was sent.
var ErrOverLimit = errors.New("outbox: more replies due than the batch limit allows")

// ErrNeedResend is the error of a held draft: it may have gone out
// in an earlier run, and the list does not show it (yet).
var ErrNeedResend = errors.New("outbox: draft was being sent when a run stopped and is not on the list; check the list, then use --resend")

// Result reports what happened to one draft.
type Result struct {
	ID        uint64
	MessageID string
	Action    Action
	Err       error // why, for held, failed and unknown drafts
}

// Send sends the outbox's pending drafts over one SMTP session,
// each at most once: it records "sending" before a transaction and
// "sent" after. Drafts a stopped run left in "sending" are marked
// "delivered" when the list shows them, held otherwise unless
// opts.Resend. It returns a result per draft it looked at; the error
// is for what stopped it early (the store, the connection).
func Send(ctx context.Context, box Store, cfg SMTPConfig, opts SendOptions) ([]Result, error) {
	results, err := send(ctx, box, cfg, opts)
	if opts.Logger != nil {
		for _, r := range results {
			opts.Logger.Info("outbox: reply", "draft", r.ID, "message_id", r.MessageID, "action", r.Action, "err", r.Err)
		}
	}
	return results, err
}

func send(ctx context.Context, box Store, cfg SMTPConfig, opts SendOptions) ([]Result, error) {
	pending, err := box.Pending()
	if err != nil {
		return nil, fmt.Errorf("outbox: list drafts: %w", err)
	}
	if opts.DryRun {
		return dryRun(box, pending, opts.Resend)
	}
	if opts.Limit > 0 && !opts.Confirmed && len(pending) > opts.Limit {
		return nil, fmt.Errorf("%w: %d due, limit %d (reply.batchLimit): look at them with --dry-run, then confirm with --yes",
			ErrOverLimit, len(pending), opts.Limit)
	}
	results, todo, err := triage(box, pending, opts.Resend)
	if err != nil || len(todo) == 0 {
		return results, err
	}
	s, err := dial(ctx, cfg)
	if err != nil {
		return results, err
	}
	results, err = sendEach(ctx, s, box, todo, opts, results)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return results, err
}

// triage settles drafts left in state sending and returns the drafts
// to send.
func triage(box Store, pending []Pending, resend bool) ([]Result, []Pending, error) {
	var results []Result
	var todo []Pending
	for _, p := range pending {
		if p.Mail == nil {
			return results, nil, fmt.Errorf("outbox: draft %d has no mail", p.ID)
		}
		switch p.State {
		case tracker.DraftDraft:
			todo = append(todo, p)
			continue
		case tracker.DraftSending:
		default:
			return results, nil, fmt.Errorf("outbox: draft %d is %s, not pending", p.ID, p.State)
		}
		seen, err := box.SeenOnList(p.Mail.MessageID)
		if err != nil {
			return results, nil, fmt.Errorf("outbox: look up %s: %w", p.Mail.MessageID, err)
		}
		r := Result{ID: p.ID, MessageID: p.Mail.MessageID}
		switch {
		case seen:
			if err := box.SetState(p.ID, tracker.DraftDelivered, "found on the list after an interrupted send"); err != nil {
				return results, nil, fmt.Errorf("outbox: draft %d: %w", p.ID, err)
			}
			r.Action = ActionDelivered
		case resend:
			todo = append(todo, p)
			continue
		default:
			r.Action, r.Err = ActionHeld, ErrNeedResend
		}
		results = append(results, r)
	}
	return results, todo, nil
}

// sendEach runs the sending/sent protocol for each draft in todo.
func sendEach(ctx context.Context, s *session, box Store, todo []Pending, opts SendOptions, results []Result) ([]Result, error) {
	for _, p := range todo {
		if err := ctx.Err(); err != nil {
			return results, fmt.Errorf("outbox: %w", err)
		}
		r := Result{ID: p.ID, MessageID: p.Mail.MessageID}
		if err := box.SetState(p.ID, tracker.DraftSending, ""); err != nil {
			return results, fmt.Errorf("outbox: draft %d: %w", p.ID, err)
		}
		if opts.AfterMarkSending != nil {
			if err := opts.AfterMarkSending(p.ID); err != nil {
				return results, fmt.Errorf("outbox: draft %d: %w", p.ID, err)
			}
		}
		err := s.Send(ctx, p.Mail)
		switch {
		case err == nil:
			r.Action = ActionSent
			if err := box.SetState(p.ID, tracker.DraftSent, ""); err != nil {
				return append(results, r), fmt.Errorf("outbox: draft %d sent but not recorded: %w", p.ID, err)
			}
		case errors.Is(err, ErrNotSent):
			r.Action, r.Err = ActionFailed, err
			if serr := box.SetState(p.ID, tracker.DraftDraft, err.Error()); serr != nil {
				return append(results, r), fmt.Errorf("outbox: draft %d: %w", p.ID, serr)
			}
		default:
			r.Action, r.Err = ActionUnknown, err
			return append(results, r), err
		}
		results = append(results, r)
	}
	return results, nil
}

// dryRun says what Send would do, changing nothing: drafts would
// be sent, and so would drafts left sending with resend; those left
// sending are otherwise looked up on the list (delivered or held).
func dryRun(box Store, pending []Pending, resend bool) ([]Result, error) {
	var results []Result
	for _, p := range pending {
		if p.Mail == nil {
			return results, fmt.Errorf("outbox: draft %d has no mail", p.ID)
		}
		r := Result{ID: p.ID, MessageID: p.Mail.MessageID, Action: ActionWouldSend}
		if p.State == tracker.DraftSending && !resend {
			seen, err := box.SeenOnList(p.Mail.MessageID)
			if err != nil {
				return results, fmt.Errorf("outbox: look up %s: %w", p.Mail.MessageID, err)
			}
			r.Action, r.Err = ActionHeld, ErrNeedResend
			if seen {
				r.Action, r.Err = ActionDelivered, nil
			}
		}
		results = append(results, r)
	}
	return results, nil
}

// Settled reports whether the draft needs nothing more from the
// maintainer: sent, found delivered, or (in a dry run) about to go.
// Held, failed and unknown drafts are not settled.
func (r Result) Settled() bool {
	return r.Action == ActionSent || r.Action == ActionDelivered || r.Action == ActionWouldSend
}
