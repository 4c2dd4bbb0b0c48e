package review

import (
	"encoding/json"
	"time"

	"github.com/prtrack/prtrack/tracker"
)

// A pull request whose fetch stopped at the byte limit would stop there
// again: Pending leaves it out for backoffBase after the first such
// verdict, doubling with each one in a row, up to backoffMax. The
// verdicts already in its history are the state; "prtrack check ID"
// fetches it at once.
const (
	backoffBase = 6 * time.Hour
	backoffMax  = 7 * 24 * time.Hour
)

// Backoff says until when Pending leaves a pull request out, and why.
type Backoff struct {
	Until    time.Time
	Failures int    // over-limit verdicts in a row, the latest last
	Reason   string // the latest verdict's
}

// BackedOff reads a pull request's history and reports whether its
// latest verdicts went over the fetch limit.
func BackedOff(events []tracker.Event) (Backoff, bool) {
	var b Backoff
	var last time.Time
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Kind != tracker.EventVerdict {
			continue
		}
		var d Detail
		if json.Unmarshal(events[i].Detail, &d) != nil || d.Verdict == nil || !d.Verdict.OverLimit {
			break
		}
		if b.Failures == 0 {
			last, b.Reason = events[i].Time, d.Verdict.Reason
		}
		b.Failures++
	}
	if b.Failures == 0 {
		return b, false
	}
	b.Until = last.Add(backoffDelay(b.Failures))
	return b, true
}

func backoffDelay(failures int) time.Duration {
	d := backoffBase
	for i := 1; i < failures && d < backoffMax; i++ {
		d *= 2
	}
	return min(d, backoffMax)
}
