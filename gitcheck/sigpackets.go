package gitcheck

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// maxSignatures bounds the signature packets of one tag.
const maxSignatures = 16

// signaturePackets splits an armored signature block into its
// signature packets, each as its own bytes (a tag signed with
// gpg -u A -u B has two in one block).
func signaturePackets(armored string) ([][]byte, error) {
	block, err := armor.Decode(strings.NewReader(armored))
	if err != nil {
		return nil, fmt.Errorf("read signature: %w", err)
	}
	if block.Type != openpgp.SignatureType {
		return nil, fmt.Errorf("read signature: armor type %q", block.Type)
	}
	raw, err := io.ReadAll(io.LimitReader(block.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("read signature: %w", err)
	}
	var out [][]byte
	r := bytes.NewReader(raw)
	for len(out) < maxSignatures {
		start := len(raw) - r.Len()
		p, err := packet.Read(r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read signature: %w", err)
		}
		if _, ok := p.(*packet.Signature); !ok {
			return nil, fmt.Errorf("read signature: a %T packet", p)
		}
		out = append(out, raw[start:len(raw)-r.Len()])
	}
	if len(out) == 0 {
		return nil, errors.New("read signature: no signature packet")
	}
	return out, nil
}
