package account

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	arnpkg "github.com/iam2rego/iam2rego/arn"

	"github.com/iam2rego/iam2rego/schema"
)

// ReadResources reads resource-policy files (FORMATS.md): path is one
// file, or a directory whose *.json files (not its subdirectories) are
// read in name order. Only regular files are read (a named pipe is an
// error, not a wait), and no symbolic link may lead out of the directory. Each resource has an ARN, its owning account, tags
// and an optional resource-based policy; a bucket's policy
// (arn:aws:s3:::bucket) also applies to the bucket's objects.
//
// Every file is validated against schema/resources.schema.json. Then: an
// ARN that names an account must name the declared one; an S3 object ARN
// cannot carry a policy (S3 has bucket policies only); and each ARN may
// appear once across all the files. A file or directory that cannot be
// read is a json_syntax error, as elsewhere.
//
// Every problem is reported at once; on error the result is nil.
func ReadResources(path string) ([]*ResourcePolicy, error) {
	var d schema.Diagnostics
	s := newResourceSet()
	fsys, name, done := osFS(path)
	defer done()
	s.read(fsys, name, path, &d)
	if err := d.Err(); err != nil {
		return nil, err
	}
	return s.list, nil
}

// osFS turns an OS path into a file system and a name in it. A directory
// is opened as an os.Root, so that no symbolic link in it leads out of it;
// a single file is read as named. Call close when done.
func osFS(p string) (fsys fs.FS, name string, close func()) {
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		if root, err := os.OpenRoot(p); err == nil {
			return root.FS(), ".", func() { root.Close() }
		}
	}
	return os.DirFS(filepath.Dir(p)), filepath.Base(p), func() {}
}

type origin struct{ file, ptr string }

// resourceSet accumulates resources from several files and rejects an ARN
// seen twice.
type resourceSet struct {
	list   []*ResourcePolicy
	at     map[string]origin
	budget *budget // shared with the Builder's other inputs
}

func newResourceSet() *resourceSet {
	return &resourceSet{at: map[string]origin{}, budget: newBudget(0)}
}

// read reads name from fsys: one file, or every *.json file directly in a
// directory. display is how name is shown in diagnostics.
func (s *resourceSet) read(fsys fs.FS, name, display string, d *schema.Diagnostics) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		d.Add(schema.Errorf(schema.CodeJSONSyntax, display, "", "cannot read the resource policies: %v", unwrapPath(err)))
		return
	}
	if !st.IsDir() {
		s.readFile(fsys, name, display, d)
		return
	}
	entries, err := fs.ReadDir(fsys, name)
	if err != nil {
		d.Add(schema.Errorf(schema.CodeJSONSyntax, display, "", "cannot read the resource-policy directory: %v", unwrapPath(err)))
		return
	}
	for _, e := range entries { // sorted by name
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		s.readFile(fsys, path.Join(name, e.Name()), filepath.Join(display, e.Name()), d)
	}
}

func (s *resourceSet) readFile(fsys fs.FS, name, display string, d *schema.Diagnostics) {
	data, err := readFS(fsys, name, display, s.budget)
	if err != nil {
		if list := schema.List(err); len(list) > 0 {
			d.Add(list...)
			return
		}
		d.Add(schema.Errorf(schema.CodeJSONSyntax, display, "", "cannot read the file: %v", unwrapPath(err)))
		return
	}
	s.parse(display, data, d)
}

// parse reads one resource-policy file.
func (s *resourceSet) parse(file string, data []byte, d *schema.Diagnostics) {
	v, err := schema.DecodeAndValidate(schema.KindResources, file, data)
	d.Merge(file, err)
	for i, e := range list(object(v), "resources") {
		m := object(e)
		arn, acct := str(m, "arn"), str(m, "account")
		if arn == "" || acct == "" {
			continue
		}
		ptr := schema.Pointer("", "resources", i)
		if owner := arnpkg.Account(arn); owner != "" && owner != acct {
			d.Add(schema.Errorf(schema.CodeAccountMismatch, file, schema.Pointer(ptr, "account"), "%s is in account %s, not %s", arn, owner, acct))
		}
		if first, dup := s.at[arn]; dup {
			d.Add(schema.Errorf(schema.CodeDuplicateResource, file, schema.Pointer(ptr, "arn"), "resource %s is already defined in %s at %s; give each resource once, with its one policy", arn, first.file, first.ptr))
			continue
		}
		s.at[arn] = origin{file, ptr}
		r := &ResourcePolicy{ARN: arn, Account: acct, Tags: tagMap(m["tags"])}
		if present(m, "policy") {
			pp := schema.Pointer(ptr, "policy")
			if bucket, isObject := arnpkg.Bucket(arn); isObject {
				d.Add(schema.Errorf(schema.CodeInvalidResource, file, pp, "%s is an S3 object, which cannot have a resource-based policy; put the policy on the bucket %s, where it also covers the objects", arn, bucket))
			} else if doc, ok := document(file, pp, m["policy"], d); ok {
				r.Policy = &doc
			}
		}
		s.list = append(s.list, r)
	}
}

// isS3Object reports an S3 object ARN (arn:aws:s3:::bucket/key). Access
// points and other S3 resources carry a region or account.
// unwrapPath drops the path from an *fs.PathError, since diagnostics name
// the file already.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
