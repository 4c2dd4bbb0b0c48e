// Package certpool builds the set of certificate authorities a TLS
// client of prtrack trusts: the system's roots plus the PEM files a
// setting names (sendemail.smtpSSLCertPath for SMTP, the IMAP source's
// CA file). One place, so that SMTP and IMAP trust the same way.
package certpool

import (
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
)

// Load returns the system's trusted roots with the PEM certificates
// at path added: a file, or a directory of them, as git's
// sendemail.smtpSSLCertPath and http.sslCAPath take.
func Load(path string) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	files := []string{path}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		files, _ = filepath.Glob(filepath.Join(path, "*"))
	}
	added := false
	for _, f := range files {
		pem, err := os.ReadFile(f)
		if err != nil {
			if len(files) == 1 {
				return nil, fmt.Errorf("certpool: read CA certificates: %w", err)
			}
			continue
		}
		added = pool.AppendCertsFromPEM(pem) || added
	}
	if !added {
		return nil, fmt.Errorf("certpool: read CA certificates: no PEM certificate in %s", path)
	}
	return pool, nil
}
