package review

import (
	"fmt"

	"github.com/prtrack/prtrack/tracker"
)

// ProfileDriver is the rule profile of the 2017 process: a driver
// team's pull request, based on accepted trees, touching only
// drivers/infiniband/hw/<driver>/, no uAPI.
const ProfileDriver = "driver"

// profileFor chooses the rule profile that judges an incoming pull
// request. This is the one place profiles are chosen: a new profile
// (a shared branch, rdma-core) is picked here and recorded with every
// verdict it gives.
func profileFor(rec *tracker.PullRequestRecord) (string, error) {
	if rec.Role != tracker.RoleIncoming && rec.Role != "" {
		return "", fmt.Errorf("a %s pull request is not judged by the rules", rec.Role)
	}
	return ProfileDriver, nil
}
