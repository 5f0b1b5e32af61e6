package bundles_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
)

// keyPair is a private key PEM and its public key PEM.
type keyPair struct{ priv, pub []byte }

type testKeys struct {
	rsa, rsaOther, ec, ecOther keyPair
}

// keys are generated once per test run (RSA-2048 takes a while under -race).
var keys = sync.OnceValue(func() testKeys {
	rsaKey := func(pkcs1 bool) keyPair {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		var priv []byte
		if pkcs1 { // openssl genrsa's traditional form
			priv = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
		} else {
			der, err := x509.MarshalPKCS8PrivateKey(k)
			if err != nil {
				panic(err)
			}
			priv = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
		}
		return keyPair{priv, publicPEM(&k.PublicKey)}
	}
	ecKey := func(sec1 bool) keyPair {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		var priv []byte
		if sec1 { // openssl ecparam -genkey's form
			der, err := x509.MarshalECPrivateKey(k)
			if err != nil {
				panic(err)
			}
			priv = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
		} else {
			der, err := x509.MarshalPKCS8PrivateKey(k)
			if err != nil {
				panic(err)
			}
			priv = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
		}
		return keyPair{priv, publicPEM(&k.PublicKey)}
	}
	return testKeys{rsa: rsaKey(true), rsaOther: rsaKey(false), ec: ecKey(true), ecOther: ecKey(false)}
})

func publicPEM(pub any) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// keyFiles writes a key pair into dir: the private and public key paths.
func keyFiles(t testing.TB, dir, stem string, kp keyPair) (string, string) {
	t.Helper()
	priv, pub := filepath.Join(dir, stem+".key.pem"), filepath.Join(dir, stem+".pub.pem")
	if err := os.WriteFile(priv, kp.priv, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pub, kp.pub, 0o644); err != nil {
		t.Fatal(err)
	}
	return priv, pub
}

// signedExample builds the example account and signs it.
func signedExample(t testing.TB, s bundles.Signing) []byte {
	t.Helper()
	res := build(t, load(t, exampleInputs(exampleDir)))
	if err := bundles.Sign(res.Bundle, s); err != nil {
		t.Fatalf("Sign(%s): %v", s.Algorithm, err)
	}
	return encode(t, res.Bundle)
}

