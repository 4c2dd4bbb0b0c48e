package source

import (
	"encoding/json"
	"fmt"
	"maps"
)

// positionsVersion is the version of the Positions encoding.
const positionsVersion = 1

// Positions is the checkpoint of a source that reads several streams
// (the mailboxes of an IMAP source, the epochs of a public-inbox): the
// position reached in each, encoded as
// {"v":1,"<field>":{"<stream>":<position>,...}}.
type Positions[P any] struct {
	field string
	At    map[string]P
}

// DecodePositions reads a Positions checkpoint; an empty one has no
// streams. pkg names the source in errors.
func DecodePositions[P any](pkg, field string, b []byte) (*Positions[P], error) {
	at, err := decodePositions[P](pkg, field, b)
	if err != nil {
		return nil, err
	}
	return &Positions[P]{field: field, At: at}, nil
}

// With returns the encoding of p with stream moved to pos; p itself is
// not changed.
func (p *Positions[P]) With(stream string, pos P) []byte {
	return encodePositions(p.field, p.At, stream, pos)
}

func decodePositions[P any](pkg, field string, b []byte) (map[string]P, error) {
	at := map[string]P{}
	if len(b) == 0 {
		return at, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: bad checkpoint: %w", pkg, err)
	}
	var v int
	if err := json.Unmarshal(raw["v"], &v); err != nil || v != positionsVersion {
		return nil, fmt.Errorf("%s: checkpoint version %q, want %d", pkg, string(raw["v"]), positionsVersion)
	}
	if f, ok := raw[field]; ok && string(f) != "null" {
		if err := json.Unmarshal(f, &at); err != nil {
			return nil, fmt.Errorf("%s: bad checkpoint %s: %w", pkg, field, err)
		}
	}
	return at, nil
}

// encodePositions returns the checkpoint of at with stream moved to
// pos, in the form DecodePositions reads; at itself is not changed.
func encodePositions[P any](field string, at map[string]P, stream string, pos P) []byte {
	next := maps.Clone(at)
	if next == nil {
		next = map[string]P{}
	}
	next[stream] = pos
	b, err := json.Marshal(map[string]any{"v": positionsVersion, field: next})
	if err != nil {
		panic("source: encoding checkpoint: " + err.Error())
	}
	return b
}
