// Package access answers access questions over a whole bundle, offline,
// with the same decision as every other path (rego.Engine):
//
//   - WhoCan: which principals of the bundle (users, roles as their
//     sessions, each account's root) are allowed an action on a resource,
//     each with its explanation; and who outside the bundle the
//     resource's own policy lets in (other accounts, the public, AWS
//     services, federated principals), each with the granting statement,
//     as IAM Access Analyzer's external-access findings list them.
//   - Can: which catalogue actions a principal is allowed, on which
//     resources the bundle knows or its policies name.
//
// It reads the bundle's data (data.iam2rego, written by `iam2rego build`):
// principals, accounts, resources and the policy documents.
package access
