package reply

import (
	"context"
	"errors"
	"fmt"
)

// State is where a draft is in its life.
type State string

// Draft states.
const (
	StateDraft     State = "draft"     // waiting to be sent
	StateSending   State = "sending"   // an SMTP transaction was started
	StateSent      State = "sent"      // the server took it
	StateDelivered State = "delivered" // seen in the list archive
	StateDropped   State = "dropped"   // discarded by the maintainer
)

// Pending is a draft waiting to be sent: in state draft, or left in
// state sending by a run that stopped.
type Pending struct {
	ID    uint64
	State State
	Mail  *Mail
}

// Outbox is what SendPending needs from the store.
type Outbox interface {
	// Pending lists the drafts in state draft or sending, oldest first.
	Pending() ([]Pending, error)
	// SetState records a draft's new state, durably, before returning.
	SetState(id uint64, s State, reason string) error
	// SeenOnList reports whether a message with this Message-ID was
	// ingested from the list.
	SeenOnList(messageID string) (bool, error)
}

// SendOptions changes how SendPending works. The zero value is the
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
	// SendPending there, leaving the draft in state sending, as a
	// crash would.
	AfterMarkSending func(id uint64) error
}

// Action is what SendPending did with a draft.
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
var ErrOverLimit = errors.New("reply: more replies due than the batch limit allows")

// ErrNeedResend is the error of a held draft: it may have gone out
// in an earlier run, and the list does not show it (yet).
var ErrNeedResend = errors.New("reply: draft was being sent when a run stopped and is not on the list; check the list, then use --resend")

// Result reports what happened to one draft.
type Result struct {
	ID        uint64
	MessageID string
	Action    Action
	Err       error // why, for held, failed and unknown drafts
}

// SendPending sends the outbox's pending drafts over one SMTP session,
// each at most once: it records "sending" before a transaction and
// "sent" after. Drafts a stopped run left in "sending" are marked
// "delivered" when the list shows them, held otherwise unless
// opts.Resend. It returns a result per draft it looked at; the error
// is for what stopped it early (the store, the connection).
func SendPending(ctx context.Context, box Outbox, cfg SMTPConfig, opts SendOptions) ([]Result, error) {
	pending, err := box.Pending()
	if err != nil {
		return nil, fmt.Errorf("reply: list drafts: %w", err)
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
	s, err := Dial(ctx, cfg)
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
func triage(box Outbox, pending []Pending, resend bool) ([]Result, []Pending, error) {
	var results []Result
	var todo []Pending
	for _, p := range pending {
		if p.Mail == nil {
			return results, nil, fmt.Errorf("reply: draft %d has no mail", p.ID)
		}
		switch p.State {
		case StateDraft:
			todo = append(todo, p)
			continue
		case StateSending:
		default:
			return results, nil, fmt.Errorf("reply: draft %d is %s, not pending", p.ID, p.State)
		}
		seen, err := box.SeenOnList(p.Mail.MessageID)
		if err != nil {
			return results, nil, fmt.Errorf("reply: look up %s: %w", p.Mail.MessageID, err)
		}
		r := Result{ID: p.ID, MessageID: p.Mail.MessageID}
		switch {
		case seen:
			if err := box.SetState(p.ID, StateDelivered, "found on the list after an interrupted send"); err != nil {
				return results, nil, fmt.Errorf("reply: draft %d: %w", p.ID, err)
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
func sendEach(ctx context.Context, s *Session, box Outbox, todo []Pending, opts SendOptions, results []Result) ([]Result, error) {
	for _, p := range todo {
		if err := ctx.Err(); err != nil {
			return results, fmt.Errorf("reply: %w", err)
		}
		r := Result{ID: p.ID, MessageID: p.Mail.MessageID}
		if err := box.SetState(p.ID, StateSending, ""); err != nil {
			return results, fmt.Errorf("reply: draft %d: %w", p.ID, err)
		}
		if opts.AfterMarkSending != nil {
			if err := opts.AfterMarkSending(p.ID); err != nil {
				return results, fmt.Errorf("reply: draft %d: %w", p.ID, err)
			}
		}
		err := s.Send(ctx, p.Mail)
		switch {
		case err == nil:
			r.Action = ActionSent
			if err := box.SetState(p.ID, StateSent, ""); err != nil {
				return append(results, r), fmt.Errorf("reply: draft %d sent but not recorded: %w", p.ID, err)
			}
		case errors.Is(err, ErrNotSent):
			r.Action, r.Err = ActionFailed, err
			if serr := box.SetState(p.ID, StateDraft, err.Error()); serr != nil {
				return append(results, r), fmt.Errorf("reply: draft %d: %w", p.ID, serr)
			}
		default:
			r.Action, r.Err = ActionUnknown, err
			return append(results, r), err
		}
		results = append(results, r)
	}
	return results, nil
}

// dryRun says what SendPending would do, changing nothing: drafts would
// be sent, and so would drafts left sending with resend; those left
// sending are otherwise looked up on the list (delivered or held).
func dryRun(box Outbox, pending []Pending, resend bool) ([]Result, error) {
	var results []Result
	for _, p := range pending {
		if p.Mail == nil {
			return results, fmt.Errorf("reply: draft %d has no mail", p.ID)
		}
		r := Result{ID: p.ID, MessageID: p.Mail.MessageID, Action: ActionWouldSend}
		if p.State == StateSending && !resend {
			seen, err := box.SeenOnList(p.Mail.MessageID)
			if err != nil {
				return results, fmt.Errorf("reply: look up %s: %w", p.Mail.MessageID, err)
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
