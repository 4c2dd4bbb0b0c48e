package mailparse

import (
	"slices"
	"testing"
)

// Subjects seen on linux-rdma (see ../shared/docs/domain.md section 2).
func TestSubjectVersionAndTargets(t *testing.T) {
	tests := []struct {
		subject string
		version int
		targets []string
	}{
		{"[GIT PULL] Please pull RDMA subsystem changes", 1, nil},
		{"[PULL REQUEST] Please pull rdma.git", 1, nil},
		{"pull-request: mlx5-next 2023-01-24", 1, nil},
		{"pull-request: mlx5-next 2023-01-24 V2", 2, nil},
		{"[pull-request] mlx5-next updates 2025-07-08", 1, nil},
		{"[pull request][net-next V2 00/14] mlx5 updates 2023-06-06", 2, []string{"net-next"}},
		{"[GIT PULL][V2] updates from mlx5-next 2022-09-24", 2, nil},
		{"[GIT PULL v3] Please pull mlx5 MACsec RoCEv2 support", 3, nil},
		{"[GIT PULL v1] Please pull mlx5 MACsec RoCEv2 support", 1, nil},
		{"[PATCH net-next,rdma-next 0/6][pull request] Add RDMA support", 1, []string{"net-next", "rdma-next"}},
		{"[net-next, rdma-next] [pull request] Use ODP MRs for kernel ULPs", 1, []string{"net-next", "rdma-next"}},
		{"[GIT PULL] Please pull NFSoRDMA updates for Linux 5.3 (v2)", 2, nil},
		{"[GIT PULL] bitmap changes for v6.2-rc1", 1, nil},
		{"[pull request][for-next v2 00/17] mlx5-next 2022-22-02", 2, []string{"for-next"}},
		{"[GIT PULL] hns for-rc fixes", 1, []string{"for-rc", "fixes"}},
		{"Re: [GIT PULL] rdma-next-updates for v6.8", 1, nil},
	}
	for _, tt := range tests {
		if got := SubjectVersion(tt.subject); got != tt.version {
			t.Errorf("SubjectVersion(%q) = %d, want %d", tt.subject, got, tt.version)
		}
		if got := SubjectTargets(tt.subject); !slices.Equal(got, tt.targets) {
			t.Errorf("SubjectTargets(%q) = %q, want %q", tt.subject, got, tt.targets)
		}
	}
}
