package gitcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// gitProxy carries one remote's git:// connections through 127.0.0.1 so
// that prtrack, not go-git, dials the server (with a deadline) and
// bounds its ref advertisement: go-git's git transport dials with
// net.Dial and keeps whatever a server advertises in memory.
type gitProxy struct {
	ln     net.Listener
	addr   string // the server's host:port
	host   string // the host= parameter go-git would have sent
	lim    refLimits
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu  sync.Mutex
	err error // the first failure, which go-git sees only as a closed connection
}

// startGitProxy starts a proxy for the git:// URL rawURL and returns the
// URL go-git should fetch from instead.
func startGitProxy(rawURL string, lim refLimits) (*gitProxy, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, "", fmt.Errorf("gitcheck: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("gitcheck: proxy: %w", err)
	}
	port, host := u.Port(), u.Hostname()
	if port == "" {
		port = "9418"
	}
	if port != "9418" {
		host = net.JoinHostPort(host, port)
	}
	p := &gitProxy{ln: ln, addr: net.JoinHostPort(u.Hostname(), port), host: host, lim: lim}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.wg.Add(1)
	go p.accept()
	return p, "git://" + ln.Addr().String() + u.EscapedPath(), nil
}

func (p *gitProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.fail(p.handle(c))
		}()
	}
}

// close stops the proxy and every connection it carries.
func (p *gitProxy) close() {
	p.cancel()
	p.ln.Close()
	p.wg.Wait()
}

func (p *gitProxy) fail(err error) {
	if err == nil || p.ctx.Err() != nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err == nil {
		p.err = err
	}
}

// failure is what went wrong in the proxy, if anything.
func (p *gitProxy) failure() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// handle forwards one connection: go-git's request with the server's
// host, then the server's ref advertisement within the limits, then
// both ways until either side ends.
func (p *gitProxy) handle(client net.Conn) error {
	defer client.Close()
	client.SetReadDeadline(time.Now().Add(p.lim.timeout))
	req, err := readPkt(client)
	if err != nil {
		return nil // go-git went away
	}
	client.SetReadDeadline(time.Time{})
	server, err := p.dial()
	if err != nil {
		return err
	}
	defer server.Close()
	stop := context.AfterFunc(p.ctx, func() { client.Close(); server.Close() })
	defer stop()
	if _, err := server.Write(withHost(req, p.host)); err != nil {
		return fmt.Errorf("gitcheck: send request: %w", err)
	}
	go func() {
		io.Copy(server, client)
		server.(*net.TCPConn).CloseWrite()
	}()
	return p.relay(client, server)
}

func (p *gitProxy) dial() (net.Conn, error) {
	ctx, cancel := context.WithTimeout(p.ctx, p.lim.timeout)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return nil, fmt.Errorf("gitcheck: connect: %w", err)
	}
	return c, nil
}

// relay copies the server's output to go-git, bounding the ref
// advertisement in size and time.
func (p *gitProxy) relay(client, server net.Conn) error {
	server.SetReadDeadline(time.Now().Add(p.lim.timeout))
	adv := &advertReader{r: server, lim: p.lim, done: func() { server.SetReadDeadline(time.Time{}) }}
	_, err := io.Copy(client, adv)
	switch {
	case adv.fault != nil:
		return adv.fault
	case errors.Is(err, os.ErrDeadlineExceeded) && !adv.over:
		return fmt.Errorf("%w: not over after %v", ErrRefLimit, p.lim.timeout)
	}
	return nil // the connection's own errors reach go-git
}

// readPkt reads one pkt-line, length included.
func readPkt(r io.Reader) ([]byte, error) {
	hdr := make([]byte, 4)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, err
	}
	n, err := strconv.ParseUint(string(hdr), 16, 16)
	if err != nil || n < 4 {
		return nil, fmt.Errorf("gitcheck: bad request pkt-line")
	}
	b := make([]byte, n)
	copy(b, hdr)
	_, err = io.ReadFull(r, b[4:])
	return b, err
}

// withHost rewrites the host= parameter of a git-proto-request.
func withHost(pkt []byte, host string) []byte {
	parts := strings.Split(string(pkt[4:]), "\x00")
	for i, s := range parts {
		if strings.HasPrefix(s, "host=") {
			parts[i] = "host=" + host
		}
	}
	body := strings.Join(parts, "\x00")
	return fmt.Appendf(nil, "%04x%s", len(body)+4, body)
}
