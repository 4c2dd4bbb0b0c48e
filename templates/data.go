package templates

// Data is what every template is executed with. The reply drafter
// fills it from the pull request and the checker's verdict; fields a
// situation does not use are left zero.
type Data struct {
	// Kind is the template's name: accepted, waiting, rejected, late,
	// unchecked, merged or conflict.
	Kind string

	// The pull request being answered.
	Author  string // sender's display name, or address when it has none
	Date    string // when it was sent, "Tue, 6 Jun 2023 10:11:12 +0300"; may be empty
	Subject string // subject without Re: prefixes

	URL        string // repository URL from the request-pull block
	Ref        string // ref as written; empty means the remote HEAD
	Remote     string // URL and ref as git request-pull writes them: "url ref"
	Tip        string // 40-hex tip; empty for the pre-1.7.9 format
	TipSubject string
	TipDate    string
	// Version is the pull request's revision (2 for "[GIT PULL v2]");
	// NextVersion the one a resend should carry.
	Version, NextVersion int

	// Rules names the rules the pull request was judged by, to follow
	// "the rules for": "driver pull requests", "shared branches",
	// "rdma-core pull requests"; empty means driver pull requests.
	Rules string

	// Verdict is accepted, rejected or unchecked.
	Verdict string
	// Findings lists the rules broken (rejected).
	Findings []Finding
	// Notes lists warnings that do not stop an accepted pull request
	// (a sender who does not maintain some of the paths, say).
	Notes []Finding
	// Waiting lists the trees holding shared commits that are not in
	// Linus's tree yet (waiting).
	Waiting []Tree
	// Late says which merge window the pull request missed (late).
	Late Late
	// Problem says why it could not be checked (unchecked).
	Problem Problem
	// Merge says where it was merged (merged).
	Merge Merge
	// Conflict names the pending pull request it does not merge with
	// in the volatile for-next (conflict).
	Conflict Conflict

	// Sender is the name the reply is signed with.
	Sender string
}

// Finding is one rule broken by the pull request.
type Finding struct {
	Code     string   // the checker's code, "out-of-scope"
	Severity string   // "error" or "warning"
	Commit   string   // short SHA; empty for findings about the whole request
	Subject  string   // the commit's subject line
	Paths    []string // offending paths
	Message  string   // the rule it breaks, one plain sentence
	// Advice says in plain words what to do about it; may be empty.
	Advice string
}

// Tree is a tree a waiting pull request depends on.
type Tree struct {
	Name    string // "net-next", "mlx5-next"
	Commits int    // shared commits from it not yet in Linus's tree
}

// Late describes a pull request that arrived after the rc6 cut-off.
type Late struct {
	CutOff string // the tag it arrived after, "v6.5-rc6"
	Missed string // the release whose merge window it missed, "v6.6"
	Target string // the release whose merge window it now targets, "v6.7"
}

// Problem codes a template can explain.
const (
	ProblemFetch       = "fetch-failed" // the repository could not be fetched
	ProblemRefMissing  = "ref-missing"  // the ref does not exist
	ProblemTipMismatch = "tip-mismatch" // the ref does not point at the quoted tip
)

// Problem describes why a pull request could not be checked.
type Problem struct {
	Code   string // one of the Problem constants, or the checker's own
	Detail string // what failed, one line
}

// Merge describes where a pull request was merged.
type Merge struct {
	Tree   string // "torvalds/linux.git"
	Commit string // the merge commit
	URL    string // a link to the merge commit; may be empty
}

// Conflict describes another pending pull request that does not merge
// with this one: trial-merged as (for-next + one) + other, git reports
// conflicts in Paths.
type Conflict struct {
	With          string // the other pull request's subject
	WithAuthor    string // its sender
	WithMessageID string // its Message-ID, without angle brackets
	Paths         []string
	// Commits are this pull request's commits touching Paths; WithCommits
	// the other's.
	Commits, WithCommits []Commit
}

// Commit is one commit, as linux-next's conflict mails name them.
type Commit struct {
	SHA     string // 12 hex digits
	Subject string
}
