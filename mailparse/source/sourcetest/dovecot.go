package sourcetest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Dovecot is a real Dovecot IMAP server on 127.0.0.1 with one user,
// started for a test.
type Dovecot struct {
	Addr     string // STARTTLS (plaintext refused before it)
	TLSAddr  string // implicit TLS
	User     string
	Password string
	Cert     *TestCert
}

// StartDovecot writes a dovecot.conf in a temporary directory and runs
// dovecot -F on it; the server stops with the test. Run as root (as in
// CI), mail is owned by nobody (65534): Dovecot refuses UID 0.
func StartDovecot(tb testing.TB) *Dovecot {
	tb.Helper()
	bin := NeedProgram(tb, "dovecot")
	dir := tb.TempDir()
	d := &Dovecot{Addr: freeAddr(tb), TLSAddr: freeAddr(tb), User: "tester", Password: "s3cret", Cert: NewTestCert(tb)}
	conf := d.writeConfig(tb, dir)
	cmd := exec.Command(bin, "-F", "-c", conf)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		tb.Fatalf("dovecot: %v", err)
	}
	tb.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if tb.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			tb.Logf("dovecot output:\n%s%s", logs.String(), log)
		}
	})
	WaitListening(tb, d.Addr)
	WaitListening(tb, d.TLSAddr)
	return d
}

// writeConfig writes the certificate, the password file and the
// configuration into dir, and returns the configuration's path.
func (d *Dovecot) writeConfig(tb testing.TB, dir string) string {
	tb.Helper()
	uid, gid, internal, login := mailOwner(tb)
	home := filepath.Join(dir, "home")
	for _, p := range []string{dir, filepath.Dir(dir)} {
		// Let the mail user reach its home below the test's temp dirs.
		if err := os.Chmod(p, 0o711); err != nil {
			tb.Fatal(err)
		}
	}
	mustWrite(tb, filepath.Join(dir, "cert.pem"), d.Cert.CertPEM)
	mustWrite(tb, filepath.Join(dir, "key.pem"), d.Cert.KeyPEM)
	mustWrite(tb, filepath.Join(dir, "passwd"), fmt.Appendf(nil, "%s:{PLAIN}%s::::::\n", d.User, d.Password))
	if err := os.Mkdir(home, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.Chown(home, uid, gid); err != nil {
		tb.Fatal(err)
	}
	host, port := splitAddr(d.Addr)
	_, tlsPort := splitAddr(d.TLSAddr)
	conf := fmt.Sprintf(dovecotConf, dir, internal, login, host, port, host, tlsPort, uid, gid, home, home)
	path := filepath.Join(dir, "dovecot.conf")
	mustWrite(tb, path, []byte(conf))
	return path
}

const dovecotConf = `base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
instance_name = prtrack-test
protocols = imap
listen = 127.0.0.1
default_internal_user = %[2]s
default_login_user = %[3]s
first_valid_uid = 1
ssl = required
ssl_cert = <%[1]s/cert.pem
ssl_key = <%[1]s/key.pem
auth_mechanisms = plain
service imap-login {
  inet_listener imap {
    address = %[4]s
    port = %[5]s
  }
  inet_listener imaps {
    address = %[6]s
    port = %[7]s
    ssl = yes
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN %[1]s/passwd
}
userdb {
  driver = static
  args = uid=%[8]d gid=%[9]d home=%[10]s/%%u mail=maildir:%[11]s/%%u/Maildir
}
`

// mailOwner returns the uid and gid that own the mail, and the users
// Dovecot's internal and login processes run as: nobody and Dovecot's
// own users when root, the current user otherwise.
func mailOwner(tb testing.TB) (uid, gid int, internal, login string) {
	tb.Helper()
	if os.Getuid() != 0 {
		u, err := user.Current()
		if err != nil {
			tb.Fatal(err)
		}
		return os.Getuid(), os.Getgid(), u.Username, u.Username
	}
	return 65534, 65534, "dovecot", "dovenull"
}

func splitAddr(addr string) (host, port string) {
	i := strings.LastIndexByte(addr, ':')
	return addr[:i], addr[i+1:]
}

func mustWrite(tb testing.TB, path string, b []byte) {
	tb.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}
