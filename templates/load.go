package templates

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template"
)

// Error reports a broken template file: one that does not parse, or
// fails when executed with sample data.
type Error struct {
	File string // path of the file, or "builtin:NAME.tmpl"
	Line int    // 0 when unknown
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("templates: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("templates: %s: %s", e.File, e.Msg)
}

// ErrUnknownTemplate is matched by the error for an override file whose
// name is not one of Names (a typo would otherwise be ignored).
var ErrUnknownTemplate = errors.New("templates: unknown template name")

// Load returns the built-in templates with those found in overrideDir
// put in their place. An empty overrideDir means the built-in ones
// only. Files in overrideDir must be named NAME.tmpl for one of Names;
// other files ending in .tmpl are an error, files with other names are
// ignored. Each override is parsed and executed with sample data, so a
// mistake is reported here, as an *Error with its file and line.
func Load(overrideDir string) (*Set, error) {
	s := &Set{byName: make(map[string]*template.Template)}
	for _, name := range Names() {
		text, err := fs.ReadFile(builtin, name+ext)
		if err != nil {
			return nil, fmt.Errorf("templates: builtin %s: %w", name, err)
		}
		t, err := check("builtin:"+name+ext, string(text))
		if err != nil {
			return nil, err
		}
		s.byName[name] = t
	}
	if overrideDir == "" {
		return s, nil
	}
	if err := s.override(overrideDir); err != nil {
		return nil, err
	}
	return s, nil
}

// override replaces templates with the files in dir.
func (s *Set) override(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("templates: override directory: %w", err)
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ext)
		if !ok || e.IsDir() {
			continue
		}
		file := filepath.Join(dir, e.Name())
		if !isName(name) {
			return fmt.Errorf("%w: %s (want one of %s)", ErrUnknownTemplate, file, strings.Join(Names(), ", "))
		}
		text, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("templates: %w", err)
		}
		t, err := check(file, string(text))
		if err != nil {
			return err
		}
		s.byName[name] = t
	}
	return nil
}

// check parses text and executes it with every sample, so that a
// reference to a missing field or a bad function call fails now and
// not when a reply is drafted.
func check(file, text string) (*template.Template, error) {
	t, err := parse(file, text)
	if err != nil {
		return nil, fileError(file, err)
	}
	for _, d := range samples() {
		var buf bytes.Buffer
		if err := t.Execute(&buf, d); err != nil {
			return nil, fileError(file, err)
		}
	}
	return t, nil
}

// tmplErr matches text/template's "template: NAME:LINE[:COL]: msg".
var tmplErr = regexp.MustCompile(`^template: .*?:(\d+)(?::\d+)?: (.*)$`)

// fileError turns a text/template error into an *Error for file.
func fileError(file string, err error) *Error {
	msg := err.Error()
	m := tmplErr.FindStringSubmatch(strings.ReplaceAll(msg, file, "FILE"))
	if m == nil {
		return &Error{File: file, Msg: msg}
	}
	line, _ := strconv.Atoi(m[1])
	return &Error{File: file, Line: line, Msg: m[2]}
}
