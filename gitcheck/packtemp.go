package gitcheck

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// go-git writes a fetched pack to objects/pack/tmp_pack_* and, when the
// pack is cut short (the byte limit, a timeout, a dropped connection),
// returns the error from Close without removing that file or closing its
// descriptors. prtrack finds which temporary file a pack writer created
// and removes it itself after a failed fetch.

// packTempMu serializes the creation of pack writers so that the one
// new temporary file seen is the writer's own.
var packTempMu sync.Mutex

// tempPacks lists the temporary packs under dir.
func tempPacks(dir string) []string {
	names, _ := filepath.Glob(filepath.Join(dir, "tmp_pack_*"))
	return names
}

// newTempPack calls create and returns the temporary pack it made, or ""
// when that cannot be told (another process created one meanwhile).
func newTempPack[T any](dir string, create func() (T, error)) (T, string, error) {
	packTempMu.Lock()
	defer packTempMu.Unlock()
	before := tempPacks(dir)
	v, err := create()
	if err != nil {
		return v, "", err
	}
	var added []string
	for _, n := range tempPacks(dir) {
		if !slices.Contains(before, n) {
			added = append(added, n)
		}
	}
	if len(added) != 1 {
		return v, "", nil
	}
	return v, added[0], nil
}

// removeTempPack frees and removes a partial pack. It truncates first:
// go-git keeps descriptors of the file open, and removing alone would
// free nothing until the process exits.
func removeTempPack(name string) {
	if name == "" {
		return
	}
	os.Truncate(name, 0)
	os.Remove(name)
}
