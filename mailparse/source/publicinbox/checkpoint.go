package publicinbox

import "github.com/prtrack/prtrack/mailparse/source"

// checkpoint records the last commit read in each epoch, keyed by the
// epoch's name ("git/0.git", or "." for an inbox that is one repository).
type checkpoint struct {
	Epochs map[string]string
}

func decodeCheckpoint(b []byte) (*checkpoint, error) {
	p, err := source.DecodePositions[string]("publicinbox", "epochs", b)
	if err != nil {
		return nil, err
	}
	return &checkpoint{Epochs: p.At}, nil
}

// with returns the encoding of cp with epoch set to commit; cp itself
// is not changed.
func (cp *checkpoint) with(epoch, commit string) []byte {
	return source.EncodePositions("epochs", cp.Epochs, epoch, commit)
}
