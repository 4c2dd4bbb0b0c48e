package volatile

// Input is one pending pull request, in the order it is merged.
type Input struct {
	ID        uint64
	MessageID string
	Tip       string // 40-hex commit, fetched into the repository by check
	Subject   string
	Window    string // target merge window ("v6.10"), for the manifest
}

// Result is one rebuild of the volatile tree.
type Result struct {
	Base    Base      `json:"base"`
	Ref     string    `json:"ref"`    // where the result was written
	Commit  string    `json:"commit"` // the volatile tree's head
	Kept    []Kept    `json:"kept"`
	LeftOut []LeftOut `json:"left_out"`
	Pairs   []Pair    `json:"pairs"`
	// PairsChecked counts the pairwise trial merges done; PairsSkipped
	// those left undone because Options.MaxPairs was reached.
	PairsChecked int `json:"pairs_checked"`
	PairsSkipped int `json:"pairs_skipped"`
	// Stats count the merges git ran and those the cache answered.
	Stats Stats `json:"stats"`
	// Pushed is the URL the result was pushed to, when it was.
	Pushed string `json:"pushed,omitempty"`
}

// Base is where the volatile tree starts.
type Base struct {
	Ref    string `json:"ref"`
	Commit string `json:"commit"`
}

// Kept is a pull request merged into the volatile tree.
type Kept struct {
	ID        uint64 `json:"id"`
	MessageID string `json:"message_id"`
	Tip       string `json:"tip"`
	// Merge is the merge commit that brought it in; empty when the tip
	// was already in the tree (pulled into the base, or contained in an
	// earlier pull request).
	Merge string `json:"merge,omitempty"`
}

// Reasons a pull request is left out.
const (
	ReasonConflict   = "conflict"
	ReasonNotFetched = "not fetched"
	ReasonRefused    = "merge failed"
)

// ConflictsWithBase is what LeftOut.ConflictsWith names for the base.
const ConflictsWithBase = "base"

// LeftOut is a pull request the volatile tree does not hold.
type LeftOut struct {
	ID        uint64 `json:"id"`
	MessageID string `json:"message_id"`
	Tip       string `json:"tip,omitempty"`
	Reason    string `json:"reason"`
	Error     string `json:"error,omitempty"` // for ReasonRefused
	// ConflictsWith names what it conflicts with: ConflictsWithBase or
	// the Message-IDs of earlier pull requests.
	ConflictsWith []string `json:"conflicts_with,omitempty"`
	Paths         []string `json:"paths,omitempty"`
	// Sides list, for each party to the conflict, the commits that
	// touched the conflicting paths.
	Sides []Side `json:"sides,omitempty"`
}

// Pair is two pull requests that merge onto the base alone but
// conflict with each other: (base + A) + B does not merge.
type Pair struct {
	A     string   `json:"a"` // Message-IDs
	B     string   `json:"b"`
	AID   uint64   `json:"a_id"`
	BID   uint64   `json:"b_id"`
	Paths []string `json:"paths"`
	Sides []Side   `json:"sides"`
	Error string   `json:"error,omitempty"` // the trial merge failed
}

// Side is one party to a conflict and its commits touching the paths.
type Side struct {
	Name    string   `json:"name"` // "base" or a Message-ID
	ID      uint64   `json:"id,omitempty"`
	Commits []Commit `json:"commits"`
}

// Commit is one commit, as linux-next's conflict mails name them.
type Commit struct {
	SHA     string `json:"sha"` // 12 hex digits
	Subject string `json:"subject"`
}
