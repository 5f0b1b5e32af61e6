package lint

import (
	"strings"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
)

// source locates one policy document: the file, the JSON pointer of the
// document inside it ("" for a whole file), and a label for messages about
// combinations (the policy's name).
type source struct {
	file, base, label string
	exported          bool // read from an AWS export: Sid rules are warnings
}

// document parses one document (without lowering it), runs the
// per-statement rules and returns its statements; problems with the input
// go to r.errs.
func (r *runner) document(src source, t translator.PolicyType, doc any) []*stmt {
	r.report.Policies++
	parse := translator.ParseDocument
	if src.exported {
		parse = translator.ParseExported
	}
	c, err := parse(src.file, t, doc)
	for _, e := range schema.List(err) {
		r.errs.Add(rebase(e, src))
	}
	if c == nil {
		return nil
	}
	for _, w := range c.Warnings {
		if w.Code == CodeUnknownAction {
			r.findings.Add(rebase(w, src))
		}
	}
	name, err := translator.ContentName(doc)
	if err == nil {
		if _, seen := r.sources[name]; !seen {
			r.sources[name] = src
		}
	}
	out := make([]*stmt, len(c.Policy.Statements))
	for i, st := range c.Policy.Statements {
		out[i] = newStmt(st, src.file, src.base, src.label)
		out[i].doc = name
		r.stmtAt[src.file+"\x00"+out[i].pointer("")] = out[i]
		checkStatement(t, out[i], &r.findings)
	}
	return out
}

// rebase points a translator diagnostic into the document's file.
func rebase(e *schema.Error, src source) *schema.Error {
	cp := *e
	cp.File = src.file
	cp.Pointer = src.base + e.Pointer
	return &cp
}

// detectType decides the type of a policy file given without --type: a
// document with Principal or NotPrincipal is a trust policy when its
// statements name only sts: actions, else a resource-based policy; any
// other document is an identity policy.
func detectType(doc any) translator.PolicyType {
	top, _ := doc.(map[string]any)
	var list []any
	switch st := top["Statement"].(type) {
	case []any:
		list = st
	case map[string]any:
		list = []any{st}
	}
	principal, stsOnly := false, true
	for _, e := range list {
		m, _ := e.(map[string]any)
		_, p := m["Principal"]
		_, np := m["NotPrincipal"]
		principal = principal || p || np
		for _, a := range actionStrings(m["Action"]) {
			if !strings.HasPrefix(strings.ToLower(a), "sts:") {
				stsOnly = false
			}
		}
		if _, ok := m["NotAction"]; ok {
			stsOnly = false
		}
	}
	switch {
	case !principal:
		return translator.Identity
	case stsOnly:
		return translator.Trust
	}
	return translator.Resource
}

func actionStrings(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
