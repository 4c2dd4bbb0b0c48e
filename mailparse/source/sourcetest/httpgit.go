package sourcetest

import (
	"io"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"regexp"
	"testing"
)

// epochPath matches the public-inbox URL of an epoch, /<N>/...
var epochPath = regexp.MustCompile(`^/([0-9]+)(/.*)$`)

// ServeInbox serves the epochs of the v2 inbox at dir over git smart
// HTTP (git http-backend) on 127.0.0.1, as public-inbox-httpd does:
// <base>/N is the repository dir/git/N.git. It returns the base URL;
// the server stops with the test.
func ServeInbox(tb testing.TB, dir string) string {
	tb.Helper()
	git := NeedProgram(tb, "git")
	backend := &cgi.Handler{
		Path:   git,
		Args:   []string{"http-backend"},
		Env:    []string{"GIT_PROJECT_ROOT=" + dir + "/git", "GIT_HTTP_EXPORT_ALL=1"},
		Stderr: io.Discard,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := epochPath.FindStringSubmatch(r.URL.Path)
		if m == nil {
			http.NotFound(w, r)
			return
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + m[1] + ".git" + m[2]
		backend.ServeHTTP(w, r2)
	}))
	tb.Cleanup(srv.Close)
	return srv.URL
}
