package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestHostileMailRendersInert loads every page showing the hostile
// pull request: no markup from mail survives, no javascript: link is
// made, and the text is still shown, escaped.
func TestHostileMailRendersInert(t *testing.T) {
	_, srv := newTestSite(t, nil)
	for _, path := range []string{"/", "/?q=script", "/pr/3.html", "/feed.atom", "/pr/3.atom"} {
		body := getOK(t, srv, path)
		for _, bad := range []string{"<script", "<img", "<b>evil", `href="javascript:`, "href='javascript:", "</pre><"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", path, bad)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("%s does not show the hostile subject as text", path)
		}
	}
	page := getOK(t, srv, "/pr/3.html")
	for _, want := range []string{
		"<code>javascript:alert(document.domain)//git.example.org/x.git</code>",
		"<code>javascript:document.body.dataset.pwned=&#39;ref&#39;</code>",
		"&lt;/pre&gt;&lt;script&gt;alert(1);",
		"&#34;&gt;&lt;img src=x onerror=&#34;document.body.dataset.pwned=&#39;name&#39;&#34;&gt;",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the hostile page does not show %q as text", want)
		}
	}
}

var href = regexp.MustCompile(`href="([^"]*)"`)

// TestOnlyArchiveAndOwnLinks checks every link on the pages: relative
// links to the site itself, or the archive; none from mail.
func TestOnlyArchiveAndOwnLinks(t *testing.T) {
	_, srv := newTestSite(t, nil)
	for _, path := range []string{"/", "/?role=foreign", "/pr/1.html", "/pr/2.html", "/pr/3.html", "/pr/6.html"} {
		for _, m := range href.FindAllStringSubmatch(getOK(t, srv, path), -1) {
			u := m[1]
			if strings.HasPrefix(u, DefaultArchive) || !strings.Contains(u, ":") && !strings.HasPrefix(u, "//") {
				continue
			}
			t.Errorf("%s links to %q", path, u)
		}
	}
	a, err := newArchive("")
	if err != nil {
		t.Fatal(err)
	}
	if got := a.link("<a/b?c#d@x>"); got != "https://lore.kernel.org/r/a%2Fb%3Fc%23d@x" {
		t.Errorf("link = %q", got)
	}
}

func TestHeadersAndReadOnly(t *testing.T) {
	_, srv := newTestSite(t, nil)
	for _, path := range []string{"/", "/pr/1.html", "/style.css", "/feed.atom", "/api/pulls.json", "/nothing"} {
		resp, _ := get(t, srv, path)
		if got := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(got, "default-src 'none'; style-src 'self'; img-src 'self'") {
			t.Errorf("%s: Content-Security-Policy %q", path, got)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", path, got)
		}
	}
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, "PROPFIND"} {
		req, _ := http.NewRequest(method, srv.URL+"/", strings.NewReader("x=1"))
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s /: %s, Allow %q", method, resp.Status, resp.Header.Get("Allow"))
		}
	}
	resp, err := srv.Client().Head(srv.URL + "/pr/1.html")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("HEAD: %v %v", resp, err)
	}
}
