package review

import (
	"fmt"
	"strings"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/mailparse"
)

// rulesOf names a profile's rules as the rejection reply says them.
func rulesOf(profile string) string {
	switch profile {
	case "", gitcheck.ProfileDriver:
		return "driver pull requests"
	case gitcheck.ProfileShared:
		return "shared branches (pulled by more than one tree)"
	case gitcheck.ProfileRdmaCore:
		return "rdma-core pull requests"
	}
	return "the " + profile + " profile"
}

// adviceFor says in plain words what to do about a finding of the
// profiles' own rules; "" when the finding's message says enough.
func adviceFor(f gitcheck.Finding, profile string, pull *mailparse.PullRequest) string {
	switch {
	case f.Code == gitcheck.CodeRebasedShared && f.Pulled != nil:
		return fmt.Sprintf("Do not rebase %s: commit %s was already pulled into %s as %s; send the branch again on top of %s, with the pulled commits as they were.",
			branchName(pull), f.Commit, strings.Join(f.Pulled.Trees, " and "), f.Pulled.Commit, f.Pulled.Commit)
	case f.Code == gitcheck.CodeBaseNotTag:
		return "Base the shared branch on a mainline release tag (vX.Y or vX.Y-rcN) that every tree pulling it already has, and send it again."
	case f.Code == gitcheck.CodeUAPIChange && profile == gitcheck.ProfileRdmaCore:
		return "kernel-headers/ only copies uAPI headers the kernel has accepted: get the change into the kernel (rdma for-next) first, then copy the header unchanged in an \"Update kernel headers\" commit."
	case f.Code == gitcheck.CodeOutOfScope && profile == gitcheck.ProfileRdmaCore:
		return "Send changes to libibverbs, librdmacm or another provider as their own pull request."
	case f.Code == gitcheck.CodeOutOfScope && profile == gitcheck.ProfileShared:
		return "Keep the shared branch to the shared paths; send the rest to its own tree."
	}
	return ""
}

// branchName is the branch a pull request names; a tag or the remote
// HEAD says "the shared branch".
func branchName(pull *mailparse.PullRequest) string {
	r := normalRef(pull.Ref)
	if r == "" || strings.HasPrefix(r, "tags/") {
		return "the shared branch"
	}
	return r
}
