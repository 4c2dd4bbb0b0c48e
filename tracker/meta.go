package tracker

import (
	"fmt"
	"time"
)

// Keys of the meta bucket besides the schema version.
var (
	keyReportLast = []byte("report_last") // RFC 3339 time of the last report
	keyCycle      = []byte("cycle")       // Cycle, JSON
)

// legacyReportKey is where schema v2 kept the time of the last report,
// among the source positions.
const legacyReportKey = "report:last"

// ReportLast returns when the last report was made (zero for never).
func (t *Tx) ReportLast() time.Time {
	v := t.bucket(bucketMeta).Get(keyReportLast)
	at, _ := time.Parse(time.RFC3339Nano, string(v))
	return at
}

// SetReportLast records when the last report was made.
func (t *Tx) SetReportLast(at time.Time) error {
	if err := t.writable("set report time"); err != nil {
		return err
	}
	return wrap2("set report time", t.bucket(bucketMeta).Put(keyReportLast, []byte(at.UTC().Format(time.RFC3339Nano))))
}

// Cycle is what prtrack last learnt of the release cycle from Linus's
// tags, for the commands that do not read the repository.
type Cycle struct {
	// Known is false while Linus's tags have not been fetched.
	Known bool `json:"known"`
	// Next is the next merge window ("v6.16"); Last the newest tag.
	Next string `json:"next,omitempty"`
	Last string `json:"last,omitempty"`
	// Horizon is the time before which pull requests are history.
	Horizon   time.Time `json:"horizon"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Cycle returns the stored cycle; ok is false when none was stored.
func (t *Tx) Cycle() (Cycle, bool, error) {
	var c Cycle
	ok, err := getJSON(t.bucket(bucketMeta), keyCycle, &c)
	if err != nil {
		return c, false, wrap("cycle", err)
	}
	return c, ok, nil
}

// SetCycle stores c.
func (t *Tx) SetCycle(c Cycle) error {
	if err := t.writable("set cycle"); err != nil {
		return err
	}
	c.Horizon, c.UpdatedAt = c.Horizon.UTC(), t.stamp(c.UpdatedAt)
	return wrap2("set cycle", putJSON(t.bucket(bucketMeta), keyCycle, c))
}

// wrap2 is wrap that lets nil through.
func wrap2(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("tracker: %s: %w", what, err)
}
