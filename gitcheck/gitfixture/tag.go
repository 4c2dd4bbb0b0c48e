package gitfixture

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// Signer returns the ASCII-armored detached signature of payload.
type Signer func(payload []byte) (string, error)

// AddTag creates an annotated tag refs/tags/<name> on target in a served
// repository, signed by sign when it is not nil, and returns the tag
// object's hash.
func (k *Kernel) AddTag(ctx context.Context, repo, name, target, message string, sign Signer) (string, error) {
	dir := filepath.Join(k.Root, repo)
	obj := fmt.Sprintf("object %s\ntype commit\ntag %s\ntagger %s %d +0000\n\n%s\n",
		target, name, mlx5Dev, fixtureEpoch.Unix(), strings.TrimSpace(message))
	if sign != nil {
		sig, err := sign([]byte(obj))
		if err != nil {
			return "", fmt.Errorf("gitfixture: sign tag: %w", err)
		}
		obj += sig
	}
	out, err := runGit(ctx, dir, strings.NewReader(obj), "hash-object", "-t", "tag", "-w", "--stdin")
	if err != nil {
		return "", err
	}
	h := strings.TrimSpace(out)
	return h, setRefs(ctx, dir, map[string]string{"refs/tags/" + name: h})
}
