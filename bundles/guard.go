package bundles

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode"
)

// ArchiveLimits bound what a bundle archive may hold. OPA's bundle reader
// checks each member against its size limit (WithSizeLimitBytes), but it
// keeps every member in memory, accepts any number of them, and takes
// member names such as "../x.rego" or "/../../etc/data.json" as they
// are. CheckArchive reads the archive once, keeping nothing, before OPA
// does.
type ArchiveLimits struct {
	// Files bounds the members (directories included).
	Files int
	// MemberBytes bounds one member, uncompressed.
	MemberBytes int64
	// TotalBytes bounds all members together, uncompressed: a guard
	// against decompression bombs.
	TotalBytes int64
}

// DefaultArchiveLimits are what ReadFile accepts. An iam2rego bundle holds
// about a dozen members (the policies module, the library, data.json, the
// manifest and signature); the member limit is generous so that bundles
// built before all policies shared one module (one member per policy
// document, up to about 50,000) still read, and are then refused with a
// clear message at activation (rego.PrepareBundle).
var DefaultArchiveLimits = ArchiveLimits{
	Files:       200_000,
	MemberBytes: MaxBundleBytes,
	TotalBytes:  MaxBundleBytes,
}

// CheckArchive checks a gzipped tar bundle against DefaultArchiveLimits.
func CheckArchive(r io.Reader) error { return DefaultArchiveLimits.Check(r) }

// Check reads a gzipped tar bundle to its end without keeping its
// contents, and reports the first problem: a member name that is empty,
// not clean, leaves the bundle (".." components), or holds a backslash or
// a control character; a member that is neither a regular file nor a
// directory (links, devices); a name given twice; more than l.Files
// members; a member over l.MemberBytes, or more than l.TotalBytes in all,
// once decompressed; or an archive that is not gzip or tar. The reader is
// consumed; rewind it before reading the bundle.
func (l ArchiveLimits) Check(r io.Reader) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("the bundle is not a gzip archive: %w", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	seen := map[string]bool{}
	var total int64
	for n := 0; ; n++ {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("the bundle is not a valid tar archive: %w", err)
		}
		if n >= l.Files {
			return fmt.Errorf("the bundle has more than %d members", l.Files)
		}
		name, err := memberName(h.Name)
		if err != nil {
			return err
		}
		switch h.Typeflag {
		case tar.TypeReg, tar.TypeDir:
		default:
			return fmt.Errorf("bundle member %q is %s; a bundle holds only files and directories", h.Name, memberKind(h.Typeflag))
		}
		if h.Typeflag == tar.TypeDir {
			continue
		}
		if seen[name] {
			return fmt.Errorf("bundle member %q appears more than once", h.Name)
		}
		seen[name] = true
		if h.Size > l.MemberBytes {
			return fmt.Errorf("bundle member %q has %d bytes, more than the %d-byte limit", h.Name, h.Size, l.MemberBytes)
		}
		if total+h.Size > l.TotalBytes {
			return fmt.Errorf("the bundle decompresses to more than the %d-byte limit (at member %q)", l.TotalBytes, h.Name)
		}
		// The header's size is what tar reads; count what it does read,
		// so that a short member cannot pass for a small one.
		got, err := io.Copy(io.Discard, tr)
		if err != nil {
			return fmt.Errorf("bundle member %q cannot be read: %w", h.Name, err)
		}
		total += got
	}
}

// memberName checks a member name and returns it without its leading
// slash (OPA writes "/data.json").
func memberName(name string) (string, error) {
	rel := strings.TrimPrefix(name, "/")
	rel = strings.TrimSuffix(rel, "/") // directories
	switch {
	case rel == "":
		return "", fmt.Errorf("a bundle member has an empty name (%q)", name)
	case strings.ContainsRune(rel, '\\'):
		return "", fmt.Errorf("bundle member %q has a backslash in its name", name)
	case strings.IndexFunc(rel, unicode.IsControl) >= 0:
		return "", fmt.Errorf("bundle member %q has a control character in its name", name)
	case rel == ".." || strings.HasPrefix(rel, "../") || strings.Contains(rel, "/../") || strings.HasSuffix(rel, "/.."):
		return "", fmt.Errorf("bundle member %q leaves the bundle (..)", name)
	case path.Clean(rel) != rel:
		return "", fmt.Errorf("bundle member %q is not a clean path", name)
	}
	return rel, nil
}

func memberKind(t byte) string {
	switch t {
	case tar.TypeSymlink:
		return "a symbolic link"
	case tar.TypeLink:
		return "a hard link"
	case tar.TypeChar, tar.TypeBlock:
		return "a device"
	case tar.TypeFifo:
		return "a named pipe"
	}
	return fmt.Sprintf("of tar type %q", t)
}
