# Principal and NotPrincipal matching in resource-based policies (§2.5,
# §2.6). Generated rules call principal_kind/1 and not_principal_applies/1
# with the statement's normalised principal element.
package iam2rego.lib

# principal_kind is the strongest way the caller matches a Principal
# element: Direct > SessionOfRole / FederatingUser > Account. It is
# undefined when the caller does not match.
principal_kind(spec) := "Direct" if {
	direct_match(spec)
} else := "SessionOfRole" if {
	session_of_role_match(spec)
} else := "FederatingUser" if {
	federating_user_match(spec)
} else := "Account" if {
	account_match(spec)
}

direct_match(spec) if spec.wildcard

direct_match(spec) if {
	input.principal.kind in {"user", "role_session", "federated_user"}
	input.principal.arn in spec.arns
}

direct_match(spec) if {
	input.principal.kind == "service"
	input.principal.arn in spec.services
}

direct_match(spec) if {
	provider := input.principal.federated_provider
	provider in spec.federated
}

direct_match(spec) if {
	canonical := input.principal.canonical_user
	canonical in spec.canonical
}

# A role ARN names every session of the role; the session ARN has no path,
# so only the last path segment is compared (§2.5): the translator gives
# each role of the element as "partition:account:name" (roles, the name
# lower-cased), and a session's principal carries its own (role_key).
session_of_role_match(spec) if {
	input.principal.kind == "role_session"
	input.principal.role_key in spec.roles
}

federating_user_match(spec) if {
	input.principal.kind == "federated_user"
	input.principal.federated_by != ""
	input.principal.federated_by in spec.arns
}

# account_keys: "partition:account" and "*:account" (caller.rego).
account_match(spec) if {
	some k in input.principal.account_keys
	k in spec.accounts
}

# not_principal_applies says whether a Deny + NotPrincipal statement
# applies to the caller (§2.6): always for a caller with a permissions
# boundary, and otherwise when any identity level of the caller is not
# listed (the session, its role and its account must all be listed to be
# exempt).
not_principal_applies(_) if has_boundary

not_principal_applies(spec) if {
	not spec.wildcard
	some level in principal_levels
	not level_listed(level, spec)
}

has_boundary if {
	input.principal.kind in {"user", "role_session", "federated_user"}
	count(as_id_list(object.get(input.policies, "boundary", []))) > 0
}

principal_levels contains ["account", ""] if input.principal.kind in {"root", "user", "role_session", "federated_user"}

principal_levels contains ["arn", input.principal.arn] if input.principal.kind in {"user", "role_session", "federated_user"}

principal_levels contains ["role", ""] if input.principal.kind == "role_session"

principal_levels contains ["service", input.principal.arn] if input.principal.kind == "service"

principal_levels contains ["anonymous", ""] if input.principal.kind == "anonymous"

level_listed(["account", _], spec) if account_match(spec)

level_listed(["arn", arn], spec) if arn in spec.arns

level_listed(["role", _], spec) if session_of_role_match(spec)

level_listed(["service", name], spec) if name in spec.services
