package outbox

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker/reply"
)

// draftOf drafts the reply to the shared sample pull request
// testdata/mail/<name>.eml, as Jordan on linux-rdma.
func draftOf(t testing.TB, name string, in reply.Input) *reply.Mail {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "mail", name+".eml"))
	if err != nil {
		t.Fatal(err)
	}
	if in.Message, err = mailparse.Parse(raw, nil); err != nil {
		t.Fatal(err)
	}
	if in.Pull = mailparse.Extract(in.Message); in.Pull == nil {
		t.Fatalf("%s: no pull request found", name)
	}
	id := reply.Identity{From: mailparse.Address{Name: "Jordan Maintainer", Email: "jordan@example.org"}, List: "linux-rdma@vger.kernel.org"}
	m, err := reply.Draft(in, id, time.Date(2023, 9, 14, 8, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// draftSample drafts the accepted reply to the mlx5-next sample.
func draftSample(t testing.TB) *reply.Mail {
	return draftOf(t, "mlx5-next", reply.Input{Verdict: reply.Accepted, Readiness: reply.Clean})
}

// twoDrafts drafts two different replies; only the first Ccs
// lena@example.net.
func twoDrafts(t testing.TB) []*reply.Mail {
	uapi := reply.Finding{Code: "uapi", Severity: "error", Commit: "9d2e6b0f64a1",
		Subject: "RDMA/hns: Support a longer name", Paths: []string{"include/uapi/rdma/hns-abi.h"},
		Message: "A driver pull request must not change the uAPI."}
	return []*reply.Mail{draftSample(t), draftOf(t, "hns-v2", reply.Input{Verdict: reply.Rejected, Findings: []reply.Finding{uapi}})}
}

// sendMails submits msgs on one session, stopping at the first
// failure: the SMTP half of Send without a store.
func sendMails(ctx context.Context, cfg SMTPConfig, msgs ...*reply.Mail) error {
	s, err := dial(ctx, cfg)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if err := s.Send(ctx, m); err != nil {
			s.Close()
			return err
		}
	}
	return s.Close()
}
