package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
)

// TestShowSaysWhyBackedOff: show tells why check --pending skips a pull
// request whose fetch went over the byte limit.
func TestShowSaysWhyBackedOff(t *testing.T) {
	v := &gitcheck.Verdict{Status: gitcheck.Unchecked, OverLimit: true, Reason: "fetch failed: fetch exceeds the byte limit of 256 bytes"}
	detail, err := json.Marshal(review.Detail{Verdict: v})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	s := &shown{rec: &tracker.PullRequestRecord{ID: 7, State: tracker.StateNew},
		events: []tracker.Event{{Kind: tracker.EventVerdict, Time: at, Summary: "unchecked", Detail: detail}}}
	var out bytes.Buffer
	printShown(&out, s)
	want := `not fetched by "check --pending" before 2026-03-01 16:00: fetch over the byte limit 1 time in a row (` + v.Reason + `); "prtrack check 7" fetches it now`
	if !strings.Contains(out.String(), want) {
		t.Fatalf("show printed:\n%s\nwant a line %q", out.String(), want)
	}
}
