package translator

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The linear wildcard matcher (issue 15). A StringLike pattern is an RE2
// regex, whose cost is the value's length times the pattern's (OPA runs
// Go's regexp, a Pike VM with one thread per pattern position): 4,500 `*a`
// against a 100 KB value took 9.5 s. A long pattern is instead lowered to
// a function that matches greedily, segment after segment: IAM wildcards
// have no backtracking to do, since the earliest end of `*S1*S2…*Sn`
// leaves the most room for what follows. Each step is one small regex
// `^.*?S1.*?S2…` (at most globChunk segments, so at most that many live
// threads) over the rest of the value, or an indexof for a long literal
// segment, and the rest is cut with trim_prefix, which costs the length of
// the match, not of the value. Everything is a builtin of stock OPA, so
// sidecars run it too.
//
//	pX.like_0(x) if {
//		is_string(x)
//		startswith(x, "prefix")
//		r0 := trim_prefix(x, "prefix")
//		m1 := regex.find_n("(?s)^.*?a.*?b…", r0, 1)[0]
//		r1 := trim_prefix(r0, m1)
//		…
//		endswith(r9, "suffix")
//	}
const (
	// globRegexChars: a pattern up to this many characters stays one
	// regex (the cost per value character is bounded by it).
	globRegexChars = 64
	// globChunk: the most segments one step's regex holds.
	globChunk = 8
)

// linearGlob reports whether a StringLike pattern is lowered to the
// linear matcher.
func linearGlob(raw string) bool {
	return strings.Contains(raw, "*") && utf8.RuneCountInString(raw) > globRegexChars
}

// globBody is the body of the matcher of one pattern over the string x.
func globBody(raw string, x *ast.Term) ast.Body {
	segs := strings.Split(raw, "*")
	first, last := segs[0], segs[len(segs)-1]
	var mid []string
	for _, s := range segs[1 : len(segs)-1] {
		if s != "" {
			mid = append(mid, s)
		}
	}
	b := &globBuilder{body: ast.NewBody(ast.IsString.Expr(x)), rest: x}
	if first != "" {
		b.prefix(first)
	}
	var chunk []string
	size := 0
	for _, s := range mid {
		n := utf8.RuneCountInString(s)
		if n > globRegexChars && !strings.Contains(s, "?") {
			b.chunk(chunk)
			chunk, size = nil, 0
			b.literal(s)
			continue
		}
		if len(chunk) == globChunk || (len(chunk) > 0 && size+n > globRegexChars) {
			b.chunk(chunk)
			chunk, size = nil, 0
		}
		chunk = append(chunk, s)
		size += n
	}
	b.chunk(chunk)
	if last != "" {
		b.suffix(last)
	}
	return b.body
}

// globBuilder appends the steps; rest is the variable holding the part of
// the value not consumed yet.
type globBuilder struct {
	body ast.Body
	rest *ast.Term
	n    int
}

func (b *globBuilder) add(e *ast.Expr) { b.body.Append(e) }

// next consumes the text held by consumed from the start of rest.
func (b *globBuilder) next(consumed *ast.Term) {
	b.n++
	r := ast.VarTerm(fmt.Sprintf("r%d", b.n))
	b.add(ast.Assign.Expr(r, ast.CallTerm(ast.RefTerm(ast.VarTerm("trim_prefix")), b.rest, consumed)))
	b.rest = r
}

// find binds the first match of an anchored regex at the start of rest.
func (b *globBuilder) find(re string) *ast.Term {
	m := ast.VarTerm(fmt.Sprintf("m%d", b.n+1))
	found := ast.CallTerm(ast.RefTerm(ast.VarTerm("regex"), ast.StringTerm("find_n")), ast.StringTerm(re), b.rest, ast.IntNumberTerm(1))
	b.add(ast.Assign.Expr(m, ast.RefTerm(found, ast.IntNumberTerm(0))))
	return m
}

// prefix: the value starts with the first segment.
func (b *globBuilder) prefix(s string) {
	if !strings.Contains(s, "?") {
		b.add(ast.StartsWith.Expr(b.rest, ast.StringTerm(s)))
		b.next(ast.StringTerm(s))
		return
	}
	b.next(b.find(`(?s)^` + segmentRegex(s)))
}

