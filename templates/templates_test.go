package templates

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadBuiltin(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range Names() {
		var b strings.Builder
		if err := s.Execute(&b, name, samples()[0]); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(b.String(), "git://git.example.org/pub/scm/linux/kernel/git/jane/linux.git tags/for-next") {
			t.Errorf("%s does not quote the remote:\n%s", name, b.String())
		}
	}
	if err := s.Execute(&strings.Builder{}, "nope", samples()[0]); err == nil {
		t.Error("Execute of an unknown name succeeded")
	}
}

func writeOverride(t *testing.T, name, text string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadOverride(t *testing.T) {
	dir := writeOverride(t, "merged.tmpl", "Merged into {{.Merge.Tree}}, thanks!\n")
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("not a template"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := s.Execute(&b, KindMerged, samples()[0]); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "Merged into torvalds/linux.git, thanks!\n"; got != want {
		t.Errorf("override gave %q, want %q", got, want)
	}
	b.Reset()
	if err := s.Execute(&b, KindAccepted, samples()[0]); err != nil || !strings.HasPrefix(b.String(), "On Tue") {
		t.Errorf("accepted is not the builtin one: %q, %v", b.String(), err)
	}
}

func TestLoadBrokenOverride(t *testing.T) {
	tests := []struct {
		name, file, text string
		line             int
		msg              string
	}{
		{"parse", "rejected.tmpl", "line one\n{{range .Findings}}\n{{.Commit}\n", 3, "bad character"},
		{"field", "late.tmpl", "ok\nok\n{{.Late.Deadline}}\n", 3, "Deadline"},
		{"func", "accepted.tmpl", "{{shout .Author}}\n", 1, "shout"},
		{"nil index", "waiting.tmpl", "a\n{{(index .Waiting 5).Name}}\n", 2, "index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeOverride(t, tt.file, tt.text)
			_, err := Load(dir)
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("Load = %v, want *Error", err)
			}
			if te.File != filepath.Join(dir, tt.file) || te.Line != tt.line || !strings.Contains(te.Msg, tt.msg) {
				t.Errorf("error = %+v, want %s line %d mentioning %q", te, tt.file, tt.line, tt.msg)
			}
			if !strings.Contains(err.Error(), tt.file+":") {
				t.Errorf("message %q does not name the file and line", err)
			}
		})
	}
}

func TestLoadUnknownName(t *testing.T) {
	dir := writeOverride(t, "accpted.tmpl", "typo\n")
	if _, err := Load(dir); !errors.Is(err, ErrUnknownTemplate) {
		t.Errorf("Load = %v, want ErrUnknownTemplate", err)
	}
}

func TestLoadMissingDir(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "absent")); err == nil {
		t.Error("Load of a missing directory succeeded")
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 commits", 1: "1 commit", 3: "3 commits"} {
		if got := plural(n, "commit"); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
		}
	}
}
