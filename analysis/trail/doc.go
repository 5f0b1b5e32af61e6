// Package trail asks questions of real traffic: CloudTrail logs read and
// mapped by package analysis/cloudtrail, decided by the engine's one
// decision path (rego.PrepareBundle, then Engine.DecideInput), on every
// core. It is part of the analysis stage.
//
//   - Replay decides every logged call against a bundle and compares the
//     decision with what AWS logged: calls AWS allowed that the bundle
//     denies would break; calls AWS denied that the bundle allows are
//     fidelity gaps, each with the context the log did not carry.
//   - Unused lists, per principal of a bundle, the granted services and
//     actions not used in a window, and the last use of the others, as
//     IAM Access Analyzer's unused-access findings do.
//   - Generate writes a least-privilege policy for a role from the calls
//     it made, as IAM JSON and as a Terraform aws_iam_policy_document,
//     and checks it: the same logs replayed against a bundle using it
//     (no call may break) and a diff against the role's current policies
//     (removals only).
//
// Logs are streamed: records flow through bounded channels to the
// workers and back into log order, so memory does not grow with the size
// of the logs.
package trail
