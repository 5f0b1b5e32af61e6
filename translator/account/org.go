package account

import (
	"regexp"
	"unicode/utf8"

	"github.com/iam2rego/iam2rego/schema"
)

// AWS Organizations limits that ReadOrg enforces.
const (
	// MaxOUDepth is how deep OUs may nest below the root.
	MaxOUDepth = 5
	// MaxPoliciesPerNode is how many SCPs, and how many RCPs, may be
	// attached to one root, OU or account.
	MaxPoliciesPerNode = 5
)

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// Names of the policies AWS attaches by default. An organization file may
// attach them without defining them.
const (
	FullAWSAccess    = "FullAWSAccess"
	RCPFullAWSAccess = "RCPFullAWSAccess"
)

// builtinDocument returns AWS's document for FullAWSAccess or
// RCPFullAWSAccess, freshly built, or nil for another name.
func builtinDocument(name string) map[string]any {
	switch name {
	case FullAWSAccess:
		return map[string]any{"Version": "2012-10-17", "Statement": []any{
			map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"},
		}}
	case RCPFullAWSAccess:
		return map[string]any{"Version": "2012-10-17", "Statement": []any{
			map[string]any{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
		}}
	}
	return nil
}

// ReadOrg reads an organization file (FORMATS.md): the organization id,
// the management account, named SCP and RCP documents, and the tree of the
// root, nested OUs and accounts with the policies attached to each.
//
// The file is validated against schema/org.schema.json. Then: attached
// names must be defined under "policies" (FullAWSAccess and
// RCPFullAWSAccess need not be); a node without "scps" gets FullAWSAccess
// and one without "rcps" gets RCPFullAWSAccess, as AWS attaches them by
// default; no name twice on one node; at most MaxPoliciesPerNode SCPs and
// RCPs per node; OUs at most MaxOUDepth levels below the root; OU and
// account ids unique; and the management account must be in the tree.
//
// Every problem is reported at once; on error the result is nil.
func ReadOrg(file string, data []byte) (*Organization, error) {
	var d schema.Diagnostics
	v, err := schema.DecodeAndValidate(schema.KindOrg, file, data)
	d.Merge(file, err)
	root, ok := v.(map[string]any)
	if !ok {
		return nil, d.Err()
	}
	r := &orgReader{file: file, d: &d, policies: map[string]Document{}, accounts: map[string]string{}, units: map[string]string{}}
	org := r.read(root)
	if err := d.Err(); err != nil {
		return nil, err
	}
	return org, nil
}

type orgReader struct {
	file     string
	d        *schema.Diagnostics
	policies map[string]Document
	raw      any               // the "policies" member as decoded
	accounts map[string]string // account id → pointer of its first entry
	units    map[string]string // root/OU id → pointer
}

func (r *orgReader) errorf(code, ptr, format string, args ...any) {
	r.d.Add(schema.Errorf(code, r.file, ptr, format, args...))
}

func (r *orgReader) read(root map[string]any) *Organization {
	pols := object(root["policies"])
	r.raw = pols
	for _, name := range sortedKeys(pols) {
		if !validOrgPolicyName(name) {
			r.errorf(schema.CodeSchemaPattern, schema.Pointer("", "policies", name), "policy name %q must be 1 to 128 characters without control characters", name)
			continue
		}
		if doc, ok := document(r.file, schema.Pointer("", "policies", name), pols[name], r.d); ok {
			r.policies[name] = doc
		}
	}
	org := &Organization{ID: str(root, "id"), ManagementAccount: str(root, "managementAccount")}
	if rm := object(root["root"]); rm != nil {
		org.Root = r.unit(rm, "/root", 0)
		if org.Root.Name == "" {
			org.Root.Name = "Root"
		}
	}
	if accountID.MatchString(org.ManagementAccount) && org.Root != nil {
		if _, ok := r.accounts[org.ManagementAccount]; !ok {
			r.errorf(schema.CodeUnknownReference, "/managementAccount", "the management account %s is not in the organization tree", org.ManagementAccount)
		}
	}
	return org
}

// unit reads the root (depth 0) or an OU (depth 1 …).
func (r *orgReader) unit(m map[string]any, ptr string, depth int) *OrgUnit {
	u := &OrgUnit{ID: str(m, "id"), Name: str(m, "name")}
	if u.ID != "" {
		if first, dup := r.units[u.ID]; dup {
			r.errorf(schema.CodeDuplicateDefinition, schema.Pointer(ptr, "id"), "%s is defined more than once (first at %s)", u.ID, first)
		} else {
			r.units[u.ID] = ptr
		}
	}
	if depth == MaxOUDepth+1 { // reported once, at the first OU too deep
		r.errorf(schema.CodeLimitExceeded, ptr, "OU %s is nested %d levels below the root; AWS Organizations allows at most %d", u.ID, depth, MaxOUDepth)
	}
	u.SCPs = r.attached(m, "scps", ptr, FullAWSAccess)
	u.RCPs = r.attached(m, "rcps", ptr, RCPFullAWSAccess)
	for i, a := range list(m, "accounts") {
		am := object(a)
		if am == nil {
			continue
		}
		ap := schema.Pointer(ptr, "accounts", i)
		acct := &OrgAccount{ID: str(am, "id"), Name: str(am, "name")}
		if acct.ID != "" {
			if first, dup := r.accounts[acct.ID]; dup {
				r.errorf(schema.CodeDuplicateDefinition, schema.Pointer(ap, "id"), "account %s is already in the tree at %s; an account belongs to exactly one root or OU", acct.ID, first)
			} else {
				r.accounts[acct.ID] = ap
			}
		}
		acct.SCPs = r.attached(am, "scps", ap, FullAWSAccess)
		acct.RCPs = r.attached(am, "rcps", ap, RCPFullAWSAccess)
		u.Accounts = append(u.Accounts, acct)
	}
	for i, c := range list(m, "ous") {
		if cm := object(c); cm != nil {
			u.Units = append(u.Units, r.unit(cm, schema.Pointer(ptr, "ous", i), depth+1))
		}
	}
	return u
}

// attached resolves a node's "scps" or "rcps" names. An absent member
// means AWS's default attachment, def.
func (r *orgReader) attached(m map[string]any, key, ptr, def string) []NamedDocument {
	kp := schema.Pointer(ptr, key)
	if !present(m, key) {
		// The default attachment points at the node itself.
		return []NamedDocument{{Name: def, Document: Document{File: r.file, Pointer: ptr, Value: builtinDocument(def)}}}
	}
	names := list(m, key)
	if len(names) > MaxPoliciesPerNode {
		r.errorf(schema.CodeLimitExceeded, kp, "%d %s are attached here; AWS Organizations allows at most %d per root, OU or account", len(names), key, MaxPoliciesPerNode)
	}
	out := []NamedDocument{}
	seen := map[string]bool{}
	for i, n := range names {
		name, ok := n.(string)
		if !ok {
			continue
		}
		np := schema.Pointer(kp, i)
		if seen[name] {
			r.errorf(schema.CodeDuplicateDefinition, np, "policy %q is attached twice", name)
			continue
		}
		seen[name] = true
		if doc, ok := r.policies[name]; ok {
			out = append(out, NamedDocument{Name: name, Document: doc})
			continue
		}
		if _, defined := object(r.raw)[name]; defined {
			continue // its document is broken, which is reported already
		}
		if b := builtinDocument(name); b != nil {
			out = append(out, NamedDocument{Name: name, Document: Document{File: r.file, Pointer: np, Value: b}})
			continue
		}
		r.errorf(schema.CodeUnknownReference, np, "policy %q is not defined under /policies", name)
	}
	return out
}

// validOrgPolicyName: AWS Organizations policy names are 1 to 128
// characters; control characters are refused here.
func validOrgPolicyName(name string) bool {
	if name == "" || utf8.RuneCountInString(name) > 128 {
		return false
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}
