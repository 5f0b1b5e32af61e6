package account

import (
	"encoding/json"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/managed"
)

// Inputs are the inputs of `iam2rego build`, as the CLI receives them.
type Inputs struct {
	AccountDetails []string // --account-details FILE, repeatable
	Org            string   // --org FILE, "" for none
	Resources      []string // --resource-policies FILE|DIR, repeatable
	Folder         string   // iam2rego build DIR, "" for none
	// MaxBytes bounds the bytes read over all inputs (0:
	// DefaultMaxInputBytes).
	MaxBytes int64
}

// Load reads every input into one Export (see Builder).
func Load(in Inputs) (*Export, error) {
	b := NewBuilder()
	b.SetMaxBytes(in.MaxBytes)
	if in.Folder != "" {
		b.AddFolder(in.Folder)
	}
	for _, f := range in.AccountDetails {
		b.AddAccountDetailsFile(f)
	}
	if in.Org != "" {
		b.AddOrganizationFile(in.Org)
	}
	for _, r := range in.Resources {
		b.AddResources(r)
	}
	return b.Export()
}

// Builder assembles one Export from several inputs: account-details files
// (one account each), at most one organization, resource-policy files and
// policy folders. It keeps going after a problem, so that Export reports
// every problem of every input at once.
//
// Merging rules: an account may come from one input only; managed
// policies are merged by ARN, and the same ARN twice must have the same
// document (AWS managed policies appear in every account's export, so two
// exports taken across a policy update disagree and are rejected); a
// resource may be given once; only one organization.
type Builder struct {
	d        schema.Diagnostics
	accounts map[string]*Account
	acctAt   map[string]origin
	managed  map[string]*ManagedPolicy
	org      *Organization
	orgFile  string
	res      *resourceSet
	budget   *budget
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	b := &Builder{
		accounts: map[string]*Account{},
		acctAt:   map[string]origin{},
		managed:  map[string]*ManagedPolicy{},
		res:      newResourceSet(),
	}
	b.SetMaxBytes(0)
	return b
}

// SetMaxBytes bounds the bytes the Builder reads over all its inputs
// (0: DefaultMaxInputBytes); past it, a file is an input_too_large
// diagnostic and is not added.
func (b *Builder) SetMaxBytes(max int64) {
	b.budget = newBudget(max)
	b.res.budget = b.budget
}

// readFile reads an input named on the command line; a file that cannot
// be read is a json_syntax diagnostic (README: Diagnostics).
func (b *Builder) readFile(path string) ([]byte, bool) {
	data, err := schema.ReadFile(path)
	if err == nil {
		err = b.budget.take(path, len(data))
	}
	if err != nil {
		b.d.Merge(path, err)
		return nil, false
	}
	return data, true
}

// AddAccountDetails adds one get-account-authorization-details output
// (ReadGAAD).
func (b *Builder) AddAccountDetails(file string, data []byte) {
	acct, mp, err := ReadGAAD(file, data)
	if err != nil {
		b.d.Merge(file, err)
		return
	}
	b.addAccount(acct, origin{file, ""})
	for _, arn := range sortedKeys(mp) {
		b.addManaged(mp[arn])
	}
}

// AddAccountDetailsFile reads path and adds it with AddAccountDetails.
func (b *Builder) AddAccountDetailsFile(path string) {
	if data, ok := b.readFile(path); ok {
		b.AddAccountDetails(path, data)
	}
}

// AddOrganization adds the organization file (ReadOrg). A second
// organization is an error.
func (b *Builder) AddOrganization(file string, data []byte) {
	org, err := ReadOrg(file, data)
	if err != nil {
		b.d.Merge(file, err)
		return
	}
	b.setOrg(org, file)
}

// AddOrganizationFile reads path and adds it with AddOrganization.
func (b *Builder) AddOrganizationFile(path string) {
	if data, ok := b.readFile(path); ok {
		b.AddOrganization(path, data)
	}
}

// AddResources adds a resource-policy file or directory (ReadResources).
func (b *Builder) AddResources(path string) {
	fsys, name, done := osFS(path)
	defer done()
	b.res.read(fsys, name, path, &b.d)
}

// AddExport adds an Export read elsewhere (for example by ReadFolder).
// Diagnostics about it name the files its documents came from.
func (b *Builder) AddExport(e *Export) {
	for _, a := range e.Accounts {
		b.addAccount(a, origin{accountFile(a), ""})
	}
	for _, arn := range sortedKeys(e.Managed) {
		b.addManaged(e.Managed[arn])
	}
	if e.Organization != nil {
		b.setOrg(e.Organization, orgFile(e.Organization))
	}
	for _, r := range e.Resources {
		o := origin{r.ARN, ""}
		if r.Policy != nil {
			o = origin{r.Policy.File, r.Policy.Pointer}
		}
		if first, dup := b.res.at[r.ARN]; dup {
			b.d.Add(schema.Errorf(schema.CodeDuplicateResource, o.file, o.ptr, "resource %s is already defined in %s at %s", r.ARN, first.file, first.ptr))
			continue
		}
		b.res.at[r.ARN] = o
		b.res.list = append(b.res.list, r)
	}
}

