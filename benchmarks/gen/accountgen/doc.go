// Package accountgen generates large, realistic AWS accounts for tests and
// benchmarks, deterministically for a seed.
//
// A generated Set is an organization whose member accounts hold the
// requested number of IAM principals. Write puts it on disk in the formats
// `iam2rego build` reads (translator/account/FORMATS.md): one real
// `aws iam get-account-authorization-details` export per member account
// (UserDetailList, GroupDetailList, RoleDetailList with trust policies,
// instance profiles and last-used data, and Policies with their
// PolicyVersionList), an organization file with SCPs and RCPs, and a
// resource-policy file (bucket, queue, topic, key, function and secret
// policies, tagged instances).
//
// What is in an account:
//   - users with tags, groups (an all-users group with the AWS "force MFA"
//     policy, admin/read-only/billing groups, a developer group per team),
//     customer and AWS managed policies, inline policies and permissions
//     boundaries;
//   - roles of every common kind: service roles (Lambda, ECS, EC2 with an
//     instance profile, Step Functions, Glue, SageMaker), IAM Identity
//     Center roles trusting a SAML provider, GitHub Actions roles trusting
//     an OIDC provider, cross-account roles with an external id or MFA,
//     MFA-guarded admin roles, OrganizationAccountAccessRole and
//     service-linked roles;
//   - customer managed policies composed from statement templates seen in
//     real accounts (policies.go): least-privilege service access,
//     read-only consoles, the long tail of services, S3 prefixes, inner
//     wildcards, ${aws:username} home folders, ABAC on ${aws:PrincipalTag},
//     iam:PassRole scoping, kms:ViaService, date windows, NotResource,
//     deny lists, statements with six conditions, region guardrails with
//     NotAction and IP restrictions; a few are large catch-all policies;
//   - AWS managed policies from the embedded snapshot (translator/managed):
//     popular ones often, and a seeded Coverage share of all 1,594 spread
//     over the principals, so that at 5,000 principals every one of them is
//     attached somewhere.
//
// Sizes run from a handful of principals (the GenAI example has five) up
// to LargestPrincipals and beyond; Accounts defaults to one per thousand.
// The go run ./benchmarks/gen command writes a Set to a directory.
package accountgen
