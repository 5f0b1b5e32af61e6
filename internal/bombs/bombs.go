// Package bombs writes hostile bundles for tests: gzipped tarballs whose
// data.json decompresses to far more JSON than the archive's size
// suggests. Never imported by production code.
package bombs

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"strings"
)

// Shape is a JSON document made of Prefix, Unit repeated, and Suffix.
type Shape struct{ Prefix, Unit, Suffix string }

// Shapes are the JSON array bombs: one huge array, deep nesting, and many
// arrays each small enough on its own.
var Shapes = map[string]Shape{
	"flat":   {"[", "0,", "0]"},
	"deep":   {"", "[", ""},
	"nested": {"[", "[" + strings.Repeat("0,", 59) + "0],", "[]]"},
}

// chunkBytes is about how much of the repeated unit one gzip member holds.
const chunkBytes = 1 << 20

// Write writes a bundle to path whose data.json is s, about size bytes
// long, after a .manifest and, when signed, a .signatures.json (whose
// signature matches nothing). It returns the archive's size: about 1 KB
// per MiB of data.json. The file is a series of gzip members (a gzip
// stream may be, and every reader concatenates them): the repeated part
// is one member compressed once and written as many times as needed, so
// that writing a 500 MB bomb costs little, even under the race detector.
func Write(path string, s Shape, size int64, signed bool) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var plain bytes.Buffer
	sw := &switchWriter{w: &plain}
	tw := tar.NewWriter(sw)
	member := func() error { // plain, compressed, as one member
		err := writeMember(f, plain.Bytes())
		plain.Reset()
		return err
	}
	text := func(name, body string) {
		if err == nil {
			err = tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))})
		}
		if err == nil {
			_, err = io.WriteString(tw, body)
		}
	}
	text("/.manifest", `{"revision":"x","roots":["iam2rego"]}`)
	if signed {
		text("/.signatures.json", `{"signatures":["eyJhbGciOiJIUzI1NiJ9.e30.c2ln"]}`)
	}
	per := max(1, chunkBytes/len(s.Unit))
	chunk := strings.Repeat(s.Unit, per)
	chunks := (size - int64(len(s.Prefix)+len(s.Suffix))) / int64(len(chunk))
	if err == nil {
		err = tw.WriteHeader(&tar.Header{Name: "/data.json", Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(s.Prefix)+len(s.Suffix)) + chunks*int64(len(chunk))})
	}
	if err == nil {
		_, err = io.WriteString(tw, s.Prefix)
	}
	if err == nil {
		err = member()
	}
	var packed bytes.Buffer
	if err == nil {
		err = writeMember(&packed, []byte(chunk))
	}
	// The tar writer counts the repeated part; the file gets it packed.
	sw.w = io.Discard
	for i := int64(0); i < chunks && err == nil; i++ {
		if _, err = io.WriteString(tw, chunk); err == nil {
			_, err = f.Write(packed.Bytes())
		}
	}
	sw.w = &plain
	if err == nil {
		_, err = io.WriteString(tw, s.Suffix)
	}
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = member()
	}
	if err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// writeMember writes data to w as one gzip member, at best compression.
func writeMember(w io.Writer, data []byte) error {
	gz, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	if _, err := gz.Write(data); err != nil {
		return err
	}
	return gz.Close()
}

// switchWriter writes to whichever writer it holds.
type switchWriter struct{ w io.Writer }

func (s *switchWriter) Write(p []byte) (int, error) { return s.w.Write(p) }
