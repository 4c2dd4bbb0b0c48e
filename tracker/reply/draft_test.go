package reply

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestDraftOptOut(t *testing.T) {
	m, p := loadSample(t, "no-ack")
	_, err := Draft(Input{Message: m, Pull: p, Verdict: Accepted}, maintainer, draftTime)
	var oe *OptOutError
	if !errors.Is(err, ErrOptOut) || !errors.As(err, &oe) || oe.Keyword != "pr-tracker-no-ack" {
		t.Fatalf("Draft = %v, want an opt-out by pr-tracker-no-ack", err)
	}
}

func TestDraftInvalid(t *testing.T) {
	for name, change := range map[string]func(*Input, *Identity){
		"no message":   func(in *Input, _ *Identity) { in.Message = nil },
		"synthetic id": func(in *Input, _ *Identity) { in.Message.Synthetic = true },
		"bad id":       func(in *Input, _ *Identity) { in.Message.MessageID = "a b@c" },
		"no sender":    func(in *Input, _ *Identity) { in.Message.From.Email = "" },
		"verdict":      func(in *Input, _ *Identity) { in.Verdict = "maybe" },
		"no problem":   func(in *Input, _ *Identity) { in.Verdict = Unchecked },
		"no identity":  func(_ *Input, id *Identity) { id.From.Email = "" },
		"bad list":     func(_ *Input, id *Identity) { id.List = "linux-rdma" },
		"too many":     func(_ *Input, id *Identity) { id.MaxRecipients = 2 },
		"bad domain":   func(_ *Input, id *Identity) { id.Domain = "a b" },
		"long url":     func(in *Input, _ *Identity) { in.Pull.URL = "https://x/" + strings.Repeat("a", 1000) },
	} {
		t.Run(name, func(t *testing.T) {
			m, p := loadSample(t, "mlx5-next")
			in, id := Input{Message: m, Pull: p, Verdict: Accepted}, maintainer
			change(&in, &id)
			if _, err := Draft(in, id, draftTime); !errors.Is(err, ErrInvalid) {
				t.Errorf("Draft = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestRecipients(t *testing.T) {
	m, p := loadSample(t, "hns-v2")
	in := Input{Message: m, Pull: p, Verdict: Accepted}
	out, err := Draft(in, maintainer, draftTime)
	if err != nil {
		t.Fatal(err)
	}
	// To is the sender; the list once; the original Cc; never the
	// address named in the body.
	want := []string{"juergen@example.cn", "linux-rdma@vger.kernel.org", "linuxarm@example.cn"}
	if !slices.Equal(out.Rcpt, want) {
		t.Errorf("recipients = %v, want %v", out.Rcpt, want)
	}
	id := maintainer
	id.NoCopyCc, id.List = true, "rdma@lists.example.org"
	out, err = Draft(in, id, draftTime)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"juergen@example.cn", "rdma@lists.example.org"}; !slices.Equal(out.Rcpt, want) {
		t.Errorf("recipients without Cc = %v, want %v", out.Rcpt, want)
	}
	// The maintainer's own address, in the original Cc, is not copied.
	m2, p2 := loadSample(t, "mlx5-next")
	out, err = Draft(Input{Message: m2, Pull: p2, Verdict: Accepted}, maintainer, draftTime)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(out.Rcpt, "jordan@example.org") {
		t.Errorf("recipients %v include the sender of the reply", out.Rcpt)
	}
}

func TestReplySubject(t *testing.T) {
	for in, want := range map[string]string{
		"[GIT PULL] Please pull mlx5-next changes":          "Re: [GIT PULL] Please pull mlx5-next changes",
		"Re: [GIT PULL] x":                                  "Re: [GIT PULL] x",
		"RE: Re: AW: [GIT PULL v2] RDMA/hns: updates":       "Re: [GIT PULL v2] RDMA/hns: updates",
		"re[2]: SV:Antw: pull-request: mlx5-next 2023-01":   "Re: pull-request: mlx5-next 2023-01",
		"[pull request][net-next V2 00/14] mlx5\n\tupdates": "Re: [pull request][net-next V2 00/14] mlx5 updates",
		"Reply to pull": "Re: Reply to pull",
		"":              "Re: your pull request",
		"Re: ":          "Re: your pull request",
	} {
		if got := replySubject(in); got != want {
			t.Errorf("replySubject(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReferences(t *testing.T) {
	got := references([]string{"a@x", "bad id", "b@x", "a@x", "orig@x"}, "orig@x")
	if want := []string{"a@x", "b@x", "orig@x"}; !slices.Equal(got, want) {
		t.Errorf("references = %v, want %v", got, want)
	}
	var long []string
	for i := range 100 {
		long = append(long, fmt.Sprintf("m%d@x", i))
	}
	got = references(long, "orig@x")
	if len(got) != maxReferences || got[0] != "m0@x" || got[len(got)-2] != "m99@x" || got[len(got)-1] != "orig@x" {
		t.Errorf("bounded references = %v", got)
	}
}

func TestDue(t *testing.T) {
	m, p := loadSample(t, "mlx5-next")
	waiting := Input{Message: m, Pull: p, Verdict: Accepted, Readiness: Waiting, Waiting: []Tree{{Name: "net-next", Commits: 3}}}
	k := Key(&waiting)
	if !Due("", &waiting) {
		t.Error("first reply not due")
	}
	fewer := waiting
	fewer.Waiting = []Tree{{Name: "net-next", Commits: 1}}
	if Due(k, &fewer) {
		t.Error("a new reply is due because a count changed")
	}
	clean := waiting
	clean.Readiness, clean.Waiting = Clean, nil
	if !Due(k, &clean) {
		t.Error("no reply due when the pull request became clean")
	}
	newTip := *p
	newTip.Tip = strings.Repeat("f", 40)
	moved := waiting
	moved.Pull = &newTip
	if !Due(k, &moved) {
		t.Error("no reply due for a new tip")
	}
}

func TestWrapLine(t *testing.T) {
	long := "This sentence is long enough that it has to be wrapped at the seventy-second column."
	for _, tc := range []struct{ in, want string }{
		{"short line", "short line"},
		{"> " + long, "> " + long},
		{"  git ls-remote https://git.example.org/a/very/long/path/to/some/repository.git for-next", "  git ls-remote https://git.example.org/a/very/long/path/to/some/repository.git for-next"},
		{long, "This sentence is long enough that it has to be wrapped at the\nseventy-second column."},
		{"    " + long, "    This sentence is long enough that it has to be wrapped at the\n    seventy-second column."},
		{"  - " + long, "  - This sentence is long enough that it has to be wrapped at the\n    seventy-second column."},
		{"See https://git.example.org/" + strings.Repeat("x", 80) + " now", "See\nhttps://git.example.org/" + strings.Repeat("x", 80) + "\nnow"},
	} {
		if got := strings.Join(wrapLine(tc.in, wrapWidth), "\n"); got != tc.want {
			t.Errorf("wrapLine(%q) =\n%s\nwant\n%s", tc.in, got, tc.want)
		}
	}
}
