package gitcheck

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzCheckURL: nothing CheckURL accepts is a local path, an option,
// remote-helper syntax or outside the policy, whatever the input.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"git://git.kernel.org/pub/scm/linux/kernel/git/rdma/rdma.git",
		"https://github.com/x/y.git", "git.kernel.org:x/y", "user@git.kernel.org:/x", "-oProxyCommand=x",
		"ext::sh -c x", "file:///etc", "/tmp/x", "../x", "git://-x/y", "git://git.kernel.org/-x",
		"ssh://git.kernel.org/x", "git://git.kernel.org:9418/a/../b", "GIT://GIT.KERNEL.ORG/x"} {
		f.Add(s)
	}
	p := URLPolicy{Schemes: []string{"git", "https", "ssh"}, Hosts: []string{"git.kernel.org", "github.com"}}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := CheckURL(raw, p)
		if err != nil {
			return
		}
		u, perr := url.Parse(got)
		switch {
		case perr != nil:
			t.Fatalf("%q accepted as %q, which does not parse: %v", raw, got, perr)
		case strings.HasPrefix(got, "-") || strings.HasPrefix(raw, "-"):
			t.Fatalf("%q accepted: looks like an option", raw)
		case !strings.Contains(got, "://") || helperSyntax.MatchString(got) || helperSyntax.MatchString(raw):
			t.Fatalf("%q accepted as %q: local path or helper syntax", raw, got)
		case u.Scheme == "file" || u.Scheme != strings.ToLower(u.Scheme) || p.allows(u) != nil:
			t.Fatalf("%q accepted as %q: outside the policy", raw, got)
		case strings.HasPrefix(u.Hostname(), "-") || strings.Contains(u.Path, "/-") || strings.Contains(u.Path, "/../"):
			t.Fatalf("%q accepted as %q: option-looking host or path", raw, got)
		case strings.ContainsFunc(got, func(r rune) bool { return r <= ' ' || r == 0x7f }):
			t.Fatalf("%q accepted as %q: control characters", raw, got)
		}
	})
}

// FuzzCheckRef: an accepted ref is never an option, never leaves the
// ref namespace and carries nothing a terminal or refspec acts on.
func FuzzCheckRef(f *testing.F) {
	for _, s := range []string{"", "for-next", "tags/mlx5-next-2024", "refs/heads/x", "--upload-pack=x", "../../x",
		"x\x1b]0;t\x07", "a:b", "x.lock", "x/.y", "x@{1}", "HEAD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		if CheckRef(ref) != nil || ref == "" {
			return
		}
		if strings.HasPrefix(ref, "-") || strings.Contains(ref, "..") || strings.HasPrefix(ref, "/") ||
			strings.ContainsAny(ref, ":\\~^?*[ \x7f") || strings.ContainsFunc(ref, func(r rune) bool { return r < ' ' }) {
			t.Fatalf("ref %q accepted", ref)
		}
		if !safeRefName("refs/heads/"+ref) || !validRefspecPart(ref) {
			t.Fatalf("ref %q accepted, yet not usable in a refspec", ref)
		}
	})
}

// validRefspecPart reports whether ref, placed in "+refs/heads/REF:...",
// (a "+" only counts at the start)
// keeps the refspec one source and one destination.
func validRefspecPart(ref string) bool {
	return !strings.ContainsAny(ref, ":*")
}
