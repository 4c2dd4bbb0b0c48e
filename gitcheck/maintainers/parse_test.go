package maintainers

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseFixture(t *testing.T) {
	f := readFixture(t, false)
	if len(f.Entries) != 33 {
		t.Errorf("%d sections, want 33", len(f.Entries))
	}
	if first := f.Entries[0]; first.Name != "AMAZON ETHERNET DRIVERS" || first.Line != 70 {
		t.Errorf("first section %q at line %d: the prose at the top is not a section", first.Name, first.Line)
	}
	s := section(t, f, ib)
	if got := s.Maintainers; len(got) != 2 || got[0].Name != "Jason Gunthorpe" || got[1].Email != "leonro@nvidia.com" {
		t.Errorf("M: %+v", got)
	}
	if s.Status != "Supported" || len(s.Trees) != 1 || !strings.HasPrefix(s.Trees[0], "git git://") {
		t.Errorf("S: %q T: %q", s.Status, s.Trees)
	}
	if len(s.Files) != 12 || s.Files[2].Raw != "drivers/infiniband/" || !s.Files[2].Dir {
		t.Errorf("F: %+v", s.Files)
	}
	if got := slices.Collect(fieldTypes(s.Other)); string(got) != "WQ" {
		t.Errorf("other fields %q", got)
	}
	net := section(t, f, netgen)
	if len(net.Excludes) != 14 || net.Reviewers[0].Email != "horms@kernel.org" {
		t.Errorf("X: %d R: %+v", len(net.Excludes), net.Reviewers)
	}
	hv := section(t, f, hyperv)
	if len(hv.Regexes) != 2 || len(hv.Keywords) != 1 || hv.Keywords[0] != `\bhv_\w+\b` {
		t.Errorf("N: %+v K: %q", hv.Regexes, hv.Keywords)
	}
}

func TestParsePeople(t *testing.T) {
	f := readFixture(t, false)
	tests := []struct {
		section string
		get     func(*Section) Person
		name    string
		email   string
	}{
		{netgen, func(s *Section) Person { return s.Maintainers[0] }, "David S. Miller", "davem@davemloft.net"},
		{hyperv, func(s *Section) Person { return s.Maintainers[0] }, "K. Y. Srinivasan", "kys@microsoft.com"},
		{xdp, func(s *Section) Person { return s.Reviewers[0] }, "Toke Høiland-Jørgensen", "toke@redhat.com"},
		{"VMWARE PVRDMA DRIVER", func(s *Section) Person { return s.Reviewers[0] },
			"Broadcom internal kernel review list", "bcm-kernel-feedback-list@broadcom.com"},
		{"INTEL ETHERNET DRIVERS", func(s *Section) Person { return s.Lists[0] },
			"moderated for non-subscribers", "intel-wired-lan@lists.osuosl.org"},
		{ib, func(s *Section) Person { return s.Lists[0] }, "", "linux-rdma@vger.kernel.org"},
		{netdrv, func(s *Section) Person { return s.Maintainers[0] }, "Andrew Lunn", "andrew+netdev@lunn.ch"},
	}
	for _, tt := range tests {
		p := tt.get(section(t, f, tt.section))
		if p.Name != tt.name || p.Email != tt.email {
			t.Errorf("%s: got %q <%s>, want %q <%s> (from %q)", tt.section, p.Name, p.Email, tt.name, tt.email, p.Raw)
		}
	}
}

func TestParsePersonFallback(t *testing.T) {
	for raw, want := range map[string]Person{
		`Some One <someone@example.org`:   {Name: "", Email: "someone@example.org"},
		`"Bad Quote <bad@example.org>`:    {Name: "Bad Quote", Email: "bad@example.org"},
		`Name <not an address>`:           {Name: "Name", Email: "not an address"},
		`list@example.org (odd (comment)`: {Email: "list@example.org"},
		`Nobody In Particular`:            {Name: "Nobody In Particular"},
	} {
		got := parsePerson(raw)
		got.Raw = ""
		if got != want {
			t.Errorf("parsePerson(%q) = %+v, want %+v", raw, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		line int
		msg  string
	}{
		{"F:\tdrivers/\n", 1, "field before any section name"},
		{"FOO\nM:\tA <a@b>\n\nBAR\nF:\tdrivers/[x\n", 5, "bad pattern"},
		{"FOO\r\nF:\r\n", 2, "empty F: pattern"},
		{"FOO\nM:\t" + strings.Repeat("x", MaxLine) + "\n", 2, "token too long"},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader(tt.in))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != tt.line || !strings.Contains(err.Error(), tt.msg) ||
			!strings.HasPrefix(err.Error(), "maintainers: line ") {
			t.Errorf("Parse(%.30q): %v, want line %d: %s", tt.in, err, tt.line, tt.msg)
		}
	}
}

// TestParseUnsupportedRegex: an N: pattern in Perl syntax RE2 lacks is
// kept aside, not an error for the whole file.
func TestParseUnsupportedRegex(t *testing.T) {
	f, err := Parse(strings.NewReader("FOO\nN:\t(?<!in)tegra\nN:\ttegra\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := f.Entries[0]
	if len(s.Unsupported) != 1 || s.Unsupported[0].Line != 2 || len(s.Regexes) != 1 {
		t.Errorf("unsupported %+v, regexes %+v", s.Unsupported, s.Regexes)
	}
	if got := names(f.Sections("drivers/gpu/tegra/x.c")); len(got) != 1 {
		t.Errorf("sections %q", got)
	}
}

func TestParseNameLines(t *testing.T) {
	in := "Title\n=====\n\nFIRST\n# comment\nM:\tA <a@example.org>\n\nSECOND\n  indented prose\nF:\tx/\n"
	f, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := names(f.Entries); !slices.Equal(got, []string{"FIRST", "indented prose"}) {
		t.Errorf("sections %q", got)
	}
}

func section(t *testing.T, f *File, name string) *Section {
	t.Helper()
	for _, s := range f.Entries {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no section %q", name)
	return nil
}

func fieldTypes(fs []Field) func(func(byte) bool) {
	return func(yield func(byte) bool) {
		for _, f := range fs {
			if !yield(f.Type) {
				return
			}
		}
	}
}
