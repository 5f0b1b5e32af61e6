package account

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	arnpkg "github.com/iam2rego/iam2rego/arn"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/managed"
)

// iamName is the form of an IAM policy name.
var iamName = regexp.MustCompile(`^[A-Za-z0-9_+=,.@-]{1,128}$`)

// ManifestName is the manifest file of a policy folder.
const ManifestName = "iam2rego.json"

// ReadFolder reads a policy folder (FOLDER.md): dir/iam2rego.json
// describes accounts, their users, groups, roles and customer managed
// policies, with every policy document in its own file; it may also name
// account-details files, an organization file and resource policies.
//
// The manifest is validated against schema/folder.schema.json. Paths are
// relative to dir and may not leave it (symbolic links included). Names
// must be unique per account, groups and customer managed policies must be
// defined in the same account, and AWS managed policies must be in the
// embedded snapshot. Every problem of the manifest and of every file it
// names is reported at once; on error the result is nil.
func ReadFolder(dir string) (*Export, error) {
	b := NewBuilder()
	b.AddFolder(dir)
	return b.Export()
}

// AddFolder adds a policy folder (ReadFolder) to the Export.
func (b *Builder) AddFolder(dir string) {
	manifest := filepath.Join(dir, ManifestName)
	// A folder is checked before it is opened: opening a named pipe, even
	// as a directory, waits for a writer.
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		b.d.Add(schema.Errorf(schema.CodeJSONSyntax, manifest, "", "cannot open the policy folder: %s is %s, not a directory", dir, schema.FileKind(st.Mode())))
		return
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		b.d.Add(schema.Errorf(schema.CodeJSONSyntax, manifest, "", "cannot open the policy folder: %v", unwrapPath(err)))
		return
	}
	defer root.Close()
	fr := &folderReader{b: b, dir: dir, manifest: manifest, fsys: root.FS(), docs: map[string]*Document{}}
	data, err := readFS(fr.fsys, ManifestName, manifest, b.budget)
	if err != nil {
		if list := schema.List(err); len(list) > 0 {
			b.d.Add(list...)
			return
		}
		b.d.Add(schema.Errorf(schema.CodeJSONSyntax, manifest, "", "cannot read the manifest: %v", unwrapPath(err)))
		return
	}
	v, err := schema.DecodeAndValidate(schema.KindFolder, manifest, data)
	b.d.Merge(manifest, err)
	if m := object(v); m != nil {
		fr.read(m)
	}
}

type folderReader struct {
	b        *Builder
	dir      string
	manifest string
	fsys     fs.FS
	docs     map[string]*Document // by cleaned relative path; nil when unreadable
}

func (fr *folderReader) errorf(code, ptr, format string, args ...any) {
	fr.b.d.Add(schema.Errorf(code, fr.manifest, ptr, format, args...))
}

// local checks a manifest path: relative, inside the folder. It returns
// the cleaned slash path and how diagnostics show the file.
func (fr *folderReader) local(p, ptr string) (string, string, bool) {
	rel := path.Clean(p)
	if !fs.ValidPath(rel) || rel == "." {
		fr.errorf(schema.CodeInvalidPath, ptr, "%q is not a path inside the policy folder (use a relative path without ..)", p)
		return "", "", false
	}
	return rel, filepath.Join(fr.dir, filepath.FromSlash(rel)), true
}

// exists checks that a manifest path names something readable.
func (fr *folderReader) exists(p, ptr string) (string, string, bool) {
	rel, display, ok := fr.local(p, ptr)
	if !ok {
		return "", "", false
	}
	if _, err := fs.Stat(fr.fsys, rel); err != nil {
		fr.errorf(schema.CodeInvalidPath, ptr, "cannot read %s: %v", p, unwrapPath(err))
		return "", "", false
	}
	return rel, display, true
}

// readData reads a file named by the manifest.
func (fr *folderReader) readData(p, ptr string) (string, []byte, bool) {
	rel, display, ok := fr.exists(p, ptr)
	if !ok {
		return "", nil, false
	}
	data, err := readFS(fr.fsys, rel, display, fr.b.budget)
	if err != nil {
		if list := schema.List(err); len(list) > 0 {
			fr.b.d.Add(list...)
			return "", nil, false
		}
		fr.errorf(schema.CodeInvalidPath, ptr, "cannot read %s: %v", p, unwrapPath(err))
		return "", nil, false
	}
	return display, data, true
}

