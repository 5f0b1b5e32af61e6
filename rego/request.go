package rego

// Request is one authorization question (IAM-SEMANTICS.md §2.4, §5.4).
// Policies are named by the names of compiled policies
// (translator.Compiled.Name, "p" and a content hash); when none are named,
// an engine prepared over a bundle finds them in the bundle's data.
type Request struct {
	Principal         Principal      `json:"principal"`
	Action            string         `json:"action"`
	Resource          Resource       `json:"resource"`
	Context           map[string]any `json:"context,omitempty"`
	Policies          PolicyRefs     `json:"policies"`
	ManagementAccount string         `json:"-"`
}

// Principal is the caller: an IAM user, role session, federated user,
// account root ARN, a service principal such as "lambda.amazonaws.com", or
// "anonymous".
type Principal struct {
	ARN         string            `json:"arn"`
	Tags        map[string]string `json:"tags,omitempty"`
	FederatedBy string            `json:"federatedBy,omitempty"`
	// RoleARN is the full role ARN (with path) of a role session, when
	// known; without it aws:PrincipalArn is derived without a path.
	RoleARN string `json:"roleArn,omitempty"`
	UserID  string `json:"userId,omitempty"`
	// CanonicalUser is the caller's S3 canonical user id, matched by
	// CanonicalUser entries of a Principal element.
	CanonicalUser string `json:"canonicalUser,omitempty"`
}

// Resource is the target of the request. Account is required for S3,
// whose ARNs carry no account.
type Resource struct {
	ARN     string            `json:"arn"`
	Account string            `json:"account,omitempty"`
	Tags    map[string]string `json:"tags,omitempty"`
}

// PolicyRefs names the policies that apply to the request, by type.
type PolicyRefs struct {
	Identity []string   `json:"identity,omitempty"`
	Boundary string     `json:"boundary,omitempty"`
	Session  string     `json:"session,omitempty"`
	Resource string     `json:"resource,omitempty"`
	VPCE     string     `json:"vpce,omitempty"`
	SCPs     [][]string `json:"scps,omitempty"`
	RCPs     [][]string `json:"rcps,omitempty"`
	// SCPNames names each SCP level for explanations ("OU Workloads").
	SCPNames []string `json:"scp_names,omitempty"`
}

func (p PolicyRefs) empty() bool {
	return len(p.Identity) == 0 && p.Boundary == "" && p.Session == "" && p.Resource == "" &&
		p.VPCE == "" && p.SCPs == nil && p.RCPs == nil
}

// Decision is the answer, with the step of the algorithm that decided and
// the statements involved.
type Decision struct {
	Decision   string      `json:"decision"`
	Allow      bool        `json:"allow"`
	Step       string      `json:"step"`
	Reason     string      `json:"reason"`
	Statements []Statement `json:"statements"`
	// Error is set when the request could not be decided; the decision is
	// then ImplicitDeny (fail closed).
	Error string `json:"error,omitempty"`
}

// Statement names one statement that took part in a decision.
type Statement struct {
	Policy string `json:"policy"`
	Type   string `json:"type"`
	Effect string `json:"effect"`
	Index  int    `json:"index"`
	Sid    string `json:"sid,omitempty"`
	Kind   string `json:"kind,omitempty"`
	Level  int    `json:"level,omitempty"`
	// Slot is the policy's position in its list (identity policies, or
	// the policies of one SCP/RCP level).
	Slot int `json:"slot"`
	// Names say where a bundle's policy is used (bundle mode only).
	Names []string `json:"names,omitempty"`
}

// The three decisions.
const (
	Allow        = "Allow"
	ImplicitDeny = "ImplicitDeny"
	ExplicitDeny = "ExplicitDeny"
)
