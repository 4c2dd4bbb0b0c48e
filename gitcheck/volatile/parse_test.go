package volatile

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestParseMergeTree(t *testing.T) {
	tree := strings.Repeat("a9", 20)
	tests := []struct {
		out        string
		conflicted bool
		paths      []string
		ok         bool
	}{
		{tree + "\x00", false, nil, true},
		{tree + "\x00drivers/infiniband/hw/mlx5/main.c\x00a b.c\x00", true, []string{"drivers/infiniband/hw/mlx5/main.c", "a b.c"}, true},
		{tree + "\x00f\x00", false, nil, false}, // exit 0 with conflicts
		{tree + "\x00", true, nil, false},       // exit 1 without
		{tree, false, nil, false},               // no terminator
		{"not-a-tree\x00", false, nil, false},
		{tree + "\x00\x00", true, nil, false}, // messages section: not asked for
		{"", false, nil, false},
	}
	for _, tt := range tests {
		m, err := parseMergeTree(tt.out, tt.conflicted)
		if (err == nil) != tt.ok {
			t.Errorf("parse %q: err = %v, want ok %v", tt.out, err, tt.ok)
			continue
		}
		if err == nil && (m.Tree != tree || !slices.Equal(m.Conflicts, tt.paths)) {
			t.Errorf("parse %q = %+v", tt.out, m)
		}
	}
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
