package bundles_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/internal/testbundle"

	"github.com/iam2rego/iam2rego/bundles"
)

// guardEntry is one member of a hand-made archive. size, when set, is the
// number of zero bytes of the body (a cheap bomb); otherwise body is it.
type guardEntry struct {
	name string
	typ  byte
	body string
	size int64
	link string
}

func guardFile(name, body string) guardEntry {
	return guardEntry{name: name, typ: tar.TypeReg, body: body}
}

// guardManifest and guardModule make a minimal bundle OPA would accept.
var (
	guardManifest = guardFile("/.manifest", `{"revision":"x","roots":["iam2rego"]}`)
	guardModule   = guardFile("/iam2rego/x.rego", "package iam2rego.x\n\nallow := true\n")
)

// guardArchive writes entries as a gzipped tarball.
func guardArchive(t testing.TB, entries ...guardEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: 0o644, Linkname: e.link}
		if e.typ == tar.TypeReg {
			h.Size = int64(len(e.body)) + e.size
		}
		if e.typ == tar.TypeChar || e.typ == tar.TypeBlock {
			h.Devmajor, h.Devminor = 1, 3
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if e.typ != tar.TypeReg {
			continue
		}
		if _, err := io.WriteString(tw, e.body); err != nil {
			t.Fatal(err)
		}
		if _, err := io.CopyN(tw, zeroReader{}, e.size); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// guardExample is the example account's bundle, encoded.
func guardExample(t testing.TB) []byte {
	t.Helper()
	b := testbundle.Example(t)
	data, err := bundles.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// guardHostile are archives every bundle reader must refuse, each with
// a word the error must say.
func guardHostile() map[string]struct {
	entries []guardEntry
	want    string
} {
	type c = struct {
		entries []guardEntry
		want    string
	}
	evil := "package iam2rego.authz\n\nallow := true\n"
	return map[string]c{
		"parent directory":            {[]guardEntry{guardManifest, guardFile("../evil.rego", evil)}, "leaves the bundle"},
		"parent after root":           {[]guardEntry{guardManifest, guardFile("/../../etc/data.json", `{"iam2rego":{}}`)}, "leaves the bundle"},
		"parent inside":               {[]guardEntry{guardManifest, guardFile("/iam2rego/../../x.rego", evil)}, "leaves the bundle"},
		"backslash":                   {[]guardEntry{guardManifest, guardFile(`..\evil.rego`, evil)}, "backslash"},
		"control character in name":   {[]guardEntry{guardManifest, guardFile("/iam2rego/x\x1b.rego", evil)}, "control character"},
		"unclean name":                {[]guardEntry{guardManifest, guardFile("/iam2rego/./x.rego", evil)}, "not a clean path"},
		"symbolic link":               {[]guardEntry{guardManifest, {name: "/iam2rego/y.rego", typ: tar.TypeSymlink, link: "/etc/passwd"}}, "symbolic link"},
		"hard link":                   {[]guardEntry{guardManifest, guardModule, {name: "/iam2rego/y.rego", typ: tar.TypeLink, link: "/iam2rego/x.rego"}}, "hard link"},
		"device":                      {[]guardEntry{guardManifest, {name: "/dev/zero", typ: tar.TypeChar}}, "device"},
		"named pipe":                  {[]guardEntry{guardManifest, {name: "/fifo", typ: tar.TypeFifo}}, "named pipe"},
		"member twice":                {[]guardEntry{guardManifest, guardModule, guardFile("/iam2rego/x.rego", evil)}, "more than once"},
		"data twice, second shadowed": {[]guardEntry{guardManifest, guardFile("/data.json", `{}`), guardFile("data.json", `{"iam2rego":{}}`)}, "more than once"},
	}
}

// TestCheckArchive: built bundles pass; hostile archives fail with an
// error that says what is wrong; the limits hold exactly.
func TestCheckArchive(t *testing.T) {
	if err := bundles.CheckArchive(bytes.NewReader(guardExample(t))); err != nil {
		t.Fatalf("the example bundle: %v", err)
	}
	if err := bundles.CheckArchive(bytes.NewReader(guardArchive(t, guardManifest, guardModule, guardEntry{name: "/iam2rego/", typ: tar.TypeDir}))); err != nil {
		t.Fatalf("a bundle with a directory entry: %v", err)
	}
	for name, tc := range guardHostile() {
		err := bundles.CheckArchive(bytes.NewReader(guardArchive(t, tc.entries...)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error saying %q", name, err, tc.want)
		}
	}
	small := bundles.DefaultArchiveLimits
	small.Files, small.MemberBytes, small.TotalBytes = 3, 100, 150
	for _, tc := range []struct {
		name    string
		entries []guardEntry
		want    string // "" accepts
	}{
		{"at the file limit", []guardEntry{guardManifest, guardFile("/a", ""), guardFile("/b", "")}, ""},
		{"over the file limit", []guardEntry{guardManifest, guardFile("/a", ""), guardFile("/b", ""), guardFile("/c", "")}, "more than 3 members"},
		{"directories count", []guardEntry{guardManifest, {name: "/d/", typ: tar.TypeDir}, {name: "/e/", typ: tar.TypeDir}, {name: "/f/", typ: tar.TypeDir}}, "more than 3 members"},
		{"member at the limit", []guardEntry{{name: "/a", typ: tar.TypeReg, size: 100}}, ""},
		{"member over the limit", []guardEntry{{name: "/a", typ: tar.TypeReg, size: 101}}, "more than the 100-byte limit"},
		{"total at the limit", []guardEntry{{name: "/a", typ: tar.TypeReg, size: 100}, {name: "/b", typ: tar.TypeReg, size: 50}}, ""},
		{"total over the limit", []guardEntry{{name: "/a", typ: tar.TypeReg, size: 100}, {name: "/b", typ: tar.TypeReg, size: 51}}, "decompresses to more than"},
	} {
		err := small.Check(bytes.NewReader(guardArchive(t, tc.entries...)))
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	good := guardArchive(t, guardManifest, guardModule)
	for name, data := range map[string][]byte{
		"empty":         {},
		"not gzip":      []byte(`{"not": "a bundle"}`),
		"truncated":     good[:len(good)/2],
		"gzip, not tar": gzipBytes(t, bytes.Repeat([]byte("x"), 1000)),
	} {
		if err := bundles.CheckArchive(bytes.NewReader(data)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func gzipBytes(t testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	gz.Write(data)
	gz.Close()
	return buf.Bytes()
}

// TestReadFileRejectsHostileArchives: the reader behind `iam2rego
// inspect` and `eval --bundle` (bundles.ReadFile) refuses every hostile
// archive with an error that says what is wrong, and a decompression bomb
// (two members of 260 MiB of zeros, 0.5 MB compressed) without
// decompressing it into memory.
func TestReadFileRejectsHostileArchives(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range guardHostile() {
		p := filepath.Join(dir, "hostile.tar.gz")
		if err := os.WriteFile(p, guardArchive(t, tc.entries...), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := bundles.ReadFile(p, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("BUG %s: ReadFile got %v, want an error saying %q (ReadFile should call bundles.CheckArchive before OPA's reader)", name, err, tc.want)
		}
	}
	if testing.Short() {
		t.Skip("the decompression bomb takes a few seconds")
	}
	const member = 200 << 20
	bomb := filepath.Join(dir, "bomb.tar.gz")
	if err := os.WriteFile(bomb, guardArchive(t, guardManifest, guardEntry{name: "/a/data.json", typ: tar.TypeReg, size: member}, guardEntry{name: "/b/data.json", typ: tar.TypeReg, size: member}), 0o644); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(bomb)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := bundles.ReadFile(bomb, nil)
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	if err == nil || !strings.Contains(err.Error(), "decompresses to more than") {
		t.Errorf("BUG: a %d-byte archive of 2 × %d MiB: ReadFile got %v, want a decompression-bomb error", st.Size(), member>>20, err)
	}
	if allocated > 64<<20 {
		t.Errorf("BUG: ReadFile allocated %d MiB for a %d-byte bomb; it must refuse it before decompressing it into memory", allocated>>20, st.Size())
	}
}
