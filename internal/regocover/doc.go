// Package regocover measures how much of the decision library (every
// .rego file of rego/lib, whatever files it holds) the corpus exercises,
// with OPA's own coverage tracer (topdown's cover package, the one behind
// `opa eval --coverage`).
//
// It evaluates the library's decision query (rego.DecisionQuery, what an
// OPA sidecar and DecideValue evaluate) for every corpus case, with the
// case's policies compiled as `iam2rego eval --cases` compiles them, and
// for the example account's requests through the bundle `iam2rego build`
// writes for it, and checks each decision against the corpus's expected
// answer, so the figures describe decisions the product makes. `make
// rego-coverage` runs it and writes the report under bin/.
//
// Test harness code: imported only by its own tests.
package regocover
