# Protected resources: what AWS never lets a policy do, whatever the
# policies say. protected_resources is the one table of these rules; each
# names its source in rego/PROTECTED.md. The protected-resource step of
# decision.rego reads it through protected_hits below; decision plans
# (plan.rego) send its actions to that step (build_plan).
#
# A rule protects the resources whose ARN part `part` of the normalised
# resource (arn_resource: after the fifth colon; arn_account_resource:
# after the fourth) starts with `prefix` from the lower-cased `actions`.
package iam2rego.lib

protected_resources := {
	# AWS managed policies (account "aws") cannot be created, changed,
	# tagged or deleted by anyone.
	"aws-managed-policy": {
		"actions": {
			"iam:createpolicy", "iam:createpolicyversion", "iam:deletepolicy", "iam:deletepolicyversion",
			"iam:setdefaultpolicyversion", "iam:tagpolicy", "iam:untagpolicy",
		},
		"part": "arn_account_resource",
		"prefix": "aws:policy/",
		"reason": "AWS managed policies cannot be created, changed, tagged or deleted",
	},
	# Roles that IAM Identity Center creates (path aws-reserved/,
	# AWSReservedSSO_*) are modifiable only by AWS, through the permission
	# set.
	"reserved-role": {
		"actions": {
			"iam:attachrolepolicy", "iam:detachrolepolicy", "iam:putrolepolicy", "iam:deleterolepolicy",
			"iam:putrolepermissionsboundary", "iam:deleterolepermissionsboundary", "iam:updateassumerolepolicy",
			"iam:updaterole", "iam:updateroledescription", "iam:tagrole", "iam:untagrole", "iam:deleterole",
		},
		"part": "arn_resource",
		"prefix": "role/aws-reserved/",
		"reason": "roles under aws-reserved/ are managed by IAM Identity Center and cannot be changed or deleted through IAM",
	},
	# Service-linked roles (path aws-service-role/): the linked service
	# defines their permissions and trust policy, they take no permissions
	# boundary, and iam:DeleteServiceLinkedRole is the only way to delete
	# them. Their description may be edited.
	"service-linked-role": {
		"actions": {
			"iam:attachrolepolicy", "iam:detachrolepolicy", "iam:putrolepolicy", "iam:deleterolepolicy",
			"iam:putrolepermissionsboundary", "iam:deleterolepermissionsboundary", "iam:updateassumerolepolicy",
			"iam:deleterole",
		},
		"part": "arn_resource",
		"prefix": "role/aws-service-role/",
		"reason": "service-linked roles are changed and deleted only by their service: their policies and boundary cannot be edited, and iam:DeleteServiceLinkedRole is the only way to delete them",
	},
	# Aliases beginning with alias/aws/ are reserved for AWS managed KMS keys.
	"aws-managed-kms-alias": {
		"actions": {"kms:createalias", "kms:deletealias", "kms:updatealias"},
		"part": "arn_resource",
		"prefix": "alias/aws/",
		"reason": "KMS aliases beginning with alias/aws/ are reserved for AWS managed keys",
	},
}

# protected_hits: the rules the request hits, by name (their prefixes
# exclude each other, so there is at most one). A set membership and a
# literal prefix per rule: no regex. Evaluated only when the decision
# reaches its protected-resource step.
protected_hits := [id |
	some id, r in protected_resources
	normalized.action in r.actions
	startswith(object.get(normalized.resource, r.part, ""), r.prefix)
]

# The protected-resource step comes after the deny sweep, since AWS
# authorises the request before the service refuses the change; it is an
# ImplicitDeny, as no Deny statement is involved.
protected_reason(id) := sprintf("%s is protected by rule %s: %s", [normalized.resource.arn, id, protected_resources[id].reason])
