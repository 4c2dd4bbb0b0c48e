package reply

import (
	"errors"
	"fmt"
)

// ErrOptOut is matched by the error Draft returns for a pull request
// that asks not to be answered by a tool.
var ErrOptOut = errors.New("reply: pull request opts out of automated replies")

// OptOutError says which keyword opted the pull request out.
type OptOutError struct {
	Keyword string // "prtrack-no-ack" or "pr-tracker-no-ack"
}

func (e *OptOutError) Error() string {
	return fmt.Sprintf("reply: pull request says %s: no automated reply", e.Keyword)
}

// Is makes an *OptOutError match ErrOptOut.
func (e *OptOutError) Is(target error) bool { return target == ErrOptOut }

// ErrInvalid is matched by errors for input a reply cannot be drafted
// from (no Message-ID, no sender, unknown verdict, ...).
var ErrInvalid = errors.New("reply: cannot draft")

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}
