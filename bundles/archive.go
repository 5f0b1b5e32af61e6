package bundles

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// MaxBundleBytes bounds the compressed archive Read and ReadFile accept;
// ArchiveLimits bound what it holds once decompressed.
const MaxBundleBytes = 512 << 20

// Signing configures bundle signatures (OPA's .signatures.json: one JWT
// over the hashes of every file).
type Signing struct {
	// Key is a PEM private key file or PEM text (RS*, PS*, ES*), or a file
	// whose bytes are the HMAC secret (HS*). A path that names no file is
	// an error, never a secret.
	Key string
	// Secret is an HMAC secret given as text (HS* only), instead of Key.
	Secret string
	// Algorithm is RS256 (default), RS384, RS512, PS256…, ES256…, HS256….
	Algorithm string
	// KeyID goes into the JWT header as "kid" (default "iam2rego").
	KeyID string
}

// Sign adds .signatures.json to the bundle. RS* and HS* signatures are
// deterministic; PS* and ES* signatures differ from run to run.
func Sign(b *bundle.Bundle, s Signing) error {
	alg := s.Algorithm
	if alg == "" {
		alg = "RS256"
	}
	kid := s.KeyID
	if kid == "" {
		kid = "iam2rego"
	}
	key, err := s.signerKey(alg)
	if err != nil {
		return err
	}
	if err := b.GenerateSignature(bundle.NewSigningConfig(key, alg, ""), kid, false); err != nil {
		return fmt.Errorf("signing the bundle with %s: %w", alg, err)
	}
	return nil
}

// Encode writes the bundle as a gzipped tarball, modules as they are (no
// reformatting, so the bytes are those that were hashed and signed).
func Encode(b *bundle.Bundle) ([]byte, error) {
	var buf bytes.Buffer
	if err := bundle.NewWriter(&buf).DisableFormat(true).Write(*b); err != nil {
		return nil, fmt.Errorf("writing the bundle: %w", err)
	}
	return buf.Bytes(), nil
}

// WriteFile writes the bundle atomically: to a temporary file in the same
// directory, synced, then renamed over path. A failed or interrupted write
// leaves any previous file at path untouched.
func WriteFile(path string, b *bundle.Bundle) error {
	data, err := Encode(b)
	if err != nil {
		return err
	}
	return writeAtomic(path, data)
}

func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// A build killed between creating its temporary file and renaming it
	// leaves the file behind; the next successful write sweeps them.
	stale, _ := filepath.Glob(filepath.Join(dir, "."+filepath.Base(path)+".tmp-*"))
	for _, f := range stale {
		os.Remove(f)
	}
	return nil
}

// Verification configures signature checks on read.
type Verification struct {
	// Key is a PEM public key file or PEM text, or a file whose bytes are
	// the HMAC secret; a path that names no file is an error.
	Key string
	// Secret is an HMAC secret given as text (HS* only), instead of Key.
	Secret    string
	Algorithm string // default RS256
	KeyID     string // default "iam2rego"
}

// ReadFile reads a bundle within DefaultArchiveLimits. With v set the
// signature must be present and valid; every file's hash is checked
// against it.
func ReadFile(path string, v *Verification) (*bundle.Bundle, error) {
	return ReadFileWithin(path, v, DefaultArchiveLimits)
}

// ReadFileWithin reads a bundle as ReadFile does, within l: the archive
// is checked (member names and kinds, sizes, the depth and width of its
// JSON) before OPA's reader parses anything, signed or not.
func ReadFileWithin(path string, v *Verification, l ArchiveLimits) (*bundle.Bundle, error) {
	return ReadFileReporting(path, v, l, nil)
}

// ReadFileReporting reads a bundle as ReadFileWithin does and, when report
// is set, reports the bytes of the archive read so far: it is read twice
// (checked, then parsed), so the total is twice its size.
func ReadFileReporting(path string, v *Verification, l ArchiveLimits, report func(done, total int64)) (*bundle.Bundle, error) {
	f, err := schema.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxBundleBytes {
		return nil, fmt.Errorf("%s: %d bytes is larger than the %d-byte limit", path, st.Size(), MaxBundleBytes)
	}
	r := &countingReader{r: f, total: 2 * st.Size(), report: report}
	// Scan the archive first (member names, kinds, counts, sizes, JSON
	// shape) so that nothing hostile reaches OPA's reader.
	if err := l.Check(io.LimitReader(r, MaxBundleBytes)); err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	r.done = st.Size()
	return read(io.LimitReader(r, MaxBundleBytes), v, l.MemberBytes)
}

// countingReader reports the bytes read through it.
type countingReader struct {
	r           io.Reader
	done, total int64
	report      func(done, total int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.done += int64(n)
	if c.report != nil {
		c.report(min(c.done, c.total), c.total)
	}
	return n, err
}

// Read reads a bundle from r as ReadFile does, holding the compressed
// archive in memory to check it first.
func Read(r io.Reader, v *Verification) (*bundle.Bundle, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBundleBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBundleBytes {
		return nil, fmt.Errorf("the bundle is larger than the %d-byte limit", MaxBundleBytes)
	}
	if err := CheckArchive(bytes.NewReader(data)); err != nil {
		return nil, err
	}
	return read(bytes.NewReader(data), v, DefaultArchiveLimits.MemberBytes)
}

// read reads a bundle that Check has accepted.
func read(r io.Reader, v *Verification, memberBytes int64) (*bundle.Bundle, error) {
	reader := bundle.NewReader(r).WithSizeLimitBytes(memberBytes)
	if v != nil {
		alg, kid := v.Algorithm, v.KeyID
		if alg == "" {
			alg = "RS256"
		}
		if kid == "" {
			kid = "iam2rego"
		}
		key, err := keyMaterial("verification key", v.Key, v.Secret, alg)
		if err != nil {
			return nil, err
		}
		vc := bundle.NewVerificationConfig(map[string]*bundle.KeyConfig{kid: {Key: key, Algorithm: alg}}, kid, "", nil)
		reader = reader.WithBundleVerificationConfig(vc)
	} else {
		reader = reader.WithSkipBundleVerification(true)
	}
	b, err := reader.Read()
	if err != nil {
		return nil, fmt.Errorf("reading the bundle: %w", err)
	}
	return &b, nil
}

// HasSignature reports whether the bundle archive at path carries a
// .signatures.json file. OPA's reader leaves Bundle.Signatures empty when
// verification is skipped, so inspect asks the archive itself.
func HasSignature(path string) (bool, error) {
	f, err := schema.OpenRegular(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(io.LimitReader(f, MaxBundleBytes))
	if err != nil {
		return false, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if strings.TrimPrefix(h.Name, "/") == ".signatures.json" {
			return true, nil
		}
	}
}
