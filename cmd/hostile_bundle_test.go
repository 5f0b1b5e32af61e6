package cmd

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileTarGz writes a gzipped tarball of regular files (name → body),
// plus any extra headers, in order.
func hostileTarGz(t *testing.T, files [][2]string, extra ...*tar.Header) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f[0], Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(f[1]))}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(f[1]))
	}
	for _, h := range extra {
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// TestInspectAndEvalRefuseHostileBundles: `iam2rego inspect` and `eval
// --bundle` refuse archives with path traversal, links, duplicate members
// or that are not bundles at all: exit 2, one message naming the file and
// the problem, no stack trace.
func TestInspectAndEvalRefuseHostileBundles(t *testing.T) {
	manifest := [2]string{"/.manifest", `{"revision":"x","roots":["iam2rego"]}`}
	allow := "package iam2rego.authz\n\ndecision := {\"decision\": \"Allow\", \"allow\": true, \"step\": \"x\", \"reason\": \"x\", \"statements\": []}\n\nallow := true\n"
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		archive []byte
		want    string
	}{
		"traversal":     {hostileTarGz(t, [][2]string{manifest, {"../../authz.rego", allow}}), "leaves the bundle"},
		"symbolic link": {hostileTarGz(t, [][2]string{manifest}, &tar.Header{Name: "/iam2rego/x.rego", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}), "symbolic link"},
		"duplicate":     {hostileTarGz(t, [][2]string{manifest, {"/data.json", "{}"}, {"/data.json", `{"iam2rego":{}}`}}), "more than once"},
		"not gzip":      {[]byte("{}"), "gzip"},
		"empty":         {nil, "gzip"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".tar.gz")
		if err := os.WriteFile(p, tc.archive, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"inspect", p},
			{"eval", "--bundle", p, "--principal", "arn:aws:iam::111111111111:user/alice", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k"},
		} {
			code, stdout, stderr := runCLI(t, "", args...)
			if code != exitBadData || !strings.Contains(stderr, p) || !strings.Contains(stderr, tc.want) {
				t.Errorf("%s: iam2rego %s: exit %d, stderr %q; want exit 2 naming the file and saying %q", name, args[0], code, stderr, tc.want)
			}
			if strings.Contains(stdout, "Allow") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 || strings.Contains(stderr, "goroutine ") {
				t.Errorf("%s: iam2rego %s: stdout %q, stderr %q", name, args[0], stdout, stderr)
			}
		}
	}
}
