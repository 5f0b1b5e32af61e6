package bundles

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
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
	// JSONDepth bounds the nesting of arrays and objects in a JSON member
	// (data.json, .manifest, .signatures.json).
	JSONDepth int
	// JSONWidth bounds the elements of one JSON array or object.
	JSONWidth int64
	// JSONElements bounds the array elements and object members of all
	// the JSON members together. OPA holds parsed JSON in memory at tens
	// of bytes per element, so this bounds what reading a bundle costs
	// better than its size does: a 100 KB gzipped array of zeros is
	// 100 MB and 50 million elements once decompressed.
	JSONElements int64
}

// DefaultArchiveLimits are what ReadFile accepts. An iam2rego bundle holds
// about a dozen members (the policies module, the library, data.json, the
// manifest and signature); the member limit is generous so that bundles
// built before all policies shared one module (one member per policy
// document, up to about 50,000) still read, and are then refused with a
// clear message at activation (rego.PrepareBundle).
var DefaultArchiveLimits = ArchiveLimits{
	Files:        200_000,
	MemberBytes:  DefaultUncompressedBytes,
	TotalBytes:   DefaultUncompressedBytes,
	JSONDepth:    DefaultJSONDepth,
	JSONWidth:    DefaultJSONWidth,
	JSONElements: DefaultJSONElements,
}

// The default bounds of a bundle's contents (iam2rego inspect and eval
// change them with --max-bundle-bytes, --max-json-depth,
// --max-json-width and --max-json-elements). data.json of a build of the
// largest export accepted (DefaultMaxBuildInputBytes) is well within
// them: depth 6, a principals object as wide as the principals, a few
// elements per policy use.
const (
	DefaultUncompressedBytes = 256 << 20
	DefaultJSONDepth         = 64
	DefaultJSONWidth         = 1_000_000
	DefaultJSONElements      = 8_000_000
)

// CheckArchive checks a gzipped tar bundle against DefaultArchiveLimits.
func CheckArchive(r io.Reader) error { return DefaultArchiveLimits.Check(r) }

// Check reads a gzipped tar bundle to its end without keeping its
// contents, and reports the first problem: a member name that is empty,
// not clean, leaves the bundle (".." components), or holds a backslash or
// a control character; a member that is neither a regular file nor a
// directory (links, devices); a name given twice; more than l.Files
// members; a member over l.MemberBytes, or more than l.TotalBytes in all,
// once decompressed; JSON (data.json, .manifest, .signatures.json) past
// l.JSONDepth, l.JSONWidth or l.JSONElements; a YAML member; an archive
// that is not gzip or tar; or one that does not end as it should
// (archiveEnd). The reader is consumed; rewind it before reading the
// bundle.
func (l ArchiveLimits) Check(r io.Reader) error {
	br := bufio.NewReader(r)
	gz, err := gzip.NewReader(br)
	if err != nil {
		return fmt.Errorf("the bundle is not a gzip archive: %w", err)
	}
	defer gz.Close()
	gz.Multistream(false)
	stream := &gzipMembers{gz: gz, rest: br}
	tr := tar.NewReader(stream)
	seen := map[string]bool{}
	var total, elements int64
	for n := 0; ; n++ {
		h, err := tr.Next()
		if err == io.EOF {
			return archiveEnd(stream)
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
		if isYAML(name) {
			return fmt.Errorf("bundle member %q is YAML; iam2rego bundles hold JSON data only, whose shape is checked before OPA parses it", h.Name)
		}
		// The header's size is what tar reads; count what it does read,
		// so that a short member cannot pass for a small one.
		var w io.Writer = io.Discard
		var shape *jsonShape
		if isJSON(name) {
			shape = &jsonShape{limits: l, member: h.Name, total: &elements}
			w = shape
		}
		got, err := io.Copy(w, tr)
		if shape != nil && shape.err != nil {
			return shape.err
		}
		if err != nil {
			return fmt.Errorf("bundle member %q cannot be read: %w", h.Name, err)
		}
		total += got
	}
}

// maxTarPadding bounds the zero bytes a tar stream may hold after its
// end-of-archive marker (writers pad to a record of 10,240 bytes at most;
// Go's writes none).
const maxTarPadding = 64 << 10

// archiveEnd reads the archive to its very end once tar has found its
// end-of-archive marker: what follows in the gzip stream must be tar
// padding (zero bytes), each gzip member must end with a trailer whose
// checksum and length match, and nothing but gzip members may follow.
// OPA's reader stops at the marker, so a bundle missing its last bytes,
// with a flipped checksum or with data appended would otherwise read as
// whole.
func archiveEnd(stream *gzipMembers) error {
	buf := make([]byte, 4096)
	var padding int64
	for {
		n, err := stream.Read(buf)
		for _, c := range buf[:n] {
			if c != 0 {
				return fmt.Errorf("the bundle holds data after the end of its tar archive")
			}
		}
		if padding += int64(n); padding > maxTarPadding {
			return fmt.Errorf("the bundle holds more than %d bytes after the end of its tar archive", maxTarPadding)
		}
		if err == io.EOF {
			return nil
		}
		if err == errAfterGzip {
			return fmt.Errorf("the bundle holds data after the end of its gzip stream")
		}
		if err != nil {
			return fmt.Errorf("the bundle's gzip stream does not end as it should (truncated or corrupt): %w", err)
		}
	}
}

// errAfterGzip: what follows a gzip member is not another member.
var errAfterGzip = errors.New("data after the gzip stream")

// gzipMembers reads a gzip stream of one or more members as one, as OPA's
// reader (and every gzip reader) does: a bundle compressed in parts is a
// bundle. Each member's trailer is checked as it ends; bytes after a
// member that do not start another are errAfterGzip.
type gzipMembers struct {
	gz   *gzip.Reader // with Multistream(false), on rest
	rest *bufio.Reader
}

func (m *gzipMembers) Read(p []byte) (int, error) {
	for {
		n, err := m.gz.Read(p)
		if err != io.EOF {
			return n, err
		}
		if n > 0 {
			return n, nil // the next Read reports the member's end
		}
		// gzip reads through rest as it is (a bufio.Reader is an
		// io.ByteReader), so what is left in rest follows the member.
		if _, err := m.rest.Peek(1); err == io.EOF {
			return 0, io.EOF
		} else if err != nil {
			return 0, err
		}
		if err := m.gz.Reset(m.rest); err != nil {
			return 0, errAfterGzip
		}
		m.gz.Multistream(false)
	}
}

// isJSON reports a member OPA parses as JSON.
func isJSON(name string) bool {
	return path.Base(name) == ".manifest" || strings.HasSuffix(name, ".json")
}

// isYAML reports a member OPA would parse as YAML (data.yaml) or hash as
// YAML when it checks a signature.
func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
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
