package maintainers

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, that its errors are
// ParseErrors, and that matching a parsed file never panics.
func FuzzParse(f *testing.F) {
	f.Add([]byte("FOO\nM:\tA <a@example.org>\nF:\tdrivers/\nX:\tdrivers/net/\n"), "drivers/x.c")
	f.Add([]byte("THE REST\nF:\t*\nF:\t*/\n"), "MAINTAINERS")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		file, err := Parse(bytes.NewReader(data))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error %v is not a ParseError with a line", err)
			}
			return
		}
		file.MarkDirs(func(string) bool { return true })
		for _, m := range file.Matches(path) {
			if m.Depth < -1 {
				t.Fatalf("depth %d", m.Depth)
			}
		}
		file.Cover([]string{path}, "a@example.org", &CoverOptions{Reviewers: true})
	})
}
