package bundles

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

// maxKeyFileBytes bounds a key or secret file: a PEM key is a few KB.
const maxKeyFileBytes = 1 << 20

// isPEM reports whether a key is given as PEM text rather than a path.
func isPEM(key string) bool { return strings.Contains(key, "-----BEGIN ") }

// isHMAC reports an HS256/HS384/HS512 algorithm.
func isHMAC(alg string) bool { return strings.HasPrefix(strings.ToUpper(alg), "HS") }

// keyMaterial returns the key or secret a signature is made or checked
// with. key is a file (a PEM key, or the HMAC secret's bytes) or PEM text;
// secret is an HMAC secret given as text (HS* only). A key that names no
// file is never taken for a secret: that signed bundles with the path's
// text as their HMAC secret when the file was missing. role names the
// flag in errors ("signing key", "verification key").
func keyMaterial(role, key, secret, alg string) (string, error) {
	switch {
	case key != "" && secret != "":
		return "", fmt.Errorf("%s: give a key file or a secret, not both", role)
	case secret != "" && !isHMAC(alg):
		return "", fmt.Errorf("%s: a secret is for HS256, HS384 or HS512, not %s (give a PEM key file)", role, alg)
	case secret != "":
		return secret, nil
	case key == "":
		return "", fmt.Errorf("no %s given", role)
	case isPEM(key) && isHMAC(alg):
		return "", fmt.Errorf("%s: %s takes its secret from a file or from the secret flag, not PEM text", role, alg)
	case isPEM(key):
		return key, nil
	}
	return readKeyFile(role, key)
}

// readKeyFile reads a key file: a regular file (opening a FIFO blocks, and
// a device may never end) of at most maxKeyFileBytes.
func readKeyFile(role, path string) (string, error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s %s: no such file (a key is a PEM file or PEM text; an HMAC secret comes from a file or from --%s)", role, path, strings.ReplaceAll(role, " key", "-secret"))
	}
	if err != nil {
		return "", fmt.Errorf("%s %s: cannot read the file: %w", role, path, unwrapPathError(err))
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s %s: %v", role, path, schema.NotRegularError{Mode: st.Mode()})
	}
	f, err := schema.OpenRegular(path)
	if err != nil {
		return "", fmt.Errorf("%s %s: cannot read the file: %w", role, path, unwrapPathError(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileBytes+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("%s %s: cannot read the file: %w", role, path, unwrapPathError(err))
	case len(data) > maxKeyFileBytes:
		return "", fmt.Errorf("%s %s: more than %d bytes, too large for a key", role, path, maxKeyFileBytes)
	case len(data) == 0:
		return "", fmt.Errorf("%s %s: the file is empty", role, path)
	}
	return string(data), nil
}

// Check reports a signing key or secret Sign could not use (a missing or
// unreadable file, a secret for RS*, …) before anything is built.
func (s Signing) Check() error {
	alg := s.Algorithm
	if alg == "" {
		alg = "RS256"
	}
	_, err := s.signerKey(alg)
	return err
}

// signerKey is what OPA's signer is given. OPA reads a key that names an
// existing file from that file, and fails on text too long for a file
// name, so a file is passed by its path (once checked) and a secret only
// when OPA will take it as text.
func (s Signing) signerKey(alg string) (string, error) {
	material, err := keyMaterial("signing key", s.Key, s.Secret, alg)
	if err != nil || s.Key != "" {
		return s.Key, err
	}
	if _, err := os.Stat(material); !errors.Is(err, fs.ErrNotExist) {
		return "", errors.New("signing secret: OPA's signer would take it for a file name; give the secret in a file with --signing-key FILE")
	}
	return material, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
