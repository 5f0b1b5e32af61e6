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
	CodeCredentialsExposure  = "credentials_exposure"
	CodeDataExfiltration     = "data_exfiltration"
	CodeResourceExposure     = "resource_exposure"
	CodePublicResourcePolicy = "public_resource_policy"
	CodeAccountWideTrust     = "account_wide_trust"
	CodeBedrockAnyModel      = "bedrock_any_model"
	CodeUnknownAction        = schema.WarnUnknownAction // validate's own warning
	CodeUnknownConditionKey  = "unknown_condition_key"
	CodeKeyNotApplicable     = "condition_key_not_applicable"
	CodeResourceTypeMismatch = "resource_type_mismatch"
	CodeResourceFitsNoAction = "resource_fits_no_action"
	CodeUnsatisfiable        = "unsatisfiable_condition"
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
	// identityDecided: the rules decided by the engine per holder.
	identityDecided = "identity policies, decided per user and role by the engine"
	everyPolicy     = "every policy type"
	configFile      = "the lint configuration (--config)"
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
	{CodePrivilegeEscalation, schema.SeverityError, identityDecided,
		`The engine allows a holder one action that raises its own permissions`,
		`Published single-action escalation methods (Rhino Security Labs, pathfinding.cloud): iam:CreatePolicyVersion, SetDefaultPolicyVersion, CreateAccessKey, CreateLoginProfile, UpdateLoginProfile, Attach{User,Group,Role}Policy (decided with iam:PolicyARN = AdministratorAccess, IAMFullAccess or PowerUserAccess), Put{User,Group,Role}Policy, AddUserToGroup, Delete/Put{User,Role}PermissionsBoundary, lambda:UpdateFunctionCode, glue:UpdateDevEndpoint, ssm:SendCommand, ssm:StartSession, ec2-instance-connect:SendSSHPublicKey, sagemaker:CreatePresignedNotebookInstanceUrl, codebuild:StartBuild and cloudformation:UpdateStack, allowed on another principal's or resource's ARN named by "*" or a wildcard pattern of the action's resource type. Each is a request decided by the engine (as eval, can and who-can decide), with the request contexts that put the holder's conditions on either side: a condition that rules the method out clears it. Scope the actions to the principal's own resources (arn:aws:iam::*:user/${aws:username}), name the resources, or condition them (iam:PolicyARN, iam:PermissionsBoundary).`},
	{CodeEscalationPath, schema.SeverityError, identityDecided,
		`The engine allows a holder a combination of actions that escalates privileges`,
		`iam:PassRole to a service that runs code the holder controls, decided with iam:PassedToService set to that service: ec2:RunInstances or RequestSpotInstances, autoscaling launch configurations, lambda:CreateFunction with InvokeFunction, CreateEventSourceMapping or AddPermission, cloudformation:CreateStack or change sets, glue dev endpoints and jobs, datapipeline, sagemaker notebooks, training and processing jobs, ecs task definitions with RunTask or CreateService, codebuild projects, Step Functions, EMR and App Runner (Rhino Security Labs, Bishop Fox, pathfinding.cloud); and iam:UpdateAssumeRolePolicy with sts:AssumeRole, CloudFormation change sets on existing stacks, EC2 user data (ModifyInstanceAttribute, StopInstances, StartInstances) and launch template versions. Every step is a request the engine allows; iam:PassRole must be allowed on a role named by "*" or a wildcard pattern. In a build, each user and role is decided over every policy it holds (its own, its groups', managed ones, its boundary and the SCPs); a policy linted on its own is decided as the only policy of a user. One finding per statement allowing the first step, listing every method it starts. Name the roles in iam:PassRole and condition it on iam:PassedToService.`},
	{CodeCredentialsExposure, schema.SeverityWarning, identityDecided,
		`The engine allows a holder an action that returns credentials, keys, passwords or tokens`,
		`cloudsplaining's credentials exposure category, kept to the actions of the catalogue: sts:AssumeRole, GetFederationToken, GetSessionToken, ecr:GetAuthorizationToken, codeartifact:GetAuthorizationToken, redshift:GetClusterCredentials, redshift-serverless:GetCredentials, rds-db:connect, ec2:GetPasswordData, lightsail access details and passwords, iam:CreateServiceSpecificCredential, cognito-identity credentials, gamelift, chime and connect tokens. Decided per holder by the engine, on the resources its policies name. Name the roles, registries, clusters or databases, and check that the holder needs the credentials.`},
	{CodeDataExfiltration, schema.SeverityWarning, identityDecided,
		`The engine allows a holder to read data or secrets on every resource`,
		`cloudsplaining's data exfiltration category: s3:GetObject, ssm:GetParameter, GetParameters, GetParametersByPath, secretsmanager:GetSecretValue, rds:CopyDBSnapshot and rds:CreateDBSnapshot, allowed on every resource of their type ("*", NotResource, or a pattern whose resource part is only wildcards such as arn:aws:s3:::*/*). Decided per holder by the engine, with the request contexts of its conditions. Name the buckets, parameters or secrets.`},
	{CodeResourceExposure, schema.SeverityWarning, identityDecided,
		`The engine allows a holder permissions-management actions on every resource`,
		`cloudsplaining's resource exposure category: actions of the catalogue's Permissions management access level (s3:PutBucketPolicy, iam:PutRolePolicy, kms:CreateGrant, ...) can change who may use a resource. The candidates are those an Allow grants on "Resource": "*" or with NotResource, that accept resource ARNs and that no condition of the statement narrows (a condition on one of the service's own keys, kms:GrantIsForAWSResource for example, or on aws:ResourceTag/... or aws:RequestTag/...); each is decided per holder by the engine on a resource of its type and on the resources the build knows that carry a policy (a KMS key counts only when its key policy lets IAM policies grant, as AWS decides). Name the resources.`},
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
	{CodeKeyNotApplicable, schema.SeverityWarning, everyPolicy,
		`A service condition key is never in the request context of some of the statement's actions`,
		`Per action, from the AWS service authorization reference (the condition keys of each action and of its resource types): a condition on a service key that the action never has, whichever service the key belongs to (ec2:InstanceType is never in an s3:GetObject request), under an operator that is false when the key is absent (not ...IfExists, not ForAllValues, not Null "true"), means an Allow never grants that action; a Deny never denies it (positive operator) or always denies it (negated operator or Null "true"). Actions written out are checked one by one, a wildcard pattern when none of its actions has the key; a key none of the actions has is unknown_condition_key. Global keys (aws:..., tag keys included, and the service keys of the catalogue's global list, such as lambda:SourceFunctionArn, which AWS sets on requests to any service signed with credentials a service issued) are not checked. Split the statement, or use ...IfExists if the key is optional.`},
	{CodeResourceTypeMismatch, schema.SeverityWarning, everyPolicy,
		`An action fits none of the statement's resources`,
		`From the AWS service authorization reference (each action's resource types and their ARN formats): an action written out whose resource types fit none of the Resource patterns (s3:GetObject on a bucket ARN; s3:ListAllMyBuckets, which names no resource type, on anything but "*"), or a wildcard pattern none of whose actions fits any of them, is never granted (or denied) by the statement. An action is granted when one of its resource types fits one of the patterns: IAM authorises each resource of a request separately, and resource types are alternatives. A wildcard pattern whose actions fit in part (s3:* on a bucket ARN grants the bucket actions) is not reported. Not checked: NotAction, "Action": "*", NotResource, statements with "Resource": "*", and the elasticloadbalancing and apigateway actions (the catalogue merges two APIs under each prefix). An action naming no resource type is taken to fit a pattern of another service or with a wildcard in the resource part, as services authorise some such actions there (s3:ListAllMyBuckets on arn:aws:s3:::*). Add the right ARNs (arn:aws:s3:::bucket/* for objects) or move the action to a statement on "*".`},
	{CodeResourceFitsNoAction, schema.SeverityWarning, everyPolicy,
		`A Resource pattern names no resource that any of the statement's actions acts on`,
		`From the AWS service authorization reference: no resource type of any of the statement's actions has an ARN format the pattern can match (arn:aws:s3:::bucket/* with only s3:ListBucket, or an IAM group ARN with only role actions), so the pattern never matches a request. Fix the ARN or add the actions it was meant for. Same scope as resource_type_mismatch.`},
	{CodeUnsatisfiable, schema.SeverityWarning, everyPolicy,
		`A condition can never be true, so the statement never applies`,
		`From the IAM User Guide (global condition context keys, condition operators): aws:CalledVia, aws:CalledViaFirst or aws:CalledViaLast compared only with values that are no service principal (*.amazonaws.com); aws:PrincipalType compared only with values other than Account, User, FederatedUser, AssumedRole and Anonymous; a Bool key compared by a string operator only with values other than true and false; two positive String or Arn conditions on the same single-valued key with no value in common. Only operators false on an absent key count (no IfExists, ForAllValues or negation); values with policy variables may be anything; case is ignored. An Allow grants nothing, a Deny denies nothing.`},
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

// bedrockInvoke are the actions that run a model.
var bedrockInvoke = []string{"bedrock:invokemodel", "bedrock:invokemodelwithresponsestream"}

// trustKeys are the conditions that narrow an account-wide trust.
var trustKeys = []string{"sts:externalid", "aws:principalarn"}
