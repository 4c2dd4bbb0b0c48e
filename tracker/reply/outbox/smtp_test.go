package outbox

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"testing"

	"bytes"

	"github.com/emersion/go-message/mail"
	"github.com/prtrack/prtrack/tracker/reply"
)

func TestSendPlain(t *testing.T) {
	s := startSink(t, plainServer, nil)
	m := draftSample(t)
	if err := sendMails(context.Background(), sinkConfig(t, s), m); err != nil {
		t.Fatal(err)
	}
	got := s.received()
	if len(got) != 1 {
		t.Fatalf("server got %d mails, want 1", len(got))
	}
	checkReceived(t, got[0], m)
}

// checkReceived compares what the server got with the draft.
func checkReceived(t *testing.T, got received, m *reply.Mail) {
	t.Helper()
	if got.From != "jordan@example.org" {
		t.Errorf("MAIL FROM = %q", got.From)
	}
	wantRcpt := "saul@example.com linux-rdma@vger.kernel.org netdev@vger.kernel.org lena@example.net"
	if r := strings.Join(got.Rcpt, " "); r != wantRcpt {
		t.Errorf("RCPT TO = %s, want %s", r, wantRcpt)
	}
	if !bytes.Equal(got.Data, m.Raw) {
		t.Errorf("data differs from the draft:\n%s", got.Data)
	}
	r, err := mail.CreateReader(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	if irt := r.Header.Get("In-Reply-To"); irt != "<20230606071112.1111-1-saul@example.com>" {
		t.Errorf("In-Reply-To = %q", irt)
	}
	if v := r.Header.Get(reply.HeaderVerdict); v != "accepted" {
		t.Errorf("%s = %q", reply.HeaderVerdict, v)
	}
	if !strings.Contains(string(got.Data), "\r\n> are available in the Git repository at:\r\n") {
		t.Error("body does not quote the pull request")
	}
}

func TestSendTLS(t *testing.T) {
	cert, pool := testCert(t)
	for _, tc := range []struct {
		name string
		mode serverMode
		enc  Encryption
	}{
		{"ssl", implicitTLSServer, EncryptSSL},
		{"starttls", startTLSServer, EncryptSTARTTLS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startSink(t, tc.mode, cert)
			cfg := sinkConfig(t, s)
			cfg.Encryption = tc.enc
			cfg.TLSConfig = &tls.Config{RootCAs: pool}
			// A non-loopback name: AUTH is allowed because of TLS.
			cfg.Server, cfg.Dial = "smtp.example.com", redirect(s.Addr)
			cfg.User, cfg.Pass = "jordan", "s3cret"
			cfg.Domain = "client.example.org"
			m := draftSample(t)
			if err := sendMails(context.Background(), cfg, m); err != nil {
				t.Fatal(err)
			}
			if got := s.received(); len(got) != 1 {
				t.Fatalf("server got %d mails, want 1", len(got))
			} else {
				checkReceived(t, got[0], m)
			}
			if a := s.auths(); len(a) != 1 || a[0] != "jordan:s3cret" {
				t.Errorf("AUTH = %q", a)
			}
		})
	}
}

func TestSendTLSUntrusted(t *testing.T) {
	cert, _ := testCert(t)
	s := startSink(t, implicitTLSServer, cert)
	cfg := sinkConfig(t, s)
	cfg.Encryption = EncryptSSL
	if err := sendMails(context.Background(), cfg, draftSample(t)); err == nil {
		t.Fatal("Send trusted an unknown certificate")
	}
	if len(s.received()) != 0 {
		t.Error("mail delivered over an untrusted connection")
	}
}

func TestSendSTARTTLSMissing(t *testing.T) {
	s := startSink(t, plainServer, nil)
	cfg := sinkConfig(t, s)
	cfg.Encryption = EncryptSTARTTLS
	if err := sendMails(context.Background(), cfg, draftSample(t)); err == nil {
		t.Fatal("Send went on without the STARTTLS it was asked for")
	}
	if len(s.received()) != 0 {
		t.Error("mail delivered in the clear")
	}
}

func TestAuthRefusedInPlaintext(t *testing.T) {
	s := startSink(t, plainServer, nil)
	cfg := sinkConfig(t, s)
	cfg.Server, cfg.Dial = "smtp.example.com", redirect(s.Addr)
	cfg.User, cfg.Pass = "jordan", "s3cret"
	err := sendMails(context.Background(), cfg, draftSample(t))
	if !errors.Is(err, ErrInsecureAuth) {
		t.Fatalf("Send = %v, want ErrInsecureAuth", err)
	}
	if len(s.auths()) != 0 || len(s.received()) != 0 {
		t.Error("credentials or mail reached the server")
	}
}

func TestAuthAllowedOnLoopback(t *testing.T) {
	s := startSink(t, plainServer, nil)
	cfg := sinkConfig(t, s)
	cfg.User, cfg.Pass = "jordan", "s3cret"
	if err := sendMails(context.Background(), cfg, draftSample(t)); err != nil {
		t.Fatal(err)
	}
	if a := s.auths(); len(a) != 1 {
		t.Errorf("AUTH = %q, want one", a)
	}
}

func TestAuthAllowed(t *testing.T) {
	for _, tc := range []struct {
		host string
		enc  Encryption
		want bool
	}{
		{"127.0.0.1", EncryptNone, true},
		{"::1", EncryptNone, true},
		{"localhost", EncryptNone, true},
		{"127.8.9.10", EncryptNone, true},
		{"smtp.example.com", EncryptNone, false},
		{"192.0.2.1", EncryptNone, false},
		{"localhost.example.com", EncryptNone, false},
		{"smtp.example.com", EncryptSSL, true},
		{"smtp.example.com", EncryptSTARTTLS, true},
	} {
		if got := authAllowed(tc.host, tc.enc); got != tc.want {
			t.Errorf("authAllowed(%q, %q) = %v, want %v", tc.host, tc.enc, got, tc.want)
		}
	}
}

func TestSendRefusedRecipient(t *testing.T) {
	s := startSink(t, plainServer, nil)
	s.refuseRcpt = "lena@example.net"
	err := sendMails(context.Background(), sinkConfig(t, s), draftSample(t))
	if !errors.Is(err, ErrNotSent) {
		t.Fatalf("Send = %v, want ErrNotSent", err)
	}
}

func TestSendConfigErrors(t *testing.T) {
	for _, cfg := range []SMTPConfig{
		{},
		{Server: "/usr/sbin/sendmail"},
		{Server: "smtp.example.com", Encryption: "starttls-please"},
		{Server: "smtp.example.com", Port: 70000},
	} {
		if err := sendMails(context.Background(), cfg); err == nil {
			t.Errorf("Send with %+v succeeded", cfg)
		}
	}
	if err := sendMails(context.Background(), SMTPConfig{}); !errors.Is(err, ErrNoServer) {
		t.Errorf("Send without a server = %v, want ErrNoServer", err)
	}
}

func TestSendCanceled(t *testing.T) {
	s := startSink(t, plainServer, nil)
	ctx, cancel := context.WithCancel(context.Background())
	sess, err := dial(ctx, sinkConfig(t, s))
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := sess.Send(ctx, draftSample(t)); !errors.Is(err, ErrNotSent) {
		t.Errorf("Send after cancel = %v, want ErrNotSent", err)
	}
	sess.Close()
	if len(s.received()) != 0 {
		t.Error("mail sent after cancel")
	}
}