func writeBundle(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSignAndVerify(t *testing.T) {
	k := keys()
	for _, tc := range []struct {
		alg         string
		right       keyPair
		wrong       keyPair
		wrongFamily keyPair
	}{
		{"RS256", k.rsa, k.rsaOther, k.ec},
		{"ES256", k.ec, k.ecOther, k.rsa},
	} {
		t.Run(tc.alg, func(t *testing.T) {
			dir := t.TempDir()
			priv, pub := keyFiles(t, dir, "right", tc.right)
			_, wrongPub := keyFiles(t, dir, "wrong", tc.wrong)
			_, otherFamilyPub := keyFiles(t, dir, "family", tc.wrongFamily)
			path := writeBundle(t, dir, "b.tar.gz", signedExample(t, bundles.Signing{Key: priv, Algorithm: tc.alg}))

			b, err := bundles.ReadFile(path, &bundles.Verification{Key: pub, Algorithm: tc.alg})
			if err != nil {
				t.Fatalf("verifying with the right key: %v", err)
			}
			if len(b.Signatures.Signatures) != 1 {
				t.Errorf("%d signatures, want 1 JWT", len(b.Signatures.Signatures))
			}
			signed, err := bundles.HasSignature(path)
			if err != nil || !signed {
				t.Fatalf("HasSignature = %v, %v; want true", signed, err)
			}
			if s := bundles.Inspect(b, signed, true); s.Signature != "signed and verified" {
				t.Errorf("inspect: signature %q", s.Signature)
			}
			// The key may also be given as PEM text rather than a file.
			if _, err := bundles.ReadFile(path, &bundles.Verification{Key: string(tc.right.pub), Algorithm: tc.alg}); err != nil {
				t.Errorf("verifying with the PEM text of the right key: %v", err)
			}
			// Without a key the bundle reads, but is not called verified.
			b, err = bundles.ReadFile(path, nil)
			if err != nil {
				t.Fatalf("reading without a key: %v", err)
			}
			if s := bundles.Inspect(b, signed, false); !strings.HasPrefix(s.Signature, "signed (not verified") {
				t.Errorf("a signed bundle read without a key is reported as signature %q, want \"signed (not verified…)\": "+
					"ReadFile(path, nil) reads with WithSkipBundleVerification(true), which leaves Bundle.Signatures empty, "+
					"so `iam2rego inspect BUNDLE` calls a signed bundle unsigned", s.Signature)
			}

			for _, bad := range []struct{ what, key string }{
				{"another " + tc.alg + " key", wrongPub},
				{"a key of the other family", otherFamilyPub},
			} {
				_, err := bundles.ReadFile(path, &bundles.Verification{Key: bad.key, Algorithm: tc.alg})
				t.Logf("verifying with %s: %v", bad.what, err)
				if err == nil {
					t.Errorf("verifying with %s succeeded", bad.what)
				} else if !strings.Contains(err.Error(), "verif") && !strings.Contains(err.Error(), "key") {
					t.Errorf("verifying with %s: unclear error %q", bad.what, err)
				}
			}
			if tc.alg == "RS256" {
				if _, err := bundles.ReadFile(path, &bundles.Verification{Key: pub, Algorithm: "RS512"}); err == nil {
					t.Errorf("an RS256 signature verified as RS512")
				}
			}
		})
	}
}

func TestSignHMAC(t *testing.T) {
	dir := t.TempDir()
	path := writeBundle(t, dir, "b.tar.gz", signedExample(t, bundles.Signing{Secret: "a shared secret", Algorithm: "HS256"}))
	if _, err := bundles.ReadFile(path, &bundles.Verification{Secret: "a shared secret", Algorithm: "HS256"}); err != nil {
		t.Errorf("HS256 with the right secret: %v", err)
	}
	if _, err := bundles.ReadFile(path, &bundles.Verification{Secret: "another secret", Algorithm: "HS256"}); err == nil {
		t.Errorf("HS256 verified with the wrong secret")
	}
	// A secret longer than a file name can be (read as a path it fails
	// with ENAMETOOLONG, not "does not exist") is still a secret.
	long := strings.Repeat("s3cr3t", 60)
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte(long), 0o600); err != nil {
		t.Fatal(err)
	}
	path = writeBundle(t, dir, "long.tar.gz", signedExample(t, bundles.Signing{Key: secret, Algorithm: "HS256"}))
	if _, err := bundles.ReadFile(path, &bundles.Verification{Secret: long, Algorithm: "HS256"}); err != nil {
		t.Errorf("HS256 with a 360-byte secret: %v", err)
	}
	if _, err := bundles.ReadFile(path, &bundles.Verification{Key: secret, Algorithm: "HS256"}); err != nil {
		t.Errorf("HS256 with the secret's file: %v", err)
	}
}

// TestMissingKeyIsNeverASecret: a key argument that names no file is an
// error ("no such file") for every algorithm, when signing and when
// verifying; it is never used as an HMAC secret (a missing HS256 key
// file used to sign with the path's text, and verify with it too).
func TestMissingKeyIsNeverASecret(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-secret")
	signed := writeBundle(t, dir, "b.tar.gz", signedExample(t, bundles.Signing{Secret: missing, Algorithm: "HS256"}))
	for _, alg := range []string{"HS256", "HS384", "HS512", "RS256", "PS256", "ES256"} {
		res := build(t, load(t, exampleInputs(exampleDir)))
		err := bundles.Sign(res.Bundle, bundles.Signing{Key: missing, Algorithm: alg})
		if err == nil || !strings.Contains(err.Error(), "no such file") || !strings.Contains(err.Error(), missing) {
			t.Errorf("Sign(%s) with a missing key file: %v; want an error naming the file and saying no such file", alg, err)
		}
		if len(res.Bundle.Signatures.Signatures) != 0 {
			t.Errorf("Sign(%s) with a missing key file left a signature", alg)
		}
		if err := (bundles.Signing{Key: missing, Algorithm: alg}).Check(); err == nil {
			t.Errorf("Signing.Check(%s) accepts a missing key file", alg)
		}
		// The bundle signed with the path's text as the secret must not
		// verify with the missing path.
		_, err = bundles.ReadFile(signed, &bundles.Verification{Key: missing, Algorithm: alg})
		if err == nil || !strings.Contains(err.Error(), "no such file") {
			t.Errorf("ReadFile verifying %s with a missing key file: %v; want no such file", alg, err)
		}
	}
}

