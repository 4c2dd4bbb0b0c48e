package templates

// samples returns the data every template is tried with when loaded:
// one value with every field and list filled, one with everything
// optional left empty.
func samples() []*Data {
	full := &Data{
		Kind:        KindRejected,
		Author:      "Jane Doe",
		Date:        "Tue, 6 Jun 2023 10:11:12 +0300",
		Subject:     "[GIT PULL] Please pull mlx5 changes",
		URL:         "git://git.example.org/pub/scm/linux/kernel/git/jane/linux.git",
		Ref:         "tags/for-next",
		Remote:      "git://git.example.org/pub/scm/linux/kernel/git/jane/linux.git tags/for-next",
		Tip:         "0123456789abcdef0123456789abcdef01234567",
		TipSubject:  "RDMA/mlx5: Add a counter",
		TipDate:     "2023-06-05 12:00:00 +0300",
		Version:     1,
		NextVersion: 2,
		Verdict:     "rejected",
		Findings: []Finding{{
			Code: "uapi", Severity: "error", Commit: "0123456789ab",
			Subject: "RDMA/mlx5: Add a counter", Paths: []string{"include/uapi/rdma/mlx5-abi.h"},
			Message: "A driver pull request must not change uAPI headers.",
			Advice:  "Send the uAPI change as a patch series to the list first.",
		}},
		Rules:   "driver pull requests",
		Waiting: []Tree{{Name: "net-next", Commits: 3}},
		Late:    Late{CutOff: "v6.5-rc6", Missed: "v6.6", Target: "v6.7"},
		Problem: Problem{Code: ProblemRefMissing, Detail: "ref not found"},
		Merge:   Merge{Tree: "torvalds/linux.git", Commit: "89abcdef0123456789abcdef0123456789abcdef", URL: "https://git.example.org/torvalds/c/89abcdef0123"},
		Conflict: Conflict{With: "[GIT PULL] mlx5 probe rework", WithAuthor: "John Roe", WithMessageID: "20230606.1@example.org",
			Paths: []string{"drivers/infiniband/hw/mlx5/main.c"}, Commits: []Commit{{SHA: "0123456789ab", Subject: "RDMA/mlx5: Add a counter"}},
			WithCommits: []Commit{{SHA: "ba9876543210", Subject: "RDMA/mlx5: Rework the probe"}}},
		Sender: "The maintainer",
	}
	empty := &Data{Author: "jane@example.org", Remote: "https://git.example.org/r.git"}
	return []*Data{full, empty}
}
