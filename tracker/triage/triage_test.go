package triage

import (
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker"
)

func addr(s string) mailparse.Address { return mailparse.Address{Email: s} }

func addrs(ss ...string) []mailparse.Address {
	var out []mailparse.Address
	for _, s := range ss {
		out = append(out, addr(s))
	}
	return out
}

// rdma is the configuration the real list needs over 2019–2026: the
// maintainers' addresses of all those years.
var rdma = &Config{Maintainers: []string{"dledford@redhat.com", "jgg@mellanox.com", "jgg@nvidia.com", "jgg@ziepe.ca",
	"leon@kernel.org", "leonro@nvidia.com", "leonro@mellanox.com"}}

func TestRoleOf(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from     string
		to       []string
		want     tracker.Role
		defaults bool
	}{
		{"maintainers' own pull to Linus", "dledford@redhat.com", []string{"torvalds@linux-foundation.org"}, tracker.RoleUpstream, false},
		{"Jason to Linus, today's address", "jgg@nvidia.com", []string{"Torvalds@Linux-Foundation.org"}, tracker.RoleUpstream, true},
		{"mlx5-next to netdev and Jason", "saeed@kernel.org", []string{"davem@davemloft.net", "kuba@kernel.org", "jgg@nvidia.com"}, tracker.RoleIncoming, false},
		{"mlx5-next to Leon only", "saeedm@nvidia.com", []string{"leon@kernel.org"}, tracker.RoleIncoming, false},
		{"net-next to netdev only", "tariqt@nvidia.com", []string{"davem@davemloft.net", "kuba@kernel.org"}, tracker.RoleForeign, false},
		{"NFS to Trond", "chuck.lever@oracle.com", []string{"trond.myklebust@hammerspace.com"}, tracker.RoleForeign, false},
		{"a maintainer to the other", "leon@kernel.org", []string{"jgg@nvidia.com"}, tracker.RoleIncoming, false},
		{"a maintainer to himself", "leon@kernel.org", []string{"leon@kernel.org"}, tracker.RoleForeign, false},
		{"someone else to Linus", "akpm@linux-foundation.org", []string{"torvalds@linux-foundation.org"}, tracker.RoleForeign, false},
		{"old address without the config", "dledford@redhat.com", []string{"torvalds@linux-foundation.org"}, tracker.RoleForeign, true},
	} {
		cfg := rdma
		if tc.defaults {
			cfg = &Config{}
		}
		rec := &tracker.PullRequestRecord{From: addr(tc.from), To: addrs(tc.to...)}
		if got := cfg.RoleOf(rec); got != tc.want {
			t.Errorf("%s: role %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestSettle(t *testing.T) {
	pr := &tracker.PullRequestRecord{MessageID: "pr@x", Subject: "[pull request][for-next 00/17] mlx5-next 2022-02-23",
		From: addr("saeed@kernel.org"), To: addrs("kuba@kernel.org", "jgg@nvidia.com")}
	bot := tracker.Reply{MessageID: "bot@x", InReplyTo: "pr@x", From: addr("pr-tracker-bot@kernel.org"),
		FirstLines: []string{"The pull request you sent on Mon, 11 Mar 2024:", "has been merged into torvalds/linux.git:",
			"https://git.kernel.org/torvalds/c/0123456789abcdef0123456789abcdef01234567", "Thank you!"}}
	say := func(from, line string) tracker.Reply {
		return tracker.Reply{MessageID: from + "@r", InReplyTo: "pr@x", From: addr(from), FirstLines: []string{line}}
	}
	for _, tc := range []struct {
		name    string
		replies []tracker.Reply
		want    tracker.State
		commit  string
	}{
		{"pr-tracker-bot", []tracker.Reply{bot}, tracker.StateMerged, "0123456789abcdef0123456789abcdef01234567"},
		{"Jason pulled", []tracker.Reply{say("jgg@nvidia.com", "Pulled, thanks")}, tracker.StatePulled, ""},
		{"Thanks, pulled.", []tracker.Reply{say("jgg@nvidia.com", "Thanks, pulled.")}, tracker.StatePulled, ""},
		{"netdev addressee", []tracker.Reply{say("kuba@kernel.org", "Pulled into net-next, thanks.")}, tracker.StatePulled, ""},
		{"Merged, thanks!", []tracker.Reply{say("leonro@nvidia.com", "Merged, thanks!")}, tracker.StatePulled, ""},
		{"applied to for-next", []tracker.Reply{say("jgg@nvidia.com", "Applied to for-next, thanks")}, tracker.StatePulled, ""},
		{"patchwork-bot", []tracker.Reply{say("patchwork-bot+netdevbpf@kernel.org", "This pull request was applied to netdev/net-next.git (main)")}, tracker.StatePulled, ""},
		{"Linus pulled", []tracker.Reply{say("torvalds@linux-foundation.org", "I've ended up pulling this")}, tracker.StateMerged, ""},
		{"the sender's own words", []tracker.Reply{say("saeed@kernel.org", "Pulled? ping")}, "", ""},
		{"a question", []tracker.Reply{say("jgg@nvidia.com", "Applied where?")}, "", ""},
		{"a reviewer", []tracker.Reply{say("someone@example.org", "Applied, thanks")}, "", ""},
		{"refused", []tracker.Reply{say("leon@kernel.org", "Please don't. I see the change in SHA-1 from already pulled to RDMA:")}, tracker.StateRejected, ""},
		{"Linus refuses", []tracker.Reply{say("torvalds@linux-foundation.org", "So anyway, I won't be pulling this.")}, tracker.StateRejected, ""},
		{"Indeed, pulled now", []tracker.Reply{say("kuba@kernel.org", "Indeed, pulled now, sorry for the wait!")}, tracker.StatePulled, ""},
		{"mid-line", []tracker.Reply{say("kuba@kernel.org", "I wish it were on the list but it is what it is. Pulling to net-next as well, thanks.")}, tracker.StatePulled, ""},
		{"after a ping, under the subject", []tracker.Reply{{MessageID: "k@r", InReplyTo: "ping@x", Subject: "Re: [pull request][for-next v2 00/17] mlx5-next 2022-02-23",
			From: addr("kuba@kernel.org"), FirstLines: []string{"Indeed, pulled now, sorry for the wait!"}}}, tracker.StatePulled, ""},
		{"a promise", []tracker.Reply{say("kuba@kernel.org", "Looks like it's in, I'll pull shortly.")}, "", ""},
		{"pulled, or not", []tracker.Reply{say("kuba@kernel.org", "Pulled, thanks!"), say("kuba@kernel.org", "Or not, looks like you didn't adjust to Greg's changes:")}, "", ""},
		{"refused then merged", []tracker.Reply{say("torvalds@linux-foundation.org", "Please just don't. I'd rather know about the conflicts."), bot}, tracker.StateMerged, "0123456789abcdef0123456789abcdef01234567"},
		{"a reply to a patch of the thread", []tracker.Reply{{MessageID: "p@r", InReplyTo: "patch3@x", Subject: "Re: [PATCH mlx5-next 03/17] net/mlx5: Add MACsec", From: addr("jgg@nvidia.com"), FirstLines: []string{"Applied"}}}, "", ""},
		{"bot notice taken back", []tracker.Reply{bot, say("jgg@nvidia.com", "I think the bot was just confused here")}, "", ""},
		{"pulled then merged", []tracker.Reply{say("jgg@nvidia.com", "Pulled, thanks"), bot}, tracker.StateMerged, "0123456789abcdef0123456789abcdef01234567"},
	} {
		s := rdma.Settle(pr, tc.replies)
		var got tracker.State
		var commit string
		if s != nil {
			got, commit = s.State, s.Commit
		}
		if got != tc.want || commit != tc.commit {
			t.Errorf("%s: %q %q, want %q %q", tc.name, got, commit, tc.want, tc.commit)
		}
	}
}

func TestNormalSubjectAndSupersedes(t *testing.T) {
	for _, pair := range [][2]string{
		{"[GIT PULL] mlx5-next updates 2023-01-24", "[GIT PULL v2] mlx5-next updates 2023-01-26"},
		{"[pull request][net-next V2 00/14] mlx5 updates 2023-06-06", "Re: [pull request][net-next 00/14] mlx5 updates"},
	} {
		if a, b := NormalSubject(pair[0]), NormalSubject(pair[1]); a != b {
			t.Errorf("%q and %q normalise to %q and %q", pair[0], pair[1], a, b)
		}
	}
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	pr := func(id uint64, from, subj, ref string, v int, days int) *tracker.PullRequestRecord {
		return &tracker.PullRequestRecord{ID: id, MessageID: subj + "@x", From: addr(from), Subject: subj, Role: tracker.RoleIncoming,
			Date: day.AddDate(0, 0, days), Pull: mailparse.PullRequest{URL: "git://git.kernel.org/mellanox/linux.git", Ref: ref, Version: v}}
	}
	v1 := pr(1, "saeed@kernel.org", "[GIT PULL] mlx5-next updates", "mlx5-next", 1, 0)
	v2 := pr(2, "saeed@kernel.org", "[GIT PULL v2] mlx5-next updates", "mlx5-next", 2, 1)
	next := pr(3, "saeed@kernel.org", "[GIT PULL] mlx5-next updates", "mlx5-next", 1, 30)
	colleague := pr(4, "leon@kernel.org", "[GIT PULL] something else", "other", 1, 2)
	colleague.Parents = []string{v1.MessageID}
	switch {
	case !Supersedes(v1, v2):
		t.Error("v2 does not supersede v1")
	case Supersedes(v2, v1):
		t.Error("v1 supersedes v2")
	case Supersedes(v1, next):
		t.Error("next month's pull of the same branch, same subject, supersedes this one")
	case !Supersedes(v1, colleague):
		t.Error("a re-send in reply to v1 does not supersede it")
	}
	up := pr(5, "jgg@nvidia.com", "[GIT PULL] Please pull RDMA subsystem changes", "tags/for-linus", 1, 0)
	up.Role = tracker.RoleUpstream
	up2 := pr(6, "jgg@nvidia.com", "[GIT PULL] Please pull RDMA subsystem changes", "tags/for-linus", 1, 7)
	up2.Role = tracker.RoleUpstream
	if Supersedes(up, up2) {
		t.Error("the weekly pull to Linus supersedes the previous one")
	}
}

// Since 2025 mlx5-next pulls go To netdev with an RDMA maintainer in
// Cc: incoming when MAINTAINERS says the sender maintains all it
// touches, foreign otherwise or when MAINTAINERS is not known.
func TestRoleOfCcWithMaintainers(t *testing.T) {
	rec := &tracker.PullRequestRecord{From: addr("tariqt@nvidia.com"), To: addrs("kuba@kernel.org"), Cc: addrs("leon@kernel.org"),
		Pull: mailparse.PullRequest{Diffstat: mailparse.Diffstat{Files: []mailparse.DiffstatFile{
			{Path: "include/linux/mlx5/driver.h"}, {Path: ".../mellanox/mlx5/core/main.c"}}}}}
	var asked []string
	cfg := *rdma
	cfg.SenderMaintains = func(sender string, paths []string) bool {
		asked = paths
		return sender == "tariqt@nvidia.com"
	}
	if got := cfg.RoleOf(rec); got != tracker.RoleIncoming || len(asked) != 1 || asked[0] != "include/linux/mlx5/driver.h" {
		t.Errorf("maintainer of the paths, RDMA in Cc: %s (asked about %q)", got, asked)
	}
	rec.From = addr("someone@example.org")
	if got := cfg.RoleOf(rec); got != tracker.RoleForeign {
		t.Errorf("not a maintainer of the paths: %s", got)
	}
	if got := rdma.RoleOf(rec); got != tracker.RoleForeign {
		t.Errorf("without MAINTAINERS: %s", got)
	}
}
