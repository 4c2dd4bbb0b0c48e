package mboxsrc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
)

// ErrBadCheckpoint reports a checkpoint that this package did not write
// or cannot read. Opening without a checkpoint reads the file again.
var ErrBadCheckpoint = errors.New("mboxsrc: bad checkpoint")

const checkpointVersion = 1

// checkpoint is the position after one message (or skipped span) of a
// file, with what is needed to tell whether the file is still the same:
//   - its size and the SHA-256 of its first HeadLen bytes (on disk, so
//     compressed for gzip), which catch a shrunk or replaced file;
//   - the span [Last, Off) and the CRC-32C of its message, read again
//     on resume, which catch a change in the middle of the file and a
//     checkpoint that does not fall on a message boundary.
type checkpoint struct {
	V       int    `json:"v"`
	Size    int64  `json:"size"`
	HeadLen int64  `json:"head_len"`
	Head    string `json:"head"`
	Last    int64  `json:"last"`
	Off     int64  `json:"off"`
	Index   int    `json:"index"`
	Sum     uint32 `json:"sum,omitempty"`
}

func decodeCheckpoint(b []byte) (*checkpoint, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var ck checkpoint
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ck); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	if ck.V != checkpointVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrBadCheckpoint, ck.V, checkpointVersion)
	}
	if ck.HeadLen < 0 || ck.HeadLen > ck.Size || ck.Last < 0 || ck.Off < ck.Last || ck.Index < 0 {
		return nil, fmt.Errorf("%w: inconsistent values %s", ErrBadCheckpoint, b)
	}
	return &ck, nil
}

// checkpoint encodes the position after the span [last, off) numbered
// index whose message has the CRC sum (0 for a skipped span). Standard
// input has no checkpoints.
func (s *Source) checkpoint(last, off int64, index int, sum uint32) []byte {
	if s.file == nil {
		return nil
	}
	b, err := json.Marshal(checkpoint{
		V:       checkpointVersion,
		Size:    s.file.size,
		HeadLen: s.file.headLen,
		Head:    s.file.head,
		Last:    last,
		Off:     off,
		Index:   index,
		Sum:     sum,
	})
	if err != nil {
		panic("mboxsrc: encoding a checkpoint: " + err.Error()) // plain struct: cannot fail
	}
	return b
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sum is the checksum of a message recorded in checkpoints: it detects
// accidental change, not tampering.
func sum(raw []byte) uint32 {
	return crc32.Checksum(raw, castagnoli)
}
