package translator

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// PoliciesPackage is the package of every compiled policy, so that the
// statements of all policies form one partial set,
// data.iam2rego.policies.match, behind one rule index, and a decision
// evaluates it once, not once per policy. A policy's rules are guarded by
// its name ("<name>" in input.pids, an indexed membership test) and name it
// in their heads; its data.iam2rego.policies.<name>.statements says it is
// loaded. A bundle holds the rules of all its policies in one module (OPA
// resolves each module's references against every rule of its package, so
// one module per policy would cost policies × rules to activate).
var PoliciesPackage = ast.Ref{ast.DefaultRootDocument, ast.StringTerm("iam2rego"), ast.StringTerm("policies")}

// Stats counts what the lowering produced for one policy.
type Stats struct {
	Statements int `json:"statements"`
	Rules      int `json:"rules"`
	// Unindexed counts statements with at least one Action/Resource
	// pattern that needs a regex or per-request variable substitution
	// (outside OPA's rule index; DESIGN.md).
	Unindexed int `json:"unindexed"`
	// UnindexedPatterns lists those patterns, as written.
	UnindexedPatterns []string `json:"unindexed_patterns,omitempty"`
}

// lower builds the Rego module of a policy. Each statement becomes one or
// more rules of the partial set `match`, whose elements name the statement
// ({"policy", "effect", "index", "sid"}, plus "kind" for principal
// matches), so that one indexed evaluation finds every applicable
// statement of every policy the request names. A
// statement becomes several rules only to keep every rule indexable:
// exact actions, action prefixes and wildcard actions go into separate
// rules, and so do resources.
func lower(p *Policy, name string) (*ast.Module, Stats) {
	mod := &ast.Module{Package: &ast.Package{Path: PoliciesPackage.Copy()}}
	var st Stats
	fns := &funcs{policy: name}
	for _, s := range p.Statements {
		st.Statements++
		rules, unindexed := lowerStatement(s, name, fns)
		if len(unindexed) > 0 {
			st.Unindexed++
			st.UnindexedPatterns = append(st.UnindexedPatterns, unindexed...)
		}
		for _, r := range rules {
			r.Module = mod
			mod.Rules = append(mod.Rules, r)
		}
	}
	for _, r := range append(fns.rules, checkRules(p, name)...) {
		r.Module = mod
		mod.Rules = append(mod.Rules, r)
	}
	// `statements` marks the package as loaded even when no statement
	// produced a rule, so a reference to a missing policy is an error.
	count := &ast.Rule{
		Head:   ast.RefHead(ast.Ref{ast.VarTerm(name), ast.StringTerm("statements")}, ast.IntNumberTerm(len(p.Statements))),
		Body:   ast.NewBody(ast.NewExpr(ast.BooleanTerm(true))),
		Module: mod,
	}
	mod.Rules = append([]*ast.Rule{count}, mod.Rules...)
	st.Rules = len(mod.Rules) - 1
	return mod, st
}

func lowerStatement(s *Statement, name string, fns *funcs) ([]*ast.Rule, []string) {
	var unindexed []string
	for _, a := range s.Actions {
		if !a.Indexed() {
			unindexed = append(unindexed, a.Raw)
		}
	}
	for _, r := range s.Resources {
		if !r.Indexed() {
			unindexed = append(unindexed, r.Raw)
		}
	}
	actionAlts := alternatives(matchers(s.Actions), s.NotAction, inputRef("action"))
	resourceAlts := [][]*ast.Expr{nil}
	if s.HasResource {
		resourceAlts = alternatives(resourceMatchers(s.Resources), s.NotResource, inputRef("resource", "arn"))
	}
	var common []*ast.Expr
	head := []any{"index", ast.IntNumberTerm(s.Index)}
	if s.Sid != "" {
		head = append(head, "sid", ast.StringTerm(s.Sid))
	}
	if s.Principal != nil {
		spec := principalTerm(s.Principal)
		switch {
		case s.NotPrincipal:
			common = append(common, call(libRef("not_principal_applies"), spec))
		case s.Effect == Allow:
			kind := ast.VarTerm("kind")
			common = append(common, ast.Assign.Expr(kind, ast.CallTerm(libRef("principal_kind"), spec)))
			head = append(head, "kind", kind)
		default:
			common = append(common, call(libRef("principal_kind"), spec))
		}
	}
	for _, c := range s.Conditions {
		common = append(common, conditionExpr(c, fns)...)
	}
	switch s.Effect {
	case Allow, Deny:
	default:
		return nil, unindexed // invalid statements never reach lowering; never emit an allow for them
	}
	head = append([]any{"policy", ast.StringTerm(name), "effect", ast.StringTerm(string(s.Effect))}, head...)
	// A call expression (not an expression holding a call term), or the
	// indexer does not see the membership and every policy's rules come
	// back for every request.
	guard := ast.Member.Expr(ast.StringTerm(name), inputRef("pids"))
	var rules []*ast.Rule
	for _, a := range actionAlts {
		for _, r := range resourceAlts {
			body := ast.NewBody(guard.Copy())
			for _, e := range append(append(append([]*ast.Expr{}, a...), r...), common...) {
				body.Append(e.Copy())
			}
			rules = append(rules, &ast.Rule{Head: ast.NewHead(ast.Var("match"), object(head...)), Body: body})
		}
	}
	return rules, unindexed
}

