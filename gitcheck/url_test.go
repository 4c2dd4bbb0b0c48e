package gitcheck

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source/sourcetest"

	"github.com/prtrack/prtrack/mailparse"
)

var strictPolicy = URLPolicy{Schemes: []string{"git", "https"}, Hosts: []string{"git.kernel.org", "github.com"}}

func TestCheckURLAccepts(t *testing.T) {
	tests := []struct{ in, want string }{
		{"git://git.kernel.org/pub/scm/linux/kernel/git/rdma/rdma.git", "git://git.kernel.org/pub/scm/linux/kernel/git/rdma/rdma.git"},
		{"https://git.kernel.org/pub/scm/linux/kernel/git/netdev/net-next.git", "https://git.kernel.org/pub/scm/linux/kernel/git/netdev/net-next.git"},
		{"HTTPS://GitHub.com/linux-rdma/rdma-core", "https://GitHub.com/linux-rdma/rdma-core"},
	}
	for _, tt := range tests {
		got, err := CheckURL(tt.in, strictPolicy)
		if err != nil || got != tt.want {
			t.Errorf("CheckURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	ssh := URLPolicy{Schemes: []string{"ssh"}, Hosts: []string{"gitolite.kernel.org"}}
	for _, in := range []string{"git@gitolite.kernel.org:pub/scm/linux.git", "git+ssh://git@gitolite.kernel.org/pub/scm/linux.git"} {
		got, err := CheckURL(in, ssh)
		if err != nil || got != "ssh://git@gitolite.kernel.org/pub/scm/linux.git" {
			t.Errorf("CheckURL(%q) = %q, %v", in, got, err)
		}
	}
}

// hostileURLs are refused whatever the policy allows.
var hostileURLs = []string{
	"",
	"/srv/git/linux.git",
	"../linux.git",
	"linux.git",
	"file:///srv/git/linux.git",
	"file://127.0.0.1/srv/git/linux.git",
	"ext::sh -c touch% /tmp/pwned",
	"ext::ssh -oProxyCommand=evil 127.0.0.1",
	"fd::17",
	"-oProxyCommand=touch /tmp/pwned",
	"ssh://-oProxyCommand=evil/repo",
	"ssh://-oProxyCommand=evil@127.0.0.1/repo",
	"-u:repo",
	"127.0.0.1:-upload-pack=touch",
	"git://127.0.0.1/-repo.git",
	"git://127.0.0.1/a/../../etc",
	"git://127.0.0.1/",
	"git://127.0.0.1/repo.git?x=1",
	"git://127.0.0.1/repo.git#frag",
	"git://127.0.0.1/repo.git --upload-pack=touch",
	"https://user:pass@127.0.0.1/repo.git",
	"C:\\linux",
	"http://127.0.0.1/repo.git",
	"ssh://127.0.0.1/repo.git",
	"git://evil.example.org/repo.git",
	"git://127.0.0.1.evil.org/repo.git",
	"git://127.0.0.1\x00/repo.git",
}

func TestCheckURLRefusesHostileForms(t *testing.T) {
	p := URLPolicy{Schemes: []string{"git", "https"}, Hosts: []string{"127.0.0.1"}}
	for _, in := range hostileURLs {
		if got, err := CheckURL(in, p); !errors.Is(err, ErrURLRefused) {
			t.Errorf("CheckURL(%q) = %q, %v; want refused", in, got, err)
		}
	}
}

// TestHostileURLsTouchNothing checks pull requests whose URLs name a
// listening server in every hostile form: nothing may connect to it.
func TestHostileURLsTouchNothing(t *testing.T) {
	lnAddr, conns := sourcetest.CountConns(t)
	c, err := New(Config{Repo: filepath.Join(t.TempDir(), "r.git"), Hosts: []string{"127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	addr := lnAddr
	urls := append(slices.Clone(hostileURLs),
		"ssh://"+addr+"/repo.git", "http://"+addr+"/repo.git", "file://"+addr+"/repo.git",
		"git://"+addr+"/-oProxyCommand=x", "ext::git://"+addr+"/repo.git")
	for _, u := range urls {
		v, err := c.Check(context.Background(), "hostile", &mailparse.PullRequest{URL: u, Ref: "master"})
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != Rejected || !slices.Equal(codes(v), []Code{CodeURLRefused}) || v.Tip != "" {
			t.Errorf("%q: verdict %+v", u, v)
		}
	}
	if n := conns(); n != 0 {
		t.Errorf("%d connections reached the server", n)
	}
}
