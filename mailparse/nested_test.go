package mailparse

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// nested returns a message of depth levels of multipart/mixed, each
// level holding a text part naming its depth before the next level.
func nested(depth int) []byte {
	var b strings.Builder
	b.WriteString("From: a@example.org\nMessage-ID: <nested@example.org>\nSubject: nested\n")
	for i := 1; i <= depth; i++ {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\nContent-Type: text/plain\n\nlevel %d\n--b%d\n", i, i, i, i)
	}
	b.WriteString("Content-Type: text/plain\n\ninnermost\n")
	for i := depth; i >= 1; i-- {
		fmt.Fprintf(&b, "--b%d--\n", i)
	}
	return []byte(b.String())
}

func hasProblem(m *Message, text string) bool {
	for _, p := range m.Problems {
		if strings.Contains(p, text) {
			return true
		}
	}
	return false
}

func TestParseNestedWithinCap(t *testing.T) {
	m, err := Parse(nested(DefaultMaxDepth-1), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"level 1\n", fmt.Sprintf("level %d\n", DefaultMaxDepth-1), "innermost"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Body)
		}
	}
	if len(m.Problems) > 0 {
		t.Errorf("problems %q", m.Problems)
	}
}

func TestParseNestedBeyondCapIsCountedSkip(t *testing.T) {
	m, err := Parse(nested(DefaultMaxDepth+50), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Body, "level 1\n") || strings.Contains(m.Body, "innermost") ||
		strings.Contains(m.Body, fmt.Sprintf("level %d\n", DefaultMaxDepth+1)) {
		t.Errorf("body:\n%s", m.Body)
	}
	want := fmt.Sprintf("1 multipart nested deeper than %d levels skipped", DefaultMaxDepth)
	if !hasProblem(m, want) {
		t.Errorf("problems %q, want %q", m.Problems, want)
	}
}

func TestParseTooManyPartsIsCountedSkip(t *testing.T) {
	var b strings.Builder
	b.WriteString("Message-ID: <parts@example.org>\nContent-Type: multipart/mixed; boundary=x\n\n")
	for i := 0; i < DefaultMaxParts+10; i++ {
		fmt.Fprintf(&b, "--x\nContent-Type: text/plain\n\npart %d\n", i)
	}
	b.WriteString("--x--\n")
	m, err := Parse([]byte(b.String()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Body, "part 0\n") || strings.Contains(m.Body, fmt.Sprintf("part %d\n", DefaultMaxParts)) {
		t.Errorf("body kept parts beyond the cap")
	}
	if want := fmt.Sprintf("more than %d parts: 10 skipped", DefaultMaxParts); !hasProblem(m, want) {
		t.Errorf("problems %q, want %q", m.Problems, want)
	}
}

// BenchmarkParseNested shows parse time per nesting level: flat when the
// work is linear in the depth, up to the cap and beyond it.
func BenchmarkParseNested(b *testing.B) {
	for _, depth := range []int{4, 8, 16, DefaultMaxDepth, 1000, 20000} {
		raw := nested(depth)
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			start := time.Now()
			for b.Loop() {
				if _, err := Parse(raw, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N)/float64(depth), "ns/level")
		})
	}
}
