package outbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

// received is one mail the test server accepted.
type received struct {
	From string
	Rcpt []string
	Data []byte
}

// sink is an in-process SMTP server on 127.0.0.1 that keeps what it
// receives.
type sink struct {
	Addr string
	mu   sync.Mutex
	mail []received
	auth []string // "user:pass" of successful AUTH PLAIN
	// refuseRcpt makes RCPT TO fail for this address.
	refuseRcpt string
	// refuseAuth makes every AUTH fail.
	refuseAuth bool
}

func (s *sink) received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.mail...)
}

func (s *sink) auths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth...)
}

type serverMode int

const (
	plainServer serverMode = iota
	startTLSServer
	implicitTLSServer
)

// startSink starts a server; with a user configured it offers AUTH
// PLAIN (over plaintext too, so that the client's refusal is tested).
func startSink(t *testing.T, mode serverMode, cert *tls.Certificate) *sink {
	t.Helper()
	s := &sink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &sinkSession{sink: s}, nil
	}))
	srv.Domain = "sink.test"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case startTLSServer:
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
	case implicitTLSServer:
		l = tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{*cert}})
	}
	s.Addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

type sinkSession struct {
	sink *sink
	cur  received
}

func (ss *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *sinkSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		ss.sink.mu.Lock()
		defer ss.sink.mu.Unlock()
		ss.sink.auth = append(ss.sink.auth, user+":"+pass)
		if ss.sink.refuseAuth {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		return nil
	}), nil
}

func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.cur = received{From: from}
	return nil
}

func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == ss.sink.refuseRcpt {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	ss.cur.Rcpt = append(ss.cur.Rcpt, to)
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.cur.Data = b
	ss.sink.mu.Lock()
	ss.sink.mail = append(ss.sink.mail, ss.cur)
	ss.sink.mu.Unlock()
	return nil
}

func (ss *sinkSession) Reset()        { ss.cur = received{} }
func (ss *sinkSession) Logout() error { return nil }

// testCert returns a certificate for 127.0.0.1, localhost and
// smtp.example.com, and a pool trusting it.
func testCert(t *testing.T) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	c := sourcetest.NewTestCert(t, "smtp.example.com")
	cert, err := tls.X509KeyPair(c.CertPEM, c.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return &cert, c.Pool
}

// sinkConfig returns an SMTPConfig reaching s.
func sinkConfig(t *testing.T, s *sink) SMTPConfig {
	t.Helper()
	host, port, err := net.SplitHostPort(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return SMTPConfig{Server: host, Port: n, Timeout: 5 * time.Second}
}

// redirect is a Dial that reaches addr whatever name was asked for.
func redirect(addr string) func(ctx context.Context, network, _ string) (net.Conn, error) {
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
}

var errStop = errors.New("stopped by the test")
