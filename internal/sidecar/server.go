package sidecar

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// BundleServer is a loopback HTTP bundle server with ETag support: GET
// /<path> answers the bytes last published at that path with
// `Content-Type: application/gzip` and a strong ETag (a content hash), and
// 304 when If-None-Match names the current ETag. It counts what it served,
// so that tests can wait for a number of polls.
type BundleServer struct {
	srv *httptest.Server

	mu          sync.Mutex
	files       map[string]published // by URL path, "/bundles/iam2rego.tar.gz"
	served      map[string]int       // ETag → 200 responses
	notModified map[string]int       // ETag → 304 responses
	changed     chan struct{}        // closed and replaced on every response
}

type published struct {
	data []byte
	etag string
}

// NewBundleServer starts a server on 127.0.0.1 and a kernel-chosen port.
func NewBundleServer() (*BundleServer, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &BundleServer{
		files:       map[string]published{},
		served:      map[string]int{},
		notModified: map[string]int{},
		changed:     make(chan struct{}),
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.srv.Listener.Close()
	s.srv.Listener = l
	s.srv.Start()
	return s, nil
}

// URL is the service URL for OPA's config: http://127.0.0.1:PORT.
func (s *BundleServer) URL() string { return s.srv.URL }

// Close stops the server and closes its connections.
func (s *BundleServer) Close() { s.srv.Close() }

// ETag is the ETag the server gives these bytes.
func ETag(data []byte) string {
	sum := sha256.Sum256(data)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// Publish makes data the answer for path (such as
// "/bundles/iam2rego.tar.gz") and returns its ETag.
func (s *BundleServer) Publish(path string, data []byte) string {
	p := published{data: append([]byte(nil), data...), etag: ETag(data)}
	s.mu.Lock()
	s.files["/"+strings.TrimPrefix(path, "/")] = p
	s.mu.Unlock()
	return p.etag
}

// Served is how many times the bytes with this ETag were sent (200s).
func (s *BundleServer) Served(etag string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served[etag]
}

// NotModified is how many 304s were answered for this ETag.
func (s *BundleServer) NotModified(etag string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notModified[etag]
}

// WaitServed waits until the bytes with this ETag have been sent n times.
func (s *BundleServer) WaitServed(ctx context.Context, etag string, n int) error {
	for {
		s.mu.Lock()
		got, ch := s.served[etag], s.changed
		s.mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("bundle %s served %d times, want %d: %w", etag, got, n, ctx.Err())
		case <-time.After(time.Second):
		}
	}
}

func (s *BundleServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	p, ok := s.files[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", p.etag)
	if etagMatches(r.Header.Values("If-None-Match"), p.etag) {
		w.WriteHeader(http.StatusNotModified)
		s.count(s.notModified, p.etag)
		return
	}
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Length", fmt.Sprint(len(p.data)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(p.data)
	}
	s.count(s.served, p.etag)
}

func (s *BundleServer) count(m map[string]int, etag string) {
	s.mu.Lock()
	m[etag]++
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// etagMatches implements If-None-Match: a list of (possibly weak) ETags,
// or "*".
func etagMatches(headers []string, etag string) bool {
	for _, h := range headers {
		for _, tag := range strings.Split(h, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == etag {
				return true
			}
		}
	}
	return false
}
