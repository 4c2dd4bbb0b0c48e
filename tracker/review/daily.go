package review

import (
	"fmt"
	"io"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/triage"
)

// Summary is what one daily run did, in the maintainer's terms.
type Summary struct {
	New         []uint64 `json:"new"`          // pull requests recorded by this run
	BecameClean []uint64 `json:"became_clean"` // sendable to Linus now
	Rejected    []uint64 `json:"rejected"`
	Late        []uint64 `json:"late"`       // missed their window's cut-off
	Unchecked   []uint64 `json:"unchecked"`  // could not be checked; tried again later
	Merged      []uint64 `json:"merged"`     // in Linus's master now
	Pulled      []uint64 `json:"pulled"`     // pulled into a maintainer tree
	Superseded  []uint64 `json:"superseded"` // replaced by a later version
	Drafted     []uint64 `json:"drafted"`    // draft ids
	Volatile    []uint64 `json:"volatile"`   // whose volatile for-next result changed
	Failures    []string `json:"failures"`   // sources, trees or pull requests that failed
}

// AddTriage counts the state changes triage made.
func (s *Summary) AddTriage(changes []triage.Change) {
	for _, c := range changes {
		if c.What == "state" {
			s.addState(c.ID, tracker.State(c.To))
		}
	}
}

// AddOutcomes counts what the checks found.
func (s *Summary) AddOutcomes(outcomes []Outcome) {
	for i := range outcomes {
		o := &outcomes[i]
		if o.Draft != nil {
			s.Drafted = append(s.Drafted, o.Draft.ID)
		}
		if o.Target != nil && o.Target.Late && o.Changed() {
			s.Late = append(s.Late, o.ID)
		}
		if o.Changed() {
			s.addState(o.ID, o.State)
		}
	}
}

// AddMerged counts upstream pull requests seen merged.
func (s *Summary) AddMerged(ids []uint64) { s.Merged = append(s.Merged, ids...) }

func (s *Summary) addState(id uint64, st tracker.State) {
	switch st {
	case tracker.StateClean:
		s.BecameClean = append(s.BecameClean, id)
	case tracker.StateRejected:
		s.Rejected = append(s.Rejected, id)
	case tracker.StateUnchecked:
		s.Unchecked = append(s.Unchecked, id)
	case tracker.StateMerged:
		s.Merged = append(s.Merged, id)
	case tracker.StatePulled:
		s.Pulled = append(s.Pulled, id)
	case tracker.StateSuperseded:
		s.Superseded = append(s.Superseded, id)
	}
}

// Fail records a failure that did not stop the run.
func (s *Summary) Fail(format string, args ...any) {
	s.Failures = append(s.Failures, fmt.Sprintf(format, args...))
}

// Print writes the summary as a few lines.
func (s *Summary) Print(w io.Writer) {
	line := func(what string, ids []uint64) {
		fmt.Fprintf(w, "%-13s %d", what, len(ids))
		for _, id := range ids {
			fmt.Fprintf(w, " #%d", id)
		}
		fmt.Fprintln(w)
	}
	line("new", s.New)
	line("became clean", s.BecameClean)
	line("rejected", s.Rejected)
	line("late", s.Late)
	line("unchecked", s.Unchecked)
	line("pulled", s.Pulled)
	line("merged", s.Merged)
	line("superseded", s.Superseded)
	line("volatile", s.Volatile)
	fmt.Fprintf(w, "%-13s %d", "drafted", len(s.Drafted))
	if len(s.Drafted) > 0 {
		fmt.Fprint(w, " (prtrack replies)")
	}
	fmt.Fprintln(w)
	for _, f := range s.Failures {
		fmt.Fprintf(w, "FAILED: %s\n", f)
	}
}

// TreeFailures turns failed tree updates into summary failures.
func (s *Summary) TreeFailures(updates []gitcheck.TreeUpdate) {
	for _, u := range updates {
		if u.Error != "" {
			s.Fail("tree %s: %s", u.Tree, u.Error)
		}
	}
}

// AddVolatile counts the pull requests whose trial merge changed.
func (s *Summary) AddVolatile(changes []VolatileChange) {
	for _, c := range changes {
		s.Volatile = append(s.Volatile, c.ID)
	}
}
