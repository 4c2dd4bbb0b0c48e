package tracker

import (
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkSeen measures deduplication during ingestion: each message
// is looked up with Seen and recorded with MarkSeen, 1000 messages per
// transaction.
func BenchmarkSeen(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "prtrack.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const batch = 1000
	hash := HashRaw([]byte("message"))
	b.ResetTimer()
	for n := 0; n < b.N; n += batch {
		err := s.Update(func(tx *Tx) error {
			for i := n; i < n+batch && i < b.N; i++ {
				mid := fmt.Sprintf("%08d.%d@mail.example.org", i*7919%100000000, i)
				if _, ok := tx.Seen(mid); ok {
					return fmt.Errorf("%s seen twice", mid)
				}
				info := SeenInfo{Hash: hash, SourceKey: "mbox:/bench", Where: "bench"}
				if err := tx.MarkSeen(mid, info); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
