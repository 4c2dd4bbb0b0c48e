package gitcheck

import (
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/prtrack/prtrack/mailparse"
)

func TestFetchFailedUnreachable(t *testing.T) {
	e := newEnv(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	v := e.check(t, &mailparse.PullRequest{URL: "git://" + addr + "/driver.git", Ref: "for-next-clean"})
	if v.Status != Unchecked || !slices.Equal(codes(v), []Code{CodeFetchFailed}) || v.Reason == "" {
		t.Fatalf("verdict %+v", v)
	}
}

// TestFetchTimeout points a pull request at a server that accepts and
// never answers.
func TestFetchTimeout(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.FetchTimeout = 300 * time.Millisecond })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent, until the listener closes
		}
	}()
	start := time.Now()
	v := e.check(t, &mailparse.PullRequest{URL: "git://" + ln.Addr().String() + "/driver.git", Ref: "for-next-clean"})
	if v.Status != Unchecked || !slices.Equal(codes(v), []Code{CodeFetchFailed}) ||
		!strings.Contains(v.Reason, "deadline exceeded") {
		t.Fatalf("verdict %+v", v)
	}
	t.Logf("gave up after %v", time.Since(start))
}

func TestFetchTooLarge(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxFetchBytes = 200 })
	v := e.check(t, e.request(t, "clean"))
	if v.Status != Unchecked || !slices.Equal(codes(v), []Code{CodeFetchFailed}) ||
		!strings.Contains(v.Reason, "byte limit of 200 bytes") {
		t.Fatalf("verdict %+v", v)
	}
	if left, _ := filepath.Glob(filepath.Join(e.cfg.Repo, "objects", "pack", "tmp_*")); len(left) > 0 {
		t.Errorf("temporary packs left: %v", left)
	}
	if _, err := e.c.st.s.Reference("refs/prtrack/pr1/heads/for-next-clean"); err == nil {
		t.Error("the refused fetch created the pull request's ref")
	}
}

// TestFetchOffersHeadsAndBase checks what a fetch offers as common
// commits: the accepted branch heads and the base, not every tag.
func TestFetchOffersHeadsAndBase(t *testing.T) {
	e := newEnv(t, nil)
	base := plumbing.NewHash(e.k.Commits["v6.9-rc1"])
	var names []string
	for _, r := range e.c.haves(e.c.tips, base) {
		names = append(names, r.Name().String())
	}
	slices.Sort(names)
	want := []string{"refs/prtrack-have/base", "refs/trees/linus/heads/master", "refs/trees/mlx5-next/heads/mlx5-next",
		"refs/trees/net-next/heads/main", "refs/trees/net/heads/main", "refs/trees/rdma/heads/for-next", "refs/trees/rdma/heads/for-rc"}
	if !slices.Equal(names, want) {
		t.Errorf("haves %v\nwant %v", names, want)
	}
}
