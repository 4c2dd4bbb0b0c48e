package volatile

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/prtrack/prtrack/gitcheck/gitcli"
)

// object is what "git cat-file --batch" said about one name.
type object struct {
	id, typ string
	when    int64 // committer date of a commit, unix seconds
}

// objects looks names up in one "git cat-file --batch": the object each
// names, or nil for a name the repository does not have. Commits come
// with their dates.
func (g *git) objects(ctx context.Context, names []string) ([]*object, error) {
	var in strings.Builder
	for _, n := range names {
		if n == "" || strings.ContainsAny(n, "\n\r") {
			return nil, fmt.Errorf("volatile: bad revision %q", n)
		}
		in.WriteString(n + "\n")
	}
	if len(names) == 0 {
		return nil, nil
	}
	out, err := g.runInput(ctx, in.String(), nil, "cat-file", "--batch")
	if err != nil {
		return nil, fmt.Errorf("volatile: cat-file: %w", err)
	}
	objs, err := parseBatch(bufio.NewReader(strings.NewReader(out)), len(names))
	if err != nil {
		return nil, fmt.Errorf("volatile: cat-file: %w", err)
	}
	return objs, nil
}

// parseBatch reads n answers of "git cat-file --batch" (gitcli.ReadBatch):
// an object, or nil for a name the repository lacks or finds ambiguous.
func parseBatch(r *bufio.Reader, n int) ([]*object, error) {
	out := make([]*object, 0, n)
	for range n {
		b, err := gitcli.ReadBatch(r, math.MaxInt32)
		if err != nil {
			return nil, err
		}
		if b.Missing {
			out = append(out, nil)
			continue
		}
		o := &object{id: b.ID, typ: b.Type}
		if o.typ == "commit" {
			if o.when, err = committerDate(string(b.Data)); err != nil {
				return nil, fmt.Errorf("commit %s: %w", o.id, err)
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// committerDate reads the date of a commit object's committer line.
func committerDate(commit string) (int64, error) {
	hdr, _, _ := strings.Cut(commit, "\n\n")
	for line := range strings.SplitSeq(hdr, "\n") {
		if rest, ok := strings.CutPrefix(line, "committer "); ok {
			f := strings.Fields(rest)
			if len(f) >= 2 {
				if n, err := strconv.ParseInt(f[len(f)-2], 10, 64); err == nil {
					return n, nil
				}
			}
			return 0, fmt.Errorf("bad committer line %q", line)
		}
	}
	return 0, fmt.Errorf("no committer")
}

// maxGraph bounds the commits graph reads: tips farther than this
// from the base are asked about one by one.
const maxGraph = 200_000

// graph is the history of the tips that the base does not have: each
// commit with its parents.
type graph struct {
	parents map[string][]string
}

// graph reads, in one "git rev-list --parents", the commits reachable
// from tips and not from base. It is nil when there are more than
// maxGraph of them.
func (g *git) graph(ctx context.Context, base string, tips []string) (*graph, error) {
	in := "^" + base + "\n" + strings.Join(tips, "\n") + "\n"
	out, err := g.runInput(ctx, in, nil, "rev-list", "--parents", "--max-count="+strconv.Itoa(maxGraph+1), "--stdin")
	if err != nil {
		return nil, fmt.Errorf("volatile: rev-list: %w", err)
	}
	gr := &graph{parents: map[string][]string{}}
	for line := range strings.SplitSeq(out, "\n") {
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if !hexID.MatchString(f[0]) {
			return nil, fmt.Errorf("volatile: rev-list: unexpected output %q", line)
		}
		gr.parents[f[0]] = f[1:]
	}
	if len(gr.parents) > maxGraph {
		return nil, nil
	}
	return gr, nil
}

// inBase reports whether tip, one of the tips graph was read for, is in
// the base.
func (gr *graph) inBase(tip string) bool {
	_, ok := gr.parents[tip]
	return !ok
}

// reaches reports whether c is reachable from from, both outside the
// base.
func (gr *graph) reaches(from, c string) bool {
	seen := map[string]bool{}
	stack := []string{from}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == c {
			return true
		}
		if seen[x] {
			continue
		}
		seen[x] = true
		stack = append(stack, gr.parents[x]...)
	}
	return false
}
