package translator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
)

// Compiled is one policy document lowered to Rego.
type Compiled struct {
	// Name is the package name, "p" plus a content hash of the document:
	// the module lives at data.iam2rego.policies.<Name>.
	Name     string
	Policy   *Policy
	Module   *ast.Module
	Stats    Stats
	Warnings []*schema.Error
}

// Compile decodes, validates and lowers a policy document given as JSON
// text. All errors are returned at once (a *multierror.Error of
// *schema.Error); warnings are returned with a successful result.
func Compile(file string, typ PolicyType, data []byte) (*Compiled, error) {
	doc, err := schema.DecodeAndValidate(schema.KindPolicy, file, data)
	if err != nil {
		var d schema.Diagnostics
		d.Merge(file, err)
		if doc != nil {
			decodePolicy(file, typ, doc, &d) // add the semantic errors too
		}
		return nil, d.Err()
	}
	return CompileDocument(file, typ, doc)
}

// CompileDocument lowers a decoded document (generic JSON values, numbers
// as json.Number). It validates the document against the policy schema
// first.
func CompileDocument(file string, typ PolicyType, doc any) (*Compiled, error) {
	var d schema.Diagnostics
	d.Merge(file, schema.Validate(schema.KindPolicy, file, doc))
	p := decodePolicy(file, typ, doc, &d)
	if err := d.Err(); err != nil {
		return nil, err
	}
	name, err := ContentName(doc)
	if err != nil {
		return nil, schema.Errorf(schema.CodeInternal, file, "", "hashing policy: %v", err)
	}
	mod, stats := lower(p, name)
	return &Compiled{Name: name, Policy: p, Module: mod, Stats: stats, Warnings: d.Warnings()}, nil
}

// ContentName is the package name of a document: "p" and the first 24 hex
// digits of the SHA-256 of its canonical JSON (sorted keys), so the same
// document always gets the same package, whatever its formatting.
func ContentName(doc any) (string, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "p" + hex.EncodeToString(sum[:12]), nil
}

// Format prints a module as Rego v1 source.
func Format(mod *ast.Module) ([]byte, error) {
	return format.AstWithOpts(mod, format.Opts{RegoVersion: ast.RegoV1, IgnoreLocations: true})
}
