package reply

import "testing"

// BenchmarkDraft measures drafting a rejected reply, the longest kind.
func BenchmarkDraft(b *testing.B) {
	m, p := loadSample(b, "hns-v2")
	in := Input{Message: m, Pull: p, Verdict: Rejected, Findings: []Finding{uapiFinding, outsideFinding}}
	for b.Loop() {
		if _, err := Draft(in, maintainer, draftTime); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "drafts/s")
}
