package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func newTestSite(t testing.TB, opts *Options) (*Site, *httptest.Server) {
	t.Helper()
	st := openFixtureStore(t)
	buildFixture(t, st, 0)
	if opts == nil {
		opts = &Options{}
	}
	opts.Now = func() time.Time { return epoch }
	s, err := New(st, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, srv
}

func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func getOK(t *testing.T, srv *httptest.Server, path string) string {
	t.Helper()
	resp, body := get(t, srv, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", path, resp.Status, body)
	}
	return body
}

var rowID = regexp.MustCompile(`<tr class="state-[a-z]+" id="pr-(\d+)">`)

// rowIDs lists the pull requests a page lists, in order.
func rowIDs(body string) []string {
	var out []string
	for _, m := range rowID.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestFrontPageShowsOutstandingByWindowRoleState(t *testing.T) {
	_, srv := newTestSite(t, nil)
	body := getOK(t, srv, "/")
	// Outstanding only: not the superseded v1, the merged pull to
	// Linus or another subsystem's.
	if got, want := rowIDs(body), []string{"7", "1", "2", "3", "4"}; !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
	for _, want := range []string{
		"The v6.16 merge window (next)", "No merge window known", "Incoming", "Sent to Linus",
		"clean (2)", "rejected (1)", "waiting (1)", "19 days left", "left out, conflict: mlx5@example.org",
		`<td class="num">2</td>`, "Current cycle: started with <b>v6.15</b>",
		`<a href="?window=v6.16">window v6.16 (5)</a>`, `<a href="?driver=bnxt_re">driver bnxt_re (2)</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("front page lacks %q", want)
		}
	}
	if again := getOK(t, srv, "/index.html"); again != body {
		t.Error("/index.html differs from /")
	}
}

func TestFrontPageFilters(t *testing.T) {
	_, srv := newTestSite(t, nil)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"role=foreign", []string{"8"}},
		{"state=superseded", []string{"6"}},
		{"driver=HNS", []string{"2"}},
		{"sender=selvin", []string{"7", "6"}},
		{"q=%3Cpr3%40example.org%3E", []string{"3"}},
		{"q=uapi+CHANGE", []string{"2"}},
		{"window=unknown&role=upstream", []string{"4", "5"}},
		{"window=v6.16&state=clean", []string{"7", "1"}},
		{"sender=nobody", nil},
	} {
		body := getOK(t, srv, "/?"+tc.query)
		if got := rowIDs(body); !slices.Equal(got, tc.want) {
			t.Errorf("?%s: rows %v, want %v", tc.query, got, tc.want)
		}
	}
}

func TestPullPage(t *testing.T) {
	_, srv := newTestSite(t, nil)
	body := getOK(t, srv, "/pr/2.html")
	for _, want := range []string{
		"uapi-change", "include/uapi/rdma/hns-abi.h", "0123456789ab", "RDMA/hns: new uapi", "out-of-scope",
		`<a href="https://lore.kernel.org/r/re-pr2@example.org">Re: [GIT PULL] hns uapi change</a>`,
		`<a href="https://lore.kernel.org/r/pr2@example.org">pr2@example.org</a>`,
		`<span class="draft-sent">sent</span>`, `<a href="https://lore.kernel.org/r/prtrack-1@example.org">in the archive</a>`,
		"conflicts with mlx5@example.org in drivers/infiniband/core/device.c", `href="../style.css"`, `href="2.atom"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("pull request page lacks %q", want)
		}
	}
	if old := getOK(t, srv, "/pr/6.html"); !strings.Contains(old, `<a href="7.html">#7 [GIT PULL v2] bnxt_re for-next</a>`) {
		t.Error("the superseded pull request does not link to its v2")
	}
	if v2 := getOK(t, srv, "/pr/7.html"); !strings.Contains(v2, `<th>supersedes</th><td><a href="6.html">`) {
		t.Error("the v2 does not link to the pull request it supersedes")
	}
	for _, path := range []string{"/pr/99.html", "/pr/x.html", "/pr/2.exe", "/api/pr/99.json", "/nothing"} {
		if resp, _ := get(t, srv, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s, want 404", path, resp.Status)
		}
	}
}

func TestArchiveIsConfigurable(t *testing.T) {
	_, srv := newTestSite(t, &Options{Archive: "https://archive.example.org/linux-rdma"})
	body := getOK(t, srv, "/pr/1.html")
	if !strings.Contains(body, `href="https://archive.example.org/linux-rdma/pr1@example.org"`) {
		t.Error("the page does not link to the configured archive")
	}
	if _, err := New(nil, &Options{Archive: "javascript:alert(1)"}); err == nil {
		t.Error("a javascript: archive was accepted")
	}
}
