package web

import (
	"math"
	"time"

	"github.com/prtrack/prtrack/tracker"
)

// CutOff is the estimated date of the current cycle's cut-off: the
// -rcN after which a for-next pull request is late. Linus tags -rc1
// two weeks after a release and one -rc a week after that, so -rcN
// comes about N+1 weeks after the release that started the cycle.
type CutOff struct {
	RC     int
	Date   time.Time
	Days   int // whole days from now; negative once passed
	Passed bool
}

// estimateCutOff returns the cut-off of the cycle cy starts, when the
// cycle's start is known.
func estimateCutOff(cy tracker.Cycle, rc int, now time.Time) (CutOff, bool) {
	if !cy.Known || cy.Last == "" || cy.Horizon.IsZero() {
		return CutOff{}, false
	}
	date := cy.Horizon.Add(time.Duration(rc+1) * 7 * 24 * time.Hour)
	days := int(math.Ceil(date.Sub(now).Hours() / 24))
	return CutOff{RC: rc, Date: date, Days: days, Passed: !now.Before(date)}, true
}