// TestSecretsAreForHMACOnly: a secret is refused for RS*/PS*/ES*, with a
// key file at once, and when OPA's signer would take it for a file name;
// a key that is not a regular file (a directory) is refused.
func TestSecretsAreForHMACOnly(t *testing.T) {
	dir := t.TempDir()
	priv, _ := keyFiles(t, dir, "k", keys().rsa)
	for name, s := range map[string]bundles.Signing{
		"secret for RS256":      {Secret: "s", Algorithm: "RS256"},
		"key and secret":        {Key: priv, Secret: "s", Algorithm: "HS256"},
		"secret names a file":   {Secret: priv, Algorithm: "HS256"},
		"directory as key":      {Key: dir, Algorithm: "HS256"},
		"PEM text as HS secret": {Key: string(keys().rsa.priv), Algorithm: "HS256"},
		"no key":                {Algorithm: "HS256"},
	} {
		if err := s.Check(); err == nil {
			t.Errorf("%s: Signing.Check accepted it", name)
		}
		res := build(t, load(t, exampleInputs(exampleDir)))
		if err := bundles.Sign(res.Bundle, s); err == nil {
			t.Errorf("%s: Sign accepted it", name)
		}
	}
}

// TestSignMissingKeyFile: an RS256 key that names no file is reported as a
// missing file, not as key text that fails to parse.
func TestSignMissingKeyFile(t *testing.T) {
	res := build(t, load(t, exampleInputs(exampleDir)))
	missing := filepath.Join(t.TempDir(), "nope.pem")
	err := bundles.Sign(res.Bundle, bundles.Signing{Key: missing})
	if err == nil || !strings.Contains(err.Error(), "nope.pem") || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("signing with a missing key file: %v", err)
	}
}

// TestVerifyInlinePEM: a public key given as PEM text, not as a file. Its
// base64 holds slashes, and a run of more than 255 bytes between two of
// them made reading it as a path fail with "file name too long" (a flaky
// failure, depending on the random key).
func TestVerifyInlinePEM(t *testing.T) {
	k := keys()
	path := writeBundle(t, t.TempDir(), "b.tar.gz", signedExample(t, bundles.Signing{Key: string(k.rsa.priv)}))
	pub := string(k.rsa.pub)
	for _, text := range []string{pub, strings.ReplaceAll(pub, "\n", "") + strings.Repeat("A", 300)} {
		_, err := bundles.ReadFile(path, &bundles.Verification{Key: text})
		if err != nil && strings.Contains(err.Error(), "file name too long") {
			t.Errorf("PEM text read as a path: %v", err)
		}
		if text == pub && err != nil {
			t.Errorf("inline PEM public key: %v", err)
		}
	}
	if _, err := bundles.ReadFile(path, &bundles.Verification{Key: string(k.rsaOther.pub)}); err == nil {
		t.Errorf("verified with another inline public key")
	}
}

func TestSignKeyID(t *testing.T) {
	dir := t.TempDir()
	priv, pub := keyFiles(t, dir, "k", keys().rsa)
	path := writeBundle(t, dir, "b.tar.gz", signedExample(t, bundles.Signing{Key: priv, KeyID: "ci-2026"}))
	if _, err := bundles.ReadFile(path, &bundles.Verification{Key: pub, KeyID: "ci-2026"}); err != nil {
		t.Errorf("verifying with key id ci-2026: %v", err)
	}
}

