package sourcetest

import (
	"bufio"
	"bytes"
	"fmt"
	"net/mail"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Commit is one commit of a public-inbox v2 epoch: a message stored as
// file "m", or, with Delete, the deletion of that message (file "d").
type Commit struct {
	Raw    []byte
	Delete bool
}

// InitEpoch creates an empty bare repository at dir.
func InitEpoch(tb testing.TB, dir string) {
	tb.Helper()
	NeedProgram(tb, "git")
	run(tb, "", "git", "init", "-q", "--bare", dir)
}

// AppendEpoch adds commits to refs/heads/master of the bare repository
// at dir with git fast-import, in the layout public-inbox v2 writes: one
// commit per message whose tree holds only "m" (or "d"), author = From,
// date = Date, message = Subject.
func AppendEpoch(tb testing.TB, dir string, commits []Commit) {
	tb.Helper()
	NeedProgram(tb, "git")
	var parent bool
	if err := exec.Command("git", "--git-dir", dir, "rev-parse", "-q", "--verify", "refs/heads/master").Run(); err == nil {
		parent = true
	}
	cmd := exec.Command("git", "--git-dir", dir, "fast-import", "--quiet", "--done")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	w, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	for i, c := range commits {
		writeCommit(bw, c, i == 0 && parent)
	}
	fmt.Fprintf(bw, "done\n")
	if err := bw.Flush(); err != nil {
		tb.Fatalf("fast-import: %v: %s", err, stderr.String())
	}
	w.Close()
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("fast-import: %v: %s", err, stderr.String())
	}
}

func writeCommit(w *bufio.Writer, c Commit, from bool) {
	name, addr, date, subject := headerFields(c.Raw)
	file, gone := "m", "d"
	if c.Delete {
		file, gone = "d", "m"
	}
	fmt.Fprintf(w, "commit refs/heads/master\n")
	fmt.Fprintf(w, "author %s <%s> %d +0000\n", name, addr, date.Unix())
	fmt.Fprintf(w, "committer public-inbox <public-inbox@example.invalid> %d +0000\n", date.Unix())
	fmt.Fprintf(w, "data %d\n%s\n", len(subject), subject)
	if from {
		fmt.Fprintf(w, "from refs/heads/master^0\n")
	}
	fmt.Fprintf(w, "D %s\n", gone)
	fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n", file, len(c.Raw))
	w.Write(c.Raw)
	w.WriteString("\n")
}

// headerFields extracts what public-inbox puts in a commit, with
// harmless defaults for messages whose headers do not parse.
func headerFields(raw []byte) (name, addr string, date time.Time, subject string) {
	name, addr, date, subject = "unknown", "unknown@example.invalid", time.Unix(0, 0), "(no subject)"
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return
	}
	if a, err := mail.ParseAddress(msg.Header.Get("From")); err == nil {
		name, addr = oneLine(a.Name), oneLine(a.Address)
		if name == "" {
			name = addr
		}
	}
	if d, err := mail.ParseDate(msg.Header.Get("Date")); err == nil && d.Unix() > 0 {
		date = d
	}
	if s := oneLine(msg.Header.Get("Subject")); s != "" {
		subject = s
	}
	return
}

func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '<', '>':
			return ' '
		}
		return r
	}, s)
}

// MessageCommits wraps messages as Commits.
func MessageCommits(msgs [][]byte) []Commit {
	commits := make([]Commit, len(msgs))
	for i, m := range msgs {
		commits[i] = Commit{Raw: m}
	}
	return commits
}

func run(tb testing.TB, dir string, name string, args ...string) string {
	tb.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
