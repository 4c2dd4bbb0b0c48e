// Package triage works out, from the configuration and the mail alone,
// whose each pull request is (its role: incoming to the subsystem
// maintainers, their own pull to the upstream maintainer, or another
// subsystem's) and where it stands as the list thread tells it: merged
// (pr-tracker-bot's notice), pulled (a maintainer's "Pulled, thanks"),
// superseded by a later version, or history (sent before the horizon,
// never answered). The trees confirm and refine this later (see
// package review); triage needs no network and no repository.
package triage

import (
	"strings"
	"time"

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker"
)

// DefaultMaintainers are the RDMA subsystem's maintainers as the
// kernel's MAINTAINERS file lists them under "INFINIBAND SUBSYSTEM".
var DefaultMaintainers = []string{"jgg@nvidia.com", "leonro@nvidia.com"}

// DefaultUpstream is the upstream maintainer the subsystem sends to.
var DefaultUpstream = []string{"torvalds@linux-foundation.org"}

// Config says who is who on the list.
type Config struct {
	// Maintainers are the subsystem maintainers' addresses: a pull
	// request that asks one of them to pull is incoming. Empty means
	// DefaultMaintainers.
	Maintainers []string
	// Upstream are the addresses of the maintainer the subsystem
	// sends its own pull requests to. Empty means DefaultUpstream.
	Upstream []string
	// Since, when set, is the horizon: pull requests sent before it
	// are history. Zero means the start of the current cycle.
	Since time.Time
	// SenderMaintains, when set, says whether sender maintains every
	// one of paths (from the kernel's MAINTAINERS file): a pull
	// request from such a sender is incoming when a subsystem
	// maintainer is only in Cc (mlx5-next since 2025 goes To netdev).
	SenderMaintains func(sender string, paths []string) bool
}

func (c *Config) maintainers() []string { return orDefault(c.Maintainers, DefaultMaintainers) }
func (c *Config) upstream() []string    { return orDefault(c.Upstream, DefaultUpstream) }

func orDefault(v, def []string) []string {
	if len(v) == 0 {
		return def
	}
	return v
}

// IsMaintainer reports whether addr is one of the subsystem maintainers.
func (c *Config) IsMaintainer(addr string) bool { return hasAddr(c.maintainers(), addr) }

// IsUpstream reports whether addr is the upstream maintainer.
func (c *Config) IsUpstream(addr string) bool { return hasAddr(c.upstream(), addr) }

// RoleOf decides the role of a pull request from its From, To and Cc:
// upstream when a subsystem maintainer sends it To the upstream
// maintainer; incoming when it asks a subsystem maintainer (other than
// the sender) to pull, in To, or in Cc when the sender maintains
// everything its diffstat touches (SenderMaintains); foreign otherwise.
func (c *Config) RoleOf(rec *tracker.PullRequestRecord) tracker.Role {
	from := rec.From.Email
	if c.IsMaintainer(from) && anyAddr(rec.To, c.IsUpstream) {
		return tracker.RoleUpstream
	}
	other := func(a string) bool { return c.IsMaintainer(a) && !sameAddr(a, from) }
	if anyAddr(rec.To, other) {
		return tracker.RoleIncoming
	}
	if anyAddr(rec.Cc, other) && c.SenderMaintains != nil && !anyAddr(rec.To, c.IsUpstream) {
		if paths := diffstatPaths(rec); len(paths) > 0 && c.SenderMaintains(from, paths) {
			return tracker.RoleIncoming
		}
	}
	return tracker.RoleForeign
}

// diffstatPaths are the paths the mail's diffstat names, without the
// ones git shortened ("…/file"), which name no path.
func diffstatPaths(rec *tracker.PullRequestRecord) []string {
	var out []string
	for _, f := range rec.Pull.Diffstat.Files {
		if !strings.HasPrefix(f.Path, "...") {
			out = append(out, f.Path)
		}
	}
	return out
}

func anyAddr(as []mailparse.Address, pred func(string) bool) bool {
	for _, a := range as {
		if pred(a.Email) {
			return true
		}
	}
	return false
}

func hasAddr(list []string, addr string) bool {
	for _, a := range list {
		if sameAddr(a, addr) {
			return true
		}
	}
	return false
}

// sameAddr compares addresses without regard to case.
func sameAddr(a, b string) bool {
	return a != "" && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// SentAt is when a pull request was sent: its Date, or when prtrack
// recorded it when the Date is missing or in the future.
func SentAt(rec *tracker.PullRequestRecord) time.Time {
	if rec.Date.IsZero() || rec.Date.After(rec.ReceivedAt.Add(24*time.Hour)) && !rec.ReceivedAt.IsZero() {
		return rec.ReceivedAt
	}
	return rec.Date
}
