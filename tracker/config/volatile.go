package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/prtrack/prtrack/gitcheck/volatile"
)

// Volatile is the volatile for-next's configuration.
type Volatile struct {
	Build volatile.Options
	// Push is where "volatile --push" pushes; its URL is empty when
	// volatile.push is not set.
	Push volatile.PushOptions
	// ConflictReply drafts a reply to both senders of two pending pull
	// requests that conflict (off by default).
	ConflictReply bool
}

// Volatile returns the volatile for-next's configuration, in
// check.repository:
//
//	[volatile]
//		base = REF            # default refs/trees/rdma/heads/for-next
//		ref = REF             # default refs/heads/volatile
//		push = URL            # pushed to by "volatile --push"
//		maxPairs = 300        # pairwise trial merges; -1 for none
//		timeout = 2m          # per git command
//		pushTimeout = 5m
//		jobs = 0              # merges side by side; 0 for one per CPU
//		conflictReply = false # draft a reply to both senders of a new pairwise conflict
func (c *Config) Volatile() (Volatile, error) {
	s := c.File.Section("volatile")
	v := Volatile{
		Build: volatile.Options{Repo: c.repository(), Base: s.Option("base"), Ref: s.Option("ref")},
		Push:  volatile.PushOptions{Repo: c.repository(), URL: s.Option("push")},
	}
	if v.Build.Ref != "" && !strings.HasPrefix(v.Build.Ref, "refs/") {
		return v, fmt.Errorf("config: %s: volatile.ref = %q: want a full ref (refs/heads/...)", c.Path, v.Build.Ref)
	}
	v.Push.Ref = v.Build.Ref
	var err error
	set := func(key string, parse func(string) error) {
		if val := s.Option(key); val != "" && err == nil {
			if perr := parse(val); perr != nil {
				err = fmt.Errorf("config: %s: volatile.%s = %q: %w", c.Path, key, val, perr)
			}
		}
	}
	set("maxPairs", func(val string) (err error) { v.Build.MaxPairs, err = strconv.Atoi(val); return err })
	set("timeout", durationInto(&v.Build.GitTimeout))
	set("pushTimeout", durationInto(&v.Push.Timeout))
	set("jobs", func(val string) (err error) { v.Build.Jobs, err = strconv.Atoi(val); return err })
	set("conflictReply", boolInto(&v.ConflictReply))
	return v, err
}
