package translator

import (
	"slices"
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
func conditionExpr(c *Condition, fns *funcs) []*ast.Expr {
	if exprs, ok := inlineCondition(c, fns); ok {
		return exprs
	}
	return []*ast.Expr{libCondition(c)}
}

// inlineCondition lowers the common forms to expressions on input.context
// directly, without a library call (function calls are the dearest part
// of an evaluation). Only static values (no policy variables) and no set
// qualifier; everything else goes to the library. The missing-key and
// multivalued rules (§3.3, §3.6) hold as follows:
//
//   - positive: the key is read as object.get(ctx, k, null), and null
//     fails every test (equality with a string, membership in a set of
//     strings, a regex or CIDR builtin, whose type error is undefined), so
//     absence is false; IfExists reads the key with a default that
//     satisfies the test (a witness), so absence is true;
//   - negated (StringNot…, ArnNot…): `not test(object.get(ctx, k, null))`
//     — null fails every test, so absence is true — guarded by
//     `not is_array(…)`, since a plain operator on a list is false;
//   - a list value never equals a string and makes the string builtins
//     fail, so positive tests on lists are false.
//
// Condition tests stay out of OPA's rule index: every positive test reads
// the key through object.get (a call operand, which the indexer skips),
// and presence is `k in object.keys(input.context)`. An indexed
// `input.context[k] == v` would add one level per distinct key to the
// index of data.iam2rego.policies.match, and every evaluation walks every
// level: with the hundreds of keys of a large account that walk cost more
// than the whole rest of a decision. The index narrows by policy, action
// and resource; conditions are tested on the few rules that survive.
func inlineCondition(c *Condition, fns *funcs) ([]*ast.Expr, bool) {
	if c.Qualifier != "" {
		return nil, false
	}
	for _, v := range c.Values {
		if v.Template != nil {
			return nil, false
		}
	}
	ctx := ast.RefTerm(ast.InputRootDocument, ast.StringTerm("context"))
	key := ast.StringTerm(c.Key)
	getOr := func(def *ast.Term) *ast.Term {
		return ast.CallTerm(ast.RefTerm(ast.VarTerm("object"), ast.StringTerm("get")), ctx, key, def)
	}
	spec := operators[c.Base]
	test, witness, ok := inlineTest(c, spec, fns)
	if !ok {
		return nil, false
	}
	switch {
	case c.Negated:
		subject := getOr(ast.NullTerm())
		return []*ast.Expr{
			negate(ast.IsArray.Expr(subject)),
			negate(test(subject)),
		}, true
	case c.IfExists:
		if witness == nil {
			return nil, false
		}
		return []*ast.Expr{test(getOr(witness))}, true
	case spec.family == famNull:
		return nullExprs(c, ctx, key), true
	}
	return []*ast.Expr{test(getOr(ast.NullTerm()))}, true
}

// inlineTest returns the positive test of an inlinable operator and a
// value that passes it (nil when none is known).
func inlineTest(c *Condition, spec operatorSpec, fns *funcs) (func(*ast.Term) *ast.Expr, *ast.Term, bool) {
	switch {
	case c.Base == "StringEquals", c.Base == "Bool":
		vals := make([]string, len(c.Values))
		for i, v := range c.Values {
			vals[i] = v.Norm.(string)
		}
		vals = dedupe(vals)
		if len(vals) == 0 {
			return nil, nil, false
		}
		lower := c.Base == "Bool"
		return func(t *ast.Term) *ast.Expr {
			if lower {
				t = ast.CallTerm(ast.RefTerm(ast.VarTerm("lower")), t)
			}
			return oneOf(t, vals)
		}, ast.StringTerm(vals[0]), true
	case spec.family == famLike, spec.family == famArn:
		var alts []string
		witness := ""
		for _, v := range c.Values {
			if t := valueTerm(spec.family, v); t != nil {
				alts = append(alts, string(t.Value.(ast.String)))
				if witness == "" {
					witness = strings.NewReplacer("*", "", "?", "x").Replace(v.Raw)
				}
			}
		}
		if len(alts) == 0 {
			return nil, nil, false
		}
		if spec.family == famLike && slices.ContainsFunc(c.Values, func(v CondValue) bool { return linearGlob(v.Raw) }) {
			fn := fns.like(c.Values) // long patterns: the linear matcher (glob.go)
			return func(t *ast.Term) *ast.Expr { return ast.NewExpr([]*ast.Term{fn, t}) }, ast.StringTerm(witness), true
		}
		re := ast.StringTerm(joinAnchored(alts))
		return func(t *ast.Term) *ast.Expr { return ast.RegexMatch.Expr(re, t) }, ast.StringTerm(witness), true
	case spec.family == famNull:
		return func(*ast.Term) *ast.Expr { return nil }, nil, !c.Negated && !c.IfExists
	case spec.family == famIP && len(c.Values) == 1 && !c.Negated:
		cidr := scalar(c.Values[0].Norm)
		return func(t *ast.Term) *ast.Expr { return ast.NetCIDRContains.Expr(cidr, t) }, nil, true
	}
	return nil, nil, false
}

// nullExprs lowers Null: "true" means absent, "false" present (§3.5).
func nullExprs(c *Condition, ctx, key *ast.Term) []*ast.Expr {
	absent, present := false, false
	for _, v := range c.Values {
		if v.Norm.(bool) {
			absent = true
		} else {
			present = true
		}
	}
	if absent && present {
		return nil // always true
	}
	has := ast.Member.Expr(key, ast.CallTerm(ast.RefTerm(ast.VarTerm("object"), ast.StringTerm("keys")), ctx))
	if absent {
		return []*ast.Expr{negate(has)}
	}
	return []*ast.Expr{has}
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
