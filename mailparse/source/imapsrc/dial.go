package imapsrc

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
)

// connect dials t, sets up TLS as the URL asks, and logs in. Every step
// is bounded by o.DialTimeout or o.CommandTimeout. The password is only
// ever sent over TLS, or in plaintext to a loopback address when
// o.AllowPlaintext says so: a failed STARTTLS is an error, never a
// reason to go on without it.
func connect(ctx context.Context, t *target, password string, o *Options, h *imapclient.UnilateralDataHandler) (*imapclient.Client, error) {
	dctx, cancel := context.WithTimeout(ctx, o.DialTimeout)
	defer cancel()
	d := net.Dialer{}
	conn, err := d.DialContext(dctx, "tcp", t.addr)
	if err != nil {
		return nil, fmt.Errorf("imapsrc: connecting to %s: %w", t.addr, err)
	}
	copts := &imapclient.Options{TLSConfig: tlsConfig(t, o), UnilateralDataHandler: h}
	c, err := handshake(dctx, conn, t, o, copts)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("imapsrc: connecting to %s: %w", t.addr, err)
	}
	err = bound(ctx, o.CommandTimeout, c, func() error { return c.Login(t.user, password).Wait() })
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("imapsrc: logging in to %s as %s: %w", t.addr, t.user, err)
	}
	return c, nil
}

// handshake sets up TLS (implicit or STARTTLS) and waits for the
// greeting, within ctx.
func handshake(ctx context.Context, conn net.Conn, t *target, o *Options, copts *imapclient.Options) (*imapclient.Client, error) {
	if t.implicitTLS {
		tc := tls.Client(conn, copts.TLSConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		c := imapclient.New(tc, copts)
		return c, bound(ctx, 0, c, c.WaitGreeting)
	}
	if o.AllowPlaintext && isLoopback(t.host) {
		c := imapclient.New(conn, copts)
		return c, bound(ctx, 0, c, c.WaitGreeting)
	}
	var c *imapclient.Client
	err := bound(ctx, 0, conn, func() error {
		var err error
		c, err = imapclient.NewStartTLS(conn, copts)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("STARTTLS: %w (imap:// needs STARTTLS; imap.allowPlaintext lets a server on loopback "+
			"go without TLS, and is off by default so that no password crosses a network in the clear)", err)
	}
	return c, nil
}

func tlsConfig(t *target, o *Options) *tls.Config {
	cfg := &tls.Config{}
	if o.TLSConfig != nil {
		cfg = o.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = t.host
	}
	if cfg.NextProtos == nil && t.implicitTLS {
		cfg.NextProtos = []string{"imap"}
	}
	return cfg
}

// bound runs f, closing c when f outlasts d (0: no limit of its own)
// or ctx; it then reports the timeout or cancellation.
func bound(ctx context.Context, d time.Duration, c io.Closer, f func() error) error {
	if d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	err := f()
	if !stop() {
		return fmt.Errorf("%w (connection closed: %v)", ctx.Err(), err)
	}
	return err
}
