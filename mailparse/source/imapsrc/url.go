package imapsrc

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ErrBadURL is returned for a URL Open and NewWatcher do not accept.
var ErrBadURL = errors.New("imapsrc: bad IMAP URL")

// target is a parsed imap:// or imaps:// URL.
type target struct {
	addr        string // host:port to dial
	host        string
	user        string
	mailbox     string // a mailbox, or a public-inbox-imapd group
	implicitTLS bool
	key         string // the URL without password, for Source.Key
}

// parseURL accepts imaps://user@host[:port]/MAILBOX (implicit TLS,
// port 993) and imap://user@host[:port]/MAILBOX (STARTTLS, port 143).
// The mailbox defaults to INBOX. A password in the URL is refused:
// passwords come from the configuration, never from a command line.
func parseURL(u *url.URL) (*target, error) {
	t := &target{}
	switch u.Scheme {
	case "imaps":
		t.implicitTLS = true
	case "imap":
	default:
		return nil, fmt.Errorf("%w: scheme %q, want imap or imaps", ErrBadURL, u.Scheme)
	}
	if u.Hostname() == "" || u.User == nil || u.User.Username() == "" {
		return nil, fmt.Errorf("%w: %s: want %s://user@host/MAILBOX", ErrBadURL, u.Redacted(), u.Scheme)
	}
	if _, ok := u.User.Password(); ok {
		return nil, fmt.Errorf("%w: %s: the password must not be in the URL", ErrBadURL, u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w: %s: query or fragment", ErrBadURL, u.Redacted())
	}
	t.host, t.user = u.Hostname(), u.User.Username()
	port := u.Port()
	if port == "" {
		port = "143"
		if t.implicitTLS {
			port = "993"
		}
	}
	t.addr = net.JoinHostPort(t.host, port)
	t.mailbox = strings.Trim(u.Path, "/")
	if t.mailbox == "" {
		t.mailbox = "INBOX"
	}
	k := url.URL{Scheme: u.Scheme, User: url.User(t.user), Host: u.Host, Path: "/" + t.mailbox}
	t.key = k.String()
	return t, nil
}

// isLoopback reports whether host names the local machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// KeyFor returns the source key Open gives u, so a caller can look up
// the stored checkpoint before opening.
func KeyFor(u *url.URL) (string, error) {
	t, err := parseURL(u)
	if err != nil {
		return "", err
	}
	return t.key, nil
}
