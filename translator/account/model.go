package account

// The account model: what `iam2rego build` reads from an account export
// (aws iam get-account-authorization-details), an organization file,
// resource-policy files or a policy folder. Policy documents stay decoded
// JSON (generic values, numbers as json.Number) with the file and JSON
// pointer they came from, so that compile errors point into the user's
// input.

// Document is one policy document and where it was read.
type Document struct {
	File    string // the input file
	Pointer string // JSON pointer of the document inside File
	Value   any    // decoded JSON (schema.Decode)
}

// NamedDocument is an inline policy (or a named SCP/RCP) with its name.
type NamedDocument struct {
	Name     string
	Document Document
}

// Export is everything read for one build.
type Export struct {
	Accounts []*Account
	// Managed are customer-managed (and exported AWS-managed) policies by
	// ARN; AWS-managed ARNs missing here are resolved from the embedded
	// snapshot (translator/managed).
	Managed      map[string]*ManagedPolicy
	Organization *Organization // nil when no --org was given
	Resources    []*ResourcePolicy
	// InputBytes is how many bytes of files Load or a Builder read for it.
	InputBytes int64
}

// Account is one AWS account's IAM entities.
type Account struct {
	ID     string
	Users  []*User
	Groups []*Group
	Roles  []*Role
}

// User is an IAM user.
type User struct {
	ARN, Name, Path, ID string
	Inline              []NamedDocument
	Managed             []string // policy ARNs
	Groups              []string // group names (same account)
	Boundary            string   // policy ARN, "" when none
	Tags                map[string]string
}

// Group is an IAM group.
type Group struct {
	ARN, Name, Path, ID string
	Inline              []NamedDocument
	Managed             []string
}

// Role is an IAM role; its trust policy is its resource-based policy for
// sts:AssumeRole*.
type Role struct {
	ARN, Name, Path, ID string
	Inline              []NamedDocument
	Managed             []string
	Boundary            string
	Tags                map[string]string
	Trust               *Document // nil when the export has none
}

// ManagedPolicy is a managed policy's default version.
type ManagedPolicy struct {
	ARN, Name, Path string
	Document        Document
}

// Organization is the AWS Organizations tree with its SCPs and RCPs.
type Organization struct {
	ID                string // o-xxxxxxxxxx
	ManagementAccount string
	Root              *OrgUnit // the organization root (ID r-xxxx)
}

// OrgUnit is the root or an OU. Accounts sit in exactly one unit.
type OrgUnit struct {
	ID, Name string
	SCPs     []NamedDocument
	RCPs     []NamedDocument
	Units    []*OrgUnit
	Accounts []*OrgAccount
}

// OrgAccount is a member account with the policies attached to it directly.
type OrgAccount struct {
	ID, Name string
	SCPs     []NamedDocument
	RCPs     []NamedDocument
}

// ResourcePolicy is a resource with its resource-based policy. A bucket's
// policy (arn:aws:s3:::bucket) also applies to the bucket's objects.
type ResourcePolicy struct {
	ARN     string
	Account string
	Tags    map[string]string
	Policy  *Document // nil for a resource that only carries tags
}
