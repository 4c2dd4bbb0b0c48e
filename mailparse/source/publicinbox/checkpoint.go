package publicinbox

import "github.com/prtrack/prtrack/mailparse/source"

// checkpoint records the last commit read in each epoch, keyed by the
// epoch's name ("git/0.git", or "." for an inbox that is one repository).
type checkpoint = source.Positions[string]

func decodeCheckpoint(b []byte) (*checkpoint, error) {
	return source.DecodePositions[string]("publicinbox", "epochs", b)
}
