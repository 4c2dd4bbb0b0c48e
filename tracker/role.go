package tracker

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Role says whose pull request it is, and so what prtrack does with it.
type Role string

// Roles of a pull request.
const (
	// RoleUpstream is the subsystem maintainers' own pull request to
	// the upstream maintainer (Linus): tracked until merged, never
	// judged by the driver rules, never answered.
	RoleUpstream Role = "upstream"
	// RoleIncoming asks a subsystem maintainer to pull: judged by a
	// rule profile and answered.
	RoleIncoming Role = "incoming"
	// RoleForeign is anything else (another subsystem's pull request
	// copied to the list): recorded, never checked, never answered.
	RoleForeign Role = "foreign"
)

// Roles lists every role.
var Roles = []Role{RoleIncoming, RoleUpstream, RoleForeign}

// Who set a role.
const (
	RoleByRules      = "rules"      // worked out from the configuration and the mail
	RoleByMaintainer = "maintainer" // set by "prtrack role"
)

// EventRole records a change of role.
const EventRole = "role"

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	if r := Role(s); slices.Contains(Roles, r) {
		return r, nil
	}
	return "", fmt.Errorf("tracker: unknown role %q (want %s): %w", s, joinRoles(), ErrInvalid)
}

func joinRoles() string {
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// SetRole gives pull request id role, as set by by (RoleByRules or
// RoleByMaintainer), and appends a "role" event. A role a maintainer
// set is kept: rules cannot change it (that is not an error; nothing
// is written). Setting the same role by the same party does nothing.
func (t *Tx) SetRole(id uint64, role Role, by string) error {
	if err := t.writable("set role"); err != nil {
		return err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	if by != RoleByRules && by != RoleByMaintainer {
		return fmt.Errorf("tracker: role set by %q: %w", by, ErrInvalid)
	}
	rec, err := t.PullRequest(id)
	if err != nil {
		return err
	}
	if rec.RoleBy == RoleByMaintainer && by == RoleByRules || rec.Role == role && rec.RoleBy == by {
		return nil
	}
	summary := fmt.Sprintf("role %s (by %s)", role, by)
	if rec.Role != "" {
		summary = fmt.Sprintf("role %s -> %s (by %s)", rec.Role, role, by)
	}
	rec.Role, rec.RoleBy = role, by
	if err := t.putPullRequest(rec); err != nil {
		return err
	}
	return t.AppendEvent(id, Event{Kind: EventRole, Summary: summary})
}

// StateChange is the detail of a "state" event.
type StateChange struct {
	From State  `json:"from"`
	To   State  `json:"to"`
	Why  string `json:"why,omitempty"`
}

func stateEvent(c StateChange) (Event, error) {
	detail, err := json.Marshal(c)
	if err != nil {
		return Event{}, err
	}
	summary := fmt.Sprintf("%s -> %s", c.From, c.To)
	if c.Why != "" {
		summary += ": " + c.Why
	}
	return Event{Kind: EventState, Summary: summary, Detail: detail}, nil
}

// StateChangeOf reads a "state" event; events written before states
// carried a detail are read from their summary ("new -> clean").
func StateChangeOf(ev Event) (StateChange, bool) {
	if ev.Kind != EventState {
		return StateChange{}, false
	}
	var c StateChange
	if len(ev.Detail) > 0 && json.Unmarshal(ev.Detail, &c) == nil && c.To != "" {
		return c, true
	}
	from, to, ok := strings.Cut(ev.Summary, " -> ")
	if !ok {
		return StateChange{}, false
	}
	to, why, _ := strings.Cut(to, ": ")
	return StateChange{From: State(from), To: State(to), Why: why}, true
}
