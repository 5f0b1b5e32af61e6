package lint

import (
	"slices"

	"github.com/iam2rego/iam2rego/schema"
)

// The lint codes, one per rule. Tests match on codes, never on messages.
const (
	CodeActionWildcard       = "action_wildcard"
	CodeServiceWildcard      = "service_wildcard"
	CodeWriteOnAnyResource   = "write_on_any_resource"
	CodePassRoleOnAny        = "passrole_on_any_resource"
	CodeAllowNotAction       = "allow_not_action"
	CodeAllowNotResource     = "allow_not_resource"
	CodePrivilegeEscalation  = "privilege_escalation"
	CodeEscalationPath       = "privilege_escalation_path"
	CodeDataExfiltration     = "data_exfiltration"
	CodeResourceExposure     = "resource_exposure"
	CodePublicResourcePolicy = "public_resource_policy"
	CodeAccountWideTrust     = "account_wide_trust"
	CodeBedrockAnyModel      = "bedrock_any_model"
	CodeUnknownAction        = schema.WarnUnknownAction // validate's own warning
	CodeUnknownConditionKey  = "unknown_condition_key"
	CodeReadOnAnyResource    = "read_on_any_resource" // optional
	CodeStaleSuppression     = "stale_suppression"    // about --config
	CodeExpiredSuppression   = "expired_suppression"  // about --config
)

// Rule is one lint rule: its code, severity, the policy types it looks at,
// a one-line description and the help text (what it means, what to do).
type Rule struct {
	Code     string
	Severity schema.Severity
	Applies  string // the policy types it reads, in words
	Short    string
	Help     string
}

const (
	identityOnly = "identity policies (inline and managed)"
	resourceLike = "resource-based and trust policies"
	trustOnly    = "trust policies"
	everyPolicy  = "every policy type"
	configFile   = "the lint configuration (--config)"
)

