package triage_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source/mboxsrc"
	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/ingest"
	"github.com/prtrack/prtrack/tracker/triage"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// rdmaYears is the configuration the real list needs over 2019–2026:
// every address the RDMA maintainers wrote from.
var rdmaYears = &triage.Config{Maintainers: []string{"dledford@redhat.com", "jgg@mellanox.com", "jgg@nvidia.com",
	"jgg@ziepe.ca", "leon@kernel.org", "leonro@nvidia.com", "leonro@mellanox.com"}}

// TestCorpusRolesAndStates ingests real linux-rdma mail and compares
// every pull request's role and the state its thread gives it with a
// table built by hand from the mail (who sent it to whom, how the
// thread ended), kept as a golden file: testdata/<corpus>.states.
func TestCorpusRolesAndStates(t *testing.T) {
	for _, name := range []string{"linux-rdma-2022.mbox.gz", "pulls-2019-2023.mbox.gz"} {
		t.Run(name, func(t *testing.T) {
			st := ingestCorpus(t, name)
			got := statesTable(t, st)
			golden := filepath.Join("testdata", strings.TrimSuffix(name, ".mbox.gz")+".states")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("roles and states differ from %s (go test -update, then review the diff):\n%s", golden, diffLines(string(want), got))
			}
		})
	}
}

func ingestCorpus(t *testing.T, name string) *tracker.Store {
	t.Helper()
	path := sourcetest.CorpusFile(t, name)
	st, err := tracker.Open(filepath.Join(t.TempDir(), "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	src, err := mboxsrc.Open(context.Background(), path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := ingest.Run(context.Background(), st, src, nil); err != nil {
		t.Fatal(err)
	}
	err = st.Update(func(tx *tracker.Tx) error {
		if _, err := rdmaYears.Apply(tx, nil); err != nil {
			return err
		}
		again, err := rdmaYears.Apply(tx, nil)
		if len(again) > 0 {
			return fmt.Errorf("a second Apply changed %+v", again)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// statesTable is one line per pull request: Message-ID, role, state,
// and for superseded ones the Message-ID of the replacement.
func statesTable(t *testing.T, st *tracker.Store) string {
	t.Helper()
	var b strings.Builder
	err := st.View(func(tx *tracker.Tx) error {
		recs, err := tx.PullRequests()
		byID := map[uint64]string{}
		for _, r := range recs {
			byID[r.ID] = r.MessageID
		}
		for _, r := range recs {
			fmt.Fprintf(&b, "%s\t%s\t%s", r.MessageID, r.Role, r.State)
			if r.SupersededBy != 0 {
				fmt.Fprintf(&b, "\tby %s", byID[r.SupersededBy])
			}
			b.WriteByte('\n')
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			fmt.Fprintf(&b, "- %s\n+ %s\n", a, c)
		}
	}
	return b.String()
}
