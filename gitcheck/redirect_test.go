package gitcheck

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRedirectToAnotherHostIsRefused serves a mail URL on an allowed
// host that redirects to a host the policy does not allow: the fetch
// fails without following it.
func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	followed := false
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed = true
		http.NotFound(w, r)
	}))
	defer elsewhere.Close()
	// The same server seen as "localhost" is another host to the policy.
	target := strings.Replace(elsewhere.URL, "127.0.0.1", "localhost", 1)
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+r.URL.Path+"?"+r.URL.RawQuery, http.StatusFound)
	}))
	defer redirector.Close()

	e := newEnv(t, func(c *Config) { c.Schemes = []string{"git", "http"} })
	pr := e.request(t, "clean")
	pr.URL = redirector.URL + "/driver.git"
	v := e.check(t, pr)
	if v.Status != Unchecked || !hasCode(v, CodeFetchFailed) || !strings.Contains(v.Reason, "redirect") {
		t.Fatalf("verdict %s %q, want fetch-failed naming the refused redirect", v.Status, v.Reason)
	}
	if followed {
		t.Error("the redirect was followed to a host outside the policy")
	}
}

func hasCode(v *Verdict, c Code) bool {
	for _, f := range v.Findings {
		if f.Code == c {
			return true
		}
	}
	return false
}
