package sourcetest

import (
	"net"
	"sync/atomic"
	"testing"
)

// Listen serves 127.0.0.1 until the test ends, handing each
// connection to handle on its own goroutine. It returns the address and
// the number of connections accepted so far, counted as each is
// accepted, before handle runs.
func Listen(tb testing.TB, handle func(net.Conn)) (addr string, accepted func() int32) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	var n atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			go handle(c)
		}
	}()
	return ln.Addr().String(), n.Load
}

// CountConns listens on 127.0.0.1 until the test ends, closes every
// connection at once and counts them: a test that must touch no server
// points its client at addr and checks that count() stays 0.
func CountConns(tb testing.TB) (addr string, count func() int32) {
	tb.Helper()
	return Listen(tb, func(c net.Conn) { c.Close() })
}
