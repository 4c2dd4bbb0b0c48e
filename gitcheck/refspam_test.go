package gitcheck

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse/source/sourcetest"

	"github.com/prtrack/prtrack/mailparse"
)

// serveRefSpam listens on 127.0.0.1 and answers every git:// request
// with a ref advertisement that never ends.
func serveRefSpam(t testing.TB) string {
	t.Helper()
	addr, _ := sourcetest.Listen(t, func(c net.Conn) { spamRefs(c) })
	return "git://" + addr + "/driver.git"
}

// readCloser is what spamRefs needs of a connection.
type readCloser interface {
	io.ReadWriter
	Close() error
}

// nopConn is an HTTP response as a connection: no request to read.
type nopConn struct{ w io.Writer }

func (c nopConn) Read(p []byte) (int, error)  { return len(p), nil }
func (c nopConn) Write(p []byte) (int, error) { return c.w.Write(p) }
func (c nopConn) Close() error                { return nil }

func spamRefs(c readCloser) {
	defer c.Close()
	var hdr [4]byte
	if _, err := c.Read(hdr[:]); err != nil { // the start of the request
		return
	}
	w := bufio.NewWriter(c)
	const sha = "0123456789abcdef0123456789abcdef01234567"
	first := sha + " HEAD\x00multi_ack side-band-64k ofs-delta\n"
	fmt.Fprintf(w, "%04x%s", len(first)+4, first)
	for i := 0; ; i++ {
		line := fmt.Sprintf("%s refs/heads/spam-%0100d\n", sha, i)
		if _, err := fmt.Fprintf(w, "%04x%s", len(line)+4, line); err != nil {
			return
		}
	}
}

// TestRefAdvertisementBounded points a pull request at a server whose
// ref advertisement never ends: the check stops at the ref limit, long
// before the fetch timeout.
func TestRefAdvertisementBounded(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.FetchTimeout = 5 * time.Second
		c.MaxRefs = 1000
	})
	v := e.check(t, &mailparse.PullRequest{URL: serveRefSpam(t), Ref: "for-next-clean"})
	if v.Status != Unchecked || !slices.Equal(codes(v), []Code{CodeFetchFailed}) ||
		!strings.Contains(v.Reason, "more than 1000 refs") {
		t.Fatalf("verdict %+v", v)
	}
}

// TestRefAdvertisementBytesBounded: the byte limit holds whatever the count.
func TestRefAdvertisementBytesBounded(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.FetchTimeout = 5 * time.Second
		c.MaxRefBytes = 64 << 10
	})
	v := e.check(t, &mailparse.PullRequest{URL: serveRefSpam(t), Ref: "for-next-clean"})
	if v.Status != Unchecked || !strings.Contains(v.Reason, "more than 65536 bytes") {
		t.Fatalf("verdict %+v", v)
	}
}

// TestRefListingTimeBounded: a server that stops in the middle of its
// advertisement is given up after the ref timeout, not the fetch timeout.
func TestRefListingTimeBounded(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.FetchTimeout = 10 * time.Second
		c.RefTimeout = 300 * time.Millisecond
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // one ref, then silence
			fmt.Fprintf(c, "%04x%s HEAD\x00ofs-delta\n", 4+41+15, strings.Repeat("a", 40))
		}
	}()
	v := e.check(t, &mailparse.PullRequest{URL: "git://" + ln.Addr().String() + "/x.git", Ref: "for-next-clean"})
	if v.Status != Unchecked || !strings.Contains(v.Reason, "list refs") || !strings.Contains(v.Reason, "after 300ms") {
		t.Fatalf("verdict %+v", v)
	}
}

// TestRefAdvertisementBoundedHTTP: the same over smart HTTP.
func TestRefAdvertisementBoundedHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-git-upload-pack-advertisement")
		fmt.Fprint(w, "001e# service=git-upload-pack\n0000")
		spamRefs(nopConn{w})
	}))
	defer srv.Close()
	e := newEnv(t, func(c *Config) {
		c.FetchTimeout = 5 * time.Second
		c.MaxRefs = 1000
		c.Schemes = []string{"git", "http"}
	})
	v := e.check(t, &mailparse.PullRequest{URL: srv.URL + "/driver.git", Ref: "for-next-clean"})
	if v.Status != Unchecked || !strings.Contains(v.Reason, "more than 1000 refs") {
		t.Fatalf("verdict %+v", v)
	}
}
