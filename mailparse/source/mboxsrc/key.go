package mboxsrc

import (
	"fmt"
	"path/filepath"
)

// KeyFor returns the source key Open gives path, so a caller can look
// up the stored checkpoint before opening.
func KeyFor(path string) (string, error) {
	if path == "-" {
		return "stdin", nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("mboxsrc: %s: %w", path, err)
	}
	return keyOf(abs), nil
}

// keyOf is the key of the mbox file at the absolute path abs.
func keyOf(abs string) string { return "mbox:" + abs }
