package sourcetest

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSplitMboxrd(t *testing.T) {
	in := "From mboxrd@z Thu Jan  1 00:00:00 1970\n" +
		"Subject: one\n\n>From the top\n>>From deeper\n> From quoted\n\n" +
		"From mboxrd@z Thu Jan  1 00:00:00 1970\n" +
		"Subject: two\n\nbody\n"
	msgs, err := splitMboxrd(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Subject: one\n\nFrom the top\n>From deeper\n> From quoted\n",
		"Subject: two\n\nbody\n",
	}
	var got []string
	for _, m := range msgs {
		got = append(got, string(m))
	}
	if !slices.Equal(got, want) {
		t.Errorf("split = %q, want %q", got, want)
	}
}

// TestEpochLayout checks that AppendEpoch writes commits as
// public-inbox-mda does: same tree entries, author, date and subject.
func TestEpochLayout(t *testing.T) {
	msg := []byte("From: Jane Dev <jane@example.org>\n" +
		"To: rdma@example.invalid\n" +
		"Subject: [GIT PULL] rdma-next 2022-01-03\n" +
		"Date: Mon, 3 Jan 2022 10:00:00 +0100\n" +
		"Message-ID: <layout@example.org>\n\nPlease pull.\n")
	ib := NewInbox(t)
	ib.Deliver(t, msg)
	dir := filepath.Join(t.TempDir(), "0.git")
	InitEpoch(t, dir)
	AppendEpoch(t, dir, []Commit{{Raw: msg}})
	for _, args := range [][]string{
		{"log", "-1", "--format=%an <%ae> %at %s"},
		{"ls-tree", "--name-only", "HEAD"},
	} {
		real := gitOut(t, ib.Epoch(0), args...)
		ours := gitOut(t, dir, args...)
		if real != ours {
			t.Errorf("git %s: public-inbox wrote %q, AppendEpoch %q", strings.Join(args, " "), real, ours)
		}
	}
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"--git-dir", dir}, args...)...).Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}
