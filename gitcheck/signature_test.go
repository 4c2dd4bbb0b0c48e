package gitcheck

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/prtrack/prtrack/gitcheck/gitfixture"
)

// keySpec makes a test key: created at born, valid for life (0:
// forever), with a signing subkey when sub is set.
type keySpec struct {
	name string
	born time.Time
	life time.Duration
	sub  bool
}

// The fixture's tags are dated 2024-03-10.
var (
	jan2023 = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	jan2024 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
)

func newKey(t *testing.T, spec keySpec) (*openpgp.Entity, gitfixture.Signer) {
	t.Helper()
	if spec.born.IsZero() {
		spec.born = jan2024
	}
	cfg := &packet.Config{Time: func() time.Time { return spec.born }, KeyLifetimeSecs: uint32(spec.life.Seconds())}
	ent, err := openpgp.NewEntity(spec.name, "", spec.name+"@example.org", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if spec.sub {
		if err := ent.AddSigningSubkey(cfg); err != nil {
			t.Fatal(err)
		}
	}
	signAt := &packet.Config{Time: func() time.Time { return spec.born.Add(time.Hour) }}
	return ent, func(payload []byte) (string, error) {
		var b bytes.Buffer
		err := openpgp.ArmoredDetachSign(&b, ent, bytes.NewReader(payload), signAt)
		return b.String() + "\n", err
	}
}

func armored(t *testing.T, ents ...*openpgp.Entity) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range ents {
		if err := ent.Serialize(w); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	return b.Bytes()
}

func writeKeyring(t *testing.T, ents ...*openpgp.Entity) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keyring.asc")
	if err := os.WriteFile(path, armored(t, ents...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeKeyDir writes the keys in the layout of kernel.org's pgpkeys
// repository, keys/<FINGERPRINT>.asc, with one broken file beside them.
func writeKeyDir(t *testing.T, ents ...*openpgp.Entity) string {
	t.Helper()
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	if err := os.Mkdir(keys, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, ent := range ents {
		name := fmt.Sprintf("%X.asc", ent.PrimaryKey.Fingerprint)
		if err := os.WriteFile(filepath.Join(keys, name), armored(t, ent), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(keys, "BROKEN.asc"), []byte("not a key\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestSignature(t *testing.T) {
	trusted, signTrusted := newKey(t, keySpec{name: "trusted"})
	_, signStranger := newKey(t, keySpec{name: "stranger"})
	old, signOld := newKey(t, keySpec{name: "old", born: jan2023, life: 30 * 24 * time.Hour})
	since, signSince := newKey(t, keySpec{name: "since", born: jan2024, life: 120 * 24 * time.Hour})
	sub, signSub := newKey(t, keySpec{name: "sub", sub: true})
	bad := func(payload []byte) (string, error) { return signTrusted(append(payload, 'x')) }
	stranger2, _ := newKey(t, keySpec{name: "stranger2"})
	twice := signTwice(stranger2, trusted)
	twoKnown := signTwice(trusted, since)
	file := writeKeyring(t, trusted)
	dir := writeKeyDir(t, trusted, old, since, sub)
	tests := []struct {
		name    string
		policy  SignaturePolicy
		keyring string
		ref     string // sample ref, or a tag added below
		sender  string
		want    string // "" or a part of the signature finding's message
		status  Status
	}{
		{"good signature", SignatureRequire, file, "tags/good", "", "", Accepted},
		{"unknown signer", SignatureRequire, file, "tags/stranger", "", "not in the keyring", Rejected},
		{"unknown signer, warn", SignatureWarn, file, "tags/stranger", "", "not in the keyring", Accepted},
		{"unsigned tag", SignatureRequire, file, "tags/mlx5-for-next", "", "is not signed", Rejected},
		{"branch", SignatureRequire, file, "for-next-clean", "", "not a signed tag", Rejected},
		{"branch, warn", SignatureWarn, file, "for-next-clean", "", "a branch, not a signed tag", Accepted},
		{"off", SignatureOff, file, "tags/stranger", "", "", Accepted},
		{"directory, sender's key", SignatureRequire, dir, "tags/good", "Trusted@example.org", "", Accepted},
		{"directory, someone else's key", SignatureRequire, dir, "tags/good", "saeedm@nvidia.com",
			"not by a key of the sender saeedm@nvidia.com", Rejected},
		{"directory, unknown key", SignatureRequire, dir, "tags/stranger", "", "not in the keyring", Rejected},
		{"bad signature", SignatureRequire, dir, "tags/bad", "", "does not verify", Rejected},
		{"expired at signing", SignatureRequire, dir, "tags/old", "old@example.org", "not valid on the tag's date (2024-03-10)", Rejected},
		{"expired since", SignatureRequire, dir, "tags/since", "since@example.org", "", Accepted},
		{"subkey", SignatureRequire, dir, "tags/sub", "sub@example.org", "", Accepted},
		{"signed twice, one key known", SignatureRequire, dir, "tags/twice", "trusted@example.org", "", Accepted},
		{"signed twice, the sender's key unknown", SignatureRequire, dir, "tags/twice", "stranger2@example.org",
			"not by a key of the sender", Rejected},
		{"signed twice, both known, sender's second", SignatureRequire, dir, "tags/two-known", "since@example.org", "", Accepted},
		{"signed twice, both known, another sender", SignatureRequire, dir, "tags/two-known", "sub@example.org",
			"not by a key of the sender sub@example.org", Rejected},
	}
	e := newEnv(t, nil)
	clean, _ := e.k.Sample("clean")
	for name, sign := range map[string]gitfixture.Signer{"good": signTrusted, "stranger": signStranger,
		"old": signOld, "since": signSince, "sub": signSub, "bad": bad, "twice": twice, "two-known": twoKnown} {
		if _, err := e.k.AddTag(t.Context(), clean.Repo, name, clean.Tip, "mlx5 updates", sign); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.cfg.Signature, e.cfg.Keyring = tt.policy, tt.keyring
			e.c = e.open(t)
			pr := e.request(t, "clean")
			pr.Ref, pr.Sender = tt.ref, tt.sender
			v := e.check(t, pr)
			var want []Code
			if tt.want != "" {
				want = []Code{CodeSignature}
			}
			if v.Status != tt.status || !slices.Equal(codes(v), want) {
				t.Fatalf("verdict %s %v, want %s %v", v.Status, codes(v), tt.status, want)
			}
			if tt.want != "" && !strings.Contains(v.Findings[0].Message, tt.want) {
				t.Errorf("message %q, want it to say %q", v.Findings[0].Message, tt.want)
			}
			good := tt.want == "" && tt.policy != SignatureOff && strings.HasPrefix(tt.ref, "tags/")
			if tt.name == "branch, warn" {
				good = false
			}
			if good != strings.Contains(v.SignedBy, "@example.org>") ||
				good && !strings.Contains(strings.ToLower(v.SignedBy), strings.ToLower(tt.sender)) {
				t.Errorf("signed by %q (good signature: %v, sender %q)", v.SignedBy, good, tt.sender)
			}
		})
	}
}

// TestSignaturePolicyPerProfile: a profile's own policy wins over
// check.signature (rdma-core's built-in one is off), and a profile that
// sets none follows it.
func TestSignaturePolicyPerProfile(t *testing.T) {
	trusted, _ := newKey(t, keySpec{name: "trusted"})
	e := newEnv(t, nil)
	e.cfg.Signature, e.cfg.Keyring = SignatureRequire, writeKeyring(t, trusted)
	quiet := driverProfile(e.cfg)
	quiet.Signature = SignatureOff
	for _, tc := range []struct {
		profiles []Profile
		want     Status
	}{
		{nil, Rejected},              // the driver profile sets none: check.signature's require
		{[]Profile{quiet}, Accepted}, // the driver profile says off
	} {
		e.cfg.Profiles = tc.profiles
		e.c = e.open(t)
		pr := e.request(t, "clean") // a branch: unsigned
		if v := e.check(t, pr); v.Status != tc.want {
			t.Errorf("profiles %v: %s %v, want %s", tc.profiles, v.Status, codes(v), tc.want)
		}
	}
	if p := rdmaCoreProfile(); p.Signature != SignatureOff {
		t.Errorf("rdma-core's built-in policy is %q, want off", p.Signature)
	}
}

// TestSubkeySigns makes sure the subkey case above is one: the
// signature's issuer is the signing subkey, not the primary key.
func TestSubkeySigns(t *testing.T) {
	ent, sign := newKey(t, keySpec{name: "sub", sub: true})
	sig, err := sign([]byte("payload"))
	if err != nil {
		t.Fatal(err)
	}
	block, err := armor.Decode(strings.NewReader(sig))
	if err != nil {
		t.Fatal(err)
	}
	p, err := packet.Read(block.Body)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := p.(*packet.Signature)
	if !ok || s.IssuerKeyId == nil {
		t.Fatalf("packet %T", p)
	}
	signing := ent.Subkeys[len(ent.Subkeys)-1].PublicKey.KeyId
	if *s.IssuerKeyId != signing || *s.IssuerKeyId == ent.PrimaryKey.KeyId {
		t.Errorf("issuer %X, want the signing subkey %X", *s.IssuerKeyId, signing)
	}
}

// signTwice signs with each key, one armored block holding both
// signature packets (as gpg --detach-sign -u A -u B makes).
func signTwice(ents ...*openpgp.Entity) gitfixture.Signer {
	return func(payload []byte) (string, error) {
		var raw bytes.Buffer
		for _, ent := range ents {
			born := ent.PrimaryKey.CreationTime
			cfg := &packet.Config{Time: func() time.Time { return born.Add(time.Hour) }}
			if err := openpgp.DetachSign(&raw, ent, bytes.NewReader(payload), cfg); err != nil {
				return "", err
			}
		}
		var b bytes.Buffer
		w, err := armor.Encode(&b, openpgp.SignatureType, nil)
		if err != nil {
			return "", err
		}
		if _, err := w.Write(raw.Bytes()); err != nil {
			return "", err
		}
		if err := w.Close(); err != nil {
			return "", err
		}
		return b.String() + "\n", nil
	}
}

func TestSignaturePacketsErrors(t *testing.T) {
	for name, in := range map[string]string{
		"not armored":            "garbage",
		"a key, not a signature": "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ==\n-----END PGP PUBLIC KEY BLOCK-----\n",
		"empty block":            "-----BEGIN PGP SIGNATURE-----\n\n=twTO\n-----END PGP SIGNATURE-----\n",
	} {
		if _, err := signaturePackets(in); err == nil || !strings.HasPrefix(err.Error(), "read signature: ") {
			t.Errorf("%s: err %v", name, err)
		}
	}
}

// TestKeyringDirectoryUpdated: a key added to the directory counts at
// the next check, without reopening the checker.
func TestKeyringDirectoryUpdated(t *testing.T) {
	trusted, _ := newKey(t, keySpec{name: "trusted"})
	added, signAdded := newKey(t, keySpec{name: "added"})
	dir := writeKeyDir(t, trusted)
	e := newEnv(t, func(c *Config) { c.Signature, c.Keyring = SignatureRequire, dir })
	clean, _ := e.k.Sample("clean")
	if _, err := e.k.AddTag(t.Context(), clean.Repo, "added", clean.Tip, "mlx5 updates", signAdded); err != nil {
		t.Fatal(err)
	}
	pr := e.request(t, "clean")
	pr.Ref, pr.Sender = "tags/added", "added@example.org"
	if v := e.check(t, pr); v.Status != Rejected {
		t.Fatalf("before the key is added: %s", v.Status)
	}
	name := filepath.Join(dir, "keys", fmt.Sprintf("%X.asc", added.PrimaryKey.Fingerprint))
	if err := os.WriteFile(name, armored(t, added), 0o644); err != nil {
		t.Fatal(err)
	}
	if v := e.check(t, pr); v.Status != Accepted || !strings.Contains(v.SignedBy, "added@example.org") {
		t.Errorf("after the key is added: %s %+v", v.Status, v.Findings)
	}
}

// TestRevokedKey: a key revoked before the tag was made does not vouch
// for it, and the finding says revoked.
func TestRevokedKey(t *testing.T) {
	ent, sign := newKey(t, keySpec{name: "revoked"})
	e := newEnv(t, nil)
	clean, _ := e.k.Sample("clean")
	if _, err := e.k.AddTag(t.Context(), clean.Repo, "revoked", clean.Tip, "mlx5 updates", sign); err != nil {
		t.Fatal(err)
	}
	// Revoked in January, before the tag's date (2024-03-10).
	at := &packet.Config{Time: func() time.Time { return jan2024.Add(2 * time.Hour) }}
	if err := ent.RevokeKey(packet.KeyCompromised, "lost", at); err != nil {
		t.Fatal(err)
	}
	e.cfg.Signature, e.cfg.Keyring = SignatureRequire, writeKeyDir(t, ent)
	e.c = e.open(t)
	pr := e.request(t, "clean")
	pr.Ref, pr.Sender = "tags/revoked", "revoked@example.org"
	v := e.check(t, pr)
	if v.Status != Rejected || len(v.Findings) != 1 || !strings.Contains(v.Findings[0].Message, "revoked") {
		t.Fatalf("verdict %s %+v", v.Status, v.Findings)
	}
}
