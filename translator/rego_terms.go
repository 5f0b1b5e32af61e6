package translator

import (
	"encoding/json"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Helpers that build the OPA AST values the lowering emits. IAM strings
// only ever enter the AST through ast.StringTerm, so no policy text can
// become Rego code.

// libRef is a reference to a function of the hand-written library
// (rego/lib), e.g. data.iam2rego.lib.cond.
func libRef(name string) *ast.Term {
	return ast.RefTerm(ast.DefaultRootDocument, ast.StringTerm("iam2rego"), ast.StringTerm("lib"), ast.StringTerm(name))
}

// inputRef is a reference into the normalised input, e.g. input.action.
func inputRef(path ...string) *ast.Term {
	terms := []*ast.Term{ast.InputRootDocument}
	for _, p := range path {
		terms = append(terms, ast.StringTerm(p))
	}
	return ast.RefTerm(terms...)
}

// call builds a call expression of a library function.
func call(fn *ast.Term, args ...*ast.Term) *ast.Expr {
	return ast.NewExpr(append([]*ast.Term{fn}, args...))
}

// negate marks an expression as `not ...`.
func negate(e *ast.Expr) *ast.Expr {
	e.Negated = true
	return e
}

// stringArray builds an array term of strings.
func stringArray(ss []string) *ast.Term {
	terms := make([]*ast.Term, len(ss))
	for i, s := range ss {
		terms[i] = ast.StringTerm(s)
	}
	return ast.ArrayTerm(terms...)
}

// stringSet builds a set term of strings.
func stringSet(ss []string) *ast.Term {
	terms := make([]*ast.Term, len(ss))
	for i, s := range ss {
		terms[i] = ast.StringTerm(s)
	}
	return ast.SetTerm(terms...)
}

// object builds an object term from key/value pairs, in the given order.
func object(pairs ...any) *ast.Term {
	var items [][2]*ast.Term
	for i := 0; i+1 < len(pairs); i += 2 {
		items = append(items, [2]*ast.Term{ast.StringTerm(pairs[i].(string)), pairs[i+1].(*ast.Term)})
	}
	return ast.ObjectTerm(items...)
}

// scalar turns a normalised condition value into a term.
func scalar(v any) *ast.Term {
	switch t := v.(type) {
	case string:
		return ast.StringTerm(t)
	case json.Number:
		return ast.NumberTerm(t)
	case int64:
		return ast.IntNumberTerm(int(t))
	case bool:
		return ast.BooleanTerm(t)
	case Instant:
		return ast.ArrayTerm(ast.IntNumberTerm(int(t[0])), ast.IntNumberTerm(int(t[1])))
	}
	panic("translator: unexpected condition value type")
}
