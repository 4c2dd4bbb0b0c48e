package publicinbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ErrNotInbox is returned by Open when the directory is neither a v2
// inbox, nor an epoch, nor a v1 inbox.
var ErrNotInbox = errors.New("publicinbox: not a public-inbox directory or bare git repository")

// epoch is one bare repository of an inbox.
type epoch struct {
	name string // checkpoint key and error location: "git/0.git" or "."
	dir  string // absolute path of the bare repository
}

// where names the epoch in error reports: "git/0.git", or the
// repository's directory name.
func (ep epoch) where() string {
	if ep.name == "." {
		return filepath.Base(ep.dir)
	}
	return ep.name
}

// findEpochs lists the repositories of the inbox at dir, oldest first:
// git/0.git, git/1.git, ... for a v2 inbox, or dir itself when it is a
// bare repository (one v2 epoch, or a v1 inbox).
func findEpochs(dir string) ([]epoch, error) {
	if isBareRepo(dir) {
		return []epoch{{name: ".", dir: dir}}, nil
	}
	nums, err := epochNumbers(filepath.Join(dir, "git"))
	if err != nil {
		return nil, err
	}
	if len(nums) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNotInbox, dir)
	}
	epochs := make([]epoch, len(nums))
	for i, n := range nums {
		name := "git/" + strconv.Itoa(n) + ".git"
		epochs[i] = epoch{name: name, dir: filepath.Join(dir, name)}
	}
	return epochs, nil
}

// epochNumbers returns the sorted N of the N.git bare repositories in
// gitDir; a missing gitDir holds none.
func epochNumbers(gitDir string) ([]int, error) {
	entries, err := os.ReadDir(gitDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("publicinbox: listing epochs: %w", err)
	}
	var nums []int
	for _, e := range entries {
		n, ok := epochNumber(e.Name())
		if ok && isBareRepo(filepath.Join(gitDir, e.Name())) {
			nums = append(nums, n)
		}
	}
	sort.Ints(nums)
	return nums, nil
}

// epochNumber parses "N.git".
func epochNumber(name string) (int, bool) {
	s, ok := strings.CutSuffix(name, ".git")
	if !ok || s == "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

// isBareRepo reports whether dir looks like a bare git repository.
func isBareRepo(dir string) bool {
	for _, p := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			return false
		}
	}
	return true
}