// Rules is the rule table: every finding lint reports has one of these
// codes, with this severity. README.md ("iam2rego lint") lists it.
var Rules = []Rule{
	{CodeActionWildcard, schema.SeverityError, identityOnly,
		`An Allow statement grants "Action": "*"`,
		`Every action of every service is allowed (on the statement's resources). Name the actions the principal needs.`},
	{CodeServiceWildcard, schema.SeverityWarning, identityOnly,
		`An Allow statement grants every action of a service ("s3:*")`,
		`A service-wide wildcard grants the service's write and permissions-management actions, present and future. List the actions, or a narrower pattern such as s3:Get*.`},
	{CodeWriteOnAnyResource, schema.SeverityWarning, identityOnly,
		`Write or tagging actions are allowed on "Resource": "*"`,
		`Actions of the catalogue's Write or Tagging access level that accept resource ARNs are allowed on every resource. Name the resources (ARNs, or patterns under a prefix). Not reported: actions that name no resource type (they can only be granted on "*"), and actions of a service whose requests the statement narrows with a condition on one of the service's own keys (cloudwatch:namespace, ec2:CreateAction, ...) or on aws:ResourceTag/... or aws:RequestTag/... (attribute-based access control).`},
	{CodePassRoleOnAny, schema.SeverityError, identityOnly,
		`iam:PassRole is allowed on "Resource": "*"`,
		`The principal can hand any role of the account to a service, and so act with that role's permissions. Name the roles it may pass, and add an iam:PassedToService condition.`},
	{CodeAllowNotAction, schema.SeverityWarning, identityOnly,
		`An Allow statement uses NotAction`,
		`Allow with NotAction grants every action not listed, including actions of services added later. List the allowed actions instead, or use a Deny with NotAction.`},
	{CodeAllowNotResource, schema.SeverityWarning, identityOnly,
		`An Allow statement uses NotResource`,
		`Allow with NotResource grants the actions on every resource not listed, including resources created later and those of other accounts. List the allowed resources instead.`},
	{CodePrivilegeEscalation, schema.SeverityError, identityOnly,
		`An action that lets a principal raise its own permissions is allowed`,
		`Actions such as iam:CreatePolicyVersion, iam:Attach*Policy, iam:Put*Policy, iam:CreateAccessKey, iam:CreateLoginProfile, iam:UpdateAssumeRolePolicy or lambda:UpdateFunctionCode are known privilege-escalation methods (Rhino Security Labs' list, PMapper's edges) when granted on "*" or on a pattern with a wildcard in the resource name. Scope them to the principal's own resources, for example arn:aws:iam::*:user/${aws:username}.`},
	{CodeEscalationPath, schema.SeverityError, identityOnly,
		`A combination of actions that escalates privileges is allowed`,
		`iam:PassRole on a wildcard with lambda:CreateFunction and lambda:InvokeFunction (or lambda:CreateEventSourceMapping), ec2:RunInstances, cloudformation:CreateStack, glue:CreateDevEndpoint, datapipeline:CreatePipeline and PutPipelineDefinition, or sagemaker:CreateNotebookInstance and CreatePresignedNotebookInstanceUrl lets the principal run code as any passable role. Linting a build, this is decided per principal over every policy it holds (its own, its groups', managed ones; a Deny on "*" without conditions, and the permissions boundary, remove actions). One finding per iam:PassRole statement lists every path it completes. Name the roles in iam:PassRole.`},
	{CodeDataExfiltration, schema.SeverityWarning, identityOnly,
		`Actions that read data or secrets are allowed on "Resource": "*"`,
		`cloudsplaining's data exfiltration category: s3:GetObject, ssm:GetParameter*, secretsmanager:GetSecretValue, rds:CopyDBSnapshot and rds:CreateDBSnapshot without resource constraints. Name the buckets, parameters or secrets.`},
	{CodeResourceExposure, schema.SeverityWarning, identityOnly,
		`Permissions-management actions are allowed on "Resource": "*"`,
		`cloudsplaining's resource exposure category: actions of the catalogue's Permissions management access level (s3:PutBucketPolicy, iam:PutRolePolicy, kms:CreateGrant, ...) can change who may use a resource. Name the resources. Conditions narrow as for write_on_any_resource (kms:GrantIsForAWSResource, for example).`},
	{CodePublicResourcePolicy, schema.SeverityError, resourceLike,
		`A resource policy allows any principal ("*") without a condition`,
		`Principal "*" or {"AWS": "*"} with no Condition makes the resource public: every AWS account and anonymous callers. Name the principals, or add a condition such as aws:PrincipalOrgID or aws:SourceVpce.`},
	{CodeAccountWideTrust, schema.SeverityWarning, trustOnly,
		`A trust policy lets any principal of an account assume the role`,
		`Principal arn:aws:iam::ACCOUNT:root (or the account id) lets every user and role of that account that has sts:AssumeRole permission assume the role. Add an sts:ExternalId condition (third parties) or aws:PrincipalArn (your own principals), or name the roles.`},
	{CodeBedrockAnyModel, schema.SeverityWarning, identityOnly,
		`bedrock:InvokeModel* is allowed on "*" instead of model ARNs`,
		`Every foundation, custom and imported model, inference profile and provisioned throughput can be invoked (and billed). Name the models: arn:aws:bedrock:REGION::foundation-model/MODEL_ID, and the inference profiles the application uses.`},
	{CodeUnknownAction, schema.SeverityWarning, everyPolicy,
		`An action, or an action pattern, matches nothing in the action catalogue`,
		`The same warning as iam2rego validate: a misspelt action grants or denies nothing. Retired services also show up here.`},
	{CodeUnknownConditionKey, schema.SeverityWarning, everyPolicy,
		`A condition key is not in the catalogue, or applies to none of the statement's actions`,
		`A condition on a key that is never in the request context of the statement's actions never matches: an Allow is dead, a Deny with a negated operator always applies, and a Deny with a positive operator never does. Check the key's spelling and the service authorization reference for the action.`},
	{CodeReadOnAnyResource, schema.SeverityWarning, identityOnly,
		`Read actions are allowed on "Resource": "*"`,
		`Off unless enabled (--enable read_on_any_resource, or "enable" in --config). Actions of the catalogue's Read access level that accept resource ARNs are allowed on every resource: the principal can read the data of every bucket, table, secret or queue, present and future. Name the resources. Not reported, as for write_on_any_resource: actions that name no resource type, and those of a service a condition narrows.`},
	{CodeStaleSuppression, schema.SeverityWarning, configFile,
		`A suppression of the lint configuration matched no finding`,
		`The finding it was written for is gone (fixed, or its policy renamed), or its globs are wrong. Delete the suppression, or correct it.`},
	{CodeExpiredSuppression, schema.SeverityWarning, configFile,
		`A suppression of the lint configuration is past its expiry date`,
		`An expired suppression no longer applies: the findings it matched count again. Fix them, or renew the suppression with a new date and reason.`},
}

