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
	// Name is the policy's name, "p" plus a content hash of the document:
	// its rules are guarded by Name in input.pids, and
	// data.iam2rego.policies.<Name>.statements marks it as loaded.
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
	c, d := compileText(file, typ, data)
	if err := d.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// Check reports every diagnostic of a document, errors and warnings
// together, sorted (what `iam2rego validate` prints).
func Check(file string, typ PolicyType, data []byte) []*schema.Error {
	_, d := compileText(file, typ, data)
	return d.All()
}

func compileText(file string, typ PolicyType, data []byte) (*Compiled, *schema.Diagnostics) {
	var d schema.Diagnostics
	doc, err := schema.DecodeAndValidate(schema.KindPolicy, file, data)
	d.Merge(file, err)
	if doc == nil {
		return nil, &d
	}
	return compileDoc(file, typ, doc, decodePolicy(file, typ, doc, &d, false), &d), &d
}

// CompileDocument lowers a decoded document (generic JSON values, numbers
// as json.Number). It validates the document against the policy schema
// first.
func CompileDocument(file string, typ PolicyType, doc any) (*Compiled, error) {
	return compileDocument(file, typ, doc, false)
}

// CompileExported is CompileDocument for a document read from an AWS
// export (get-account-authorization-details): AWS accepted and stored it,
// so the Sid rules it evidently did not enforce are only warnings.
func CompileExported(file string, typ PolicyType, doc any) (*Compiled, error) {
	return compileDocument(file, typ, doc, true)
}

func compileDocument(file string, typ PolicyType, doc any, exported bool) (*Compiled, error) {
	var d schema.Diagnostics
	c := compileDoc(file, typ, doc, checked(file, typ, doc, &d, exported), &d)
	if err := d.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// checked validates a decoded document and decodes it into the typed
// policy; problems go to d.
func checked(file string, typ PolicyType, doc any, d *schema.Diagnostics, exported bool) *Policy {
	d.Merge(file, schema.Validate(schema.KindPolicy, file, doc))
	return decodePolicy(file, typ, doc, d, exported)
}

// Parsed is a policy document decoded and checked but not lowered to
// Rego: what the analyses read (its statements, patterns and conditions).
type Parsed struct {
	Policy   *Policy
	Warnings []*schema.Error
}

// ParseDocument validates a decoded document and decodes it into the
// typed policy, with CompileDocument's diagnostics, without lowering it.
func ParseDocument(file string, typ PolicyType, doc any) (*Parsed, error) {
	return parseDocument(file, typ, doc, false)
}

// ParseExported is ParseDocument for a document read from an AWS export
// or a bundle (CompileExported's leniency on Sids).
func ParseExported(file string, typ PolicyType, doc any) (*Parsed, error) {
	return parseDocument(file, typ, doc, true)
}

func parseDocument(file string, typ PolicyType, doc any, exported bool) (*Parsed, error) {
	var d schema.Diagnostics
	p := checked(file, typ, doc, &d, exported)
	if err := d.Err(); err != nil {
		return nil, err
	}
	return &Parsed{Policy: p, Warnings: d.Warnings()}, nil
}

// compileDoc lowers a decoded policy when nothing is wrong with it;
// problems go to d.
func compileDoc(file string, typ PolicyType, doc any, p *Policy, d *schema.Diagnostics) *Compiled {
	if d.HasErrors() {
		return nil
	}
	name, err := ContentName(doc)
	if err != nil {
		d.Add(schema.Errorf(schema.CodeInternal, file, "", "hashing policy: %v", err))
		return nil
	}
	mod, stats := lower(p, name)
	return &Compiled{Name: name, Policy: p, Module: mod, Stats: stats, Warnings: d.Warnings()}
}

// ContentName is the name of a document's policy: "p" and the first 24 hex
// digits of the SHA-256 of its canonical JSON (sorted keys), so the same
// document always gets the same name, whatever its formatting.
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
