package sidecar_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
)

type tarFile struct {
	hdr  *tar.Header
	name string
	data []byte
}

// untar reads a bundle's files, in order.
func untar(data []byte) ([]tarFile, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	var out []tarFile
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		out = append(out, tarFile{hdr: h, name: h.Name, data: b})
	}
}

// retar writes files back as a gzipped tarball, headers unchanged but for
// the size.
func retar(files []tarFile) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range files {
		h := *f.hdr
		h.Size = int64(len(f.data))
		if err := tw.WriteHeader(&h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// httpGet returns the status, ETag and Content-Type of a GET.
func httpGet(url, ifNoneMatch string) (int, string, string, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, "", "", err
	}
	if ifNoneMatch != "" {
		req.Header.Set("If-None-Match", ifNoneMatch)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("ETag"), resp.Header.Get("Content-Type"), nil
}
