// Package terraform belongs to the translator stage: it reads a Terraform
// plan (`terraform show -json PLANFILE`, Terraform's documented JSON plan
// format, decoded with github.com/hashicorp/terraform-json) and applies the
// planned changes to an account export (translator/account), so that the
// account as planned can be built, linted, diffed and asked who-can
// before `terraform apply`.
//
// # What is read
//
// Every resource change of a supported type (Types) is applied as
// Terraform will leave it: create, update and no-op changes write the
// "after" values, deletes remove the "before" entity, and a replacement
// does both. A change of another type is ignored (the plan's other
// resources do not touch IAM). With no export, the plan alone is an
// account: its no-op and updated resources are what exists today.
//
//   - aws_iam_role (trust policy, inline_policy blocks, managed_policy_arns,
//     permissions_boundary, path, tags), aws_iam_role_policy,
//     aws_iam_role_policy_attachment;
//   - aws_iam_user, aws_iam_user_policy, aws_iam_user_policy_attachment,
//     aws_iam_group, aws_iam_group_policy, aws_iam_group_policy_attachment,
//     aws_iam_user_group_membership, aws_iam_group_membership,
//     aws_iam_policy_attachment;
//   - aws_iam_policy (customer managed policies);
//   - aws_s3_bucket_policy, aws_kms_key and aws_kms_key_policy (resource
//     policies);
//   - aws_organizations_policy (SERVICE_CONTROL_POLICY and
//     RESOURCE_CONTROL_POLICY) and aws_organizations_policy_attachment,
//     applied to the organization file's tree (an --org is needed).
//
// Policy documents are the JSON strings Terraform plans (jsonencode or a
// rendered aws_iam_policy_document data source); a document that is not
// JSON is an error pointing at the attribute.
//
// # Unknown values
//
// A value Terraform knows only after apply ("known after apply") is
// derived where that is certain: an IAM ARN from the name, path and the
// account; a reference in the configuration to one resource instance of
// the plan (role = aws_iam_role.app.id, policy_arn =
// aws_iam_policy.app.arn, policy_id = aws_organizations_policy.x.id,
// policy = data.aws_iam_policy_document.x.json). Whatever cannot be derived
// (a policy document, an attachment, a name) is a terraform_unknown
// diagnostic naming the resource and the attribute (Result.Unknown): the
// change is left out (an attachment or inline policy updated to an unknown
// value keeps its current value), and the commands refuse to pass a guard
// over it.
//
// The account is the one the plan's IAM ARNs (or a data
// "aws_caller_identity") name, else the export's only account; derived
// ARNs are built in its partition (package arn).
//
// # Errors
//
// The plan is validated against schema/tfplan.schema.json and every
// problem is a coded *schema.Error naming the plan file and a JSON pointer
// into it, such as /resource_changes/3/change/after/assume_role_policy.
package terraform
