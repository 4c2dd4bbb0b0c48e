package maintainers

import "strings"

// File is a parsed MAINTAINERS file.
type File struct {
	// Entries are the sections in the order of the file.
	Entries []*Section
}

// Section is one entry of the file: a name and its fields.
type Section struct {
	Name string
	Line int // line of the name, from 1

	Maintainers []Person // M:
	Reviewers   []Person // R:
	Lists       []Person // L:, the comment ("moderated for ...") as Name
	Status      string   // S:
	Trees       []string // T:
	Files       []Pattern
	Excludes    []Pattern
	Regexes     []Pattern // N:
	// Keywords are the K: patterns. They match the content of
	// patches, not paths, and are never matched here.
	Keywords []string
	// Other holds the remaining fields (W:, Q:, B:, C:, P:, ...).
	Other []Field
	// Unsupported are the N: patterns Go's regular expressions cannot
	// compile (Perl's lookarounds and backreferences): they never
	// match, where get_maintainer.pl would match them.
	Unsupported []Field
}

// Field is one "X: value" line.
type Field struct {
	Type  byte
	Value string
	Line  int
}

// Person is a mailbox from an M:, R: or L: field. Email is empty when
// the value names no address.
type Person struct {
	Name  string
	Email string
	Raw   string // the field's value as written
}

// String formats the person as "Name <email>", or just the email.
func (p Person) String() string {
	switch {
	case p.Email == "":
		return p.Raw
	case p.Name == "":
		return p.Email
	}
	return p.Name + " <" + p.Email + ">"
}

// Role is what a person is in a section.
type Role string

// Roles a person can have in a section; None is the empty string.
const (
	None       Role = ""
	Maintainer Role = "maintainer"
	Reviewer   Role = "reviewer"
)

// RoleOf returns what the person with the address addr is in the
// section. Addresses compare without case and without a "+tag"
// subaddress, so andrew+netdev@lunn.ch is andrew@lunn.ch.
func (s *Section) RoleOf(addr string) Role {
	want := canonical(addr)
	if want == "" {
		return None
	}
	for _, p := range s.Maintainers {
		if canonical(p.Email) == want {
			return Maintainer
		}
	}
	for _, p := range s.Reviewers {
		if canonical(p.Email) == want {
			return Reviewer
		}
	}
	return None
}

// canonical lowercases an address and drops its "+tag" subaddress.
func canonical(addr string) string {
	addr = strings.ToLower(strings.TrimSpace(addr))
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || domain == "" {
		return ""
	}
	local, _, _ = strings.Cut(local, "+")
	return local + "@" + domain
}
