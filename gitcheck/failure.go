package gitcheck

import (
	"errors"

	"github.com/go-git/go-git/v5/plumbing/transport"
)

// Failure classifies why a pull request could not be fetched, so that
// callers can tell the sender's problem from prtrack's.
type Failure string

// Failures of a fetch.
const (
	// FailureNotFound: the server answered that the repository does
	// not exist (or is empty). The sender can fix it.
	FailureNotFound Failure = "not-found"
	// FailureAuth: the server wants credentials; the repository is
	// not public. The sender can fix it.
	FailureAuth Failure = "auth"
	// FailureTooLarge: the fetch went over Config.MaxFetchBytes.
	FailureTooLarge Failure = "too-large"
	// FailureNetwork: no answer (DNS, refused or reset connection,
	// timeout). It may be prtrack's own network as well as the
	// sender's server, so nobody is told; it is tried again later.
	FailureNetwork Failure = "network"
)

// SendersProblem reports whether the failure is one the sender can see
// and fix from a reply.
func (f Failure) SendersProblem() bool {
	return f == FailureNotFound || f == FailureAuth || f == FailureTooLarge
}

func classifyFetch(err error) Failure {
	switch {
	case errors.Is(err, transport.ErrRepositoryNotFound), errors.Is(err, transport.ErrEmptyRemoteRepository):
		return FailureNotFound
	case errors.Is(err, transport.ErrAuthenticationRequired), errors.Is(err, transport.ErrAuthorizationFailed):
		return FailureAuth
	case errors.Is(err, ErrTooLarge):
		return FailureTooLarge
	}
	return FailureNetwork
}
