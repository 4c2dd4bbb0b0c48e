package outbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/prtrack/prtrack/tracker/reply"
)

// ErrInsecureAuth means credentials would have crossed an unencrypted
// connection to a server that is not on this machine. It comes wrapped
// as "outbox: HOST:PORT: refusing ...".
var ErrInsecureAuth = errors.New("refusing SMTP AUTH over an unencrypted connection to a non-loopback server (set sendemail.smtpEncryption)")

// ErrNotSent is matched by errors after which the server surely did
// not take the mail (refused before or at the end of DATA, or the
// connection broke before the final dot): sending it again is safe.
var ErrNotSent = errors.New("outbox: mail not sent")

// session is an open, authenticated SMTP submission connection.
type session struct {
	c    *smtp.Client
	cfg  SMTPConfig
	stop func() bool
}

// dial connects to the server cfg names, encrypts the connection as
// cfg says and authenticates when cfg has a user. Every step is
// bounded by cfg's timeout; ctx ending closes the connection.
func dial(ctx context.Context, cfg SMTPConfig) (*session, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	conn, err := dialTCP(ctx, &cfg)
	if err != nil {
		return nil, fmt.Errorf("outbox: connect to %s: %w", cfg.addr(), err)
	}
	s := &session{cfg: cfg, stop: context.AfterFunc(ctx, func() { conn.Close() })}
	if err := s.open(ctx, conn); err != nil {
		s.stop()
		conn.Close()
		return nil, fmt.Errorf("outbox: %s: %w", cfg.addr(), err)
	}
	return s, nil
}

func dialTCP(ctx context.Context, cfg *SMTPConfig) (net.Conn, error) {
	dial := cfg.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	dctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	conn, err := dial(dctx, "tcp", cfg.addr())
	if err != nil {
		return nil, err
	}
	return &deadlineConn{Conn: conn, timeout: cfg.timeout()}, nil
}

// open starts the SMTP conversation on conn.
func (s *session) open(ctx context.Context, conn net.Conn) error {
	var err error
	switch s.cfg.Encryption {
	case EncryptSSL:
		tc := tls.Client(conn, s.cfg.tlsConfig())
		hctx, cancel := context.WithTimeout(ctx, s.cfg.timeout())
		defer cancel()
		if err := tc.HandshakeContext(hctx); err != nil {
			return fmt.Errorf("TLS handshake: %w", err)
		}
		s.c = smtp.NewClient(tc)
	case EncryptSTARTTLS:
		if s.c, err = smtp.NewClientStartTLS(conn, s.cfg.tlsConfig()); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
	default:
		s.c = smtp.NewClient(conn)
	}
	s.c.CommandTimeout = s.cfg.timeout()
	s.c.SubmissionTimeout = s.cfg.timeout()
	if s.cfg.Domain != "" {
		if err := s.c.Hello(s.cfg.Domain); err != nil {
			return err
		}
	}
	// NOOP runs the greeting and EHLO now, so that a server that does
	// not answer fails the dial, before any draft is marked sending.
	if err := s.c.Noop(); err != nil {
		return err
	}
	return s.auth()
}

// auth authenticates with PLAIN or LOGIN when a user is configured.
func (s *session) auth() error {
	if s.cfg.User == "" {
		return nil
	}
	if !authAllowed(s.cfg.Server, s.cfg.Encryption) {
		return ErrInsecureAuth
	}
	switch {
	case s.c.SupportsAuth(sasl.Plain):
		return s.c.Auth(sasl.NewPlainClient("", s.cfg.User, s.cfg.Pass))
	case s.c.SupportsAuth(sasl.Login):
		return s.c.Auth(sasl.NewLoginClient(s.cfg.User, s.cfg.Pass))
	}
	return errors.New("server offers neither AUTH PLAIN nor AUTH LOGIN")
}

// authAllowed reports whether credentials may be sent to host: over
// TLS, or in the clear only to the loopback interface.
func authAllowed(host string, enc Encryption) bool {
	if enc == EncryptSSL || enc == EncryptSTARTTLS {
		return true
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send submits m in one SMTP transaction. An error matching
// ErrNotSent means the server did not take it.
func (s *session) Send(ctx context.Context, m *reply.Mail) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrNotSent, err)
	}
	from := m.From
	if s.cfg.EnvelopeSender != "" {
		from = s.cfg.EnvelopeSender
	}
	if err := s.envelope(from, m.Rcpt); err != nil {
		s.c.Reset()
		return fmt.Errorf("%w: %s: %w", ErrNotSent, m.MessageID, err)
	}
	w, err := s.c.Data()
	if err != nil {
		s.c.Reset()
		return fmt.Errorf("%w: %s: DATA: %w", ErrNotSent, m.MessageID, err)
	}
	if _, err := w.Write(m.Raw); err != nil {
		return fmt.Errorf("%w: %s: DATA: %w", ErrNotSent, m.MessageID, err)
	}
	if err := w.Close(); err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			return fmt.Errorf("%w: %s: refused: %w", ErrNotSent, m.MessageID, err)
		}
		return fmt.Errorf("outbox: %s: end of DATA, outcome unknown: %w", m.MessageID, err)
	}
	return nil
}

// envelope sends MAIL FROM and RCPT TO.
func (s *session) envelope(from string, rcpt []string) error {
	if len(rcpt) == 0 {
		return errors.New("no recipients")
	}
	var opts *smtp.MailOptions
	if !isASCII(from) || !allASCII(rcpt) {
		opts = &smtp.MailOptions{UTF8: true}
	}
	if err := s.c.Mail(from, opts); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	for _, r := range rcpt {
		if err := s.c.Rcpt(r, nil); err != nil {
			return fmt.Errorf("RCPT TO <%s>: %w", r, err)
		}
	}
	return nil
}

// Close ends the session with QUIT and closes the connection.
func (s *session) Close() error {
	defer s.stop()
	if err := s.c.Quit(); err != nil {
		s.c.Close()
		return fmt.Errorf("outbox: QUIT: %w", err)
	}
	return nil
}

// deadlineConn bounds every read and write on a connection.
type deadlineConn struct {
	net.Conn
	timeout time.Duration
}

func (c *deadlineConn) Read(b []byte) (int, error) {
	c.Conn.SetReadDeadline(time.Now().Add(c.timeout))
	return c.Conn.Read(b)
}

func (c *deadlineConn) Write(b []byte) (int, error) {
	c.Conn.SetWriteDeadline(time.Now().Add(c.timeout))
	return c.Conn.Write(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func allASCII(ss []string) bool {
	for _, s := range ss {
		if !isASCII(s) {
			return false
		}
	}
	return true
}
