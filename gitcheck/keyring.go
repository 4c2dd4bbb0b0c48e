package gitcheck

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// maxKeyFileBytes bounds one key file of a keyring directory.
const maxKeyFileBytes = 1 << 20

// keyCache is the keyring last read, with the names, sizes and times
// of its files.
type keyCache struct {
	stamp string
	keys  openpgp.EntityList
}

// readKeyring reads the OpenPGP public keys at path: an ASCII-armored
// keyring file, or a directory in the layout of kernel.org's public
// keyring repository (pgpkeys.git: keys/<fingerprint>.asc, one armored
// key per file), given as the repository or as its keys directory. In
// a directory, a key file that does not parse is skipped with a
// warning: one bad key must not stop every check. The keys are read
// again only when a file is added, removed or changed.
func (c *Checker) readKeyring(path string) (openpgp.EntityList, error) {
	files, dir, err := keyFiles(path)
	if err != nil {
		return nil, err
	}
	stamp, err := stampFiles(files)
	if err != nil {
		return nil, err
	}
	if c.trust.keys.keys != nil && c.trust.keys.stamp == stamp {
		return c.trust.keys.keys, nil
	}
	var keys openpgp.EntityList
	for _, f := range files {
		l, err := readKeyFile(f)
		if err != nil && !dir {
			return nil, err
		}
		if err != nil {
			c.log.Warn("key skipped", "file", f, "err", err)
		}
		keys = append(keys, l...)
	}
	c.trust.keys = keyCache{stamp: stamp, keys: keys}
	return keys, nil
}

// keyFiles lists the key files at path, and whether it is a directory.
func keyFiles(path string) ([]string, bool, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, false, fmt.Errorf("gitcheck: read keyring: %w", err)
	}
	if !fi.IsDir() {
		return []string{path}, false, nil
	}
	if sub := filepath.Join(path, "keys"); isDir(sub) {
		path = sub
	}
	files, err := filepath.Glob(filepath.Join(path, "*.asc"))
	if err != nil {
		return nil, true, fmt.Errorf("gitcheck: read keyring %s: %w", path, err)
	}
	return files, true, nil
}

func stampFiles(files []string) (string, error) {
	var b strings.Builder
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return "", fmt.Errorf("gitcheck: read keyring: %w", err)
		}
		fmt.Fprintf(&b, "%s %d %d\n", f, fi.Size(), fi.ModTime().UnixNano())
	}
	return b.String(), nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

func readKeyFile(path string) (openpgp.EntityList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gitcheck: read keyring: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("gitcheck: read keyring %s: %w", path, err)
	}
	if len(b) > maxKeyFileBytes {
		return nil, fmt.Errorf("gitcheck: keyring %s: over %d bytes", path, maxKeyFileBytes)
	}
	l, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("gitcheck: keyring %s: %w", path, err)
	}
	return l, nil
}

// hasAddress reports whether one of the key's user ids has the address
// (compared without case).
func hasAddress(e *openpgp.Entity, addr string) bool {
	for _, id := range e.Identities {
		if id.UserId != nil && strings.EqualFold(id.UserId.Email, strings.TrimSpace(addr)) {
			return true
		}
	}
	return false
}

// keyName names a key by fingerprint and user ids.
func keyName(e *openpgp.Entity) string {
	ids := make([]string, 0, len(e.Identities))
	for name := range e.Identities {
		ids = append(ids, name)
	}
	slices.Sort(ids)
	return fmt.Sprintf("%X (%s)", e.PrimaryKey.Fingerprint, strings.Join(ids, ", "))
}
