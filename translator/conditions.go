package translator

import (
	"regexp"
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

// conditionKey is the shape of a condition key: a prefix, a colon and a
// name. The prefix is a service (s3), a domain (accounts.google.com) or
// an OIDC provider's host and path, which AWS documents for web identity
// trust policies (oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:sub,
// github.com/enterprises/NAME:actor).
var conditionKey = regexp.MustCompile(`^[A-Za-z0-9._/-]+:[^\x00-\x1f]+$`)

// compileConditions checks and normalises a Condition block (§1.5, §3).
func compileConditions(c *compiler, block map[string]any, ptr string) []*Condition {
	var out []*Condition
	for _, opName := range sortedKeys(block) {
		opPtr := schema.Pointer(ptr, opName)
		op, hint, ok := parseOperator(opName)
		if !ok {
			msg := "unknown condition operator %q"
			if hint != "" {
				msg += "; operator names are case-sensitive, did you mean " + hint + "?"
			}
			c.diags.Add(schema.Errorf(schema.CodeUnknownOperator, c.file, opPtr, msg, opName))
			continue
		}
		if op.spec.family == famNull && (op.qualifier != "" || op.ifExists) {
			c.diags.Add(schema.Errorf(schema.CodeInvalidOperator, c.file, opPtr, "%q: Null takes neither a ForAllValues:/ForAnyValue: prefix nor IfExists", opName))
			continue
		}
		keys, _ := block[opName].(map[string]any)
		for _, rawKey := range sortedKeys(keys) {
			keyPtr := schema.Pointer(opPtr, rawKey)
			if cond := compileCondition(c, op, opName, rawKey, keys[rawKey], keyPtr); cond != nil {
				out = append(out, cond)
			}
		}
	}
	return out
}

func compileCondition(c *compiler, op parsedOperator, opName, rawKey string, raw any, ptr string) *Condition {
	if !conditionKey.MatchString(rawKey) {
		c.diags.Add(schema.Errorf(schema.CodeInvalidConditionKey, c.file, ptr, "condition key %q must look like \"service:name\"", rawKey))
		return nil
	}
	if c.policy.VariablesEnabled() && strings.Contains(rawKey, "${") {
		c.diags.Add(schema.Errorf(schema.CodeVariableNotAllowed, c.file, ptr, "policy variables are not allowed in condition key names: %q", rawKey))
		return nil
	}
	cond := &Condition{
		Pointer:   ptr,
		Operator:  opName,
		Base:      op.spec.base,
		Negated:   op.spec.negated,
		Qualifier: op.qualifier,
		IfExists:  op.ifExists,
		Key:       strings.ToLower(rawKey),
		RawKey:    rawKey,
	}
	c.checkKeyUse(cond)
	values, ok := raw.([]any)
	if !ok {
		values = []any{raw}
	}
	valid := true
	for i, v := range values {
		vptr := ptr
		if _, isList := raw.([]any); isList {
			vptr = schema.Pointer(ptr, i)
		}
		text, ok := valueText(v)
		if !ok {
			valid = false // the schema reports the shape
			continue
		}
		cv, ok := compileValue(c, op.spec, opName, text, vptr)
		if !ok {
			valid = false
			continue
		}
		cond.Values = append(cond.Values, cv)
	}
	if !valid {
		return nil
	}
	return cond
}

// compileValue normalises one policy value for its operator family.
func compileValue(c *compiler, spec operatorSpec, opName, text, ptr string) (CondValue, bool) {
	cv := CondValue{Raw: text}
	vars := c.policy.VariablesEnabled()
	t := parseTemplate(text, vars)
	if t.HasVariables() || (vars && hasEscape(t)) {
		if !spec.variables {
			c.diags.Add(schema.Errorf(schema.CodeVariableNotAllowed, c.file, ptr, "%s does not accept policy variables, got %q", opName, text))
			return cv, false
		}
		cv.Template = t
		return cv, true
	}
	bad := func(err error) (CondValue, bool) {
		c.diags.Add(schema.Errorf(schema.CodeInvalidConditionVal, c.file, ptr, "%s: %v", opName, err))
		return cv, false
	}
	switch spec.family {
	case famString, famLike, famArn:
		cv.Norm = text
	case famNumeric:
		n, err := parseDecimal(text)
		if err != nil {
			return bad(err)
		}
		cv.Norm = n
	case famDate:
		ns, err := parseDate(text)
		if err != nil {
			return bad(err)
		}
		cv.Norm = ns
	case famBool:
		b, err := parseBool(text)
		if err != nil {
			return bad(err)
		}
		cv.Norm = b
	case famBinary:
		b, err := parseBinary(text)
		if err != nil {
			return bad(err)
		}
		cv.Norm = b
	case famIP:
		cidr, err := parseCIDR(text)
		if err != nil {
			return bad(err)
		}
		cv.Norm = cidr
	case famNull:
		b, err := parseBool(text)
		if err != nil {
			return bad(err)
		}
		cv.Norm = b == "true"
	}
	return cv, true
}

func hasEscape(t Template) bool {
	for _, p := range t {
		if p.Kind == PartLiteral {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
