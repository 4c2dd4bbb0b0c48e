package gitcheck

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// ErrURLRefused is wrapped by the errors of CheckURL.
var ErrURLRefused = errors.New("url refused")

// URLPolicy says which fetch URLs are acceptable.
type URLPolicy struct {
	Schemes []string // lower case: git, https, http, ssh
	Hosts   []string // compared case-insensitively, without the port
}

var (
	// helperSyntax is git's "<transport>::<address>" remote-helper form
	// (ext::, fd::, ...).
	helperSyntax = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*::`)
	// scpLike is git's "[user@]host:path" form.
	scpLike = regexp.MustCompile(`^(?:([^@/:]+)@)?([^@/:]+):(.*)$`)
)

// CheckURL validates a fetch URL taken from mail and returns it in the
// form to hand to the transport (scp-like addresses become ssh:// URLs).
// It refuses local paths, file://, remote-helper syntax, option-looking
// hosts, users and path components, and anything outside the policy.
// It touches neither the network nor any process.
func CheckURL(raw string, p URLPolicy) (string, error) {
	u, err := parseFetchURL(raw)
	if err != nil {
		return "", fmt.Errorf("gitcheck: %w: %q: %v", ErrURLRefused, raw, err)
	}
	if err := p.allows(u); err != nil {
		return "", fmt.Errorf("gitcheck: %w: %q: %v", ErrURLRefused, raw, err)
	}
	return u.String(), nil
}

func parseFetchURL(raw string) (*url.URL, error) {
	if raw == "" || len(raw) > 2048 {
		return nil, errors.New("empty or too long")
	}
	if strings.IndexFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return nil, errors.New("contains spaces or control characters")
	}
	if raw[0] == '-' {
		return nil, errors.New("looks like an option")
	}
	if helperSyntax.MatchString(raw) {
		return nil, errors.New("remote-helper syntax")
	}
	if !strings.Contains(raw, "://") {
		m := scpLike.FindStringSubmatch(raw)
		if m == nil {
			return nil, errors.New("local path")
		}
		user := ""
		if m[1] != "" {
			user = m[1] + "@"
		}
		raw = "ssh://" + user + m[2] + "/" + strings.TrimPrefix(m[3], "/")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("does not parse")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme == "git+ssh" || u.Scheme == "ssh+git" {
		u.Scheme = "ssh"
	}
	return u, checkParts(u)
}

func checkParts(u *url.URL) error {
	if u.Opaque != "" || u.RawQuery != "" || u.Fragment != "" {
		return errors.New("query, fragment or opaque part")
	}
	if u.Hostname() == "" {
		return errors.New("no host")
	}
	if strings.HasPrefix(u.Host, "-") || strings.HasPrefix(u.User.Username(), "-") {
		return errors.New("option-looking host or user")
	}
	if strings.Trim(u.Path, "/") == "" {
		return errors.New("no repository path")
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if strings.HasPrefix(seg, "-") || seg == ".." {
			return fmt.Errorf("path component %q", seg)
		}
	}
	if _, pass := u.User.Password(); pass {
		return errors.New("credentials in URL")
	}
	return nil
}

func (p URLPolicy) allows(u *url.URL) error {
	if !slices.Contains(p.Schemes, u.Scheme) {
		return fmt.Errorf("scheme %q not allowed", u.Scheme)
	}
	host := strings.ToLower(u.Hostname())
	if !slices.ContainsFunc(p.Hosts, func(h string) bool { return strings.EqualFold(h, host) }) {
		return fmt.Errorf("host %q not allowed", host)
	}
	return nil
}

// CheckRef validates the ref a mail names (empty means the remote
// HEAD), by git's check-ref-format rules and more: nothing that could be
// read as an option, leave the ref namespace or reach a terminal. It
// touches neither the network nor any process.
func CheckRef(ref string) error {
	if err := refProblem(ref); err != nil {
		return fmt.Errorf("gitcheck: %w: ref %q: %v", ErrURLRefused, ref, err)
	}
	return nil
}

func refProblem(ref string) error {
	switch {
	case ref == "":
		return nil
	case len(ref) > 255:
		return errors.New("too long")
	case strings.HasPrefix(ref, "-"):
		return errors.New("looks like an option")
	case strings.ContainsFunc(ref, func(r rune) bool { return r <= ' ' || r == 0x7f || strings.ContainsRune(":\\~^?*[", r) }):
		return errors.New("space, control or special character")
	case strings.Contains(ref, "..") || strings.Contains(ref, "@{"):
		return errors.New(`".." or "@{"`)
	case strings.HasPrefix(ref, "/") || strings.HasSuffix(ref, "/") || strings.Contains(ref, "//"):
		return errors.New("empty path component")
	case strings.HasSuffix(ref, ".lock") || strings.HasSuffix(ref, "."):
		return errors.New(`ends with ".lock" or "."`)
	}
	for _, c := range strings.Split(ref, "/") {
		if strings.HasPrefix(c, ".") {
			return fmt.Errorf("component %q starts with a dot", c)
		}
	}
	return nil
}
