package gitcheck

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// redirectHosts are the hosts an http(s) fetch may be redirected to:
// those of the URL policy. go-git follows a server's redirect before
// any of our checks see the new address, so without this a mail URL on
// an allowed host could send the fetch anywhere.
var redirectHosts struct {
	sync.Mutex
	hosts []string
}

var installRedirectGuard sync.Once

// guardRedirects installs, once per process, http and https transports
// that refuse redirects to hosts outside the policy, and sets the
// allowed hosts (go-git's transports are process-wide).
func guardRedirects(hosts []string) {
	redirectHosts.Lock()
	redirectHosts.hosts = slices.Clone(hosts)
	redirectHosts.Unlock()
	installRedirectGuard.Do(func() {
		c := githttp.NewClient(&http.Client{CheckRedirect: checkRedirect,
			Transport: advertTransport{base: http.DefaultTransport}})
		client.InstallProtocol("http", c)
		client.InstallProtocol("https", c)
	})
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	host := strings.ToLower(req.URL.Hostname())
	redirectHosts.Lock()
	ok := slices.Contains(redirectHosts.hosts, host)
	redirectHosts.Unlock()
	if len(via) > 0 && strings.EqualFold(via[0].URL.Hostname(), host) {
		ok = true // a redirect within the host that was allowed
	}
	if !ok {
		return fmt.Errorf("gitcheck: redirect to %s refused: host not allowed", req.URL.Host)
	}
	return nil
}