func TestSignRejectsBadKeys(t *testing.T) {
	dir := t.TempDir()
	priv, pub := keyFiles(t, dir, "k", keys().rsa)
	for _, s := range []bundles.Signing{
		{Key: pub, Algorithm: "RS256"},                               // a public key cannot sign
		{Key: filepath.Join(dir, "missing.pem"), Algorithm: "RS256"}, // no such file
		{Key: priv, Algorithm: "EdDSA"},                              // OPA has no EdDSA
		{Key: priv, Algorithm: "ES256"},                              // an RSA key for ECDSA
	} {
		res := build(t, load(t, exampleInputs(exampleDir)))
		if err := bundles.Sign(res.Bundle, s); err == nil {
			t.Errorf("Sign(%s with %s) succeeded", s.Algorithm, filepath.Base(s.Key))
		} else if len(res.Bundle.Signatures.Signatures) != 0 {
			t.Errorf("a failed Sign(%s) left a signature", s.Algorithm)
		}
	}
}

func TestUnsignedBundleFailsVerification(t *testing.T) {
	dir := t.TempDir()
	_, pub := keyFiles(t, dir, "k", keys().rsa)
	path := writeBundle(t, dir, "unsigned.tar.gz", buildBytes(t, exampleInputs(exampleDir)))
	_, err := bundles.ReadFile(path, &bundles.Verification{Key: pub})
	if err == nil {
		t.Fatal("an unsigned bundle passed verification")
	}
	if !strings.Contains(err.Error(), ".signatures.json") {
		t.Errorf("error %q does not say that .signatures.json is missing", err)
	}
	if _, err := bundles.ReadFile(path, nil); err != nil {
		t.Errorf("reading an unsigned bundle without a key: %v", err)
	}
}

func TestRS256SignaturesAreDeterministic(t *testing.T) {
	dir := t.TempDir()
	priv, _ := keyFiles(t, dir, "k", keys().rsa)
	a := signedExample(t, bundles.Signing{Key: priv, Algorithm: "RS256"})
	b := signedExample(t, bundles.Signing{Key: priv, Algorithm: "RS256"})
	if !bytes.Equal(a, b) {
		t.Errorf("two RS256-signed builds differ")
	}
	if _, ok := files(t, a)[".signatures.json"]; !ok {
		t.Errorf("no .signatures.json in the signed archive")
	}
	unsigned := buildBytes(t, exampleInputs(exampleDir))
	if bytes.Equal(a, unsigned) {
		t.Errorf("signing did not change the archive")
	}
	// Signing does not change the content: same revision, modules, data.
	fa, fu := files(t, a), files(t, unsigned)
	for n, d := range fu {
		if !bytes.Equal(fa[n], d) {
			t.Errorf("%s differs between the signed and the unsigned bundle", n)
		}
	}
}

// flipOne changes one byte of data: the first byte of the first match of
// needle at offset into it.
func flipOne(t testing.TB, data []byte, needle string, offset int, to byte) []byte {
	t.Helper()
	i := bytes.Index(data, []byte(needle))
	if i < 0 {
		t.Fatalf("%q not found", needle)
	}
	out := bytes.Clone(data)
	if out[i+offset] == to {
		t.Fatalf("byte already %q", to)
	}
	out[i+offset] = to
	return out
}

