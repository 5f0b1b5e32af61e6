# Resolution from bundle data: when a request names only the principal,
# the action and the resource (`iam2rego eval --bundle`, an OPA sidecar),
# the policies come from data.iam2rego, written by `iam2rego build`:
#
#   callers[arn]          derived_caller of every user and role (caller.rego)
#   principals[arn]       {kind, account, identity: [id], boundary: [id], tags}
#                         (users and roles; a role's sessions use its entry)
#   roles_by_name[acct][lower(name)]  role ARN, to find a session's role
#   accounts[acct]        {scps: [[id]], scp_names: [name], rcps: [[id]],
#                          org_id, org_paths: [path]}
#   resources[arn]        {account, tags, policy: [id]} (roles: trust policy)
#   organization          {id, management_account}
package iam2rego.lib

bundle_role_arn := data.iam2rego.roles_by_name[principal_base.account][lower(principal_base.role_name)]

principal_key := principal_role_arn if principal_base.kind == "role_session"

principal_key := raw_principal.arn if principal_base.kind == "user"

# A federated user acts with the policies of the user who federated.
principal_key := raw_principal.federatedBy if principal_base.kind == "federated_user"

principal_entry := data.iam2rego.principals[principal_key]

# The resource's own entry, and for an S3 object its bucket's: a bucket
# policy applies to the bucket and to its objects, also to an object the
# resource-policy files only tag.
exact_record := r if {
	r := data.iam2rego.resources[raw_resource.arn]
} else := {}

# An S3 object arn:P:s3:::BUCKET/KEY belongs to arn:P:s3:::BUCKET.
bucket_record := r if {
	arn_parts[0] == "arn"
	arn_parts[1] != ""
	arn_parts[2] == "s3"
	arn_parts[3] == ""
	arn_parts[4] == ""
	i := indexof(arn_resource, "/")
	i > 0
	bucket := concat("", ["arn:", arn_parts[1], ":s3:::", substring(arn_resource, 0, i)])
	r := data.iam2rego.resources[bucket]
} else := {}

principal_account_entry := data.iam2rego.accounts[principal_base.account]

resource_account_entry := data.iam2rego.accounts[resource.account]

# The *_record rules are the entries or {} when the bundle has none, so
# that object.get() below always has an object to read.
principal_record := r if {
	r := principal_entry
} else := {}

resource_record := object.union(
	{
		"tags": object.get(exact_record, "tags", {}),
		"policy": array.concat(object.get(exact_record, "policy", []), object.get(bucket_record, "policy", [])),
	},
	{"account": a | a := object.get(exact_record, "account", object.get(bucket_record, "account", "")); a != ""},
)

principal_account_record := r if {
	r := principal_account_entry
} else := {}

resource_account_record := r if {
	r := resource_account_entry
} else := {}

# Organization keys the bundle knows (§8): set for principals and
# resources of accounts in the organization.
principal_org_keys := object.union(
	{"aws:principalorgid": id | id := principal_account_entry.org_id},
	{"aws:principalorgpaths": paths | paths := principal_account_entry.org_paths},
)

resource_org_keys := object.union(
	{"aws:resourceorgid": id | id := resource_account_entry.org_id},
	{"aws:resourceorgpaths": paths | paths := resource_account_entry.org_paths},
)
