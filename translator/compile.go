package translator

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/iam2rego/iam2rego/schema"
)

// compiler holds the state of one document's decode and check passes.
type compiler struct {
	file   string
	policy *Policy
	diags  *schema.Diagnostics
	// exported marks a document read from an AWS export: AWS stored it, so
	// rules AWS evidently did not enforce on it (Sid form and uniqueness)
	// are reported as warnings instead of errors.
	exported bool
}

var iamSid = regexp.MustCompile(`^[A-Za-z0-9]*$`)

// statementMembers are the members a statement may have (§1.2).
var statementMembers = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

// decodePolicy turns a schema-validated generic document into the typed IR
// and runs the semantic checks of §1. Shapes the schema already rejected
// are skipped silently here, so every problem is reported once.
func decodePolicy(file string, typ PolicyType, doc any, diags *schema.Diagnostics, exported bool) *Policy {
	c := &compiler{file: file, policy: &Policy{File: file, Type: typ}, diags: diags, exported: exported}
	top, ok := doc.(map[string]any)
	if !ok {
		return c.policy
	}
	c.checkCharacters(doc, "")
	c.checkLimits(top)
	if v, ok := top["Version"].(string); ok {
		if v != versionNew && v != versionOld {
			diags.Add(schema.Errorf(schema.CodeInvalidVersion, file, "/Version", "Version must be \"2012-10-17\" or \"2008-10-17\", got %q", v))
		}
		c.policy.Version = v
	}
	if (typ == SCP || typ == RCP) && c.policy.Version != versionNew {
		diags.Add(schema.Errorf(schema.CodeInvalidVersion, file, "/Version", "%s policies must have \"Version\": \"2012-10-17\"", strings.ToUpper(string(typ))))
	}
	if id, ok := top["Id"].(string); ok {
		c.policy.ID = id
		if typ == Identity || typ == Boundary || typ == Session {
			diags.Add(schema.Warnf(schema.WarnIDInIdentity, file, "/Id", "Id belongs in resource-based policies; IAM ignores it in %s policies", typ))
		}
	}
	var stmts []any
	ptrOf := func(i int) string { return schema.Pointer("/Statement", i) }
	switch s := top["Statement"].(type) {
	case []any:
		stmts = s
	case map[string]any:
		stmts = []any{s}
		ptrOf = func(int) string { return "/Statement" }
	}
	sids := map[string]string{}
	for i, raw := range stmts {
		m, ok := raw.(map[string]any)
		if !ok {
			continue
		}
		st := c.decodeStatement(i, ptrOf(i), m)
		if st == nil {
			continue
		}
		if st.Sid != "" {
			if first, dup := sids[st.Sid]; dup {
				sev := schema.Errorf
				if typ == Resource || typ == VPCE || exported {
					sev = schema.Warnf
				}
				diags.Add(sev(schema.CodeDuplicateSid, file, st.Pointer+"/Sid", "Sid %q is already used by the statement at %s", st.Sid, first))
			} else {
				sids[st.Sid] = st.Pointer
			}
		}
		c.policy.Statements = append(c.policy.Statements, st)
	}
	return c.policy
}

func (c *compiler) decodeStatement(i int, ptr string, m map[string]any) *Statement {
	st := &Statement{Index: i, Pointer: ptr}
	if sid, ok := m["Sid"].(string); ok {
		st.Sid = sid
		if c.policy.Type.isIAM() && !iamSid.MatchString(sid) {
			sev := schema.Errorf
			if c.exported {
				sev = schema.Warnf
			}
			c.diags.Add(sev(schema.CodeInvalidSid, c.file, ptr+"/Sid", "Sid %q may hold only ASCII letters and digits in %s policies", sid, c.policy.Type))
		}
	}
	if _, ok := m["Effect"]; !ok {
		c.diags.Add(schema.Errorf(schema.CodeElementRequired, c.file, ptr, "every statement needs an Effect (\"Allow\" or \"Deny\")"))
	}
	if e, ok := m["Effect"].(string); ok {
		switch Effect(e) {
		case Allow, Deny:
			st.Effect = Effect(e)
		default:
			c.diags.Add(schema.Errorf(schema.CodeInvalidEffect, c.file, ptr+"/Effect", "Effect must be \"Allow\" or \"Deny\" (case-sensitive), got %q", e))
		}
	}
	c.checkElements(st, m)
	st.Actions, st.NotAction = c.actions(m, ptr)
	st.Resources, st.NotResource, st.HasResource = c.resources(m, ptr)
	if p, ok := m["Principal"]; ok {
		st.Principal = compilePrincipal(c, p, ptr+"/Principal")
	} else if p, ok := m["NotPrincipal"]; ok {
		st.Principal = compilePrincipal(c, p, ptr+"/NotPrincipal")
		st.NotPrincipal = true
	}
	if cond, ok := m["Condition"].(map[string]any); ok {
		st.Conditions = compileConditions(c, cond, ptr+"/Condition")
	}
	return st
}

