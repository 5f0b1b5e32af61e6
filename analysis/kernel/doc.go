// Package kernel is what the analyses (access: who-can and can; diff;
// lint) share, so that each question is answered one way:
//
//   - View: a bundle's typed data (layout.Data) with its policies parsed
//     on demand (translator.ParseExported, never lowered to Rego), the
//     principals to decide for, the resources it knows and the
//     bucket → object rule (a bucket policy applies to its objects);
//   - Decide and DecideAll: the engine's one decision path,
//     rego.Engine.DecideInput, over the request's raw input;
//   - Witness: one concrete ARN a resource pattern matches; KeyValues,
//     Contexts and ProbeInputs: request contexts (and a witness's tags)
//     that put each condition on either side, only with values a real
//     request can carry;
//   - MatchesAction, MatchesResource, ActionsOf, MayName: whether a
//     statement can apply to an action, a resource, a principal;
//   - the SARIF 2.1.0 log that lint and diff write.
//
// ARNs are split and built with package arn.
package kernel
