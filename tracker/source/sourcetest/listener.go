package sourcetest

import (
	"net"
	"sync/atomic"
	"testing"
)

// CountConns listens on 127.0.0.1 until the test ends, closes every
// connection at once and counts them: a test that must touch no server
// points its client at addr and checks that count() stays 0.
func CountConns(tb testing.TB) (addr string, count func() int32) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	var conns atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	return ln.Addr().String(), conns.Load
}