// chunk: the earliest end of the segments, in order, in rest.
func (b *globBuilder) chunk(segs []string) {
	if len(segs) == 0 {
		return
	}
	re := `(?s)^`
	for _, s := range segs {
		re += `.*?` + segmentRegex(s)
	}
	b.next(b.find(re))
}

// literal: the first occurrence of a long literal segment in rest.
func (b *globBuilder) literal(s string) {
	i := ast.VarTerm(fmt.Sprintf("i%d", b.n+1))
	b.add(ast.Assign.Expr(i, ast.CallTerm(ast.RefTerm(ast.VarTerm("indexof")), b.rest, ast.StringTerm(s))))
	b.add(ast.GreaterThanEq.Expr(i, ast.IntNumberTerm(0)))
	b.n++
	r := ast.VarTerm(fmt.Sprintf("r%d", b.n))
	end := ast.Plus.Call(i, ast.IntNumberTerm(utf8.RuneCountInString(s)))
	b.add(ast.Assign.Expr(r, ast.CallTerm(ast.RefTerm(ast.VarTerm("substring")), b.rest, end, ast.IntNumberTerm(-1))))
	b.rest = r
}

// suffix: rest ends with the last segment.
func (b *globBuilder) suffix(s string) {
	if !strings.Contains(s, "?") {
		b.add(ast.EndsWith.Expr(b.rest, ast.StringTerm(s)))
		return
	}
	n := utf8.RuneCountInString(s)
	c := ast.VarTerm("c")
	b.add(ast.Assign.Expr(c, ast.CallTerm(ast.RefTerm(ast.VarTerm("count")), b.rest)))
	b.add(ast.GreaterThanEq.Expr(c, ast.IntNumberTerm(n)))
	tail := ast.CallTerm(ast.RefTerm(ast.VarTerm("substring")), b.rest, ast.Minus.Call(c, ast.IntNumberTerm(n)), ast.IntNumberTerm(-1))
	b.add(ast.RegexMatch.Expr(ast.StringTerm(anchor(segmentRegex(s))), tail))
}

// segmentRegex is the regex of a segment without `*` (`?` is any one
// character).
func segmentRegex(s string) string {
	return regexFragment(Part{Kind: PartPattern, Text: s}, anyChar)
}

// globRules lowers the values of a StringLike condition to one function
// (ref, rules) that holds when a value matches any of them: a body per
// long pattern, and one regex for the others.
func globRules(ref ast.Ref, values []CondValue) []*ast.Rule {
	x := ast.VarTerm("x")
	var rules []*ast.Rule
	var short []string
	for _, v := range values {
		if linearGlob(v.Raw) {
			rules = append(rules, globRule(ref, x, globBody(v.Raw, x)))
		} else {
			short = append(short, anchor(regexFragment(Part{Kind: PartPattern, Text: v.Raw}, anyChar)))
		}
	}
	if len(short) > 0 {
		rules = append(rules, globRule(ref, x, ast.NewBody(ast.RegexMatch.Expr(ast.StringTerm(joinAnchored(short)), x))))
	}
	return rules
}

func globRule(ref ast.Ref, x *ast.Term, body ast.Body) *ast.Rule {
	head := ast.RefHead(ref, ast.BooleanTerm(true))
	head.Args = ast.Args{x}
	return &ast.Rule{Head: head, Body: body}
}

// funcs collects the functions a policy's conditions call (the linear
// matchers), named <policy>.like_<n> in the policies package.
type funcs struct {
	policy string
	n      int
	rules  []*ast.Rule
}

// like adds the matcher of a StringLike condition's values and returns
// the function to call.
func (f *funcs) like(values []CondValue) *ast.Term {
	ref := ast.Ref{ast.VarTerm(f.policy), ast.StringTerm(fmt.Sprintf("like_%d", f.n))}
	f.n++
	f.rules = append(f.rules, globRules(ref, values)...)
	full := append(PoliciesPackage.Copy(), ast.StringTerm(f.policy), ref[1])
	return ast.RefTerm(full...)
}