// doc reads a policy document file once; later references share it.
func (fr *folderReader) doc(p, ptr string) (Document, bool) {
	rel, display, ok := fr.local(p, ptr)
	if !ok {
		return Document{}, false
	}
	if d, seen := fr.docs[rel]; seen {
		if d == nil {
			return Document{}, false
		}
		return *d, true
	}
	fr.docs[rel] = nil
	_, data, ok := fr.readData(p, ptr)
	if !ok {
		return Document{}, false
	}
	v, err := schema.Decode(display, data)
	if err != nil {
		fr.b.d.Merge(display, err)
		return Document{}, false
	}
	d := &Document{File: display, Value: v}
	fr.docs[rel] = d
	return *d, true
}

func (fr *folderReader) read(m map[string]any) {
	for i, a := range list(m, "accounts") {
		if am := object(a); am != nil {
			fr.account(am, schema.Pointer("", "accounts", i))
		}
	}
	for i, f := range list(m, "accountDetails") {
		p, _ := f.(string)
		if display, data, ok := fr.readData(p, schema.Pointer("", "accountDetails", i)); ok {
			fr.b.AddAccountDetails(display, data)
		}
	}
	if p := str(m, "org"); p != "" {
		if display, data, ok := fr.readData(p, "/org"); ok {
			fr.b.AddOrganization(display, data)
		}
	}
	if p := str(m, "resources"); p != "" {
		if rel, display, ok := fr.exists(p, "/resources"); ok {
			fr.b.res.read(fr.fsys, rel, display, &fr.b.d)
		}
	}
}

// folderAccount is the state of one manifest account while it is read.
type folderAccount struct {
	fr       *folderReader
	acct     *Account
	ptr      string
	policies map[string]bool // customer managed policy ARNs defined here
	refs     []policyRef
}

