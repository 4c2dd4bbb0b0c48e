package outbox

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/format/config"
	"github.com/prtrack/prtrack/tracker/config/certpool"
)

// GitConfigPaths returns the user's git configuration files in the
// order git reads them: $XDG_CONFIG_HOME/git/config then ~/.gitconfig,
// or only $GIT_CONFIG_GLOBAL when that is set.
func GitConfigPaths() []string {
	if p := os.Getenv("GIT_CONFIG_GLOBAL"); p != "" {
		return []string{p}
	}
	var out []string
	xdg := os.Getenv("XDG_CONFIG_HOME")
	home, err := os.UserHomeDir()
	if xdg == "" && err == nil {
		xdg = filepath.Join(home, ".config")
	}
	if xdg != "" {
		out = append(out, filepath.Join(xdg, "git", "config"))
	}
	if err == nil {
		out = append(out, filepath.Join(home, ".gitconfig"))
	}
	return out
}

// ReadGitConfig reads the sendemail.* keys from git-config files, a
// later file overriding an earlier one, as git does: pass
// GitConfigPaths() followed by prtrack's own configuration. Missing
// files are skipped. When sendemail.identity is set, the keys of
// [sendemail "<identity>"] override the plain ones, as in git
// send-email.
//
// Keys read: smtpServer, smtpServerPort, smtpEncryption, smtpUser,
// smtpPass, from, envelopeSender, smtpDomain, smtpSSLCertPath (a PEM
// file or directory of CA certificates trusted beside the system's),
// and prtrack's own smtpTimeout (a Go duration, each network step).
func ReadGitConfig(paths ...string) (SMTPConfig, error) {
	var files []*config.Config
	for _, p := range paths {
		cfg, err := decodeGitConfig(p)
		if err != nil {
			return SMTPConfig{}, err
		}
		if cfg != nil {
			files = append(files, cfg)
		}
	}
	vals := map[string]string{}
	for _, cfg := range files {
		for _, o := range cfg.Section("sendemail").Options {
			vals[strings.ToLower(o.Key)] = o.Value
		}
	}
	if ident := vals["identity"]; ident != "" {
		for _, cfg := range files {
			for _, o := range cfg.Section("sendemail").Subsection(ident).Options {
				vals[strings.ToLower(o.Key)] = o.Value
			}
		}
	}
	return smtpFromKeys(vals)
}

// decodeGitConfig reads one file; nil for a missing file.
func decodeGitConfig(path string) (*config.Config, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("outbox: git config: %w", err)
	}
	defer f.Close()
	cfg := config.New()
	if err := config.NewDecoder(f).Decode(cfg); err != nil {
		return nil, fmt.Errorf("outbox: git config %s: %w", path, err)
	}
	return cfg, nil
}

// smtpFromKeys builds an SMTPConfig from lower-cased sendemail keys.
func smtpFromKeys(v map[string]string) (SMTPConfig, error) {
	c := SMTPConfig{
		Server:         v["smtpserver"],
		Encryption:     Encryption(strings.ToLower(v["smtpencryption"])),
		User:           v["smtpuser"],
		Pass:           v["smtppass"],
		From:           v["from"],
		EnvelopeSender: v["envelopesender"],
		Domain:         v["smtpdomain"],
	}
	if c.Encryption == "none" {
		c.Encryption = EncryptNone
	}
	if err := smtpTrust(&c, v); err != nil {
		return SMTPConfig{}, err
	}
	if p := v["smtpserverport"]; p != "" {
		port, err := parsePort(p)
		if err != nil {
			return SMTPConfig{}, err
		}
		c.Port = port
	}
	return c, nil
}

// smtpTrust reads smtpSSLCertPath and smtpTimeout. An empty
// smtpSSLCertPath, which makes git send-email skip verification, keeps
// it here.
func smtpTrust(c *SMTPConfig, v map[string]string) error {
	if p := v["smtpsslcertpath"]; p != "" {
		pool, err := certpool.Load(p)
		if err != nil {
			return err
		}
		c.TLSConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	if d := v["smtptimeout"]; d != "" {
		t, err := time.ParseDuration(d)
		if err != nil || t <= 0 {
			return fmt.Errorf("outbox: sendemail.smtpTimeout %q: want a duration such as 30s", d)
		}
		c.Timeout = t
	}
	return nil
}

// parsePort accepts a number or a service name ("submission").
func parsePort(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > 65535 {
			return 0, fmt.Errorf("outbox: sendemail.smtpServerPort %d out of range", n)
		}
		return n, nil
	}
	n, err := net.LookupPort("tcp", s)
	if err != nil {
		return 0, fmt.Errorf("outbox: sendemail.smtpServerPort %q: %w", s, err)
	}
	return n, nil
}
