package bundles_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
)

// TestArchivesAreReadToTheirEnd: a bundle is whole or refused. Missing
// bytes of the gzip trailer (its checksum and length), a flipped checksum
// bit, data appended after the gzip stream and data after the tar
// archive's end inside it are all errors, from ReadFile and Read; the
// intact bundle, tar's zero padding and a bundle in several gzip members
// read.
func TestArchivesAreReadToTheirEnd(t *testing.T) {
	good := buildBytes(t, exampleInputs(exampleDir))
	if _, err := bundles.Read(bytes.NewReader(good), nil); err != nil {
		t.Fatalf("the intact bundle: %v", err)
	}
	padded := regzip(t, good, func(tarBytes []byte) []byte { return append(tarBytes, make([]byte, 9216)...) })
	if _, err := bundles.Read(bytes.NewReader(padded), nil); err != nil {
		t.Fatalf("the bundle with tar padding to a 10,240-byte record: %v", err)
	}
	// A bundle compressed in parts (pigz -i, or members concatenated) is
	// one gzip stream to every reader, OPA's included.
	split := append(gzipOf(t, rawTar(t, good)[:700]), gzipOf(t, rawTar(t, good)[700:])...)
	if _, err := bundles.Read(bytes.NewReader(split), nil); err != nil {
		t.Fatalf("the bundle in two gzip members: %v", err)
	}
	withZeros := append(bytes.Clone(good), gzipOf(t, make([]byte, 512))...)
	if _, err := bundles.Read(bytes.NewReader(withZeros), nil); err != nil {
		t.Fatalf("the bundle with a gzip member of tar padding after it: %v", err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)-8] ^= 0x01 // the first byte of the CRC-32
	longer := bytes.Clone(good)
	longer[len(longer)-1] ^= 0x01 // the length, modulo 2^32
	hostile := map[string]struct {
		data []byte
		want string
	}{
		"trailer missing 1 byte":       {good[:len(good)-1], "does not end"},
		"trailer missing 4 bytes":      {good[:len(good)-4], "does not end"},
		"trailer missing 8 bytes":      {good[:len(good)-8], "does not end"},
		"trailer missing 12 bytes":     {good[:len(good)-12], "does not end"},
		"flipped checksum":             {flipped, "does not end"},
		"wrong length":                 {longer, "does not end"},
		"bytes after the gzip stream":  {append(bytes.Clone(good), "trailing"...), "after the end of its gzip stream"},
		"a second gzip member of data": {append(bytes.Clone(good), gzipOf(t, []byte("x"))...), "after the end of its tar archive"},
		"a gzip member, then bytes":    {append(append(bytes.Clone(good), gzipOf(t, make([]byte, 512))...), "trailing"...), "after the end of its gzip stream"},
		"data after the tar end":       {regzip(t, good, func(b []byte) []byte { return append(b, "not padding"...) }), "after the end of its tar archive"},
		"a megabyte of zeros after it": {regzip(t, good, func(b []byte) []byte { return append(b, make([]byte, 1<<20)...) }), "more than"},
	}
	dir := t.TempDir()
	for name, c := range hostile {
		t.Run(name, func(t *testing.T) {
			_, err := bundles.Read(bytes.NewReader(c.data), nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Read: %v, want an error with %q", err, c.want)
			}
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".tar.gz")
			if err := os.WriteFile(path, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = bundles.ReadFile(path, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadFile: %v, want an error with %q", err, c.want)
			}
		})
	}
}

// rawTar is a bundle's tar bytes.
func rawTar(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	if _, err := raw.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	return raw.Bytes()
}

// regzip decompresses a bundle, changes its tar bytes and compresses them
// again (a valid gzip stream around them).
func regzip(t *testing.T, data []byte, mutate func([]byte) []byte) []byte {
	t.Helper()
	raw := bytes.NewBuffer(rawTar(t, data))
	// The tar archive still reads: the change is after its end marker.
	if _, err := tar.NewReader(bytes.NewReader(raw.Bytes())).Next(); err != nil {
		t.Fatal(err)
	}
	return gzipOf(t, mutate(raw.Bytes()))
}

func gzipOf(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
