package schema

// Stable diagnostic codes. Tests match on codes, never on message text.
// Each code is listed in README.md.
const (
	// Input-level problems (file could not be read as JSON).
	CodeJSONSyntax   = "json_syntax"   // not valid JSON
	CodeDuplicateKey = "duplicate_key" // the same member twice in one object
	CodeInternal     = "internal_error"

	// Shape problems found by the JSON Schemas (schema/*.schema.json).
	CodeSchemaType       = "schema_type"     // wrong JSON type
	CodeSchemaRequired   = "schema_required" // a required member is missing
	CodeSchemaUnknown    = "schema_unknown_member"
	CodeSchemaEnum       = "schema_enum"        // value not among the allowed ones
	CodeSchemaEmptyArray = "schema_empty_array" // an array that must not be empty
	CodeSchemaPattern    = "schema_pattern"     // a string of the wrong form
	CodeSchemaOther      = "schema_violation"   // any other JSON Schema keyword

	// Semantic problems found by the translator (IAM-SEMANTICS.md §1–§4).
	CodeInvalidVersion      = "invalid_version"
	CodeInvalidEffect       = "invalid_effect"
	CodeElementNotAllowed   = "element_not_allowed"  // e.g. Principal in an identity policy
	CodeElementRequired     = "element_required"     // e.g. no Action and no NotAction
	CodeConflictingElements = "conflicting_elements" // e.g. Action and NotAction together
	CodeInvalidSid          = "invalid_sid"
	CodeDuplicateSid        = "duplicate_sid"
	CodeInvalidAction       = "invalid_action"
	CodeInvalidResource     = "invalid_resource"
	CodeInvalidPrincipal    = "invalid_principal"
	CodeUnknownOperator     = "unknown_operator"
	CodeInvalidOperator     = "invalid_operator_form" // e.g. ForAllValues:Null
	CodeInvalidConditionKey = "invalid_condition_key"
	CodeInvalidConditionVal = "invalid_condition_value"
	CodeVariableNotAllowed  = "variable_not_allowed"
	CodeInvalidCharacter    = "invalid_character"
	CodeUnsupportedEffect   = "unsupported_effect" // e.g. Allow in an RCP, NotPrincipal with Allow

	// Problems with account exports and bundles.
	CodeUnknownReference  = "unknown_reference"  // a group, policy or account used but not defined
	CodeDuplicateResource = "duplicate_resource" // two resource-based policies for one resource

	// Problems with account exports, organization files, resource files and
	// policy folders (translator/account).
	CodeDuplicateDefinition = "duplicate_definition" // the same account, entity, policy, tag or resource defined twice
	CodeAccountMismatch     = "account_mismatch"     // ARNs of one file in different accounts, or an ARN outside its declared account
	CodeARNMismatch         = "arn_mismatch"         // a name, path or id of an export entry that disagrees with its Arn
	CodeDefaultVersion      = "default_version"      // a managed policy without exactly one default version
	CodeLimitExceeded       = "limit_exceeded"       // an AWS limit: policy size by type, OU nesting depth, policies per node
	CodeInvalidPath         = "invalid_path"         // a folder-manifest path that is absolute, leaves the folder or cannot be read

	// Terraform plans (translator/terraform).
	CodeTerraformUnknown     = "terraform_unknown"     // a policy document, attachment or name known only after apply
	CodeTerraformUnsupported = "terraform_unsupported" // a plan iam2rego cannot apply: no account to place it in, an org attachment without --org

	// Warnings.
	WarnUnknownAction      = "unknown_action"
	WarnWildcardPlacement  = "wildcard_placement"
	WarnSetOperatorSingle  = "set_operator_on_single_valued_key"
	WarnPlainOperatorMulti = "plain_operator_on_multivalued_key"
	WarnIDInIdentity       = "id_in_identity_policy"
	WarnVariablePlacement  = "variable_as_literal"
	WarnRCPActionStar      = "rcp_action_star"
	WarnTrustAction        = "trust_policy_action"

	// Limits (IAM-SEMANTICS.md §9, translator/limits.go). An AWS limit
	// that AWS enforces is the error limit_exceeded; iam2rego's own
	// resource limits (file size, statements per document) are
	// input_too_large; a quota that AWS lets an account raise is only a
	// warning, since exports come from AWS.
	CodeInputTooLarge = "input_too_large" // beyond iam2rego's own limits: a file over 64 MiB, a document with more than 1,000 statements
	WarnQuotaExceeded = "quota_exceeded"  // warning: beyond an AWS default quota that can be raised, or a size only some policy kinds may have
)
