package outbox

import (
	"os"
	"path/filepath"
	"testing"
)

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadGitConfig(t *testing.T) {
	dir := t.TempDir()
	user := writeFile(t, dir, "gitconfig", `[user]
	name = Jordan Maintainer
[sendemail]
	smtpServer = smtp.example.org
	smtpServerPort = 587
	smtpEncryption = tls
	smtpUser = jordan
	smtpPass = old
	from = Jordan Maintainer <jordan@example.org>
[sendemail "work"]
	smtpUser = jordan.work
`)
	prtrack := writeFile(t, dir, "prtrack.conf", `[sendemail]
	SMTPPASS = s3cret
	smtpdomain = client.example.org
	identity = work
	envelopeSender = bounces@example.org
`)
	cfg, err := ReadGitConfig(user, filepath.Join(dir, "absent"), prtrack)
	if err != nil {
		t.Fatal(err)
	}
	want := SMTPConfig{
		Server: "smtp.example.org", Port: 587, Encryption: EncryptSTARTTLS,
		User: "jordan.work", Pass: "s3cret", From: "Jordan Maintainer <jordan@example.org>",
		EnvelopeSender: "bounces@example.org", Domain: "client.example.org",
	}
	if cfg.Server != want.Server || cfg.Port != want.Port || cfg.Encryption != want.Encryption ||
		cfg.User != want.User || cfg.Pass != want.Pass || cfg.From != want.From ||
		cfg.EnvelopeSender != want.EnvelopeSender || cfg.Domain != want.Domain {
		t.Errorf("config = %+v, want %+v", cfg, want)
	}
	from, err := cfg.FromAddress()
	if err != nil || from.Email != "jordan@example.org" || from.Name != "Jordan Maintainer" {
		t.Errorf("FromAddress = %+v, %v", from, err)
	}
}

func TestReadGitConfigPorts(t *testing.T) {
	for _, tc := range []struct {
		text string
		port int
		addr string
		ok   bool
	}{
		{"[sendemail]\nsmtpServer = s.example\nsmtpEncryption = ssl\n", 0, "s.example:465", true},
		{"[sendemail]\nsmtpServer = s.example\n", 0, "s.example:25", true},
		{"[sendemail]\nsmtpServer = s.example\nsmtpServerPort = 2525\n", 2525, "s.example:2525", true},
		{"[sendemail]\nsmtpServer = s.example\nsmtpServerPort = 99999\n", 0, "", false},
		{"[sendemail]\nsmtpServer = s.example\nsmtpServerPort = no-such-service-here\n", 0, "", false},
		{"[sendemail\nsmtpServer = s.example\n", 0, "", false},
	} {
		p := writeFile(t, t.TempDir(), "config", tc.text)
		cfg, err := ReadGitConfig(p)
		if (err == nil) != tc.ok {
			t.Errorf("%q: error %v, want ok=%v", tc.text, err, tc.ok)
			continue
		}
		if tc.ok && (cfg.Port != tc.port || cfg.addr() != tc.addr) {
			t.Errorf("%q: port %d, addr %s; want %d, %s", tc.text, cfg.Port, cfg.addr(), tc.port, tc.addr)
		}
	}
}

func TestGitConfigPaths(t *testing.T) {
	t.Setenv("GIT_CONFIG_GLOBAL", "")
	t.Setenv("HOME", "/home/j")
	t.Setenv("XDG_CONFIG_HOME", "")
	got := GitConfigPaths()
	if len(got) != 2 || got[0] != "/home/j/.config/git/config" || got[1] != "/home/j/.gitconfig" {
		t.Errorf("GitConfigPaths = %v", got)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", "/etc/j.gitconfig")
	if got := GitConfigPaths(); len(got) != 1 || got[0] != "/etc/j.gitconfig" {
		t.Errorf("with GIT_CONFIG_GLOBAL: %v", got)
	}
}
