package tracker

import "fmt"

// MaxCheckpointLen bounds a stored source position.
const MaxCheckpointLen = 64 << 10

// Position returns the checkpoint stored for the source sourceKey.
func (t *Tx) Position(sourceKey string) ([]byte, bool) {
	v := t.bucket(bucketPositions).Get([]byte(sourceKey))
	if v == nil {
		return nil, false
	}
	return clone(v), true
}

// SetPosition stores the checkpoint of the source sourceKey. Store it
// in the transaction that records the messages read up to it.
func (t *Tx) SetPosition(sourceKey string, checkpoint []byte) error {
	if err := t.writable("set position"); err != nil {
		return err
	}
	if err := checkKey("source key", sourceKey); err != nil {
		return err
	}
	if len(checkpoint) > MaxCheckpointLen {
		return fmt.Errorf("tracker: checkpoint of %d bytes: %w", len(checkpoint), ErrInvalid)
	}
	if checkpoint == nil {
		checkpoint = []byte{}
	}
	if err := t.bucket(bucketPositions).Put([]byte(sourceKey), checkpoint); err != nil {
		return wrap("set position", err)
	}
	return nil
}
