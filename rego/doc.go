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
// Decision plans (lib/plan.rego, lib/plan_decide.rego) are the compiled
// path: a bundle's build stores, for every user and role, its plan (the ids
// of its policies and each one's place: identity, boundary, SCP level and
// slot; whether SCPs apply), and a request that names such a caller (or a
// session of such a role) by ARN alone, with a plain resource and context,
// is decided from that plan: the resource's policies and RCPs are added,
// the generated statements of those policies are evaluated once (indexed
// by action and policy id), and the steps of the decision chain,
// specialised to users and role sessions, decide. Every other request
// takes the general path (data.iam2rego.authz.general_decision), whose
// answers the plans must equal, explanations included (the tests in
// benchmarks/ hold them to it on request mixes and random requests).
//
// Prepare compiles the library with the generated policy modules once
// (PrepareBundle: a bundle with its own copy of the library); Decide,
// DecideValue and DecideInput then evaluate the one decision query an OPA
// sidecar evaluates (DecisionQuery), are safe for concurrent use and fail
// closed: an evaluation error or an undefined result is an ImplicitDeny
// whose Error says why. There is no second implementation in Go.
package rego
