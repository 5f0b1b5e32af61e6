package cmd

import (
	"os"
	"runtime/debug"
)

// buildHeapPerInputByte is the soft limit of the Go heap during a build,
// per byte of input read: the build holds the decoded inputs and the
// formatted Rego (a few times the input) and makes garbage at many times
// the input, which the default GC pacing lets grow to twice what is live.
// A 60 MB export peaked at 19.8x its size in RSS without the limit, and
// 18x with only this limit (and the text-only build); together, under.
const buildHeapPerInputByte = 12

// minBuildHeap is the least the soft limit is set to: small builds are
// dominated by the embedded managed-policy snapshot and the library.
const minBuildHeap = 256 << 20

// limitBuildMemory sets the Go runtime's soft memory limit for a build
// that read inputBytes, unless GOMEMLIMIT says otherwise, and returns what
// puts the previous limit back. It is soft: a build whose live heap needs
// more still finishes, with more GC work.
func limitBuildMemory(inputBytes int64) (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(max(minBuildHeap, buildHeapPerInputByte*inputBytes))
	return func() { debug.SetMemoryLimit(prev) }
}
