package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/prtrack/prtrack/tracker"
)

//go:embed templates/*.tmpl templates/style.css
var files embed.FS

// styleCSS is the one stylesheet.
var styleCSS, _ = files.ReadFile("templates/style.css")

func (s *Site) parseTemplates() error {
	t, err := template.New("").Funcs(s.funcs()).ParseFS(files, "templates/*.tmpl")
	if err != nil {
		return fmt.Errorf("web: parse templates: %w", err)
	}
	s.tmpl = t
	return nil
}

func (s *Site) funcs() template.FuncMap {
	return template.FuncMap{
		"archive":   s.archive.link,
		"age":       age,
		"date":      func(t time.Time) string { return formatTime(t, "2006-01-02") },
		"datetime":  func(t time.Time) string { return formatTime(t, "2006-01-02 15:04 UTC") },
		"short":     shortHash,
		"join":      strings.Join,
		"settled":   func(st tracker.State) bool { return st.Settled() },
		"rowsOf":    rowsOf,
		"facetLink": facetLink,
	}
}

// page is what every template gets.
type page struct {
	Title string
	Root  string // relative path to the site's root: "" or "../"
	Live  bool   // served, not exported: the search form works
	Now   time.Time
	Body  any
}

func (s *Site) render(name string, p page) ([]byte, error) {
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, name, p); err != nil {
		return nil, fmt.Errorf("web: render %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// age is how long ago t was, as of now: "3d", "5h".
func age(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < 0:
		return "0h"
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

func formatTime(t time.Time, layout string) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(layout)
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