func (b *Builder) addAccount(a *Account, o origin) {
	if first, dup := b.acctAt[a.ID]; dup {
		where := first.file
		if first.ptr != "" {
			where += " at " + first.ptr
		}
		b.d.Add(schema.Errorf(schema.CodeDuplicateDefinition, o.file, o.ptr, "account %s is already read from %s; give each account once", a.ID, where))
		return
	}
	b.acctAt[a.ID] = o
	b.accounts[a.ID] = a
}

func (b *Builder) addManaged(mp *ManagedPolicy) {
	prev, ok := b.managed[mp.ARN]
	if !ok {
		b.managed[mp.ARN] = mp
		return
	}
	if !sameJSON(prev.Document.Value, mp.Document.Value) {
		b.d.Add(schema.Errorf(schema.CodeDuplicateDefinition, mp.Document.File, mp.Document.Pointer,
			"managed policy %s has a different document in %s at %s (exports taken at different times?)", mp.ARN, prev.Document.File, prev.Document.Pointer))
	}
}

func (b *Builder) setOrg(org *Organization, file string) {
	if b.org != nil {
		b.d.Add(schema.Errorf(schema.CodeDuplicateDefinition, file, "", "an organization is already read from %s; give one organization", b.orgFile))
		return
	}
	b.org, b.orgFile = org, file
}

// Export returns the assembled Export, or every problem found in every
// input (a sorted *multierror.Error of *schema.Error).
//
// Accounts are sorted by id; users, groups, roles and resources keep their
// input order. Managed holds every managed policy the inputs carried plus
// every AWS managed policy that an account references but no input
// carried, taken from the embedded snapshot (Document.File is then the
// policy ARN), so that the Export is self-contained.
func (b *Builder) Export() (*Export, error) {
	if err := b.d.Err(); err != nil {
		return nil, err
	}
	e := &Export{Managed: map[string]*ManagedPolicy{}, Organization: b.org, Resources: b.res.list, InputBytes: b.budget.used}
	for _, id := range sortedKeys(b.accounts) {
		e.Accounts = append(e.Accounts, b.accounts[id])
	}
	for arn, mp := range b.managed {
		e.Managed[arn] = mp
	}
	for _, arn := range referencedPolicies(e) {
		if _, ok := e.Managed[arn]; !ok {
			if mp, ok := snapshotPolicy(arn); ok {
				e.Managed[arn] = mp
			}
		}
	}
	return e, nil
}

// Merge assembles Exports read separately into one, with the Builder's
// merging rules.
func Merge(parts ...*Export) (*Export, error) {
	b := NewBuilder()
	for _, p := range parts {
		if p != nil {
			b.AddExport(p)
		}
	}
	return b.Export()
}

// sameJSON compares two decoded documents by their canonical JSON (sorted
// members; numbers keep their text).
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// accountFile names the file an account was read from, from its documents.
func accountFile(a *Account) string {
	for _, u := range a.Users {
		for _, d := range u.Inline {
			return d.Document.File
		}
	}
	for _, g := range a.Groups {
		for _, d := range g.Inline {
			return d.Document.File
		}
	}
	for _, r := range a.Roles {
		if r.Trust != nil {
			return r.Trust.File
		}
		for _, d := range r.Inline {
			return d.Document.File
		}
	}
	return "account " + a.ID
}

func orgFile(o *Organization) string {
	if o.Root != nil {
		for _, l := range [][]NamedDocument{o.Root.SCPs, o.Root.RCPs} {
			for _, d := range l {
				return d.Document.File
			}
		}
	}
	return "organization " + o.ID
}

// referencedPolicies lists every managed policy ARN an account uses
// (attached or as a boundary), sorted and unique.
func referencedPolicies(e *Export) []string {
	seen := map[string]bool{}
	add := func(arns ...string) {
		for _, a := range arns {
			if a != "" {
				seen[a] = true
			}
		}
	}
	for _, a := range e.Accounts {
		for _, u := range a.Users {
			add(u.Managed...)
			add(u.Boundary)
		}
		for _, g := range a.Groups {
			add(g.Managed...)
		}
		for _, r := range a.Roles {
			add(r.Managed...)
			add(r.Boundary)
		}
	}
	return sortedKeys(seen)
}

// snapshotPolicy builds a ManagedPolicy from the embedded AWS snapshot.
func snapshotPolicy(arn string) (*ManagedPolicy, bool) {
	doc, name, ok := managed.Lookup(arn)
	if !ok {
		return nil, false
	}
	path, _, _ := managed.SplitARN(arn)
	return &ManagedPolicy{ARN: arn, Name: name, Path: path, Document: Document{File: arn, Value: doc}}, true
}
