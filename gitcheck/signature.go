package gitcheck

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// checkSignature applies the signed-tag policy when a keyring is
// configured: the ref must be a tag whose signature verifies, judged at
// the time the tag says it was made, by a key of the sender (a user id
// with the sender's address) when the sender is known.
func (c *Checker) checkSignature(v *Verdict, tag *object.Tag, sender string) error {
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
	keyring, err := c.readKeyring(c.cfg.Keyring)
	if err != nil {
		return err
	}
	if msg := judgeSignature(tag, keyring, sender); msg != "" {
		v.add(Finding{Code: CodeSignature, Severity: sev, Message: msg})
	}
	return nil
}

// judgeSignature says what is wrong with the tag's signature, or ""
// when a key of the sender made it.
func judgeSignature(tag *object.Tag, keyring openpgp.EntityList, sender string) string {
	signer, err := verifyTag(tag, keyring)
	at := tag.Tagger.When.UTC().Format(time.DateOnly)
	switch {
	case errors.Is(err, pgperrors.ErrUnknownIssuer):
		return fmt.Sprintf("tag %s is signed by a key that is not in the keyring", tag.Name)
	case errors.Is(err, pgperrors.ErrKeyExpired) || errors.Is(err, pgperrors.ErrSignatureExpired):
		return fmt.Sprintf("tag %s is signed by %s, which was not valid on the tag's date (%s): expired by then, or made later",
			tag.Name, keyName(signer), at)
	case errors.Is(err, pgperrors.ErrKeyRevoked):
		return fmt.Sprintf("tag %s is signed by %s, which was revoked when the tag was made (%s)", tag.Name, keyName(signer), at)
	case err != nil:
		return fmt.Sprintf("the signature of tag %s does not verify: %v", tag.Name, err)
	case sender != "" && !hasAddress(signer, sender):
		return fmt.Sprintf("tag %s is signed by %s, not by a key of the sender %s", tag.Name, keyName(signer), sender)
	}
	return ""
}

// verifyTag checks the tag's signature as of the tagger date, not now:
// a key that expired since the tag was made still made a good
// signature. The signer is returned with expiry and revocation errors.
func verifyTag(tag *object.Tag, keyring openpgp.EntityList) (*openpgp.Entity, error) {
	signed := &plumbing.MemoryObject{}
	if err := tag.EncodeWithoutSignature(signed); err != nil {
		return nil, err
	}
	r, err := signed.Reader()
	if err != nil {
		return nil, err
	}
	cfg := &packet.Config{Time: func() time.Time { return tag.Tagger.When }}
	return openpgp.CheckArmoredDetachedSignature(keyring, r, strings.NewReader(tag.PGPSignature), cfg)
}
