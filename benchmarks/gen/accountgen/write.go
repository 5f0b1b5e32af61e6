package accountgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/iam2rego/iam2rego/translator/account"
)

// Files are the paths Write wrote.
type Files struct {
	AccountDetails []string // one get-account-authorization-details file per member account
	Org            string
	Resources      string
	// Principals lists the principals with their statement counts
	// (principals.json); iam2rego does not read it.
	Principals string
}

// Inputs are the files as `iam2rego build` flags take them.
func (f *Files) Inputs() account.Inputs {
	return account.Inputs{AccountDetails: append([]string(nil), f.AccountDetails...), Org: f.Org, Resources: []string{f.Resources}}
}

// Args are the files as `iam2rego build` arguments.
func (f *Files) Args() []string {
	var a []string
	for _, d := range f.AccountDetails {
		a = append(a, "--account-details", d)
	}
	return append(a, "--org", f.Org, "--resource-policies", f.Resources)
}

// Write writes the set into dir (created if needed):
// account-details-<ACCOUNT>.json per member account, organization.json,
// resource-policies.json and principals.json.
func (s *Set) Write(dir string) (*Files, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f := &Files{
		Org:        filepath.Join(dir, "organization.json"),
		Resources:  filepath.Join(dir, "resource-policies.json"),
		Principals: filepath.Join(dir, "principals.json"),
	}
	for i, id := range s.Accounts {
		p := filepath.Join(dir, "account-details-"+id+".json")
		if err := writeJSON(p, s.exports[i], "    "); err != nil {
			return nil, err
		}
		f.AccountDetails = append(f.AccountDetails, p)
	}
	for _, w := range []struct {
		path   string
		v      any
		indent string
	}{{f.Org, s.org, "  "}, {f.Resources, s.resources, " "}, {f.Principals, s.Principals, ""}} {
		if err := writeJSON(w.path, w.v, w.indent); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// Bytes returns what Write writes, by file name, for tests.
func (s *Set) Bytes() (map[string][]byte, error) {
	out := map[string][]byte{}
	for i, id := range s.Accounts {
		b, err := encode(s.exports[i], "    ")
		if err != nil {
			return nil, err
		}
		out["account-details-"+id+".json"] = b
	}
	for name, v := range map[string]any{"organization.json": s.org, "resource-policies.json": s.resources} {
		b, err := encode(v, "  ")
		if err != nil {
			return nil, err
		}
		out[name] = b
	}
	return out, nil
}

func encode(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeJSON(path string, v any, indent string) error {
	b, err := encode(v, indent)
	if err != nil {
		return fmt.Errorf("accountgen: encoding %s: %w", path, err)
	}
	return os.WriteFile(path, b, 0o644)
}
