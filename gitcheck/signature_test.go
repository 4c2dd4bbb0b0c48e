package gitcheck

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/prtrack/prtrack/gitcheck/gitfixture"
)

func newKey(t *testing.T, name string) (*openpgp.Entity, gitfixture.Signer) {
	t.Helper()
	ent, err := openpgp.NewEntity(name, "", name+"@example.org", nil)
	if err != nil {
		t.Fatal(err)
	}
	return ent, func(payload []byte) (string, error) {
		var b bytes.Buffer
		err := openpgp.ArmoredDetachSign(&b, ent, bytes.NewReader(payload), nil)
		return b.String() + "\n", err
	}
}

func writeKeyring(t *testing.T, ent *openpgp.Entity) string {
	t.Helper()
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ent.Serialize(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	path := filepath.Join(t.TempDir(), "keyring.asc")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSignature(t *testing.T) {
	trusted, signTrusted := newKey(t, "trusted")
	_, signStranger := newKey(t, "stranger")
	keyring := writeKeyring(t, trusted)
	tests := []struct {
		name   string
		policy SignaturePolicy
		ref    string // sample ref, or a tag added below
		want   []Code
		status Status
	}{
		{"good signature", SignatureRequire, "tags/good", nil, Accepted},
		{"unknown signer", SignatureRequire, "tags/stranger", []Code{CodeSignature}, Rejected},
		{"unknown signer, warn", SignatureWarn, "tags/stranger", []Code{CodeSignature}, Accepted},
		{"unsigned tag", SignatureRequire, "tags/mlx5-for-next", []Code{CodeSignature}, Rejected},
		{"branch", SignatureRequire, "for-next-clean", []Code{CodeSignature}, Rejected},
		{"branch, warn", SignatureWarn, "for-next-clean", nil, Accepted},
		{"off", SignatureOff, "tags/stranger", nil, Accepted},
	}
	e := newEnv(t, nil)
	clean, _ := e.k.Sample("clean")
	for name, sign := range map[string]gitfixture.Signer{"good": signTrusted, "stranger": signStranger} {
		if _, err := e.k.AddTag(t.Context(), clean.Repo, name, clean.Tip, "mlx5 updates", sign); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.cfg.Signature, e.cfg.Keyring = tt.policy, keyring
			e.c = e.open(t)
			pr := e.request(t, "clean")
			pr.Ref = tt.ref
			v := e.check(t, pr)
			if v.Status != tt.status || !slices.Equal(codes(v), tt.want) {
				t.Errorf("verdict %s %v, want %s %v", v.Status, codes(v), tt.status, tt.want)
			}
		})
	}
}
