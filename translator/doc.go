// Package translator is the second pipeline stage: it turns IAM policy
// JSON into Rego modules.
//
//	JSON text ──schema.Decode/Validate──▶ generic values
//	          ──decodePolicy──▶ typed IR (Policy, Statement, Condition)
//	          ──semantic checks (IAM-SEMANTICS.md §1–§4)──▶ coded errors / warnings
//	          ──lower──▶ *ast.Module  (package iam2rego.policies, rules guarded by "p<hash>" in input.pids)
//
// Each statement becomes rules of the partial set `match` whose elements
// name the statement and its effect. Actions and resources are lowered to
// shapes OPA's rule index can use: equality (`input.action == "s3:getobject"`),
// set membership, and literal prefixes (`startswith`,
// `strings.any_prefix_match`). Only patterns with an inner wildcard fall
// back to an anchored `regex.match` (behind an indexed literal prefix), and
// patterns with policy variables to a per-request template; Stats counts
// those statements.
//
// Conditions are lowered to calls of the hand-written library in
// rego/lib (`data.iam2rego.lib.cond`, `null_cond`), with values normalised
// here: numbers to decimals, dates to Unix nanoseconds, IPs to CIDR blocks,
// wildcard text to anchored RE2.
//
// Invariants: Rego is built only from OPA AST values, so no IAM string can
// become code; control characters are rejected before printing; output is
// deterministic (sorted condition keys, content-hash policy names).
package translator
