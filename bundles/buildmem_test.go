package bundles_test

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/internal/testexport"
	"github.com/iam2rego/iam2rego/translator/account"
)

// retained is the heap a build keeps live at its end, per byte of input:
// the export and the built bundle both still referenced.
func retained(t *testing.T, path string, size int64, opts bundles.Options) float64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	exp, err := account.Load(account.Inputs{AccountDetails: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := bundles.Build(exp, opts)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(exp)
	runtime.KeepAlive(res)
	return float64(after.HeapAlloc-min(after.HeapAlloc, before.HeapAlloc)) / float64(size)
}

// TestBuildMemoryPerInputByte: what `iam2rego build` keeps while it
// builds (Options.TextOnly and ReleaseDocuments) is a few bytes per input
// byte, not the AST of every policy (about 37 per input byte on an export
// of roles with distinct inline policies, which peaked at 6 GB of RSS for
// 61 MB). The built bundle's data is part of what is kept: since it
// carries every principal's precomputed caller and every policy's
// document, about 11 bytes per input byte here (5.7 before), and since
// 2026-12-06 each caller's decision plan and match keys: 10.6 -> 13.0 with
// the plans' first cut, 15.4 on the merged tree of that day (not yet
// explained; the 61 MB export then peaked at 1.20 GB, 20.4 times its
// size). The peak RSS, a few times this, is measured by the command in
// README ("Limits").
func TestBuildMemoryPerInputByte(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 1 MB export twice")
	}
	path := filepath.Join(t.TempDir(), "export.json")
	size, err := testexport.WriteRoles(path, 800, 8)
	if err != nil {
		t.Fatal(err)
	}
	full := retained(t, path, size, bundles.Options{})
	lean := retained(t, path, size, bundles.Options{TextOnly: true, ReleaseDocuments: true})
	t.Logf("%d-byte export: %.1f bytes retained per input byte with the AST, %.1f text-only", size, full, lean)
	// Both builds carry the same bundle data (callers, their plans,
	// documents), so since the plans the text-only share sits near half
	// (15.2-15.4 of 30.2-30.4 on 2026-12-06, which made "half" flaky); the
	// AST build must still retain clearly more.
	if lean > 16 || lean > full*0.55 {
		t.Errorf("a text-only build retains %.1f bytes per input byte (%.1f with the AST); want at most 16 and 55%%", lean, full)
	}
}
