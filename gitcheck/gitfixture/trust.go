package gitfixture

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Key is an OpenPGP key the fixture signs tags with, made a month
// before the fixture's history so that it is valid on its tags' dates.
type Key struct{ ent *openpgp.Entity }

// NewKey makes a key with one user id, name <email>.
func NewKey(name, email string) (*Key, error) {
	born := Epoch.AddDate(0, -1, 0)
	ent, err := openpgp.NewEntity(name, "", email, &packet.Config{Time: func() time.Time { return born }})
	if err != nil {
		return nil, fmt.Errorf("gitfixture: new key: %w", err)
	}
	return &Key{ent: ent}, nil
}

// Sign is a Signer for AddTag.
func (k *Key) Sign(payload []byte) (string, error) {
	var b bytes.Buffer
	at := &packet.Config{Time: func() time.Time { return Epoch }}
	err := openpgp.ArmoredDetachSign(&b, k.ent, bytes.NewReader(payload), at)
	return b.String() + "\n", err
}

// WriteKeyDir writes the public key into dir in the layout of
// kernel.org's pgpkeys repository, keys/<FINGERPRINT>.asc, and returns
// dir, the value for check.keyring.
func (k *Key) WriteKeyDir(dir string) (string, error) {
	keys := filepath.Join(dir, "keys")
	if err := os.MkdirAll(keys, 0o755); err != nil {
		return "", err
	}
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err != nil {
		return "", err
	}
	if err := k.ent.Serialize(w); err != nil {
		return "", err
	}
	w.Close()
	name := fmt.Sprintf("%X.asc", k.ent.PrimaryKey.Fingerprint)
	return dir, os.WriteFile(filepath.Join(keys, name), b.Bytes(), 0o644)
}

// CommitMaintainers commits a MAINTAINERS file with content on top of
// Linus's master, as a maintainer's update would.
func (k *Kernel) CommitMaintainers(ctx context.Context, content []byte) error {
	dir := filepath.Join(k.Root, "linux.git")
	blob, err := runGit(ctx, dir, bytes.NewReader(content), "hash-object", "-w", "--stdin")
	if err != nil {
		return err
	}
	list, err := runGit(ctx, dir, nil, "ls-tree", "refs/heads/master")
	if err != nil {
		return err
	}
	var keep []string
	for _, l := range strings.Split(strings.TrimSpace(list), "\n") {
		if !strings.HasSuffix(l, "\tMAINTAINERS") {
			keep = append(keep, l)
		}
	}
	keep = append(keep, "100644 blob "+strings.TrimSpace(blob)+"\tMAINTAINERS")
	tree, err := runGit(ctx, dir, strings.NewReader(strings.Join(keep, "\n")+"\n"), "mktree")
	if err != nil {
		return err
	}
	head, err := runGit(ctx, dir, nil, "rev-parse", "--verify", "refs/heads/master^{commit}")
	if err != nil {
		return err
	}
	obj := fmt.Sprintf("tree %s\nparent %s\nauthor %s %d +0000\ncommitter %s %d +0000\n\nMAINTAINERS: update\n",
		strings.TrimSpace(tree), strings.TrimSpace(head), maintainer, Epoch.Unix(), maintainer, Epoch.Unix())
	out, err := runGit(ctx, dir, strings.NewReader(obj), "hash-object", "-t", "commit", "-w", "--stdin")
	if err != nil {
		return err
	}
	return setRefs(ctx, dir, map[string]string{"refs/heads/master": strings.TrimSpace(out)})
}
