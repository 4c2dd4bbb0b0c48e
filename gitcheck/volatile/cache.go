package volatile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// CacheFile is the file, in the repository's git directory, where Build
// keeps what its git commands answered, so that a rebuild redoes only
// the merges whose inputs changed.
const CacheFile = "prtrack-volatile-cache.json"

// cacheVersion changes when the file's meaning does.
const cacheVersion = 1

// cache remembers the answers of the git commands a rebuild is made of.
// Every key is made of object ids, which name their content and
// history, so an answer stays right for as long as the same git gives
// it: the file records git's version and is not used by another. What
// a build used is what the next one finds; the rest is forgotten.
type cache struct {
	path string
	mu   sync.Mutex
	old  cacheData
	used cacheData
}

type cacheData struct {
	Version int    `json:"version"`
	Git     string `json:"git"`
	// Merges are merge-tree results by "ours theirs" (without the tree
	// for pairwise trial merges).
	Merges map[string]mergeResult `json:"merges"`
	// Commits are commit-tree results by commitKey.
	Commits map[string]string `json:"commits"`
	// Touching are the commit lists of touching by touchingKey.
	Touching map[string][]Commit `json:"touching"`
}

func newCacheData(git string) cacheData {
	return cacheData{Version: cacheVersion, Git: git, Merges: map[string]mergeResult{},
		Commits: map[string]string{}, Touching: map[string][]Commit{}}
}

// loadCache reads the cache at path ("" for none) for this git. A file
// that is missing, damaged or from another git gives an empty cache,
// which the save after the build replaces.
func loadCache(path, git string) (*cache, error) {
	c := &cache{path: path, old: newCacheData(git), used: newCacheData(git)}
	if path == "" {
		return c, nil
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("volatile: cache: %w", err)
	}
	var d cacheData
	if err := json.Unmarshal(raw, &d); err != nil {
		return c, fmt.Errorf("volatile: cache %s: %w (rebuilt)", path, err)
	}
	if d.Version == cacheVersion && d.Git == git && d.Merges != nil && d.Commits != nil && d.Touching != nil {
		c.old = d
	}
	return c, nil
}

// objectIDs are the objects the cached answers name: the trees merges
// wrote and the commits commit-tree made, which git may have pruned.
func (c *cache) objectIDs() []string {
	var ids []string
	for _, m := range c.old.Merges {
		if m.Tree != "" { // pairwise trial merges keep no tree
			ids = append(ids, m.Tree)
		}
	}
	for _, id := range c.old.Commits {
		ids = append(ids, id)
	}
	return ids
}

// forget drops the answers that name an object in gone.
func (c *cache) forget(gone map[string]bool) {
	for k, m := range c.old.Merges {
		if gone[m.Tree] {
			delete(c.old.Merges, k)
		}
	}
	for k, id := range c.old.Commits {
		if gone[id] {
			delete(c.old.Commits, k)
		}
	}
}

// cacheGet finds key among what the previous build used (old) or this
// one already asked (used), and keeps it as used by this build.
func cacheGet[V any](c *cache, old, used map[string]V, key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := old[key]
	if !ok {
		v, ok = used[key]
	}
	if ok {
		used[key] = v
	}
	return v, ok
}

// cachePut records key's answer as used by this build.
func cachePut[V any](c *cache, used map[string]V, key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	used[key] = v
}

func (c *cache) merge(key string) (mergeResult, bool) {
	return cacheGet(c, c.old.Merges, c.used.Merges, key)
}

func (c *cache) putMerge(key string, m mergeResult) { cachePut(c, c.used.Merges, key, m) }

func (c *cache) commit(key string) (string, bool) {
	return cacheGet(c, c.old.Commits, c.used.Commits, key)
}

func (c *cache) putCommit(key, id string) { cachePut(c, c.used.Commits, key, id) }

func (c *cache) touching(key string) ([]Commit, bool) {
	return cacheGet(c, c.old.Touching, c.used.Touching, key)
}

func (c *cache) putTouching(key string, cs []Commit) { cachePut(c, c.used.Touching, key, cs) }

// save writes what this build used, atomically.
func (c *cache) save() error {
	if c.path == "" {
		return nil
	}
	raw, err := json.Marshal(c.used)
	if err != nil {
		return fmt.Errorf("volatile: cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), filepath.Base(c.path)+".*")
	if err != nil {
		return fmt.Errorf("volatile: cache: %w", err)
	}
	_, err = tmp.Write(raw)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), c.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("volatile: cache: %w", err)
	}
	return nil
}

func mergeKey(ours, theirs string) string { return ours + " " + theirs }

// commitKey names a commit-tree run by everything the commit is made of.
func commitKey(tree string, parents []string, msg string, when int64) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%s", tree, strings.Join(parents, " "), when, msg)
	return hex.EncodeToString(h.Sum(nil))
}

func touchingKey(include, exclude string, paths []string, max int) string {
	return include + " " + exclude + " " + strconv.Itoa(max) + "\x00" + strings.Join(paths, "\x00")
}
