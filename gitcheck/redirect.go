package gitcheck

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// httpPolicy is what one checker allows an http(s) fetch: the hosts
// a redirect may lead to (those of its URL policy; go-git follows a
// server's redirect before any of our checks see the new address, so
// without this a mail URL on an allowed host could send the fetch
// anywhere) and the bounds of the ref advertisement. go-git's
// transports are process-wide, so the policy travels with each
// request's context: two checkers in one process keep their own.
type httpPolicy struct {
	hosts []string
	refs  refLimits
}

type httpPolicyKey struct{}

// withHTTPPolicy returns ctx carrying p for the requests made under it.
func withHTTPPolicy(ctx context.Context, p httpPolicy) context.Context {
	return context.WithValue(ctx, httpPolicyKey{}, p)
}

// policyOf returns the policy of req's context; a request made without
// one may not be redirected to another host and has default ref limits.
func policyOf(req *http.Request) httpPolicy {
	p, ok := req.Context().Value(httpPolicyKey{}).(httpPolicy)
	if !ok {
		p.refs = defaultRefLimits()
	}
	return p
}

var installRedirectGuard sync.Once

// guardRedirects installs, once per process, http and https transports
// that apply the policy of each request's context.
func guardRedirects() {
	installRedirectGuard.Do(func() {
		c := githttp.NewClient(&http.Client{CheckRedirect: checkRedirect,
			Transport: advertTransport{base: http.DefaultTransport}})
		client.InstallProtocol("http", c)
		client.InstallProtocol("https", c)
	})
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	host := strings.ToLower(req.URL.Hostname())
	ok := slices.Contains(policyOf(req).hosts, host)
	if len(via) > 0 && strings.EqualFold(via[0].URL.Hostname(), host) {
		ok = true // a redirect within the host that was allowed
	}
	if !ok {
		return fmt.Errorf("gitcheck: redirect to %s refused: host not allowed", req.URL.Host)
	}
	return nil
}
