// Package rego is the evaluation stage: the hand-written Rego library
// (lib/*.rego, embedded) and the in-process evaluator.
//
// The library holds the public entry points data.iam2rego.authz.decision
// and data.iam2rego.authz.allow (`default allow := false`), input
// normalisation and derived context keys (IAM-SEMANTICS.md §7–§8), the
// condition operators and policy variables (§3–§4), principal matching
// (§2.5–§2.6) and the decision algorithm (§5.4, §6) as one `else` chain
// whose branches are the steps named in explanations.
//
// Prepare compiles the library with the generated policy modules once;
// Engine.Decide is then called per request, is safe for concurrent use and
// fails closed: an evaluation error or an undefined result is an
// ImplicitDeny whose Error says why. Decide normalises the request in Go
// (normalize.go), evaluates data.iam2rego.policies.match once, and runs
// the decision chain in Go (chain.go); both halves are twins of the
// library, which stays the reference (DecideValue, DecideReference, OPA
// sidecars), and CheckNormalization compares them with it.
package rego