func matchers(as []ActionPattern) []Matcher {
	out := make([]Matcher, len(as))
	for i, a := range as {
		out[i] = a.Matcher
	}
	return out
}

func resourceMatchers(rs []ResourcePattern) []Matcher {
	out := make([]Matcher, len(rs))
	for i, r := range rs {
		out[i] = r.Matcher
	}
	return out
}

// alternatives turns the entries of one element into the bodies of the
// alternatives that can satisfy it. For Action/Resource any alternative
// may match (OR); for NotAction/NotResource all negated tests go into one
// body (the request must match none). No alternatives means the element
// can never pass; one empty alternative means it always passes.
func alternatives(ms []Matcher, not bool, subject *ast.Term) [][]*ast.Expr {
	var exact, prefixes, regexPrefixes, regexes []string
	var templates [][]*ast.Expr
	var segments []Matcher
	any := false
	for _, m := range ms {
		switch m.Kind {
		case MatchSegments:
			if not {
				// NotResource negates each test alone: keep the regex.
				regexPrefixes = append(regexPrefixes, m.Prefix)
				regexes = append(regexes, m.Regex)
			} else {
				segments = append(segments, m)
			}
		case MatchAny:
			any = true
		case MatchExact:
			exact = append(exact, m.Exact)
		case MatchPrefix:
			prefixes = append(prefixes, m.Prefix)
		case MatchRegex:
			regexPrefixes = append(regexPrefixes, m.Prefix)
			regexes = append(regexes, m.Regex)
		case MatchTemplate:
			var body []*ast.Expr
			if m.Prefix != "" {
				body = append(body, ast.StartsWith.Expr(subject, ast.StringTerm(m.Prefix)))
			}
			body = append(body, call(libRef("template_match"), templateTerm(m.Fragments), subject))
			templates = append(templates, body)
		}
	}
	exact, prefixes = dedupe(exact), dedupe(prefixes)
	var groups [][]*ast.Expr
	if len(exact) > 0 {
		groups = append(groups, []*ast.Expr{oneOf(subject, exact)})
	}
	if len(prefixes) > 0 {
		groups = append(groups, []*ast.Expr{prefixExpr(subject, prefixes)})
	}
	if len(regexes) > 0 {
		var g []*ast.Expr
		if !containsEmpty(regexPrefixes) {
			g = append(g, prefixExpr(subject, dedupe(regexPrefixes)))
		}
		g = append(g, ast.RegexMatch.Expr(ast.StringTerm(anchor("(?:"+strings.Join(regexes, "|")+")")), subject))
		groups = append(groups, g)
	}
	groups = append(groups, segmentGroups(segments, subject)...)
	groups = append(groups, templates...)
	if !not {
		if any {
			return [][]*ast.Expr{nil}
		}
		return groups
	}
	if any {
		return nil // NotAction "*" / NotResource "*" excludes everything
	}
	// NotX passes when no group matches. A group of several tests (prefix
	// filter + regex) matches only when all hold, so only its last, exact
	// test needs negating.
	var body []*ast.Expr
	for _, g := range groups {
		body = append(body, negate(g[len(g)-1]))
	}
	return [][]*ast.Expr{body}
}

// segmentGroups lowers MatchSegments patterns: one body per ARN prefix,
// tail field and kind of test, startswith(arn, prefix) and the test of the
// ARN's tail (input.resource.arn_resource or arn_account_resource:
// equality or membership, a prefix, or just its presence), all indexed.
func segmentGroups(ms []Matcher, subject *ast.Term) [][]*ast.Expr {
	type key struct {
		prefix, field string
		kind          RestKind
	}
	rests := map[key][]string{}
	var order []key
	for _, m := range ms {
		k := key{m.Prefix, m.RestField, m.RestKind}
		if _, ok := rests[k]; !ok {
			order = append(order, k)
		}
		rests[k] = append(rests[k], m.Rest)
	}
	var groups [][]*ast.Expr
	for _, k := range order {
		rest := inputRef("resource", k.field)
		body := []*ast.Expr{ast.StartsWith.Expr(subject, ast.StringTerm(k.prefix))}
		vals := dedupe(rests[k])
		switch k.kind {
		case RestAny:
			body = append(body, ast.NewExpr(rest))
		case RestPrefix:
			body = append(body, prefixExpr(rest, vals))
		default:
			body = append(body, oneOf(rest, vals))
		}
		groups = append(groups, body)
	}
	return groups
}

// oneOf tests subject against one or more literal values: equality, or
// membership in a set (both indexed).
func oneOf(subject *ast.Term, vals []string) *ast.Expr {
	if len(vals) == 1 {
		return ast.Equal.Expr(subject, ast.StringTerm(vals[0]))
	}
	return ast.Member.Expr(subject, stringSet(vals))
}

