// Package templates implements the text/template files prtrack drafts
// its replies to pull requests from, one per situation, embedded in the
// binary. A maintainer can replace any of them with a file of the same
// name in an override directory; Load checks such files up front and
// reports the file and line of a mistake.
package templates

import (
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/template"
)

// The template names, one per situation a reply answers.
const (
	KindAccepted  = "accepted"  // accepted and clean
	KindWaiting   = "waiting"   // accepted, waiting on shared commits
	KindRejected  = "rejected"  // rules broken
	KindLate      = "late"      // after the rc6 cut-off
	KindUnchecked = "unchecked" // fetch failed, ref missing, ...
	KindMerged    = "merged"    // merged upstream
	KindConflict  = "conflict"  // conflicts with another pending pull request
)

// ext is the file name extension of template files.
const ext = ".tmpl"

//go:embed *.tmpl
var builtin embed.FS

// Names returns the template names, sorted.
func Names() []string {
	return []string{KindAccepted, KindConflict, KindLate, KindMerged, KindRejected, KindUnchecked, KindWaiting}
}

// Set is a loaded set of templates, one per name.
type Set struct {
	byName map[string]*template.Template
}

// Execute runs the template called name with d, writing to w.
func (s *Set) Execute(w io.Writer, name string, d *Data) error {
	t, ok := s.byName[name]
	if !ok {
		return fmt.Errorf("templates: no template %q", name)
	}
	if err := t.Execute(w, d); err != nil {
		return fmt.Errorf("templates: %s: %w", name, err)
	}
	return nil
}

// funcs are the functions templates may call.
var funcs = template.FuncMap{
	"plural": plural,
	"join":   strings.Join,
}

// plural formats a count with a noun: "1 commit", "3 commits".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// parse parses one template from text; file names it in errors.
func parse(file, text string) (*template.Template, error) {
	return template.New(file).Funcs(funcs).Option("missingkey=error").Parse(text)
}

// isName reports whether name is a known template name.
func isName(name string) bool {
	return slices.Contains(Names(), name)
}