func TestTamperedBundleIsRejected(t *testing.T) {
	k := keys()
	dir := t.TempDir()
	priv, pub := keyFiles(t, dir, "k", k.rsa)
	signed := signedExample(t, bundles.Signing{Key: priv})

	// The SCP guarding Bedrock regions: the module with its Sid.
	var scp string
	for n, d := range files(t, signed) {
		if "/"+n == bundles.PoliciesModule && bytes.Contains(d, []byte(`"DenyBedrockOutsideUsEast1"`)) && bytes.Contains(d, []byte(`us-east-1"`)) {
			scp = n
		}
	}
	if scp == "" {
		t.Fatal("no policy module holds the region guard DenyBedrockOutsideUsEast1 with us-east-1")
	}
	for _, tc := range []struct {
		file   string
		mutate func([]byte) []byte
	}{
		// us-east-1 → us-east-2 in a policy
		{scp, func(d []byte) []byte { return flipOne(t, d, `us-east-1"`, len(`us-east-`), '2') }},
		// the account's name in data.json
		{"data.json", func(d []byte) []byte { return flipOne(t, d, `"genai-prod"`, 1, 'G') }},
		// the decision library itself
		{"iam2rego/lib/decision.rego", func(d []byte) []byte { return flipOne(t, d, "ExplicitDeny", 0, 'e') }},
		// the revision in the manifest
		{".manifest", func(d []byte) []byte {
			i := bytes.Index(d, []byte(`"revision":"`)) + len(`"revision":"`)
			out := bytes.Clone(d)
			if out[i] == '0' {
				out[i] = '1'
			} else {
				out[i] = '0'
			}
			return out
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			changed := 0
			tampered := retar(t, signed, func(name string, data []byte) []byte {
				if name != tc.file {
					return data
				}
				out := tc.mutate(data)
				for i := range out {
					if out[i] != data[i] {
						changed++
					}
				}
				return out
			})
			if changed != 1 {
				t.Fatalf("changed %d bytes, want 1", changed)
			}
			path := writeBundle(t, t.TempDir(), "tampered.tar.gz", tampered)
			_, err := bundles.ReadFile(path, &bundles.Verification{Key: pub})
			if err == nil {
				t.Fatalf("a bundle with one byte changed in %s passed verification", tc.file)
			}
			t.Logf("one byte changed in %s: %v", tc.file, err)
			if !strings.Contains(err.Error(), tc.file) {
				t.Errorf("error %q does not name %s", err, tc.file)
			}
			if !strings.Contains(err.Error(), "digest mismatch") {
				t.Errorf("error %q does not say digest mismatch", err)
			}
		})
	}

	// A file added after signing, or one taken away.
	t.Run("extra file", func(t *testing.T) {
		extra := retarWith(t, signed, "/iam2rego/policies/pevil.rego", []byte("package iam2rego.policies.pevil\n\nstatements := 0\n"))
		_, err := bundles.ReadFile(writeBundle(t, t.TempDir(), "x.tar.gz", extra), &bundles.Verification{Key: pub})
		t.Logf("file added after signing: %v", err)
		if err == nil || !strings.Contains(err.Error(), "pevil.rego") {
			t.Errorf("a file added after signing: error %v, want one naming the file", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		var dropped string
		fewer := dropFile(t, signed, func(name string) bool {
			if dropped == "" && "/"+name == bundles.PoliciesModule {
				dropped = name
				return true
			}
			return false
		})
		_, err := bundles.ReadFile(writeBundle(t, t.TempDir(), "x.tar.gz", fewer), &bundles.Verification{Key: pub})
		t.Logf("file %s removed after signing: %v", dropped, err)
		if err == nil {
			t.Errorf("a bundle missing the signed file %s passed verification", dropped)
		}
	})
}

// retarWith appends one regular file to an archive.
func retarWith(t testing.TB, archive []byte, name string, content []byte) []byte {
	t.Helper()
	entries := untar(t, archive)
	h := entries[len(entries)-1].hdr
	h.Name = name
	h.Size = int64(len(content))
	entries = append(entries, tarEntry{hdr: h, data: content})
	return writeEntries(t, entries)
}

func dropFile(t testing.TB, archive []byte, drop func(name string) bool) []byte {
	t.Helper()
	var keep []tarEntry
	for _, e := range untar(t, archive) {
		if !drop(strings.TrimPrefix(e.hdr.Name, "/")) {
			keep = append(keep, e)
		}
	}
	return writeEntries(t, keep)
}
