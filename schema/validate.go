package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Kind names one of the embedded JSON Schemas.
type Kind string

const (
	// KindPolicy is an IAM policy document (policy.schema.json).
	KindPolicy Kind = "policy"
	// KindCase is one neutral-format authorization case (case.schema.json).
	KindCase Kind = "case"
	// KindGAAD is the output of aws iam get-account-authorization-details
	// (gaad.schema.json).
	KindGAAD Kind = "gaad"
	// KindOrg is an organization file: OUs, accounts, SCPs and RCPs
	// (org.schema.json).
	KindOrg Kind = "org"
	// KindResources is a resource-policy file (resources.schema.json).
	KindResources Kind = "resources"
	// KindFolder is a policy-folder manifest, iam2rego.json
	// (folder.schema.json).
	KindFolder Kind = "folder"
	// KindTerraformPlan is `terraform show -json PLANFILE` output
	// (tfplan.schema.json), the parts translator/terraform reads.
	KindTerraformPlan Kind = "tfplan"
	// KindLintConfig is a lint configuration, lint --config FILE
	// (lintconfig.schema.json).
	KindLintConfig Kind = "lintconfig"
	// KindLintBaseline is a lint baseline, lint --baseline FILE
	// (lintbaseline.schema.json).
	KindLintBaseline Kind = "lintbaseline"
)

var (
	//go:embed policy.schema.json
	policySchema []byte
	//go:embed case.schema.json
	caseSchema []byte
	//go:embed gaad.schema.json
	gaadSchema []byte
	//go:embed org.schema.json
	orgSchema []byte
	//go:embed resources.schema.json
	resourcesSchema []byte
	//go:embed folder.schema.json
	folderSchema []byte
	//go:embed tfplan.schema.json
	tfplanSchema []byte
	//go:embed lintconfig.schema.json
	lintConfigSchema []byte
	//go:embed lintbaseline.schema.json
	lintBaselineSchema []byte
)

// baseURL is the prefix of every embedded schema's $id. Nothing is fetched
// from it: the schemas are registered with the compiler before compiling.
const baseURL = "https://github.com/iam2rego/iam2rego/schema/"

func schemaURL(kind Kind) string { return baseURL + string(kind) + ".schema.json" }

var sources = map[Kind][]byte{
	KindPolicy:        policySchema,
	KindCase:          caseSchema,
	KindGAAD:          gaadSchema,
	KindOrg:           orgSchema,
	KindResources:     resourcesSchema,
	KindFolder:        folderSchema,
	KindTerraformPlan: tfplanSchema,
	KindLintConfig:    lintConfigSchema,
	KindLintBaseline:  lintBaselineSchema,
}

// Source returns the embedded JSON Schema text for kind, or nil for an
// unknown kind.
func Source(kind Kind) []byte {
	return sources[kind]
}

// compiled holds the schemas, compiled once on first use. Compiled schemas
// are read-only and safe for concurrent Validate calls.
type compiled struct {
	schemas map[Kind]*jsonschema.Schema
	raw     map[string]any // schema URL → decoded schema, for annotations
}

var compile = sync.OnceValues(func() (*compiled, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	out := &compiled{schemas: map[Kind]*jsonschema.Schema{}, raw: map[string]any{}}
	for kind, src := range sources {
		u := schemaURL(kind)
		if err := c.AddResource(u, bytes.NewReader(src)); err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(src))
		dec.UseNumber()
		var doc any
		if err := dec.Decode(&doc); err != nil {
			return nil, err
		}
		out.raw[u] = doc
	}
	for kind := range sources {
		s, err := c.Compile(schemaURL(kind))
		if err != nil {
			return nil, err
		}
		out.schemas[kind] = s
	}
	return out, nil
})

// Validate checks doc (as returned by Decode) against the schema for kind.
// It returns nil, or a *multierror.Error holding one *Error per violation,
// sorted by pointer; every violation in the document is reported at once.
func Validate(kind Kind, file string, doc any) error {
	c, err := compile()
	if err != nil {
		return Errorf(CodeInternal, file, "", "embedded JSON Schemas do not compile: %v", err)
	}
	s, ok := c.schemas[kind]
	if !ok {
		return Errorf(CodeInternal, file, "", "no JSON Schema for kind %q", kind)
	}
	err = s.Validate(doc)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return Errorf(CodeInternal, file, "", "schema validation failed: %v", err)
	}
	var diags Diagnostics
	seen := map[string]bool{}
	for _, leaf := range leaves(ve, nil) {
		for _, e := range c.describe(kind, file, doc, leaf) {
			key := e.Code + "\x00" + e.Pointer + "\x00" + e.Message
			if !seen[key] {
				seen[key] = true
				diags.Add(e)
			}
		}
	}
	return diags.Err()
}

// DecodeAndValidate decodes data (rejecting duplicate keys) and validates
// the result against the schema for kind. A syntax error stops at once;
// duplicate keys and schema violations are reported together. When the
// JSON could be parsed the value is returned even with an error, so that
// later stages can add their own diagnostics to the same report.
func DecodeAndValidate(kind Kind, file string, data []byte) (any, error) {
	v, dups, err := decode(file, data)
	if err != nil {
		return nil, err
	}
	var diags Diagnostics
	diags.Merge(file, dups)
	diags.Merge(file, Validate(kind, file, v))
	return v, diags.Err()
}

// leaves flattens the jsonschema error tree to the errors that have no
// causes: those name the keyword that actually failed.
func leaves(ve *jsonschema.ValidationError, out []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return append(out, ve)
	}
	for _, c := range ve.Causes {
		out = leaves(c, out)
	}
	return out
}

// splitLocation turns a jsonschema location ("url#/a/b" or "/a/b") into its
// URL and unescaped reference tokens. jsonschema escapes tokens as RFC 6901
// and then URL path-escapes them.
func splitLocation(loc string) (string, []string) {
	base, frag, found := strings.Cut(loc, "#")
	if !found {
		base, frag = "", loc
	}
	frag = strings.TrimPrefix(frag, "/")
	if frag == "" {
		return base, nil
	}
	toks := strings.Split(frag, "/")
	for i, t := range toks {
		toks[i] = unescapeToken(t)
	}
	return base, toks
}

func unescapeToken(t string) string {
	if u, err := url.PathUnescape(t); err == nil {
		t = u
	}
	t = strings.ReplaceAll(t, "~1", "/")
	return strings.ReplaceAll(t, "~0", "~")
}

// lookup follows reference tokens through decoded JSON.
func lookup(v any, toks []string) (any, bool) {
	for _, t := range toks {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[t]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(x) || strconv.Itoa(i) != t {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}
