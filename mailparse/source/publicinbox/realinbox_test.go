package publicinbox

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source"
	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

func ids(t *testing.T, items []*source.Item, deleted bool) []string {
	t.Helper()
	var out []string
	for _, it := range items {
		if it.Deleted == deleted {
			out = append(out, sourcetest.MessageID(t, it.Raw))
		}
	}
	slices.Sort(out)
	return out
}

func idsOf(t *testing.T, msgs [][]byte) []string {
	t.Helper()
	var out []string
	for _, m := range msgs {
		out = append(out, sourcetest.MessageID(t, m))
	}
	slices.Sort(out)
	return out
}

// TestRealInbox reads an inbox made by public-inbox-init and
// public-inbox-mda from corpus mail: all of it, then only what was
// delivered since, then a deletion (public-inbox-learn rm), then a
// purge (public-inbox-purge, which rewrites history).
func TestRealInbox(t *testing.T) {
	msgs := sourcetest.CorpusMessages(t, "linux-rdma-2022.mbox.gz", 16)
	ib := sourcetest.NewInbox(t)
	ib.Deliver(t, msgs[:10]...)

	_, items := readAll(t, ib.Dir, nil)
	if got, want := ids(t, items, false), idsOf(t, msgs[:10]); !slices.Equal(got, want) {
		t.Fatalf("first read: ids %q, want %q", got, want)
	}

	ib.Deliver(t, msgs[10:]...)
	_, more := readAll(t, ib.Dir, last(items))
	if got, want := ids(t, more, false), idsOf(t, msgs[10:]); !slices.Equal(got, want) {
		t.Fatalf("incremental read: ids %q, want %q", got, want)
	}

	ib.Remove(t, msgs[3])
	_, del := readAll(t, ib.Dir, last(more))
	if len(del) != 1 || !del[0].Deleted || sourcetest.MessageID(t, del[0].Raw) != sourcetest.MessageID(t, msgs[3]) {
		t.Fatalf("after learn rm: %d items, want the deletion of %s", len(del), sourcetest.MessageID(t, msgs[3]))
	}

	ib.Purge(t, msgs[5])
	src, again := readAll(t, ib.Dir, last(del))
	if len(src.Rewritten()) != 1 {
		t.Fatalf("Rewritten = %q after a purge, want the epoch", src.Rewritten())
	}
	purged := sourcetest.MessageID(t, msgs[5])
	want := slices.DeleteFunc(idsOf(t, msgs), func(id string) bool { return id == purged })
	if got := ids(t, again, false); !slices.Equal(got, want) {
		t.Errorf("after purge: ids %q, want %q", got, want)
	}
	if got := ids(t, again, true); !slices.Equal(got, []string{sourcetest.MessageID(t, msgs[3])}) {
		t.Errorf("after purge: deletions %q", got)
	}

	// A mirror over smart HTTP reads the same.
	local := filepath.Join(t.TempDir(), "mirror")
	if _, err := Mirror(context.Background(), sourcetest.ServeInbox(t, ib.Dir), local, nil); err != nil {
		t.Fatalf("Mirror: %v", err)
	}
	_, mirrored := readAll(t, local, nil)
	if got, want := ids(t, mirrored, false), ids(t, again, false); !slices.Equal(got, want) {
		t.Errorf("mirror: ids %q, want %q", got, want)
	}
}
