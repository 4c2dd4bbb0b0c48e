package outbox

import (
	"context"
	"net"
	"testing"
	"time"
)

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func TestDialTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err == nil {
			<-time.After(5 * time.Second) // silent: never greets
			c.Close()
		}
	}()
	cfg := SMTPConfig{Server: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, Timeout: 200 * time.Millisecond}
	done := make(chan error, 1)
	go func() { _, err := dial(context.Background(), cfg); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Dial to a silent server succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Dial to a silent server did not give up")
	}
}
