package gitcheck

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRedirectToAnotherHostIsRefused serves a mail URL on an allowed
// host that redirects to a host the policy does not allow: the fetch
// fails without following it.
func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	redirector, count := redirectElsewhere(t)
	e := newEnv(t, func(c *Config) { c.Schemes = []string{"git", "http"} })
	pr := e.request(t, "clean")
	pr.URL = redirector.URL + "/driver.git"
	v := e.check(t, pr)
	if v.Status != Unchecked || !hasCode(v, CodeFetchFailed) || !strings.Contains(v.Reason, "redirect") {
		t.Fatalf("verdict %s %q, want fetch-failed naming the refused redirect", v.Status, v.Reason)
	}
	if count() != 0 {
		t.Error("the redirect was followed to a host outside the policy")
	}
}

// redirectElsewhere serves a redirect of every request to another
// server, seen as "localhost" (another host to a policy that allows
// 127.0.0.1), and counts the requests that reached it.
func redirectElsewhere(t *testing.T) (*httptest.Server, func() int64) {
	var followed atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed.Add(1)
		http.NotFound(w, r)
	}))
	t.Cleanup(elsewhere.Close)
	target := strings.Replace(elsewhere.URL, "127.0.0.1", "localhost", 1)
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+r.URL.Path+"?"+r.URL.RawQuery, http.StatusFound)
	}))
	t.Cleanup(redirector.Close)
	return redirector, followed.Load
}

func hasCode(v *Verdict, c Code) bool {
	for _, f := range v.Findings {
		if f.Code == c {
			return true
		}
	}
	return false
}

// TestRedirectPolicyIsPerChecker: the host list a redirect may lead to
// belongs to each checker, not to the last one opened in the process.
// A checker that allows "localhost", opened after one that does not,
// does not widen the first one's policy.
func TestRedirectPolicyIsPerChecker(t *testing.T) {
	redirector, followed := redirectElsewhere(t)
	strict := newEnv(t, func(c *Config) { c.Schemes = []string{"git", "http"} })
	wide := newEnv(t, func(c *Config) {
		c.Schemes = []string{"git", "http"}
		c.Hosts = []string{"127.0.0.1", "localhost"}
	})
	pr := strict.request(t, "clean")
	pr.URL = redirector.URL + "/driver.git"
	if v := strict.check(t, pr); !strings.Contains(v.Reason, "redirect") || followed() != 0 {
		t.Fatalf("strict checker: verdict %s %q, %d requests followed; want the redirect refused", v.Status, v.Reason, followed())
	}
	if v := wide.check(t, pr); strings.Contains(v.Reason, "redirect to") || followed() == 0 {
		t.Fatalf("wide checker: verdict %s %q, %d requests followed; want the redirect followed", v.Status, v.Reason, followed())
	}
}
