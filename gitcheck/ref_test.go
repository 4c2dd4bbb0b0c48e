package gitcheck

import (
	"slices"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source/sourcetest"

	"github.com/prtrack/prtrack/mailparse"
)

// TestBadRefRefusedBeforeNetwork: refs that could be options, walk out
// of the ref namespace or carry control characters are refused with
// the URL, before anything connects.
func TestBadRefRefusedBeforeNetwork(t *testing.T) {
	e := newEnv(t, nil)
	lnAddr, conns := sourcetest.CountConns(t)
	url := "git://" + lnAddr + "/driver.git"
	for _, ref := range []string{"--upload-pack=touch /tmp/x", "-x", "../../x", "refs/heads/../../x",
		"for-next\x1b]0;title\x07", "a b", "x:y", "x\\y", "x~1", "x^", "x?", "x*", "x[", "x@{1}",
		"x.lock", "x/", "/x", "x//y", "x/.hidden", ".x"} {
		v := e.check(t, &mailparse.PullRequest{URL: url, Ref: ref})
		if v.Status != Rejected || !slices.Equal(codes(v), []Code{CodeURLRefused}) {
			t.Errorf("ref %q: verdict %+v", ref, v)
		}
	}
	if n := conns(); n != 0 {
		t.Errorf("%d connections made for refused refs", n)
	}
	for _, ref := range []string{"", "HEAD", "for-next", "tags/mlx5-next-2024-03-11", "refs/heads/for-rc", "v6.9-rc1"} {
		if err := CheckRef(ref); err != nil {
			t.Errorf("CheckRef(%q) = %v", ref, err)
		}
	}
}
