package gitcheck

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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
	policy := c.signaturePolicy()
	if policy == SignatureOff || c.cfg.Keyring == "" {
		return nil
	}
	sev := Warning
	if policy == SignatureRequire {
		sev = Error
	}
	switch {
	case tag == nil && sev == Error:
		v.add(Finding{Code: CodeSignature, Severity: Error,
			Message: "the ref is not a signed tag, and signed tags are required"})
		return nil
	case tag == nil:
		v.add(Finding{Code: CodeSignature, Severity: Warning,
			Message: "the ref is a branch, not a signed tag: nothing shows who published it"})
		return nil
	case tag.PGPSignature == "":
		v.add(Finding{Code: CodeSignature, Severity: sev, Message: fmt.Sprintf("tag %s is not signed", tag.Name)})
		return nil
	}
	keyring, err := c.readKeyring(c.cfg.Keyring)
	if err != nil {
		return err
	}
	msg, signer := judgeSignature(tag, keyring, sender)
	if msg != "" {
		v.add(Finding{Code: CodeSignature, Severity: sev, Message: msg})
	} else {
		v.SignedBy = keyName(signer)
	}
	return nil
}

// signaturePolicy is the active profile's signed-tag policy, or the
// checker's when the profile sets none.
func (c *Checker) signaturePolicy() SignaturePolicy {
	if c.active != nil && c.active.Signature != "" {
		return c.active.Signature
	}
	return c.cfg.Signature
}

// judgeSignature says what is wrong with the tag's signature, or ""
// and the signer when a key of the sender made it. Of a tag signed more than once, the
// best signature counts: a good one by the sender's key, then a good
// one by another key, then one that failed for a known key.
func judgeSignature(tag *object.Tag, keyring openpgp.EntityList, sender string) (string, *openpgp.Entity) {
	results, err := verifyTag(tag, keyring)
	if err != nil {
		return fmt.Sprintf("the signature of tag %s does not verify: %v", tag.Name, err), nil
	}
	r := best(results, sender)
	return signatureProblem(tag, r, sender), r.signer
}

func signatureProblem(tag *object.Tag, r sigResult, sender string) string {
	at := tag.Tagger.When.UTC().Format(time.DateOnly)
	switch {
	case errors.Is(r.err, pgperrors.ErrUnknownIssuer):
		return fmt.Sprintf("tag %s is signed by a key that is not in the keyring", tag.Name)
	case errors.Is(r.err, pgperrors.ErrKeyExpired) || errors.Is(r.err, pgperrors.ErrSignatureExpired):
		return fmt.Sprintf("tag %s is signed by %s, which was not valid on the tag's date (%s): expired by then, or made later",
			tag.Name, keyName(r.signer), at)
	case errors.Is(r.err, pgperrors.ErrKeyRevoked):
		return fmt.Sprintf("tag %s is signed by %s, which was revoked when the tag was made (%s)", tag.Name, keyName(r.signer), at)
	case r.err != nil:
		return fmt.Sprintf("the signature of tag %s does not verify: %v", tag.Name, r.err)
	case sender != "" && !hasAddress(r.signer, sender):
		return fmt.Sprintf("tag %s is signed by %s, not by a key of the sender %s", tag.Name, keyName(r.signer), sender)
	}
	return ""
}

// sigResult is the outcome of one signature packet: the signer when
// its key is known (also with expiry and revocation errors).
type sigResult struct {
	signer *openpgp.Entity
	err    error
}

func best(results []sigResult, sender string) sigResult {
	rank := func(r sigResult) int {
		switch {
		case r.err == nil && (sender == "" || hasAddress(r.signer, sender)):
			return 0
		case r.err == nil:
			return 1
		case !errors.Is(r.err, pgperrors.ErrUnknownIssuer):
			return 2
		}
		return 3
	}
	b := results[0]
	for _, r := range results[1:] {
		if rank(r) < rank(b) {
			b = r
		}
	}
	return b
}

// verifyTag checks each signature packet of the tag as of the tagger
// date, not now: a key that expired since the tag was made still made a
// good signature.
func verifyTag(tag *object.Tag, keyring openpgp.EntityList) ([]sigResult, error) {
	signed := &plumbing.MemoryObject{}
	if err := tag.EncodeWithoutSignature(signed); err != nil {
		return nil, err
	}
	payload, err := io.ReadAll(mustReader(signed))
	if err != nil {
		return nil, err
	}
	packets, err := signaturePackets(tag.PGPSignature)
	if err != nil {
		return nil, err
	}
	cfg := &packet.Config{Time: func() time.Time { return tag.Tagger.When }}
	out := make([]sigResult, 0, len(packets))
	for _, p := range packets {
		signer, err := openpgp.CheckDetachedSignature(keyring, bytes.NewReader(payload), bytes.NewReader(p), cfg)
		out = append(out, sigResult{signer: signer, err: err})
	}
	return out, nil
}

func mustReader(o *plumbing.MemoryObject) io.Reader {
	r, _ := o.Reader() // a MemoryObject's reader never fails
	return r
}
