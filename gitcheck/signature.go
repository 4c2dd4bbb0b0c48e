package gitcheck

import (
	"fmt"
	"os"

	"github.com/go-git/go-git/v5/plumbing/object"
)

// checkSignature applies the signed-tag policy when a keyring is
// configured.
func (c *Checker) checkSignature(v *Verdict, tag *object.Tag) error {
	if c.cfg.Signature == SignatureOff || c.cfg.Keyring == "" {
		return nil
	}
	sev := Warning
	if c.cfg.Signature == SignatureRequire {
		sev = Error
	}
	switch {
	case tag == nil:
		if sev == Error {
			v.add(Finding{Code: CodeSignature, Severity: Error,
				Message: "the ref is not a signed tag, and signed tags are required"})
		}
		return nil
	case tag.PGPSignature == "":
		v.add(Finding{Code: CodeSignature, Severity: sev, Message: fmt.Sprintf("tag %s is not signed", tag.Name)})
		return nil
	}
	keyring, err := os.ReadFile(c.cfg.Keyring)
	if err != nil {
		return fmt.Errorf("gitcheck: read keyring: %w", err)
	}
	if _, err := tag.Verify(string(keyring)); err != nil {
		v.add(Finding{Code: CodeSignature, Severity: sev,
			Message: fmt.Sprintf("the signature of tag %s does not verify: %v", tag.Name, err)})
	}
	return nil
}
