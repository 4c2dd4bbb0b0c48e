package reply

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

// TestSMTPSSLCertPath: sendemail.smtpSSLCertPath names a private CA,
// trusted as git send-email does; smtpTimeout is read too.
func TestSMTPSSLCertPath(t *testing.T) {
	c := sourcetest.NewTestCert(t, "smtp.example.com")
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	os.WriteFile(caFile, c.CertPEM, 0o600)
	gc := filepath.Join(dir, "gitconfig")
	os.WriteFile(gc, []byte("[sendemail]\n\tsmtpServer = smtp.example.com\n\tsmtpEncryption = ssl\n\tsmtpSSLCertPath = "+caFile+"\n\tsmtpTimeout = 7s\n"), 0o600)
	cfg, err := ReadGitConfig(gc)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Timeout != 7*time.Second {
		t.Errorf("timeout %v", cfg.Timeout)
	}
	tc, err := tls.X509KeyPair(c.CertPEM, c.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	s := startSink(t, implicitTLSServer, &tc)
	cfg.Dial = redirect(s.Addr)
	if err := Send(context.Background(), cfg, draftSample(t)); err != nil {
		t.Fatalf("Send with smtpSSLCertPath: %v", err)
	}
	if len(s.received()) != 1 {
		t.Error("nothing delivered")
	}
}

// TestSMTPUserWithoutPassword fails before connecting.
func TestSMTPUserWithoutPassword(t *testing.T) {
	lnAddr, conns := sourcetest.CountConns(t)
	cfg := SMTPConfig{Server: "127.0.0.1", User: "jordan", Timeout: time.Second,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, lnAddr)
		}}
	if err := Send(context.Background(), cfg, draftSample(t)); !errors.Is(err, ErrNoPassword) {
		t.Fatalf("Send = %v, want ErrNoPassword", err)
	}
	if conns() != 0 {
		t.Error("connected without a password to send")
	}
}

// TestCertPoolAddsToSystemRoots: a private CA file is trusted beside
// the system's roots, not instead of them.
func TestCertPoolAddsToSystemRoots(t *testing.T) {
	sys, err := x509.SystemCertPool()
	if err != nil {
		t.Skipf("no system roots: %v", err)
	}
	var root *x509.Certificate
	for _, f := range []string{"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"} {
		if b, err := os.ReadFile(f); err == nil {
			if blk, _ := pem.Decode(b); blk != nil {
				root, _ = x509.ParseCertificate(blk.Bytes)
			}
		}
	}
	if root == nil {
		t.Skip("no system CA bundle (install ca-certificates)")
	}
	if _, err := root.Verify(x509.VerifyOptions{Roots: sys}); err != nil {
		t.Skipf("the bundle's first root is not a system root: %v", err)
	}
	c := sourcetest.NewTestCert(t, "mail.example.org")
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(caFile, c.CertPEM, 0o600)
	pool, err := CertPool(caFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := root.Verify(x509.VerifyOptions{Roots: pool}); err != nil {
		t.Errorf("system root %s no longer trusted: %v", root.Subject, err)
	}
	priv, _ := pem.Decode(c.CertPEM)
	pc, _ := x509.ParseCertificate(priv.Bytes)
	if _, err := pc.Verify(x509.VerifyOptions{Roots: pool, DNSName: "mail.example.org"}); err != nil {
		t.Errorf("the private CA is not trusted: %v", err)
	}
}
