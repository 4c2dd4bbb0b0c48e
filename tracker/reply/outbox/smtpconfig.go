package outbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"time"

	"github.com/prtrack/prtrack/mailparse"
)

// Encryption is git's sendemail.smtpEncryption: in git, "ssl" means
// implicit TLS and "tls" means STARTTLS.
type Encryption string

// Encryption values.
const (
	EncryptNone     Encryption = ""    // plain SMTP
	EncryptSSL      Encryption = "ssl" // TLS from the first byte (port 465)
	EncryptSTARTTLS Encryption = "tls" // STARTTLS, required once asked for
)

// DefaultTimeout bounds each network step when SMTPConfig.Timeout is
// zero: the dial, the TLS handshake, every command and response.
const DefaultTimeout = 30 * time.Second

// SMTPConfig says how to reach the submission server. Its fields
// mirror git's sendemail.* keys; see ReadGitConfig.
type SMTPConfig struct {
	Server     string     // sendemail.smtpServer: host name or IP
	Port       int        // sendemail.smtpServerPort; 0: 465 for ssl, else 25, as git does
	Encryption Encryption // sendemail.smtpEncryption
	User       string     // sendemail.smtpUser; empty: no AUTH
	Pass       string     // sendemail.smtpPass
	From       string     // sendemail.from: "Name <addr>", the replies' From
	// EnvelopeSender (sendemail.envelopeSender) is the MAIL FROM
	// address; empty means each mail's own From.
	EnvelopeSender string
	Domain         string // sendemail.smtpDomain: the EHLO name; empty: "localhost"

	// Timeout bounds each network step; zero means DefaultTimeout.
	Timeout time.Duration
	// TLSConfig is used for both ssl and tls; nil means the system
	// roots, checked against Server.
	TLSConfig *tls.Config
	// Dial opens the TCP connection; nil means a net.Dialer. Tests
	// use it to reach a local server under another name.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// ErrNoPassword means a user is configured without a password, which
// prtrack cannot prompt for as git send-email does.
var ErrNoPassword = errors.New("outbox: sendemail.smtpUser is set but sendemail.smtpPass is not")

// ErrNoServer means no SMTP server is configured.
var ErrNoServer = errors.New("outbox: no SMTP server configured (set sendemail.smtpServer)")

// ErrSendmailProgram means sendemail.smtpServer names a local program,
// which git send-email runs but prtrack does not.
var ErrSendmailProgram = errors.New("outbox: sendemail.smtpServer names a program; prtrack only speaks SMTP")

func (c *SMTPConfig) validate() error {
	switch {
	case c.Server == "":
		return ErrNoServer
	case c.Server[0] == '/':
		return fmt.Errorf("%w: %s", ErrSendmailProgram, c.Server)
	case c.Port < 0 || c.Port > 65535:
		return fmt.Errorf("outbox: SMTP port %d out of range", c.Port)
	case c.User != "" && c.Pass == "":
		return ErrNoPassword
	}
	switch c.Encryption {
	case EncryptNone, EncryptSSL, EncryptSTARTTLS:
		return nil
	}
	return fmt.Errorf("outbox: unknown sendemail.smtpEncryption %q (want ssl or tls)", c.Encryption)
}

func (c *SMTPConfig) addr() string {
	port := c.Port
	if port == 0 {
		port = 25
		if c.Encryption == EncryptSSL {
			port = 465
		}
	}
	return net.JoinHostPort(c.Server, fmt.Sprint(port))
}

func (c *SMTPConfig) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func (c *SMTPConfig) tlsConfig() *tls.Config {
	cfg := &tls.Config{}
	if c.TLSConfig != nil {
		cfg = c.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = c.Server
	}
	return cfg
}

// FromAddress parses From ("Name <addr>" or "addr") for use as the
// identity replies are sent as.
func (c *SMTPConfig) FromAddress() (mailparse.Address, error) {
	a, err := mail.ParseAddress(c.From)
	if err != nil {
		return mailparse.Address{}, fmt.Errorf("outbox: sendemail.from %q: %w", c.From, err)
	}
	return mailparse.Address{Name: a.Name, Email: a.Address}, nil
}
