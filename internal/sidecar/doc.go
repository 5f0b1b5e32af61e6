// Package sidecar runs iam2rego bundles the way production runs them: a
// stock OPA (`opa run --server`, the OPA pinned in go.mod by its `tool`
// directive) polls a bundle server and answers
// POST /v1/data/iam2rego/authz/decision.
//
// The package holds the harness — building the pinned OPA, a loopback
// bundle server with ETags, starting and stopping OPA processes, RSA
// signing keys and OPA configs — and, in its tests, the integration tests of the sidecar
// deployment (OPA-NOTES.md §2.3–2.5):
//
//   - every request of testdata/example and every decidable case of the
//     decision corpus is decided over REST exactly as in-process;
//   - a new revision is activated within the polling interval;
//   - garbage, tampered, unsigned, uncompilable and out-of-roots bundles
//     are rejected and the last good revision keeps serving;
//   - raw client input (any action casing, plain ARNs) decides like the
//     normalised form, and normalisation keeps OPA's rule index working.
//
// The generated accounts its tests and the load test use come from
// benchmarks/gen/accountgen (GenerateAccount). benchmarks/sidecar
// (make bench-sidecar) uses the same harness for the load test. Everything binds 127.0.0.1 only, and every process started
// here is stopped by its owner (t.Cleanup in tests).
package sidecar
