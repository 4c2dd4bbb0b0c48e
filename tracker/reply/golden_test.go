package reply

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// maintainer is the identity the tests reply as.
var maintainer = Identity{
	From: mailparse.Address{Name: "Jordan Maintainer", Email: "jordan@example.org"},
	List: "linux-rdma@vger.kernel.org",
}

// draftTime is when the test replies are drafted.
var draftTime = time.Date(2023, 9, 14, 8, 0, 0, 0, time.UTC)

// loadSample parses the shared sample ../../testdata/mail/name.eml and its request-pull block.
func loadSample(t testing.TB, name string) (*mailparse.Message, *mailparse.PullRequest) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "mail", name+".eml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mailparse.Parse(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := mailparse.Extract(m)
	if p == nil {
		t.Fatalf("%s: no pull request found", name)
	}
	return m, p
}

var uapiFinding = Finding{
	Code: "uapi", Severity: "error", Commit: "9d2e6b0f64a1",
	Subject: "RDMA/hns: Support a much longer name for the doorbell record so that this subject wraps past seventy-two columns",
	Paths:   []string{"include/uapi/rdma/hns-abi.h"},
	Message: "A driver pull request must not change the uAPI: the files under include/uapi/ are shared by every driver and need their own review.",
}

var outsideFinding = Finding{
	Code: "outside-driver", Severity: "error", Commit: "1f0e2d3c4b5a",
	Subject: "RDMA/core: Export a helper for hns",
	Paths:   []string{"drivers/infiniband/core/verbs.c", "include/rdma/ib_verbs.h"},
	Message: "Apart from shared commits, a driver pull request may only touch drivers/infiniband/hw/hns/.",
}

// goldenCases drafts one reply of each kind.
var goldenCases = []struct {
	name, sample string
	in           Input
}{
	{"accepted", "mlx5-next", Input{Verdict: Accepted, Readiness: Clean}},
	{"waiting", "mlx5-next", Input{Verdict: Accepted, Readiness: Waiting,
		Waiting: []Tree{{Name: "net-next", Commits: 3}, {Name: "mlx5-next", Commits: 1}}}},
	{"rejected", "hns-v2", Input{Verdict: Rejected, Findings: []Finding{uapiFinding, outsideFinding}}},
	{"late", "mlx5-next", Input{Verdict: Accepted, Readiness: Clean,
		Late: &Late{CutOff: "v6.4-rc6", Missed: "v6.5", Target: "v6.6"}}},
	{"unchecked", "hns-v2", Input{Verdict: Unchecked,
		Problem: &Problem{Code: "ref-missing", Detail: "couldn't find remote ref for-next"}}},
	{"merged", "mlx5-next", Input{Verdict: Accepted, Readiness: Clean, Merge: &Merge{
		Tree: "torvalds/linux.git", Commit: "b2f8f1bd0b7ff4a8a41e0e1b5c2d9d35c5c0e2a4",
		URL: "https://git.kernel.org/torvalds/c/b2f8f1bd0b7ff4a8a41e0e1b5c2d9d35c5c0e2a4"}}},
	{"conflict", "mlx5-next", Input{Verdict: Accepted, Readiness: Clean, Conflict: &Conflict{
		With: "[GIT PULL] RDMA/hns: doorbell rework for next", WithAuthor: "Jane Doe", WithMessageID: "20230612.hns@example.org",
		Paths:       []string{"drivers/infiniband/core/device.c"},
		Commits:     []Commit{{SHA: "5e4d3c2b1a09", Subject: "RDMA/core: let mlx5 register early"}},
		WithCommits: []Commit{{SHA: "9d2e6b0f64a1", Subject: "RDMA/core: let hns register early"}}}}},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Message, in.Pull = loadSample(t, tc.sample)
			m, err := Draft(in, maintainer, draftTime)
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != tc.name {
				t.Errorf("kind = %q, want %q", m.Kind, tc.name)
			}
			checkLayout(t, m.Raw)
			path := filepath.Join("testdata", tc.name+".golden")
			got := bytes.ReplaceAll(m.Raw, []byte("\r\n"), []byte("\n"))
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("draft differs from %s (run go test -update and review the diff):\n%s", path, got)
			}
		})
	}
}

// checkLayout checks the mail conventions on a drafted message: CRLF
// line ends, and body lines of at most 72 columns unless quoted, a
// command or a single unbreakable word.
func checkLayout(t *testing.T, raw []byte) {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("bare LF in the message")
	}
	_, body, ok := strings.Cut(string(raw), "\r\n\r\n")
	if !ok {
		t.Fatal("no header/body separator")
	}
	for _, line := range strings.Split(body, "\r\n") {
		if len([]rune(line)) <= wrapWidth || verbatim(line) {
			continue
		}
		if f := strings.Fields(line); len(f) == 1 {
			continue
		}
		t.Errorf("body line over %d columns: %q", wrapWidth, line)
	}
}
