package mailparse

import "time"

// Address is one mailbox from an address header.
type Address struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email"`
}

// String formats the address as "Name <email>", or just the email.
func (a Address) String() string {
	if a.Name == "" {
		return a.Email
	}
	return a.Name + " <" + a.Email + ">"
}

// Message is a parsed mail message, reduced to what prtrack needs.
type Message struct {
	// MessageID is the Message-ID without angle brackets. When the
	// message has none, it is a stable synthetic ID derived from the
	// content and Synthetic is true.
	MessageID string
	Synthetic bool

	Subject string
	From    Address
	To      []Address
	Cc      []Address
	// Date is zero when the Date header is missing or does not parse;
	// DateRaw keeps what the header said.
	Date    time.Time
	DateRaw string

	InReplyTo  []string // Message-IDs, no angle brackets
	References []string // Message-IDs, no angle brackets, oldest first
	// MergeCommit is pr-tracker-bot's X-PR-Merge-Commit-Id: the merge
	// in Linus's tree it announces (40 hex, or empty).
	MergeCommit string

	// Body is the decoded text of the message: the text/plain parts,
	// transfer-decoded and converted to UTF-8, with CRLF turned into LF.
	Body string

	// Problems lists what was tolerated while parsing (unknown charset,
	// bad encoding, malformed header, ...). A message with problems is
	// still usable.
	Problems []string
}

// PullRequest holds what a git request-pull block says.
type PullRequest struct {
	URL string `json:"url"`
	// Ref is the ref exactly as written once unwrapped, such as
	// "tags/for-linus" or "for-next"; empty means the remote HEAD.
	Ref string `json:"ref"`

	Base        string `json:"base"` // 40-hex base commit
	BaseSubject string `json:"base_subject,omitempty"`
	BaseDate    string `json:"base_date,omitempty"`
	Tip         string `json:"tip,omitempty"` // 40-hex tip; empty in the pre-1.7.9 format
	TipSubject  string `json:"tip_subject,omitempty"`
	TipDate     string `json:"tip_date,omitempty"`

	TagMessage string          `json:"tag_message,omitempty"`
	Shortlog   []ShortlogEntry `json:"shortlog,omitempty"`
	Diffstat   Diffstat        `json:"diffstat"`

	// Sender is the address of the mail's sender, whom the
	// MAINTAINERS rule judges. The block does not name it: whoever
	// holds the mail sets it before a check. It is not stored.
	Sender string `json:"-"`

	// Version is the revision of the pull request from the subject
	// (v2, V2, [GIT PULL v3]); 1 when the subject names none.
	Version int `json:"version"`
	// Targets are the tree hints found in the subject: net-next,
	// rdma-next, for-next, for-rc, fixes.
	Targets []string `json:"targets,omitempty"`

	// OldFormat is true for the git < 1.7.9 layout without a
	// "for you to fetch changes up to" line.
	OldFormat bool `json:"old_format,omitempty"`
	// HasPatch is true when the full diff follows (request-pull -p).
	HasPatch bool `json:"has_patch,omitempty"`
	// NoAck is true when the body opts out of automated replies
	// (prtrack-no-ack or pr-tracker-no-ack).
	NoAck bool `json:"no_ack,omitempty"`
}

// ShortlogEntry is one author's group in the shortlog.
type ShortlogEntry struct {
	Author   string   `json:"author"`
	Count    int      `json:"count"`
	Subjects []string `json:"subjects"`
}

// Diffstat is the "git diff --stat" part of a pull request.
type Diffstat struct {
	Files        []DiffstatFile `json:"files,omitempty"`
	Summary      string         `json:"summary,omitempty"` // "N files changed, ..."
	FilesChanged int            `json:"files_changed"`
	Insertions   int            `json:"insertions"`
	Deletions    int            `json:"deletions"`
}

// DiffstatFile is one line of a diffstat. Path may be truncated by git
// as ".../file". Binary files have Binary set and no counts.
type DiffstatFile struct {
	Path    string `json:"path"`
	Changes int    `json:"changes"`
	Plus    int    `json:"plus"`  // '+' marks on the line's graph (scaled)
	Minus   int    `json:"minus"` // '-' marks on the line's graph (scaled)
	Binary  bool   `json:"binary,omitempty"`
}
