// Package schema is the first stage of the iam2rego pipeline: the parse
// gate every input passes before the translator sees it.
//
// It does three things:
//
//   - Decode parses JSON into generic values (json.Number for numbers) and
//     rejects what encoding/json lets through: a member that appears twice
//     in one object (IAM-SEMANTICS.md §1.1), trailing data after the value,
//     and nesting deeper than MaxDepth.
//   - Validate checks a decoded document against one of the embedded JSON
//     Schemas (draft 2020-12) and reports every violation at once.
//     DecodeAndValidate does both.
//   - Every problem is an *Error with a stable code (codes.go), the file
//     name and an RFC 6901 JSON pointer into that file. A stage collects
//     them in Diagnostics and returns Diagnostics.Err(), a sorted
//     *multierror.Error or nil.
//
// The embedded schemas (see Source) are:
//
//   - policy.schema.json (KindPolicy): an IAM policy document. It checks
//     shape only: the allowed members, the JSON types, non-empty arrays. The
//     values of Version, Effect, Sid, actions, ARNs, principals and condition
//     operators, and which elements a policy type allows, are checked later
//     by the translator.
//   - case.schema.json (KindCase): one neutral-format authorization case
//     (shared/oracle/README.md), including iam2rego's extensions (expect,
//     organization, description, principal.federatedBy). Its policies are
//     checked through a $ref to the policy schema, so pointers stay
//     relative to the case.
//   - gaad.schema.json (KindGAAD): the output of `aws iam
//     get-account-authorization-details`; extra members are allowed, since
//     AWS adds fields.
//   - org.schema.json (KindOrg), resources.schema.json (KindResources) and
//     folder.schema.json (KindFolder): the organization file, resource-policy
//     files and the policy-folder manifest of `iam2rego build`
//     (translator/account/FORMATS.md, FOLDER.md).
//   - tfplan.schema.json (KindTerraformPlan): the parts of Terraform's
//     JSON plan (`terraform show -json PLANFILE`) that translator/terraform
//     reads; unknown members are allowed, since Terraform adds fields.
//
// Schema keywords map to codes: type → CodeSchemaType, required →
// CodeSchemaRequired, additionalProperties → CodeSchemaUnknown (pointing at
// the unknown member), enum and const → CodeSchemaEnum, minItems →
// CodeSchemaEmptyArray, pattern → CodeSchemaPattern, anything else →
// CodeSchemaOther. Messages are built from each schema node's
// "description", written to complete "X must be <description>".
package schema
