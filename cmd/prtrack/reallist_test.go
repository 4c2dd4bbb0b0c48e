package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
)

// offlineConfig is a maintainer's configuration for the real list on a
// machine with no network: every accepted tree is unreachable (nothing
// listens on port 1), replies have an identity, and both corpus files
// are the sources.
func offlineConfig(t *testing.T, extra string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("[check]\n\tfetchTimeout = 2s\n\ttreeTimeout = 2s\n")
	for _, tree := range []string{"linus", "net", "net-next", "rdma"} {
		fmt.Fprintf(&b, "[tree %q]\n\turl = git://127.0.0.1:1/%s.git\n\tref = refs/heads/master\n", tree, tree)
	}
	b.WriteString("[reply]\n\tfrom = Jason Gunthorpe <jgg@nvidia.com>\n")
	b.WriteString("[track]\n")
	for _, m := range []string{"dledford@redhat.com", "jgg@mellanox.com", "jgg@nvidia.com", "jgg@ziepe.ca", "leon@kernel.org", "leonro@nvidia.com", "leonro@mellanox.com"} {
		fmt.Fprintf(&b, "\tmaintainer = %s\n", m)
	}
	b.WriteString(extra)
	b.WriteString("[source]\n")
	for _, f := range []string{"linux-rdma-2022.mbox.gz", "pulls-2019-2023.mbox.gz"} {
		fmt.Fprintf(&b, "\tmbox = %s\n", sourcetest.CorpusFile(t, f))
	}
	return configFile(t, b.String())
}

// TestRealHistoryRunDraftsNothing is the first day of a new maintainer
// on the real list: seven years of history, no network. prtrack must
// draft no reply at all, and report nothing as outstanding that the
// thread shows was merged, pulled or superseded. It holds with the
// default horizon (the cycle is unknown: everything is history) and
// with a horizon years back and no age limit, where only the rule that
// prtrack's own trouble never reaches a sender stands between seven
// years of history and the senders' inboxes.
func TestRealHistoryRunDraftsNothing(t *testing.T) {
	for name, extra := range map[string]string{
		"default horizon":       "",
		"horizon 2019, any age": "\tsince = 2019-01-01\n[reply]\n\tmaxAge = 100000d\n",
	} {
		t.Run(name, func(t *testing.T) {
			cfg := offlineConfig(t, extra)
			first := run(t, "", "run", "--config", cfg)
			if first.code != 1 || !strings.Contains(first.out, "FAILED: tree linus") || !strings.Contains(first.out, "new           142 ") {
				t.Fatalf("first run: exit %d\n%s\n%s", first.code, first.out, first.err)
			}
			if !strings.Contains(first.out, "drafted       0") {
				t.Errorf("the first run drafted replies:\n%s", first.out)
			}
			if r := run(t, "", "replies", "--config", cfg); !strings.Contains(r.out, "no replies drafted") {
				t.Errorf("replies:\n%s", r.out)
			}
			before := run(t, "", "list", "--all", "--json", "--config", cfg).out
			second := run(t, "", "run", "--config", cfg)
			if !strings.Contains(second.out, "new           0") || !strings.Contains(second.out, "drafted       0") {
				t.Errorf("second run:\n%s", second.out)
			}
			if after := run(t, "", "list", "--all", "--json", "--config", cfg).out; after != before {
				t.Errorf("a second run changed the pull requests")
			}
			checkReportSettled(t, cfg, extra == "")
		})
	}
}

// checkReportSettled reads the report and fails on any outstanding
// pull request whose thread settled it, and on anything from 2022
// (where every thread did); when everything is history, on any change
// listed as news.
func checkReportSettled(t *testing.T, cfg string, allHistory bool) {
	t.Helper()
	r := run(t, "", "report", "--json", "--config", cfg)
	var rep review.Report
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatalf("report --json: %v\n%s", err, r.out)
	}
	if allHistory { // the first run settles years of history: not news
		for _, c := range rep.Changes {
			t.Errorf("a change of history listed as news: #%d %s -> %s %s", c.ID, c.From, c.To, c.Subject)
		}
		if rep.HistoryChanged == 0 {
			t.Error("the history's settlement is not counted")
		}
	}
	for _, g := range rep.Windows {
		for _, v := range g.Incoming {
			if v.State.Settled() || v.State == tracker.StatePulled || v.Date.Year() == 2022 {
				t.Errorf("outstanding in the report: #%d %s %s %s", v.ID, v.State, v.Date.Format("2006-01-02"), v.Subject)
			}
		}
	}
}
