package gitcheck

import (
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

func TestResolveRef(t *testing.T) {
	h := plumbing.NewHash("1111111111111111111111111111111111111111")
	refs := []*plumbing.Reference{
		plumbing.NewSymbolicReference("HEAD", "refs/heads/main"),
		plumbing.NewHashReference("refs/heads/main", h),
		plumbing.NewHashReference("refs/heads/for-next", h),
		plumbing.NewHashReference("refs/tags/for-next", h),
		plumbing.NewHashReference("refs/tags/mlx5-updates-2024+v2.1", h),
		plumbing.NewHashReference("refs/heads/wip/leon-for-next", h),
		plumbing.NewHashReference("refs/heads/evil:refs/heads/x", h),
	}
	tests := []struct{ in, want string }{
		{"", "refs/heads/main"},
		{"HEAD", "refs/heads/main"},
		{"main", "refs/heads/main"},
		{"for-next", "refs/tags/for-next"}, // git prefers the tag
		{"heads/for-next", "refs/heads/for-next"},
		{"tags/for-next", "refs/tags/for-next"},
		{"refs/heads/for-next", "refs/heads/for-next"},
		{"mlx5-updates-2024+v2.1", "refs/tags/mlx5-updates-2024+v2.1"},
		{"wip/leon-for-next", "refs/heads/wip/leon-for-next"},
		{"for-rc", ""},
		{"evil:refs/heads/x", ""},
	}
	for _, tt := range tests {
		got, ok := resolveRef(refs, tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("resolveRef(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	bare := []*plumbing.Reference{plumbing.NewHashReference("HEAD", h)}
	if got, ok := resolveRef(bare, ""); !ok || got != "HEAD" {
		t.Errorf("detached HEAD resolved to %q, %v", got, ok)
	}
}
