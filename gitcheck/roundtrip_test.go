package gitcheck

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/mailparse"
)

// TestRequestPullRoundTrip renders samples' mail, parses it as prtrack
// does and checks it: the diffstat of real request-pull output agrees,
// and is not compared when the branch moved after sending.
func TestRequestPullRoundTrip(t *testing.T) {
	e := newEnv(t, nil)
	want := map[string][]Code{"clean": nil, "tag": nil, "merge-net-next": nil,
		"rebased": {CodeTipMismatch}, "uapi": {CodeUAPIChange}}
	for name, codesWanted := range want {
		s, _ := e.k.Sample(name)
		text, err := e.k.RequestPull(t.Context(), s, e.srv.RepoURL(s.Repo))
		if err != nil {
			t.Fatal(err)
		}
		pr := mailparse.ExtractText(text)
		if pr == nil || pr.Tip != s.Tip || pr.Ref != s.Ref || len(pr.Diffstat.Files) == 0 {
			t.Fatalf("%s: parsed %+v from\n%s", name, pr, text)
		}
		if v := e.check(t, pr); !slices.Equal(codes(v), codesWanted) {
			t.Errorf("%s: findings %v, want %v", name, codes(v), codesWanted)
		}
	}
}

func TestVerdictJSONAndSummary(t *testing.T) {
	e := newEnv(t, nil)
	v := e.check(t, e.request(t, "out-of-scope"))
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back Verdict
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Status != Rejected || back.Findings[0].Code != CodeOutOfScope || back.Driver != "hns" {
		t.Errorf("round trip %+v", back)
	}
	sum := v.Summary()
	for _, want := range []string{"pr1: REJECTED (hns, 2 commits)", "out-of-scope", "RDMA/core: export a helper for hns", "drivers/infiniband/core/cm.c"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
}
