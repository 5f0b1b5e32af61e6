package translator

import (
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/translator/catalog"
	"github.com/open-policy-agent/opa/v1/ast"
)

// Context checks (README, "Malformed context values"): a request whose
// context holds a value that a policy's condition cannot read is denied
// with an input error, rather than decided with that condition false
// (which would switch off a Deny's negated test). For each policy the
// lowering emits, per kind of problem, one rule of the `match` set:
//
//	match contains {"policy": name, "error": "number", "key": k} if {
//		name in input.pids
//		some k in ["s3:max-keys"]
//		data.iam2rego.lib.malformed("number", object.get(input.context, k, null))
//	}
//
// (a list on a single-valued key is `is_array(...)`, text on a
// multivalued one `is_string(...)`).
//
// Guarded by the policy's name like its statements, so the rule index
// skips them for requests that do not name the policy. The library
// (lib/context_checks.rego) turns the elements into error messages; an
// element has no "effect", so the decision chain never counts it as a
// statement.

// checkKinds lists the kinds of check, in the order they are emitted.
var checkKinds = []string{"list", "scalar", "number", "date", "ip", "bool"}

// familyKinds: the value each operator family must be able to read.
var familyKinds = map[family]string{famNumeric: "number", famDate: "date", famIP: "ip", famBool: "bool"}

// contextChecks collects the keys to check by kind over a policy's
// conditions.
func contextChecks(p *Policy) map[string][]string {
	keys := map[string]map[string]bool{}
	add := func(kind, key string) {
		if keys[kind] == nil {
			keys[kind] = map[string]bool{}
		}
		keys[kind][key] = true
	}
	for _, s := range p.Statements {
		for _, c := range s.Conditions {
			spec := operators[c.Base]
			if spec.family == famNull {
				continue
			}
			globalType, global := globalKey(c.Key)
			if kind, ok := familyKinds[spec.family]; ok && kind != typeKinds[globalType] {
				add(kind, c.Key)
			}
			_, known := catalog.ConditionKeyType(c.Key)
			multi := catalog.IsMultiValued(c.Key)
			switch {
			case global:
				// lib/context_checks.rego checks its shape in input_errors.
			case multi && c.Qualifier == "":
				// A plain operator is false on a list (§3.6), but would
				// test a single text value: AWS always sends a list.
				add("scalar", c.Key)
			case !multi && (known || c.Qualifier == ""):
				// A single-valued key (or an unknown one tested as
				// single-valued) never holds a list.
				add("list", c.Key)
			}
		}
	}
	out := map[string][]string{}
	for kind, set := range keys {
		list := make([]string, 0, len(set))
		for k := range set {
			list = append(list, k)
		}
		sort.Strings(list)
		out[kind] = list
	}
	return out
}

// typeKinds: the kind of value a global key's catalogue type must parse as
// (lib/context_checks.rego's type_kinds).
var typeKinds = map[string]string{catalog.TypeBool: "bool", catalog.TypeNumeric: "number", catalog.TypeDate: "date", catalog.TypeIPAddress: "ip"}

// globalKey says whether the library checks key on its own, whatever the
// policies: the aws: keys of the catalogue's global list, with their type,
// and the tag keys (single-valued text).
func globalKey(key string) (string, bool) {
	for _, p := range []string{"aws:principaltag/", "aws:resourcetag/", "aws:requesttag/"} {
		if strings.HasPrefix(key, p) {
			return catalog.TypeString, true
		}
	}
	if !strings.HasPrefix(key, "aws:") {
		return "", false
	}
	return catalog.GlobalKeyType(key)
}

// checkRules builds the check rules of a policy named name.
func checkRules(p *Policy, name string) []*ast.Rule {
	checks := contextChecks(p)
	var rules []*ast.Rule
	for _, kind := range checkKinds {
		keys := checks[kind]
		if len(keys) == 0 {
			continue
		}
		k := ast.VarTerm("k")
		value := ast.CallTerm(ast.RefTerm(ast.VarTerm("object"), ast.StringTerm("get")), inputRef("context"), k, ast.NullTerm())
		// The shape tests are builtins; a value that must parse is read by
		// the library (only policies with such operators pay for it).
		test := call(libRef("malformed"), ast.StringTerm(kind), value)
		switch kind {
		case "list":
			test = ast.IsArray.Expr(value)
		case "scalar":
			test = ast.IsString.Expr(value)
		}
		body := ast.NewBody(
			ast.Member.Expr(ast.StringTerm(name), inputRef("pids")),
			ast.NewExpr(&ast.SomeDecl{Symbols: []*ast.Term{ast.Member.Call(k, stringArray(keys))}}),
			test,
		)
		head := object("policy", ast.StringTerm(name), "error", ast.StringTerm(kind), "key", k)
		rules = append(rules, &ast.Rule{Head: ast.NewHead(ast.Var("match"), head), Body: body})
	}
	return rules
}