func prefixExpr(subject *ast.Term, prefixes []string) *ast.Expr {
	if len(prefixes) == 1 {
		return ast.StartsWith.Expr(subject, ast.StringTerm(prefixes[0]))
	}
	return ast.AnyPrefixMatch.Expr(subject, stringArray(prefixes))
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func containsEmpty(ss []string) bool {
	for _, s := range ss {
		if s == "" {
			return true
		}
	}
	return false
}

// templateTerm encodes per-request regex pieces: strings are regex text,
// objects are variables whose resolved value is quoted and spliced in.
func templateTerm(frags []Fragment) *ast.Term {
	terms := make([]*ast.Term, 0, len(frags)+2)
	terms = append(terms, ast.StringTerm("(?s)^"))
	for _, f := range frags {
		if f.Variable != nil {
			terms = append(terms, variableTerm(f.Variable))
		} else {
			terms = append(terms, ast.StringTerm(f.Regex))
		}
	}
	terms = append(terms, ast.StringTerm("$"))
	return ast.ArrayTerm(terms...)
}

func variableTerm(p *Part) *ast.Term {
	if p.HasDefault {
		return object("var", ast.StringTerm(p.Key), "default", ast.StringTerm(p.Default))
	}
	return object("var", ast.StringTerm(p.Key))
}

func principalTerm(p *Principal) *ast.Term {
	accounts := make([]string, len(p.Accounts))
	for i, a := range p.Accounts {
		accounts[i] = a.Partition + ":" + a.Account
	}
	return object(
		"wildcard", ast.BooleanTerm(p.Wildcard),
		"accounts", stringArray(dedupe(accounts)),
		"arns", stringArray(dedupe(p.ARNs)),
		"services", stringArray(dedupe(p.Services)),
		"federated", stringArray(dedupe(p.Federated)),
		"canonical", stringArray(dedupe(p.Canonical)),
		"roles", stringArray(dedupe(roleKeys(p.ARNs))),
	)
}

// roleARN is a role ARN of a Principal element: partition, account, path
// and name (the library's role_matches_session reads it the same way).
var roleARN = regexp.MustCompile(`^arn:([a-z][a-z0-9-]*):iam::([0-9]{12}):role/(.*/)?([^/]+)$`)

// roleKeys are the keys of the roles among arns, "partition:account:name"
// with the name lower-cased: a role session matches a role of the
// element when its principal's role_key is one of them (§2.5; the session
// ARN has no path, and role names are case-insensitive).
func roleKeys(arns []string) []string {
	var keys []string
	for _, a := range arns {
		if m := roleARN.FindStringSubmatch(a); m != nil {
			keys = append(keys, m[1]+":"+m[2]+":"+strings.ToLower(m[4]))
		}
	}
	return keys
}

// RuleKind names what a rule of a generated module defines: "match" (a
// statement), "statements" (the policy's loaded marker, whose head is
// <name>.statements), or for any other rule the text of its head's
// reference.
func RuleKind(r *ast.Rule) string {
	ref := r.Head.Ref()
	if len(ref) == 2 && ref[1].Equal(ast.StringTerm("statements")) {
		return "statements"
	}
	return ref.String()
}

// RulePolicy names the policy a generated rule belongs to: the <name> of a
// marker's head, or the "policy" field of a match rule's key; "" for any
// other rule.
func RulePolicy(r *ast.Rule) string {
	ref := r.Head.Ref()
	switch RuleKind(r) {
	case "statements":
		if v, ok := ref[0].Value.(ast.Var); ok {
			return string(v)
		}
	case "match":
		if r.Head.Key == nil {
			return ""
		}
		if obj, ok := r.Head.Key.Value.(ast.Object); ok {
			if t := obj.Get(ast.StringTerm("policy")); t != nil {
				if s, ok := t.Value.(ast.String); ok {
					return string(s)
				}
			}
		}
	}
	return ""
}

// Merge puts the rules of compiled policy modules (by name) into one module
// of PoliciesPackage, in name order. OPA resolves each module's references
// against every rule of its package, so thousands of policy modules in the
// one package would cost policies × rules to compile; one module does not.
// The rules are shallow copies that point at the new module. Only modules
// the translator wrote are accepted: in PoliciesPackage, without imports.
func Merge(modules map[string]*ast.Module) (*ast.Module, error) {
	names := make([]string, 0, len(modules))
	for n := range modules {
		names = append(names, n)
	}
	sort.Strings(names)
	merged := &ast.Module{Package: &ast.Package{Path: PoliciesPackage.Copy()}}
	for _, n := range names {
		m := modules[n]
		if !m.Package.Path.Equal(PoliciesPackage) || len(m.Imports) > 0 {
			return nil, fmt.Errorf("module %s: package %v with %d imports is not a compiled policy", n, m.Package.Path, len(m.Imports))
		}
		for _, r := range m.Rules {
			cp := *r
			cp.Module = merged
			merged.Rules = append(merged.Rules, &cp)
		}
	}
	return merged, nil
}
