package translator

import (
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// conditionExpr lowers one (operator, key) pair to a call of the library:
//
//	data.iam2rego.lib.cond(base, negated, qualifier, ifexists, key, values)
//	data.iam2rego.lib.null_cond(key, values)
//
// The library implements the missing-key table (§3.3), the set operators
// (§3.6) and variable resolution (§4.3); this side only normalises values.
func conditionExpr(c *Condition) []*ast.Expr {
	if exprs, ok := inlineCondition(c); ok {
		return exprs
	}
	return []*ast.Expr{libCondition(c)}
}

// inlineCondition lowers the common positive forms — a plain (no set
// qualifier, no IfExists) positive operator with static values — to
// expressions on input.context directly, without a library call. A missing
// key leaves the reference undefined, which fails the rule: the positive
// answer of §3.3. A list value (a multivalued key under a plain operator)
// never equals a string and makes the builtins fail, which is false too
// (§3.6).
func inlineCondition(c *Condition) ([]*ast.Expr, bool) {
	if c.Negated || c.IfExists || c.Qualifier != "" {
		return nil, false
	}
	for _, v := range c.Values {
		if v.Template != nil {
			return nil, false
		}
	}
	value := ast.RefTerm(ast.InputRootDocument, ast.StringTerm("context"), ast.StringTerm(c.Key))
	spec := operators[c.Base]
	switch {
	case c.Base == "StringEquals", c.Base == "Bool":
		vals := make([]string, len(c.Values))
		for i, v := range c.Values {
			vals[i] = v.Norm.(string)
		}
		subject := value
		if c.Base == "Bool" {
			subject = ast.CallTerm(ast.RefTerm(ast.VarTerm("lower")), value)
		}
		if len(vals) == 1 {
			return []*ast.Expr{ast.Equal.Expr(subject, ast.StringTerm(vals[0]))}, true
		}
		return []*ast.Expr{ast.Member.Expr(subject, stringSet(dedupe(vals)))}, true
	case spec.family == famLike, spec.family == famArn:
		var alts []string
		for _, v := range c.Values {
			if t := valueTerm(spec.family, v); t != nil {
				alts = append(alts, string(t.Value.(ast.String)))
			}
		}
		if len(alts) == 0 {
			return []*ast.Expr{ast.NewExpr(ast.BooleanTerm(false))}, true
		}
		return []*ast.Expr{ast.RegexMatch.Expr(ast.StringTerm(joinAnchored(alts)), value)}, true
	case spec.family == famNull:
		absent, present := false, false
		for _, v := range c.Values {
			if v.Norm.(bool) {
				absent = true
			} else {
				present = true
			}
		}
		switch {
		case absent && present:
			return nil, true // always true
		case absent:
			return []*ast.Expr{negate(ast.NewExpr(value))}, true
		default:
			return []*ast.Expr{ast.NewExpr(value)}, true
		}
	case spec.family == famIP && len(c.Values) == 1:
		return []*ast.Expr{ast.NetCIDRContains.Expr(scalar(c.Values[0].Norm), value)}, true
	}
	return nil, false
}

// joinAnchored joins anchored regexes `(?s)^…$` into one alternation.
func joinAnchored(res []string) string {
	if len(res) == 1 {
		return res[0]
	}
	inner := make([]string, len(res))
	for i, r := range res {
		inner[i] = strings.TrimSuffix(strings.TrimPrefix(r, "(?s)^"), "$")
	}
	return anchor("(?:" + strings.Join(dedupe(inner), "|") + ")")
}

// libCondition lowers a condition to a library call (every other form).
func libCondition(c *Condition) *ast.Expr {
	spec := operators[c.Base]
	var values []*ast.Term
	for _, v := range c.Values {
		if t := valueTerm(spec.family, v); t != nil {
			values = append(values, t)
		}
	}
	key := ast.StringTerm(c.Key)
	if spec.family == famNull {
		return call(libRef("null_cond"), key, ast.ArrayTerm(values...))
	}
	return call(libRef("cond"),
		ast.StringTerm(c.Base),
		ast.BooleanTerm(c.Negated),
		ast.StringTerm(c.Qualifier),
		ast.BooleanTerm(c.IfExists),
		key,
		ast.ArrayTerm(values...))
}

// valueTerm encodes one policy value. Static values are scalars (for the
// Like and Arn families: an anchored regex). Values with variables are
// objects {"t": [pieces], "re": bool}: pieces are text (regex text when
// "re" is true) or {"var", "default"} objects. A nil result is a value
// that can never match (an ARN pattern with fewer than six parts).
func valueTerm(f family, v CondValue) *ast.Term {
	if v.Template == nil {
		switch f {
		case famLike:
			return ast.StringTerm(anchor(regexFragment(Part{Kind: PartPattern, Text: v.Raw}, anyChar)))
		case famArn:
			segs := arnConditionSegments(Template{{Kind: PartPattern, Text: v.Raw}})
			if segs == nil {
				return nil
			}
			re := ""
			for _, fr := range segmentFragments(segs) {
				re += fr.Regex
			}
			return ast.StringTerm(anchor(re))
		}
		return scalar(v.Norm)
	}
	switch f {
	case famLike:
		var frags []Fragment
		for _, p := range v.Template {
			if p.Kind == PartVariable {
				q := p
				frags = append(frags, Fragment{Variable: &q})
			} else {
				frags = append(frags, Fragment{Regex: regexFragment(p, anyChar)})
			}
		}
		return object("t", templateTerm(frags), "re", ast.BooleanTerm(true))
	case famArn:
		segs := arnConditionSegments(v.Template)
		if segs == nil {
			return nil
		}
		return object("t", templateTerm(segmentFragments(segs)), "re", ast.BooleanTerm(true))
	}
	pieces := make([]*ast.Term, 0, len(v.Template))
	for _, p := range v.Template {
		if p.Kind == PartVariable {
			q := p
			pieces = append(pieces, variableTerm(&q))
		} else {
			pieces = append(pieces, ast.StringTerm(p.Text))
		}
	}
	return object("t", ast.ArrayTerm(pieces...), "re", ast.BooleanTerm(false))
}

// arnConditionSegments splits an ARN condition value into its six parts.
// Only parts 2–6 are compared (§3.5): the first part matches any text, as
// the reference oracle does. A value with fewer parts matches nothing (nil).
func arnConditionSegments(t Template) []Template {
	segs := splitSegments(t)
	if len(segs) < arnSegments {
		return nil
	}
	segs[0] = Template{{Kind: PartPattern, Text: "*"}}
	return segs
}
