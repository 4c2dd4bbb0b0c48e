package imapsrc

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

// stallServer accepts connections, sends greeting (if not empty), then
// reads and never answers.
func stallServer(t *testing.T, greeting string) string {
	t.Helper()
	addr, _ := sourcetest.Listen(t, func(c net.Conn) {
		defer c.Close()
		c.Write([]byte(greeting))
		buf := make([]byte, 512)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	})
	return addr
}

func TestTimeouts(t *testing.T) {
	ctx := context.Background()
	noGreeting := stallServer(t, "")
	opts := &Options{AllowPlaintext: true, DialTimeout: 200 * time.Millisecond, CommandTimeout: 200 * time.Millisecond}
	if _, err := Open(ctx, mustURL(t, "imap://u@"+noGreeting), "p", nil, opts); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Open on a server without greeting = %v, want DeadlineExceeded", err)
	}
	noAnswer := stallServer(t, "* OK ready\r\n")
	if _, err := Open(ctx, mustURL(t, "imap://u@"+noAnswer), "p", nil, opts); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Open on a server that never answers = %v, want DeadlineExceeded", err)
	}
}

func TestFetchTimeout(t *testing.T) {
	addr, user := memServer(t, nil)
	user.Create("INBOX", nil)
	appendMsgs(t, client(t, addr, nil, "u", "p"), "INBOX", samples(0, 2))
	ctx := context.Background()
	src, err := Open(ctx, mustURL(t, "imap://u@"+addr), "p", nil, &Options{AllowPlaintext: true, FetchTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	time.Sleep(400 * time.Millisecond)
	if _, err := src.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Next after FetchTimeout = %v, want DeadlineExceeded", err)
	}
	if _, err := src.Next(ctx); err == nil {
		t.Error("Next after an error succeeded")
	}
}