func (fr *folderReader) account(m map[string]any, ptr string) {
	id := str(m, "id")
	if id == "" {
		return
	}
	fa := &folderAccount{fr: fr, acct: &Account{ID: id}, ptr: ptr, policies: map[string]bool{}}
	partition := orDefault(str(m, "partition"), arnpkg.DefaultPartition)
	names := map[string]string{}
	for i, p := range list(m, "policies") {
		pm := object(p)
		name, file := str(pm, "name"), str(pm, "file")
		if name == "" || file == "" {
			continue
		}
		pp := schema.Pointer(ptr, "policies", i)
		if !fa.unique("customer managed policy", name, schema.Pointer(pp, "name"), names) {
			continue
		}
		ipath := orDefault(str(pm, "path"), "/")
		arn := arnpkg.IAM(partition, id, "policy"+ipath+name).String()
		fa.policies[arn] = true
		if doc, ok := fr.doc(file, schema.Pointer(pp, "file")); ok {
			fr.b.addManaged(&ManagedPolicy{ARN: arn, Name: name, Path: ipath, Document: doc})
		}
	}
	groups := map[string]bool{}
	names = map[string]string{}
	for i, g := range list(m, "groups") {
		gm := object(g)
		name := str(gm, "name")
		gp := schema.Pointer(ptr, "groups", i)
		if name == "" || !fa.unique("group", name, schema.Pointer(gp, "name"), names) {
			continue
		}
		ipath := orDefault(str(gm, "path"), "/")
		grp := &Group{ARN: arnpkg.IAM(partition, id, "group"+ipath+name).String(), Name: name, Path: ipath, ID: str(gm, "id")}
		grp.Inline = fa.inline(gm, gp)
		grp.Managed = fa.managed(gm, gp, "group "+name)
		groups[name] = true
		fa.acct.Groups = append(fa.acct.Groups, grp)
	}
	names = map[string]string{}
	for i, u := range list(m, "users") {
		um := object(u)
		name := str(um, "name")
		up := schema.Pointer(ptr, "users", i)
		if name == "" || !fa.unique("user", name, schema.Pointer(up, "name"), names) {
			continue
		}
		ipath := orDefault(str(um, "path"), "/")
		usr := &User{ARN: arnpkg.IAM(partition, id, "user"+ipath+name).String(), Name: name, Path: ipath, ID: str(um, "id")}
		usr.Inline = fa.inline(um, up)
		usr.Managed = fa.managed(um, up, "user "+name)
		seen := map[string]bool{}
		for j, g := range list(um, "groups") {
			gn, _ := g.(string)
			gp := schema.Pointer(up, "groups", j)
			switch {
			case gn == "":
			case seen[gn]:
				fr.errorf(schema.CodeDuplicateDefinition, gp, "group %q is listed more than once", gn)
			case !groups[gn]:
				fr.errorf(schema.CodeUnknownReference, gp, "user %s is in group %q, which is not defined in account %s", name, gn, id)
			default:
				seen[gn] = true
				usr.Groups = append(usr.Groups, gn)
			}
		}
		usr.Boundary = fa.boundary(um, up, "user "+name)
		usr.Tags = tagMap(um["tags"])
		fa.acct.Users = append(fa.acct.Users, usr)
	}
	names = map[string]string{}
	for i, r := range list(m, "roles") {
		rm := object(r)
		name := str(rm, "name")
		rp := schema.Pointer(ptr, "roles", i)
		if name == "" || !fa.unique("role", name, schema.Pointer(rp, "name"), names) {
			continue
		}
		ipath := orDefault(str(rm, "path"), "/")
		role := &Role{ARN: arnpkg.IAM(partition, id, "role"+ipath+name).String(), Name: name, Path: ipath, ID: str(rm, "id")}
		if t := str(rm, "trust"); t != "" {
			if doc, ok := fr.doc(t, schema.Pointer(rp, "trust")); ok {
				role.Trust = &doc
			}
		}
		role.Inline = fa.inline(rm, rp)
		role.Managed = fa.managed(rm, rp, "role "+name)
		role.Boundary = fa.boundary(rm, rp, "role "+name)
		role.Tags = tagMap(rm["tags"])
		fa.acct.Roles = append(fa.acct.Roles, role)
	}
	for _, ref := range fa.refs {
		fa.checkRef(ref)
	}
	fr.b.addAccount(fa.acct, origin{fr.manifest, schema.Pointer(ptr, "id")})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (fa *folderAccount) unique(kind, name, ptr string, seen map[string]string) bool {
	key := strings.ToLower(name)
	if first, dup := seen[key]; dup {
		fa.fr.errorf(schema.CodeDuplicateDefinition, ptr, "%s %q is defined more than once in this account (first at %s)", kind, name, first)
		return false
	}
	seen[key] = ptr
	return true
}

// inline reads the "inline" map (policy name → file), in name order.
func (fa *folderAccount) inline(m map[string]any, ptr string) []NamedDocument {
	in := object(m["inline"])
	var out []NamedDocument
	for _, name := range sortedKeys(in) {
		file, _ := in[name].(string)
		if file == "" {
			continue
		}
		np := schema.Pointer(ptr, "inline", name)
		if !iamName.MatchString(name) {
			fa.fr.errorf(schema.CodeSchemaPattern, np, "inline policy name %q must be 1 to 128 letters, digits or _+=,.@-", name)
			continue
		}
		if doc, ok := fa.fr.doc(file, np); ok {
			out = append(out, NamedDocument{Name: name, Document: doc})
		}
	}
	return out
}

func (fa *folderAccount) managed(m map[string]any, ptr, who string) []string {
	var out []string
	seen := map[string]bool{}
	for j, a := range list(m, "managed") {
		arn, _ := a.(string)
		if arn == "" {
			continue
		}
		ap := schema.Pointer(ptr, "managed", j)
		if seen[arn] {
			fa.fr.errorf(schema.CodeDuplicateDefinition, ap, "%s is attached more than once", arn)
			continue
		}
		seen[arn] = true
		fa.refs = append(fa.refs, policyRef{arn: arn, ptr: ap, who: who})
		out = append(out, arn)
	}
	return out
}

func (fa *folderAccount) boundary(m map[string]any, ptr, who string) string {
	arn := str(m, "boundary")
	if arn != "" {
		fa.refs = append(fa.refs, policyRef{arn: arn, ptr: schema.Pointer(ptr, "boundary"), who: who + " (permissions boundary)"})
	}
	return arn
}

// checkRef requires a policy to be an AWS managed policy in the snapshot
// or a customer managed policy defined in the same account.
func (fa *folderAccount) checkRef(ref policyRef) {
	switch acct := arnpkg.Account(ref.arn); {
	case fa.policies[ref.arn]:
	case acct == "aws":
		if !managed.Has(ref.arn) {
			fa.fr.errorf(schema.CodeUnknownReference, ref.ptr, "%s uses %s, which is not an AWS managed policy known to iam2rego (%s)", ref.who, ref.arn, managed.Source)
		}
	case acct != fa.acct.ID:
		fa.fr.errorf(schema.CodeUnknownReference, ref.ptr, "%s uses %s from account %s; IAM attaches customer managed policies only within their own account (%s)", ref.who, ref.arn, acct, fa.acct.ID)
	default:
		fa.fr.errorf(schema.CodeUnknownReference, ref.ptr, "%s uses %s, which is not defined under %s/policies", ref.who, ref.arn, fa.ptr)
	}
}