// stringList reads a "string or array of strings" element with the pointer
// of each entry.
func stringList(v any, ptr string) ([]string, []string) {
	switch t := v.(type) {
	case string:
		return []string{t}, []string{ptr}
	case []any:
		var vals, ptrs []string
		for i, e := range t {
			if s, ok := e.(string); ok {
				vals = append(vals, s)
				ptrs = append(ptrs, schema.Pointer(ptr, i))
			}
		}
		return vals, ptrs
	}
	return nil, nil
}

func (c *compiler) actions(m map[string]any, ptr string) ([]ActionPattern, bool) {
	name, not := "Action", false
	if _, ok := m["NotAction"]; ok {
		name, not = "NotAction", true
	}
	vals, ptrs := stringList(m[name], ptr+"/"+name)
	var out []ActionPattern
	for i, v := range vals {
		if a, ok := compileAction(c, v, ptrs[i]); ok {
			a.Pointer = ptrs[i]
			out = append(out, a)
		}
	}
	return out, not
}

func (c *compiler) resources(m map[string]any, ptr string) ([]ResourcePattern, bool, bool) {
	name, not := "Resource", false
	if _, ok := m["NotResource"]; ok {
		name, not = "NotResource", true
	}
	raw, ok := m[name]
	if !ok {
		return nil, false, false
	}
	vals, ptrs := stringList(raw, ptr+"/"+name)
	var out []ResourcePattern
	for i, v := range vals {
		if r, ok := compileResource(c, v, ptrs[i]); ok {
			r.Pointer = ptrs[i]
			out = append(out, r)
		}
	}
	return out, not, true
}

// checkCharacters rejects characters IAM does not accept in policy
// documents (§9): IAM policy types allow TAB, LF, CR and U+0020–U+00FF;
// every type rejects other control characters, which could also not be
// printed safely as Rego.
func (c *compiler) checkCharacters(v any, ptr string) {
	check := func(s, at, what string) {
		for i, r := range s {
			if r == utf8.RuneError || r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f || (r >= 0x80 && r < 0xa0) ||
				(c.policy.Type.isIAM() && r > 0xff) || (r > 0xffff && !unicode.IsPrint(r)) {
				// Non-printable astral runes are also refused: OPA's
				// formatter would print them as \U escapes its parser rejects.
				c.diags.Add(schema.Errorf(schema.CodeInvalidCharacter, c.file, at, "%s holds the character %U at byte %d, which %s policies do not allow", what, r, i, c.policy.Type))
				return
			}
		}
	}
	switch t := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(t) {
			p := schema.Pointer(ptr, k)
			check(k, p, "the member name")
			c.checkCharacters(t[k], p)
		}
	case []any:
		for i, e := range t {
			c.checkCharacters(e, schema.Pointer(ptr, i))
		}
	case string:
		check(t, ptr, "the value")
		c.checkPatternLength(t, ptr)
	}
}

// isIAM reports whether the type follows IAM's own document rules (Sid
// characters, Latin-1 text) rather than a service's.
func (t PolicyType) isIAM() bool {
	switch t {
	case Identity, Boundary, Session, Trust, SCP, RCP:
		return true
	}
	return false
}

// literal returns a compiler that reads the same document as if variables
// were disabled (for elements where AWS leaves ${...} as literal text).
func (c *compiler) literal() *compiler {
	p := *c.policy
	p.Version = ""
	return &compiler{file: c.file, policy: &p, diags: c.diags, exported: c.exported}
}
