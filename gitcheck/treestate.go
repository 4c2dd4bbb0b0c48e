package gitcheck

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// TreeState identifies where every accepted tree's refs point, as a
// short digest: equal digests mean no accepted tree moved, so a pull
// request checked against one need not be checked again. It is "" when
// no accepted tree has been fetched. It reads local refs only.
func (c *Checker) TreeState() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tips, err := c.treeTips()
	if err != nil {
		return "", err
	}
	if len(tips) == 0 {
		return "", nil
	}
	h := sha256.New()
	for _, name := range c.treeNames() {
		for _, t := range tips[name] {
			fmt.Fprintf(h, "%s %s %s\n", name, t.Ref, t.Commit)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
