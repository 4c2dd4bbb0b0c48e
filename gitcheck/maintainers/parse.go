package maintainers

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxLine is the longest line Parse accepts.
const MaxLine = 64 << 10

// ParseError is a line Parse could not read.
type ParseError struct {
	Line int // from 1
	Err  error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("maintainers: line %d: %v", e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

var errNoSection = errors.New("field before any section name")

// Parse reads a MAINTAINERS file. Lines of the form "X:\tvalue" (one
// capital letter, a colon) are fields of the section named by the
// nearest non-field line above them; blank lines and lines starting
// with "#" are skipped. A name line with no field after it (the title
// and the prose at the top of the file) names no section.
func Parse(r io.Reader) (*File, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxLine)
	f := &File{}
	var name string
	var nameLine, n int
	var cur *Section
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		typ, value, isField := splitField(line)
		switch {
		case isField && cur == nil && name == "":
			return nil, &ParseError{Line: n, Err: errNoSection}
		case isField:
			if cur == nil {
				cur = &Section{Name: name, Line: nameLine}
				f.Entries = append(f.Entries, cur)
			}
			if err := cur.add(typ, value, n); err != nil {
				return nil, &ParseError{Line: n, Err: err}
			}
		case strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#"):
		default:
			name, nameLine, cur = strings.TrimSpace(line), n, nil
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{Line: n + 1, Err: err}
	}
	return f, nil
}

// splitField splits "X:\tvalue" as get_maintainer.pl's
// m/^([A-Z]):\s*(.*)/ does.
func splitField(line string) (byte, string, bool) {
	if len(line) < 2 || line[0] < 'A' || line[0] > 'Z' || line[1] != ':' {
		return 0, "", false
	}
	return line[0], strings.TrimSpace(line[2:]), true
}

// add records one field of the section.
func (s *Section) add(typ byte, value string, line int) error {
	switch typ {
	case 'M':
		s.Maintainers = append(s.Maintainers, parsePerson(value))
	case 'R':
		s.Reviewers = append(s.Reviewers, parsePerson(value))
	case 'L':
		s.Lists = append(s.Lists, parsePerson(value))
	case 'S':
		s.Status = value
	case 'T':
		s.Trees = append(s.Trees, value)
	case 'K':
		s.Keywords = append(s.Keywords, value)
	case 'F', 'X', 'N':
		return s.addPattern(typ, value, line)
	default:
		s.Other = append(s.Other, Field{Type: typ, Value: value, Line: line})
	}
	return nil
}

func (s *Section) addPattern(typ byte, value string, line int) error {
	if value == "" {
		return fmt.Errorf("empty %c: pattern", typ)
	}
	if typ == 'N' {
		p, err := newRegex(value, line)
		if err != nil {
			s.Unsupported = append(s.Unsupported, Field{Type: typ, Value: value, Line: line})
			return nil
		}
		s.Regexes = append(s.Regexes, p)
		return nil
	}
	p, err := newGlob(value, line)
	if typ == 'F' {
		s.Files = append(s.Files, p)
	} else {
		s.Excludes = append(s.Excludes, p)
	}
	return err
}
