package outbox

import (
	"context"
	"crypto/tls"
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
	if err := sendMails(context.Background(), cfg, draftSample(t)); err != nil {
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
	if err := sendMails(context.Background(), cfg, draftSample(t)); !errors.Is(err, ErrNoPassword) {
		t.Fatalf("Send = %v, want ErrNoPassword", err)
	}
	if conns() != 0 {
		t.Error("connected without a password to send")
	}
}