// optionalRules are off unless enabled (Inputs.Enable, the configuration's
// "enable", --enable).
var optionalRules = []string{CodeReadOnAnyResource}

// Optional reports whether the rule is off unless enabled.
func (r Rule) Optional() bool { return slices.Contains(optionalRules, r.Code) }

// aboutConfig reports whether the rule's findings are about the lint
// configuration rather than a policy: suppressions do not apply to them.
func (r Rule) aboutConfig() bool { return r.Applies == configFile }

// ruleOf returns the rule of a code.
func ruleOf(code string) Rule {
	for _, r := range Rules {
		if r.Code == code {
			return r
		}
	}
	return Rule{Code: code, Severity: schema.SeverityError}
}

// escalationActions are privilege-escalation methods on their own (Rhino
// Security Labs' list; PMapper's edges), lower-cased.
var escalationActions = []string{
	"iam:createpolicyversion",
	"iam:setdefaultpolicyversion",
	"iam:createaccesskey",
	"iam:createloginprofile",
	"iam:updateloginprofile",
	"iam:attachuserpolicy",
	"iam:attachgrouppolicy",
	"iam:attachrolepolicy",
	"iam:putuserpolicy",
	"iam:putgrouppolicy",
	"iam:putrolepolicy",
	"iam:addusertogroup",
	"iam:updateassumerolepolicy",
	"lambda:updatefunctioncode",
	"glue:updatedevendpoint",
}

// escalationPaths are combinations that escalate together: each starts
// with iam:PassRole, which must be granted on a wildcard.
var escalationPaths = [][]string{
	{"iam:passrole", "ec2:runinstances"},
	{"iam:passrole", "lambda:createfunction", "lambda:invokefunction"},
	{"iam:passrole", "lambda:createfunction", "lambda:createeventsourcemapping"},
	{"iam:passrole", "cloudformation:createstack"},
	{"iam:passrole", "glue:createdevendpoint"},
	{"iam:passrole", "datapipeline:createpipeline", "datapipeline:putpipelinedefinition"},
	{"iam:passrole", "sagemaker:createnotebookinstance", "sagemaker:createpresignednotebookinstanceurl"},
}

// exfiltrationActions are cloudsplaining's data exfiltration actions.
var exfiltrationActions = []string{
	"s3:getobject",
	"ssm:getparameter",
	"ssm:getparameters",
	"ssm:getparametersbypath",
	"secretsmanager:getsecretvalue",
	"rds:copydbsnapshot",
	"rds:createdbsnapshot",
}

// bedrockInvoke are the actions that run a model.
var bedrockInvoke = []string{"bedrock:invokemodel", "bedrock:invokemodelwithresponsestream"}

// trustKeys are the conditions that narrow an account-wide trust.
var trustKeys = []string{"sts:externalid", "aws:principalarn"}
