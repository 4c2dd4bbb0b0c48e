package gitcli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// BatchObject is one answer of "git cat-file --batch".
type BatchObject struct {
	ID, Type string
	Size     int64
	// Data is the content; nil when the object has more than the
	// reader's max bytes (its content was skipped).
	Data []byte
	// Missing is set when the repository has no object of that name
	// (or the name is ambiguous); only Name is set then.
	Missing bool
	Name    string // the name asked about, as git echoed it
}

// ReadBatch reads the next answer of "git cat-file --batch" from r: the
// header "<id> <type> <size>", then the content, kept when it has at
// most max bytes and skipped otherwise, and its newline; or
// "<name> missing" / "<name> ambiguous". An answer cut short is an
// error matching io.ErrUnexpectedEOF; one git did not write as
// documented is an error quoting it.
func ReadBatch(r *bufio.Reader, max int64) (*BatchObject, error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		if err == io.EOF || err == bufio.ErrBufferFull {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("cat-file answer: %w", err)
	}
	f := bytes.Fields(line)
	if len(f) == 2 && (string(f[1]) == "missing" || string(f[1]) == "ambiguous") {
		return &BatchObject{Name: string(f[0]), Missing: true}, nil
	}
	var size int64 = -1
	if len(f) == 3 {
		if size, err = strconv.ParseInt(string(f[2]), 10, 64); err != nil {
			size = -1
		}
	}
	if size < 0 || !isHexID(f[0]) {
		return nil, fmt.Errorf("cat-file answered %q", bytes.TrimSpace(line))
	}
	o := &BatchObject{ID: string(f[0]), Name: string(f[0]), Type: string(f[1]), Size: size}
	if size > max {
		if _, err := r.Discard(int(size) + 1); err != nil {
			return nil, fmt.Errorf("cat-file object %s: %w", o.ID, io.ErrUnexpectedEOF)
		}
		return o, nil
	}
	data := make([]byte, size+1)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, fmt.Errorf("cat-file object %s: %w", o.ID, io.ErrUnexpectedEOF)
	}
	if data[size] != '\n' {
		return nil, fmt.Errorf("cat-file object %s not followed by a newline", o.ID)
	}
	o.Data = data[:size:size]
	return o, nil
}

func isHexID(b []byte) bool {
	if len(b) != 40 && len(b) != 64 {
		return false
	}
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
