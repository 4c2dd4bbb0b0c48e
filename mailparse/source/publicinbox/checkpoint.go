package publicinbox

import (
	"encoding/json"
	"fmt"
)

// checkpointVersion is the version of the checkpoint encoding.
const checkpointVersion = 1

// checkpoint records the last commit read in each epoch, keyed by the
// epoch's name ("git/0.git", or "." for an inbox that is one repository).
type checkpoint struct {
	V      int               `json:"v"`
	Epochs map[string]string `json:"epochs"`
}

func decodeCheckpoint(b []byte) (*checkpoint, error) {
	cp := &checkpoint{V: checkpointVersion, Epochs: map[string]string{}}
	if len(b) == 0 {
		return cp, nil
	}
	if err := json.Unmarshal(b, cp); err != nil {
		return nil, fmt.Errorf("publicinbox: bad checkpoint: %w", err)
	}
	if cp.V != checkpointVersion {
		return nil, fmt.Errorf("publicinbox: checkpoint version %d, want %d", cp.V, checkpointVersion)
	}
	if cp.Epochs == nil {
		cp.Epochs = map[string]string{}
	}
	return cp, nil
}

// with returns the encoding of cp with epoch set to commit; cp itself
// is not changed.
func (cp *checkpoint) with(epoch, commit string) []byte {
	next := checkpoint{V: checkpointVersion, Epochs: make(map[string]string, len(cp.Epochs)+1)}
	for k, v := range cp.Epochs {
		next.Epochs[k] = v
	}
	next.Epochs[epoch] = commit
	b, err := json.Marshal(next)
	if err != nil {
		panic("publicinbox: encoding checkpoint: " + err.Error())
	}
	return b
}
