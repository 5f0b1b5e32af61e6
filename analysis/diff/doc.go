// Package diff is an analysis (with access and lint, over analysis/kernel): it compares two account
// states, each a bundle written by `iam2rego build` or the build inputs
// that make one, and lists the access the new state grants that the old
// one did not (and the access it removes), per principal.
//
// It decides with the real decision logic (rego.PrepareBundle and
// Engine.DecideInput, through kernel.Decide) over a probe set derived from the policies themselves,
// not sampled: per principal, every catalogue action a statement of its
// old or new policies can match, crossed with the resources the bundles
// know and a witness ARN for each resource pattern, crossed with the
// context values the conditions of those statements test, on both sides
// of each comparison. Principals and actions whose statements are the
// same on both sides are skipped, and actions the very same statements
// match are decided as one class. The probes are bounded
// (Options.MaxProbes); a report says when the bound cut them short. README.md, "diff", lists what
// the method cannot see.
//
// Principals outside the NEW bundle that its resource policies name (a
// role's trust in a service, a bucket policy's grant to another account
// or the public, a federated provider) are probed too, per statement, as
// IAM Access Analyzer's "check no new access" does (external.go): new
// access from outside the account, decided through Engine.DecideInput;
// a user or role of an outside account, which the library cannot decide,
// is compared by statement and fails closed.
//
// It reads bundles (their data.iam2rego.documents) and builds inputs with
// package bundles, so it sits after bundles and rego in the pipeline;
// only the command line (cmd/diff.go) imports it.
package diff
