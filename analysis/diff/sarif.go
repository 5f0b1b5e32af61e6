package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
)

// sarifSchema is the SARIF 2.1.0 schema the output declares.
const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// NewAccessRule is the SARIF rule id of a new access result.
const NewAccessRule = "iam2rego/new-access"

// WriteSARIF prints the new access as a SARIF 2.1.0 log: one result per
// (principal, action, resource), located at the statement that grants
// it (the input file and the statement's JSON pointer when the new side
// was built from inputs, the bundle's document otherwise).
func WriteSARIF(w io.Writer, r *Report, version string) error {
	results := []map[string]any{}
	for _, a := range r.Added {
		results = append(results, map[string]any{
			"ruleId":    NewAccessRule,
			"level":     "error",
			"message":   map[string]any{"text": fmt.Sprintf("%s gains %s on %s%s", a.Principal, a.Action, a.Resource, contextText(a.Context))},
			"locations": locations(r.New, a),
			"properties": map[string]any{
				"principal": a.Principal, "action": a.Action, "resource": a.Resource, "context": a.Context,
			},
		})
	}
	log := map[string]any{
		"$schema": sarifSchema,
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name":           "iam2rego",
				"version":        version,
				"informationUri": "https://github.com/iam2rego/iam2rego",
				"rules": []any{map[string]any{
					"id":               NewAccessRule,
					"name":             "NewAccess",
					"shortDescription": map[string]any{"text": "The new policies grant access the old ones did not"},
				}},
			}},
			"results": results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// locations points at each granting statement.
func locations(bundle string, a Access) []any {
	out := []any{}
	for _, g := range a.Statements {
		if len(g.Sources) == 0 {
			out = append(out, location(bundle, "/iam2rego/documents/"+g.Policy+g.Pointer, g))
		}
		for _, s := range g.Sources {
			out = append(out, location(s.File, s.Pointer, g))
		}
	}
	return out
}

func location(file, pointer string, g Grant) map[string]any {
	return map[string]any{
		"physicalLocation": map[string]any{"artifactLocation": map[string]any{"uri": (&url.URL{Path: filepath.ToSlash(file)}).String()}},
		"logicalLocations": []any{map[string]any{"fullyQualifiedName": pointer, "kind": "object"}},
		"message":          map[string]any{"text": g.describe()},
	}
}
