package gitcheck

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// maxKeyFileBytes bounds one key file of a keyring directory.
const maxKeyFileBytes = 1 << 20

// readKeyring reads the OpenPGP public keys at path: an ASCII-armored
// keyring file, or a directory in the layout of kernel.org's public
// keyring repository (pgpkeys.git: keys/<fingerprint>.asc, one armored
// key per file), given as the repository or as its keys directory. A
// key file that does not parse is skipped with a warning, as one bad key
// must not stop every check.
func (c *Checker) readKeyring(path string) (openpgp.EntityList, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("gitcheck: read keyring: %w", err)
	}
	if !fi.IsDir() {
		return readKeyFile(path)
	}
	if sub := filepath.Join(path, "keys"); isDir(sub) {
		path = sub
	}
	files, err := filepath.Glob(filepath.Join(path, "*.asc"))
	if err != nil {
		return nil, fmt.Errorf("gitcheck: read keyring %s: %w", path, err)
	}
	var out openpgp.EntityList
	for _, f := range files {
		l, err := readKeyFile(f)
		if err != nil {
			c.log.Warn("key skipped", "file", f, "err", err)
			continue
		}
		out = append(out, l...)
	}
	return out, nil
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
	return fmt.Sprintf("%X (%s)", e.PrimaryKey.Fingerprint, strings.Join(ids, ", "))
}
