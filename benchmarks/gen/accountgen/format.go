package accountgen

// The JSON shapes written: `aws iam get-account-authorization-details`
// (AWS CLI v2 output: policy documents as objects, ISO timestamps, members
// in the CLI's order), the organization file and the resource-policy file
// of translator/account/FORMATS.md. Structs keep member order; maps (only
// in conditions and tags objects) are written with sorted keys, so the
// output is byte-identical for a seed.

// Doc is an IAM policy document.
type Doc struct {
	Version   string `json:"Version"`
	ID        string `json:"Id,omitempty"`
	Statement []Stmt `json:"Statement"`
}

// Stmt is one statement. Action, Resource and friends are a string or a
// []string, as AWS stores them.
type Stmt struct {
	Sid          string         `json:"Sid,omitempty"`
	Effect       string         `json:"Effect"`
	Principal    any            `json:"Principal,omitempty"`
	NotPrincipal any            `json:"NotPrincipal,omitempty"`
	Action       any            `json:"Action,omitempty"`
	NotAction    any            `json:"NotAction,omitempty"`
	Resource     any            `json:"Resource,omitempty"`
	NotResource  any            `json:"NotResource,omitempty"`
	Condition    map[string]any `json:"Condition,omitempty"`
}

func newDoc(stmts ...Stmt) *Doc { return &Doc{Version: "2012-10-17", Statement: stmts} }

type gaadFile struct {
	UserDetailList  []*gaadUser   `json:"UserDetailList"`
	GroupDetailList []*gaadGroup  `json:"GroupDetailList"`
	RoleDetailList  []*gaadRole   `json:"RoleDetailList"`
	Policies        []*gaadPolicy `json:"Policies"`
}

type gaadInline struct {
	PolicyName     string `json:"PolicyName"`
	PolicyDocument any    `json:"PolicyDocument"`
}

type gaadAttached struct {
	PolicyName string `json:"PolicyName"`
	PolicyArn  string `json:"PolicyArn"`
}

type gaadBoundary struct {
	PermissionsBoundaryType string `json:"PermissionsBoundaryType"`
	PermissionsBoundaryArn  string `json:"PermissionsBoundaryArn"`
}

type gaadTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type gaadUser struct {
	Path                    string          `json:"Path"`
	UserName                string          `json:"UserName"`
	UserID                  string          `json:"UserId"`
	Arn                     string          `json:"Arn"`
	CreateDate              string          `json:"CreateDate"`
	UserPolicyList          []*gaadInline   `json:"UserPolicyList,omitempty"`
	GroupList               []string        `json:"GroupList"`
	AttachedManagedPolicies []*gaadAttached `json:"AttachedManagedPolicies"`
	PermissionsBoundary     *gaadBoundary   `json:"PermissionsBoundary,omitempty"`
	Tags                    []gaadTag       `json:"Tags"`
}

type gaadGroup struct {
	Path                    string          `json:"Path"`
	GroupName               string          `json:"GroupName"`
	GroupID                 string          `json:"GroupId"`
	Arn                     string          `json:"Arn"`
	CreateDate              string          `json:"CreateDate"`
	GroupPolicyList         []*gaadInline   `json:"GroupPolicyList"`
	AttachedManagedPolicies []*gaadAttached `json:"AttachedManagedPolicies"`
}

type gaadInstanceProfile struct {
	Path                string          `json:"Path"`
	InstanceProfileName string          `json:"InstanceProfileName"`
	InstanceProfileID   string          `json:"InstanceProfileId"`
	Arn                 string          `json:"Arn"`
	CreateDate          string          `json:"CreateDate"`
	Roles               []*gaadRoleStub `json:"Roles"`
}

type gaadRoleStub struct {
	Path                     string `json:"Path"`
	RoleName                 string `json:"RoleName"`
	RoleID                   string `json:"RoleId"`
	Arn                      string `json:"Arn"`
	CreateDate               string `json:"CreateDate"`
	AssumeRolePolicyDocument any    `json:"AssumeRolePolicyDocument"`
}

type gaadLastUsed struct {
	LastUsedDate string `json:"LastUsedDate,omitempty"`
	Region       string `json:"Region,omitempty"`
}

type gaadRole struct {
	Path                     string                 `json:"Path"`
	RoleName                 string                 `json:"RoleName"`
	RoleID                   string                 `json:"RoleId"`
	Arn                      string                 `json:"Arn"`
	CreateDate               string                 `json:"CreateDate"`
	AssumeRolePolicyDocument any                    `json:"AssumeRolePolicyDocument"`
	InstanceProfileList      []*gaadInstanceProfile `json:"InstanceProfileList"`
	RolePolicyList           []*gaadInline          `json:"RolePolicyList"`
	AttachedManagedPolicies  []*gaadAttached        `json:"AttachedManagedPolicies"`
	PermissionsBoundary      *gaadBoundary          `json:"PermissionsBoundary,omitempty"`
	Tags                     []gaadTag              `json:"Tags"`
	RoleLastUsed             gaadLastUsed           `json:"RoleLastUsed"`
}

type gaadVersion struct {
	Document         any    `json:"Document"`
	VersionID        string `json:"VersionId"`
	IsDefaultVersion bool   `json:"IsDefaultVersion"`
	CreateDate       string `json:"CreateDate"`
}

type gaadPolicy struct {
	PolicyName                    string         `json:"PolicyName"`
	PolicyID                      string         `json:"PolicyId"`
	Arn                           string         `json:"Arn"`
	Path                          string         `json:"Path"`
	DefaultVersionID              string         `json:"DefaultVersionId"`
	AttachmentCount               int            `json:"AttachmentCount"`
	PermissionsBoundaryUsageCount int            `json:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool           `json:"IsAttachable"`
	CreateDate                    string         `json:"CreateDate"`
	UpdateDate                    string         `json:"UpdateDate"`
	PolicyVersionList             []*gaadVersion `json:"PolicyVersionList"`
}

// Organization file (FORMATS.md, "Organization file").
type orgFile struct {
	ID                string          `json:"id"`
	ManagementAccount string          `json:"managementAccount"`
	Policies          map[string]*Doc `json:"policies"`
	Root              *orgNode        `json:"root"`
}

type orgNode struct {
	ID       string        `json:"id"`
	Name     string        `json:"name,omitempty"`
	SCPs     []string      `json:"scps"`
	RCPs     []string      `json:"rcps,omitempty"`
	OUs      []*orgNode    `json:"ous,omitempty"`
	Accounts []*orgAccount `json:"accounts,omitempty"`
}

type orgAccount struct {
	ID   string   `json:"id"`
	Name string   `json:"name,omitempty"`
	SCPs []string `json:"scps,omitempty"`
}

// Resource-policy file (FORMATS.md, "Resource-policy files").
type resourcesFile struct {
	Resources []*resourceEntry `json:"resources"`
}

type resourceEntry struct {
	ARN     string            `json:"arn"`
	Account string            `json:"account"`
	Tags    map[string]string `json:"tags,omitempty"`
	Policy  *Doc              `json:"policy,omitempty"`
}
