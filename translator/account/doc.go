// Package account reads what `iam2rego build` starts from into one model
// (model.go): the real output of `aws iam get-account-authorization-details`,
// an organization file (root, nested OUs, accounts, their SCPs and RCPs, the
// management account), resource-policy files, and the folder layout with
// its manifest. It belongs to the translator stage, before any policy is
// compiled. Every input is validated against a JSON Schema in schema/
// (gaad, org, resources, folder) and every problem is a coded error with
// the file and JSON pointer; a reader reports all of them at once, as a
// sorted *multierror.Error of *schema.Error.
//
// # API
//
//   - ReadGAAD, ReadOrg, ReadResources and ReadFolder read one input each.
//   - Builder (NewBuilder, Add…, Export) assembles an Export from several
//     inputs; Load does it for the CLI's flags (Inputs) and Merge for
//     Exports read separately. An account may come from one input only;
//     managed policies merge by ARN and must then have equal documents.
//   - (*Export).ResolveManaged finds a managed policy by ARN in the export,
//     else in the embedded snapshot of AWS managed policies
//     (translator/managed).
//
// Policy documents stay decoded JSON (numbers as json.Number) with the file
// and pointer they came from; the translator validates and compiles them
// later, adding its pointers to Document.Pointer. A document that was a
// (URL-encoded) string in the input points at that string. Documents are
// shared between the entities that use them and must not be modified.
//
// FORMATS.md describes the account-details variants accepted, the
// organization and resource-policy formats, and the diagnostic codes;
// FOLDER.md describes the policy-folder manifest.
package account
