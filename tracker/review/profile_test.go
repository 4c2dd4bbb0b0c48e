package review

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/window"
)

const rdmaCoreBase = "1111111111111111111111111111111111111111"

func defaultSelector() *Selector {
	return &Selector{Profiles: gitcheck.DefaultProfiles(gitcheck.Config{}), TreesHolding: func(c string) ([]string, error) {
		if c == rdmaCoreBase {
			return []string{"rdma-core"}, nil
		}
		return nil, errors.New("not in the fixture")
	}}
}

func TestProfileFor(t *testing.T) {
	tests := []struct {
		url, ref, base, want, why string
	}{
		{"git://git.kernel.org/pub/scm/linux/kernel/git/mellanox/linux.git", "mlx5-next", "", "shared", "ref mlx5-next fit"},
		{"https://git.kernel.org/pub/scm/linux/kernel/git/mellanox/linux.git/", "refs/heads/mlx5-next", "", "shared", "fit the shared"},
		{"git://git.kernel.org/pub/scm/linux/kernel/git/mellanox/linux.git", "tags/mlx5-next-2024-05-01", "", "shared", "tags/mlx5-next-2024-05-01"},
		{"git://git.kernel.org/pub/scm/linux/kernel/git/mellanox/linux.git", "mlx5-fixes", "", "driver", "no profile"},
		{"https://github.com/linux-rdma/rdma-core.git", "master", "", "rdma-core", "fit the rdma-core"},
		{"https://github.com/someone/rdma-core", "mlx5-dc", rdmaCoreBase, "rdma-core", "base 111111111111 is in rdma-core"},
		{"https://github.com/someone/rdma-core", "mlx5-dc", "2222222222222222222222222222222222222222", "driver", "no profile"},
		{"git://git.kernel.org/pub/scm/linux/kernel/git/rdma/rdma.git", "tags/for-next", "", "driver", "no profile"},
	}
	for _, tt := range tests {
		rec := &tracker.PullRequestRecord{Role: tracker.RoleIncoming, Pull: mailparse.PullRequest{URL: tt.url, Ref: tt.ref, Base: tt.base}}
		name, why, err := profileFor(rec, defaultSelector())
		if err != nil || name != tt.want || !strings.Contains(why, tt.why) {
			t.Errorf("%s %s: profile %q (%s, %v), want %q (%s)", tt.url, tt.ref, name, why, err, tt.want, tt.why)
		}
	}
	if _, _, err := profileFor(&tracker.PullRequestRecord{Role: tracker.RoleUpstream}, defaultSelector()); err == nil {
		t.Errorf("an own pull request was given a profile")
	}
}

func TestRunRecordsProfileAndWhy(t *testing.T) {
	st := newStore(t)
	defer st.Close()
	id := addPull(t, st, "shared@example.org", "")
	sel := &Selector{Profiles: []gitcheck.Profile{{Name: "dev", SelectURLs: []string{"git.kernel.org/pub/scm/linux/kernel/git/dev/linux"},
		SelectRefs: []string{"for-next"}}}}
	o := checkOnce(t, st, id, clean, &Options{Profiles: sel})
	if o.Profile != "dev" || o.Verdict.Profile != "dev" {
		t.Fatalf("outcome profile %q, checked by %q, want dev", o.Profile, o.Verdict.Profile)
	}
	var d *Detail
	err := st.View(func(tx *tracker.Tx) error {
		evs, err := tx.Events(id)
		d = LastDetail(evs)
		return err
	})
	if err != nil || d == nil || d.Profile != "dev" || !strings.Contains(d.ProfileWhy, "ref for-next fit the dev profile") {
		t.Errorf("recorded detail %+v, %v", d, err)
	}
}

func TestRebasedSharedReplySaysWhatToDo(t *testing.T) {
	st := newStore(t)
	defer st.Close()
	id := addPull(t, st, "rebased@example.org", "")
	rebased := &gitcheck.Verdict{Status: gitcheck.Rejected, Findings: []gitcheck.Finding{{
		Code: gitcheck.CodeRebasedShared, Severity: gitcheck.Error, Commit: "0d1f191f6816", Subject: "net/mlx5: query the port",
		Message: "was already pulled", Pulled: &gitcheck.PulledCommit{Commit: "d39495d4abd8", Subject: "net/mlx5: query the port",
			Trees: []string{"net-next", "rdma"}}}, {
		Code: gitcheck.CodeBaseNotTag, Severity: gitcheck.Error, Commit: "7238154c876f", Message: "base is not a tag"}}}
	opts := replying()
	opts.Profiles = &Selector{Profiles: []gitcheck.Profile{{Name: gitcheck.ProfileShared,
		SelectURLs: []string{"git.kernel.org/pub/scm/linux/kernel/git/dev/linux"}}}}
	o := checkOnce(t, st, id, rebased, opts)
	if o.Draft == nil {
		t.Fatalf("no reply drafted: %+v", o)
	}
	body := strings.Join(strings.Fields(string(o.Draft.Raw)), " ")
	for _, want := range []string{
		"against the rules for shared branches",
		"Do not rebase for-next: commit 0d1f191f6816 was already pulled into net-next and rdma as d39495d4abd8; send the branch again on top of d39495d4abd8",
		"Base the shared branch on a mainline release tag (vX.Y or vX.Y-rcN)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("reply lacks %q:\n%s", want, o.Draft.Raw)
		}
	}
}

func TestRdmaCorePullHasNoMergeWindow(t *testing.T) {
	st := newStore(t)
	defer st.Close()
	id := addPull(t, st, "core@example.org", "")
	cal := window.NewCalendar([]window.Tag{{Name: "v6.9-rc1", Date: time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)}}, 0)
	sel := &Selector{Profiles: []gitcheck.Profile{{Name: gitcheck.ProfileRdmaCore,
		SelectURLs: []string{"git.kernel.org/pub/scm/linux/kernel/git/dev/linux"}}}}
	if o := checkOnce(t, st, id, clean, &Options{Calendar: cal, Profiles: sel}); o.Target != nil {
		t.Errorf("an rdma-core pull request targets kernel window %+v", o.Target)
	}
	if o := checkOnce(t, st, id, clean, &Options{Calendar: cal}); o.Target == nil {
		t.Errorf("a driver pull request has no merge window")
	}
}
