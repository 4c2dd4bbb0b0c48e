package gitcheck

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// advertTransport bounds the ref advertisement of smart HTTP: the body
// of GET .../info/refs.
type advertTransport struct {
	base http.RoundTripper
}

func (t advertTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, "/info/refs") {
		return resp, err
	}
	resp.Body = newAdvertBody(resp.Body, policyOf(req).refs)
	return resp, nil
}

// advertBody is an info/refs body read within the ref limits.
type advertBody struct {
	io.ReadCloser
	adv      *advertReader
	timer    *time.Timer
	timedOut atomic.Bool
}

func newAdvertBody(body io.ReadCloser, lim refLimits) *advertBody {
	b := &advertBody{ReadCloser: body}
	b.adv = &advertReader{r: body, lim: lim, skip: 1, done: func() { b.timer.Stop() }}
	b.timer = time.AfterFunc(lim.timeout, func() { b.timedOut.Store(true); body.Close() })
	return b
}

func (b *advertBody) Read(p []byte) (int, error) {
	n, err := b.adv.Read(p)
	if err != nil && b.timedOut.Load() {
		return n, fmt.Errorf("%w: not over after %v", ErrRefLimit, b.adv.lim.timeout)
	}
	return n, err
}

func (b *advertBody) Close() error {
	b.timer.Stop()
	return b.ReadCloser.Close()
}
