package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/prtrack/prtrack/tracker/triage"
)

// DefaultBatchLimit is how many replies one "replies send" or "run
// --send" posts without --yes.
const DefaultBatchLimit = 5

// Track returns who is who on the list and the horizon:
//
//	[track]
//		maintainer = ADDRESS  # repeatable; default: the INFINIBAND SUBSYSTEM maintainers
//		upstream = ADDRESS    # repeatable; default torvalds@linux-foundation.org
//		since = 2025-06-01    # horizon; default: the start of the current cycle
func (c *Config) Track() (*triage.Config, error) {
	s := c.File.Section("track")
	t := &triage.Config{Maintainers: addrs(s.OptionAll("maintainer")), Upstream: addrs(s.OptionAll("upstream"))}
	if v := s.Option("since"); v != "" {
		at, err := time.Parse(time.DateOnly, v)
		if err != nil {
			if at, err = time.Parse(time.RFC3339, v); err != nil {
				return nil, fmt.Errorf("config: %s: track.since = %q: want a date (2025-06-01) or an RFC 3339 time", c.Path, v)
			}
		}
		t.Since = at
	}
	for _, a := range append(t.Maintainers, t.Upstream...) {
		if !strings.Contains(a, "@") {
			return nil, fmt.Errorf("config: %s: track: %q is not a mail address", c.Path, a)
		}
	}
	return t, nil
}

// addrs keeps the address part of "Name <addr>" values.
func addrs(vals []string) []string {
	var out []string
	for _, v := range all(vals) {
		if i, j := strings.LastIndex(v, "<"), strings.LastIndex(v, ">"); i >= 0 && j > i {
			v = v[i+1 : j]
		}
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// ReplyLimits returns how old a mail may be to get a reply and how
// many replies one run posts without --yes:
//
//	[reply]
//		maxAge = 14d          # Go duration, or days with "d"
//		batchLimit = 5
func (c *Config) ReplyLimits() (maxAge time.Duration, batch int, err error) {
	s := c.File.Section("reply")
	maxAge, batch = 14*24*time.Hour, DefaultBatchLimit
	if v := s.Option("maxAge"); v != "" {
		if maxAge, err = parseAge(v); err != nil {
			return 0, 0, fmt.Errorf("config: %s: reply.maxAge = %q: %w", c.Path, v, err)
		}
	}
	if v := s.Option("batchLimit"); v != "" {
		if batch, err = strconv.Atoi(v); err != nil || batch < 0 {
			return 0, 0, fmt.Errorf("config: %s: reply.batchLimit = %q: want a number of mails", c.Path, v)
		}
	}
	return maxAge, batch, nil
}

func parseAge(v string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("want days (14d) or a duration (336h)")
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("want days (14d) or a duration (336h)")
	}
	return d, nil
}

// Sources are the mail sources "prtrack run" reads, in order:
//
//	[source]
//		mbox = PATH           # repeatable
//		publicInbox = DIR     # repeatable
//		imap = URL            # repeatable
type Sources struct {
	Mbox, PublicInbox, IMAP []string
}

// Sources returns the configured mail sources.
func (c *Config) Sources() Sources {
	s := c.File.Section("source")
	var src Sources
	for _, v := range all(s.OptionAll("mbox")) {
		src.Mbox = append(src.Mbox, expandHome(v))
	}
	for _, v := range all(s.OptionAll("publicInbox")) {
		src.PublicInbox = append(src.PublicInbox, expandHome(v))
	}
	src.IMAP = all(s.OptionAll("imap"))
	return src
}
