// Package bombs writes hostile bundles for tests: gzipped tarballs whose
// data.json decompresses to far more JSON than the archive's size
// suggests. Never imported by production code.
package bombs

import (
	"archive/tar"
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

// Write writes a bundle to path whose data.json is s, about size bytes
// long, after a .manifest and, when signed, a .signatures.json (whose
// signature matches nothing). At the best compression, 100 MB of a short
// unit is about 100 KB. It returns the archive's size.
func Write(path string, s Shape, size int64, signed bool) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	gz, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	tw := tar.NewWriter(gz)
	write := func(name string, size int64, body func(io.Writer)) {
		if err == nil {
			err = tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: size})
		}
		if err == nil {
			body(tw)
		}
	}
	text := func(name, body string) {
		write(name, int64(len(body)), func(w io.Writer) { io.WriteString(w, body) })
	}
	text("/.manifest", `{"revision":"x","roots":["iam2rego"]}`)
	if signed {
		text("/.signatures.json", `{"signatures":["eyJhbGciOiJIUzI1NiJ9.e30.c2ln"]}`)
	}
	n := (size - int64(len(s.Prefix)+len(s.Suffix))) / int64(len(s.Unit))
	write("/data.json", int64(len(s.Prefix)+len(s.Suffix))+n*int64(len(s.Unit)), func(w io.Writer) {
		io.WriteString(w, s.Prefix)
		per := max(1, (1<<16)/len(s.Unit))
		block := strings.Repeat(s.Unit, per)
		for left := n; left > 0; {
			k := min(left, int64(per))
			io.WriteString(w, block[:k*int64(len(s.Unit))])
			left -= k
		}
		io.WriteString(w, s.Suffix)
	})
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = gz.Close()
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
