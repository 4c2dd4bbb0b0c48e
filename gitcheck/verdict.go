package gitcheck

import (
	"fmt"
	"strings"
	"time"
)

// Status is the outcome of a check.
type Status string

// Statuses of a Verdict.
const (
	Accepted  Status = "accepted"  // no error-level finding
	Rejected  Status = "rejected"  // at least one error-level finding
	Unchecked Status = "unchecked" // the check could not run; see Reason
)

// Severity ranks a finding.
type Severity string

// Severities of a Finding.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Code identifies a rule; codes are stable and appear in stored events.
type Code string

// Finding codes.
const (
	CodeURLRefused       Code = "url-refused"
	CodeFetchFailed      Code = "fetch-failed"
	CodeRefMissing       Code = "ref-missing"
	CodeTipMismatch      Code = "tip-mismatch"
	CodeBaseNotAccepted  Code = "base-not-accepted"
	CodeOutOfScope       Code = "out-of-scope"
	CodeUAPIChange       Code = "uapi-change"
	CodeEmpty            Code = "empty"
	CodeDiffstatMismatch Code = "diffstat-mismatch"
	CodeSignature        Code = "signature"
)

// Finding is one rule violation.
type Finding struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	Commit   string   `json:"commit,omitempty"` // short SHA
	Subject  string   `json:"subject,omitempty"`
	Paths    []string `json:"paths,omitempty"`
	Message  string   `json:"message"`
	// Sections are the MAINTAINERS sections to ask instead
	// (sender-not-maintainer).
	Sections []SectionPeople `json:"sections,omitempty"`
	// Pulled is the already pulled commit a rebased shared branch
	// changed (rebased-shared).
	Pulled *PulledCommit `json:"pulled,omitempty"`
}

// Readiness says whether an accepted pull request can go to Linus.
type Readiness struct {
	// State is "clean" when every shared commit is in the mainline,
	// "waiting" otherwise, as when the pull request was pulled into an
	// accepted tree other than the mainline: its commits are shared
	// ones then.
	State string `json:"state"`
	// Waiting counts, per accepted tree, the shared commits not yet in
	// the mainline that the tree holds. It is empty for a pulled pull
	// request with more than Config.MaxWalk commits outside the
	// mainline.
	Waiting []TreeCount `json:"waiting,omitempty"`
}

// Readiness states.
const (
	Clean   = "clean"
	Waiting = "waiting"
)

// TreeCount is a number of commits held by one accepted tree.
type TreeCount struct {
	Tree    string `json:"tree"`
	Commits int    `json:"commits"`
}

// Commit is one of the pull request's own commits.
type Commit struct {
	SHA     string   `json:"sha"`
	Subject string   `json:"subject"`
	Merge   bool     `json:"merge,omitempty"`
	Paths   []string `json:"paths,omitempty"`
}

// AcceptedRef is one accepted ref and the commit it pointed at.
type AcceptedRef struct {
	Tree   string `json:"tree"`
	Ref    string `json:"ref"`
	Commit string `json:"commit"`
}

// Verdict is the result of checking one pull request.
type Verdict struct {
	ID     string `json:"id"`
	Status Status `json:"status"`
	Reason string `json:"reason,omitempty"` // why unchecked
	// Failure classifies a failed fetch (only with CodeFetchFailed).
	Failure Failure `json:"failure,omitempty"`
	// OverLimit says the fetch stopped at Config.MaxFetchBytes: fetching
	// the same pull request again is likely to stop there too.
	OverLimit bool      `json:"over_limit,omitempty"`
	CheckedAt time.Time `json:"checked_at"`

	URL       string     `json:"url"`
	Ref       string     `json:"ref,omitempty"`       // full remote ref fetched
	LocalRef  string     `json:"local_ref,omitempty"` // where it was fetched
	Tip       string     `json:"tip,omitempty"`       // commit the ref resolved to
	Profile   string     `json:"profile,omitempty"`   // the rule profile that judged it
	Driver    string     `json:"driver,omitempty"`
	Findings  []Finding  `json:"findings,omitempty"`
	Readiness *Readiness `json:"readiness,omitempty"` // only when accepted
	Commits   []Commit   `json:"commits,omitempty"`   // own commits, newest first
	// Shared counts the shared commits that are not yet in the
	// mainline (those in the mainline are not enumerated).
	Shared int `json:"shared_not_mainline"`
	// Accepted are the accepted branches (not tags) and the commits
	// they pointed at when the check ran.
	Accepted []AcceptedRef `json:"accepted,omitempty"`
	// Merged says where the pull request entered an accepted tree,
	// when it has: the mainline when its tip is there, otherwise the
	// tree that pulled it (Readiness is then waiting on it). Nothing
	// is fetched then, and Ref and LocalRef are empty unless the mail
	// named no tip.
	Merged *Merge `json:"merged,omitempty"`
	// SignedBy names the key (fingerprint and user ids) that made the
	// tag's good signature, when the signed-tag policy is on.
	SignedBy string `json:"signed_by,omitempty"`
}

func (v *Verdict) add(f Finding) {
	v.Findings = append(v.Findings, f)
}

// settle sets Status from the findings unless the check did not run.
func (v *Verdict) settle() {
	if v.Status == Unchecked {
		return
	}
	v.Status = Accepted
	for _, f := range v.Findings {
		if f.Severity == Error {
			v.Status = Rejected
		}
	}
	if v.Status != Accepted {
		v.Readiness = nil
	}
}

// Summary renders the verdict for a maintainer: the status line, then one
// line per finding.
func (v *Verdict) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", v.ID, strings.ToUpper(string(v.Status)))
	if v.Driver != "" {
		fmt.Fprintf(&b, " (%s, %s)", v.Driver, plural(len(v.Commits), "commit"))
	}
	if v.Reason != "" {
		fmt.Fprintf(&b, ": %s", v.Reason)
	}
	if r := v.Readiness; r != nil {
		fmt.Fprintf(&b, ", %s", r.State)
		for _, w := range r.Waiting {
			fmt.Fprintf(&b, " on %s (%s)", w.Tree, plural(w.Commits, "commit"))
		}
	}
	if m := v.Merged; m != nil {
		fmt.Fprintf(&b, ", merged into %s", m.Tree)
		if m.Commit != "" {
			fmt.Fprintf(&b, " %s at %s", m.Ref, shortSHA(m.Commit))
		}
	}
	b.WriteByte('\n')
	for _, f := range v.Findings {
		fmt.Fprintf(&b, "  %-7s %-18s %s\n", f.Severity, f.Code, f.line())
	}
	return b.String()
}

func (f Finding) line() string {
	s := f.Message
	if f.Commit != "" {
		s = fmt.Sprintf("%s %q: %s", f.Commit, f.Subject, s)
	}
	return s
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
