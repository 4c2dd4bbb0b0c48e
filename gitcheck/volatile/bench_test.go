package volatile

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
)

// BenchmarkRebuild10 rebuilds the volatile tree of ten pending pull
// requests (the four of the fixture, six more clean ones): ten merges
// onto the base, 36 pairwise trial merges among the nine that merge
// onto it alone, then the sequence, without the cache (every merge
// runs). Small trees: it measures the cost of the git processes, not of
// merging a kernel; BenchmarkKernel measures rebuilds as users meet
// them.
func BenchmarkRebuild10(b *testing.B) {
	v, err := gitfixture.BuildVolatileN(context.Background(), filepath.Join(b.TempDir(), "prtrack.git"), 6)
	if err != nil {
		b.Skip(err)
	}
	var in []Input
	for _, p := range v.Pending {
		in = append(in, Input{ID: p.ID, MessageID: fmt.Sprintf("%s@example.org", p.Name), Tip: p.Tip, Subject: p.Subject})
	}
	var pairs int
	for b.Loop() {
		r, err := Build(context.Background(), Options{Repo: v.Dir, NoCache: true}, in)
		if err != nil {
			b.Fatal(err)
		}
		pairs = r.PairsChecked
	}
	b.ReportMetric(float64(pairs), "pairs/op")
}
