package certpool

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

// TestLoadAddsToSystemRoots: a private CA file is trusted beside
// the system's roots, not instead of them.
func TestLoadAddsToSystemRoots(t *testing.T) {
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
	pool, err := Load(caFile)
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
