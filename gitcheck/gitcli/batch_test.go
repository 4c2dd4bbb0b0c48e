package gitcli

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestReadBatch reads the answers git cat-file --batch gives: an
// object, a missing and an ambiguous name, an object over the limit
// (skipped, the next answer still read); output cut short or not as
// documented is an error.
func TestReadBatch(t *testing.T) {
	id := strings.Repeat("ab", 20)
	r := bufio.NewReader(strings.NewReader(id + " blob 5\nhello\n" + "HEAD~9 missing\n" + "abc ambiguous\n" +
		id + " blob 12\nhello, world\n" + id + " tree 0\n\n"))
	var got []string
	for range 5 {
		o, err := ReadBatch(r, 10)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join([]string{o.Name, o.Type, string(o.Data), map[bool]string{true: "missing"}[o.Missing]}, "|"))
	}
	want := []string{id + "|blob|hello|", "HEAD~9|||missing", "abc|||missing", id + "|blob||", id + "|tree||"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("answers:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := ReadBatch(r, 10); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("after the last answer: %v", err)
	}
	for _, bad := range []string{id + " blob 5\nhel", id + " blob x\n", "zz blob 1\nx\n", id + " blob 1\nxy"} {
		_, err := ReadBatch(bufio.NewReader(strings.NewReader(bad)), 10)
		if err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
