package translator

import "github.com/open-policy-agent/opa/v1/ast"

// conditionExpr lowers one (operator, key) pair to a call of the library:
//
//	data.iam2rego.lib.cond(base, negated, qualifier, ifexists, key, values)
//	data.iam2rego.lib.null_cond(key, values)
//
// The library implements the missing-key table (§3.3), the set operators
// (§3.6) and variable resolution (§4.3); this side only normalises values.
func conditionExpr(c *Condition) *ast.Expr {
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
