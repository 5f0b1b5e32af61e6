package translator

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/open-policy-agent/opa/v1/ast"
)

// hostileStrings are IAM strings that try to close a Rego string, start a
// comment or a rule, or that the formatter is known to print badly
// (STYLE-ANCHORS.md §6.1–6.2).
var hostileStrings = []string{
	`a"b`,
	`a\b`,
	"a\nb",
	"a\r\n\tb",
	"a}b",
	"a#b",
	"a`b",
	"\"}\nallow := true #",
	"x\"} allow := true #",
	"\"}\n}\ndeny contains {\"index\": 99} if true\n#",
	"\" + input.x + \"",
	`\u0000`,
	"é ñ ÿ",    // Latin-1: allowed everywhere
	"日本語 ✓",    // beyond U+00FF: IAM policy types reject it
	"😀 \u200b", // astral and zero-width
	"\x00",
	"a\vb",
	"a\x7fb",
	"a\u0085b",
}

// controlChar reports whether s holds a character that every policy type
// rejects (code invalid_character): C0 controls other than TAB, LF and CR,
// DEL, and the C1 controls.
func controlChar(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r < 0xa0 {
			return true
		}
	}
	return false
}

func beyondLatin1(s string) bool {
	for _, r := range s {
		if r > 0xff {
			return true
		}
	}
	return false
}

var alnum = regexp.MustCompile(`^[A-Za-z0-9]*$`)

// placement puts a hostile string into one element of a one-statement
// policy. It returns the document, the JSON pointer of the element, and
// the string term the lowering must carry verbatim ("" when the element is
// not emitted verbatim).
type placement struct {
	name  string
	types []PolicyType
	put   func(st map[string]any, h string) (ptr, term string)
}

var placements = []placement{
	{"Sid", []PolicyType{Identity, Resource}, func(st map[string]any, h string) (string, string) {
		st["Sid"] = h
		return "/Statement/0/Sid", h
	}},
	{"Action", []PolicyType{Identity, Resource}, func(st map[string]any, h string) (string, string) {
		st["Action"] = "s3:Get" + h
		return "/Statement/0/Action", ""
	}},
	{"Resource", []PolicyType{Identity, Resource}, func(st map[string]any, h string) (string, string) {
		st["Resource"] = []any{"arn:aws:s3:::b/" + h}
		return "/Statement/0/Resource/0", "arn:aws:s3:::b/" + h
	}},
	{"NotResource", []PolicyType{Identity}, func(st map[string]any, h string) (string, string) {
		delete(st, "Resource")
		st["NotResource"] = "arn:aws:s3:::b/" + h
		return "/Statement/0/NotResource", "arn:aws:s3:::b/" + h
	}},
	{"ConditionKey", []PolicyType{Identity, Resource}, func(st map[string]any, h string) (string, string) {
		key := "aws:PrincipalTag/" + h
		st["Condition"] = map[string]any{"StringEquals": map[string]any{key: "v"}}
		return schema.Pointer("/Statement/0/Condition/StringEquals", key), strings.ToLower(key)
	}},
	{"ConditionValue", []PolicyType{Identity, Resource}, func(st map[string]any, h string) (string, string) {
		st["Condition"] = map[string]any{"StringEquals": map[string]any{"aws:PrincipalTag/t": []any{"v", h}}}
		return "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1t/1", h
	}},
	{"ConditionLikeValue", []PolicyType{Identity}, func(st map[string]any, h string) (string, string) {
		st["Condition"] = map[string]any{"StringNotLike": map[string]any{"s3:prefix": h + "*"}}
		return "/Statement/0/Condition/StringNotLike/s3:prefix", ""
	}},
	{"ConditionVariableValue", []PolicyType{Identity}, func(st map[string]any, h string) (string, string) {
		st["Condition"] = map[string]any{"StringEquals": map[string]any{"s3:prefix": "${aws:username}" + h}}
		return "/Statement/0/Condition/StringEquals/s3:prefix", h
	}},
	{"PrincipalService", []PolicyType{Resource}, func(st map[string]any, h string) (string, string) {
		st["Principal"] = map[string]any{"Service": h}
		return "/Statement/0/Principal/Service", h
	}},
	{"PrincipalFederated", []PolicyType{Resource}, func(st map[string]any, h string) (string, string) {
		st["Principal"] = map[string]any{"Federated": []any{"accounts.google.com", h}}
		return "/Statement/0/Principal/Federated/1", h
	}},
}

// wantRejection returns the code Compile must report at the placement's
// pointer, or "" when the policy must compile.
func wantRejection(p placement, typ PolicyType, h string) string {
	switch {
	case controlChar(h), typ.isIAM() && beyondLatin1(h):
		return schema.CodeInvalidCharacter
	case p.name == "Sid" && typ.isIAM() && !alnum.MatchString(h):
		return schema.CodeInvalidSid
	case p.name == "Action":
		return schema.CodeInvalidAction
	case p.name == "ConditionKey" && strings.ContainsAny(h, "\r\n\t"):
		return schema.CodeInvalidConditionKey
	}
	return ""
}

func baseStatement(typ PolicyType) map[string]any {
	st := map[string]any{
		"Sid":      "S1",
		"Effect":   "Allow",
		"Action":   "s3:GetObject",
		"Resource": "arn:aws:s3:::b/k",
	}
	if !typ.isIAM() {
		st["Principal"] = "*"
	}
	return st
}

func documentWith(t *testing.T, typ PolicyType, p placement, h string) ([]byte, string, string) {
	t.Helper()
	st := baseStatement(typ)
	ptr, term := p.put(st, h)
	data, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{st}})
	if err != nil {
		t.Fatal(err)
	}
	return data, ptr, term
}

// codeNames lists every Var and Ref of the rules (never the package path,
// which is a content hash): the parts of the module that are code rather
// than data.
func codeNames(mod *ast.Module) []string {
	var names []string
	for _, r := range mod.Rules {
		names = append(names, "head:"+RuleKind(r))
		ast.WalkTerms(r, func(t *ast.Term) bool {
			switch v := t.Value.(type) {
			case ast.Var:
				names = append(names, "var:"+string(v))
			case ast.Ref:
				names = append(names, "ref:"+refShape(v))
			}
			return false
		})
	}
	sort.Strings(names)
	return names
}

// refShape prints a reference with its string elements that are not
// plain identifiers replaced by <string>: `input.context["aws:username"]`
// indexes the input with a string term, which is data, not code (the
// walk still visits that term, so its text is checked to be a string).
func refShape(r ast.Ref) string {
	parts := []string{r[0].String()}
	for _, t := range r[1:] {
		if s, ok := t.Value.(ast.String); ok && !ast.IsVarCompatibleString(string(s)) {
			parts = append(parts, "[<string>]")
			continue
		}
		parts = append(parts, "."+t.String())
	}
	return strings.Join(parts, "")
}

func ruleCounts(mod *ast.Module) map[string]int {
	out := map[string]int{}
	for _, r := range mod.Rules {
		out[RuleKind(r)]++
	}
	return out
}

func hasStringTerm(mod *ast.Module, want string) bool {
	found := false
	ast.WalkTerms(mod, func(t *ast.Term) bool {
		if s, ok := t.Value.(ast.String); ok && string(s) == want {
			found = true
		}
		return found
	})
	return found
}

// TestInjection puts hostile strings into every element that reaches the
// generated Rego. Each policy is either rejected with a coded error at the
// element's pointer, or lowered to a module that re-parses, compiles with
// the library, and has the same rules and the same code (vars and refs) as
// the same policy with a benign string: hostile text only ever lives in
// string terms.
func TestInjection(t *testing.T) {
	lib := mustLibrary(t)
	for _, p := range placements {
		for _, typ := range p.types {
			baseDoc, _, _ := documentWith(t, typ, p, "benign")
			if p.name == "Action" {
				baseDoc, _ = json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{baseStatement(typ)}})
			}
			base, err := Compile("policy.json", typ, baseDoc)
			if err != nil {
				t.Fatalf("%s/%s: the benign policy does not compile: %v", p.name, typ, err)
			}
			baseNames, baseCounts := codeNames(base.Module), ruleCounts(base.Module)
			for i, h := range hostileStrings {
				t.Run(fmt.Sprintf("%s/%s/%d", p.name, typ, i), func(t *testing.T) {
					data, ptr, term := documentWith(t, typ, p, h)
					c, err := Compile("policy.json", typ, data)
					want := wantRejection(p, typ, h)
					if err != nil {
						for _, e := range schema.List(err) {
							if e.File != "policy.json" || e.Code == "" || !strings.HasPrefix(e.Pointer, "/Statement/0") {
								t.Errorf("diagnostic without file, code or a pointer into the statement: %#v", e)
							}
						}
						if want == "" {
							t.Fatalf("%q in %s (%s): unexpected error %v", h, p.name, typ, err)
						}
						if !hasDiagnostic(err, want, ptr) {
							t.Errorf("%q in %s (%s): want %s at %s, got %v", h, p.name, typ, want, ptr, diagnosticsOf(err))
						}
						return
					}
					if want != "" {
						t.Fatalf("%q in %s (%s): compiled, want %s at %s", h, p.name, typ, want, ptr)
					}
					src, err := Format(c.Module)
					if err != nil {
						t.Fatalf("Format: %v", err)
					}
					mod, err := roundTrip(src, lib)
					if err != nil {
						t.Fatalf("%q in %s (%s): %v", h, p.name, typ, err)
					}
					if got := ruleCounts(mod); fmt.Sprint(got) != fmt.Sprint(baseCounts) {
						t.Errorf("%q in %s (%s): rules %v, want %v as for a benign string\n%s", h, p.name, typ, got, baseCounts, src)
					}
					for name := range ruleCounts(mod) {
						if name != "statements" && name != "match" {
							t.Errorf("unexpected rule head %q", name)
						}
					}
					names := codeNames(mod)
					if strings.Join(names, "\n") != strings.Join(baseNames, "\n") {
						t.Errorf("%q in %s (%s): code differs from the benign policy:\n got %q\nwant %q\n%s", h, p.name, typ, names, baseNames, src)
					}
					for _, n := range names {
						if strings.Contains(n, h) {
							t.Errorf("%q in %s (%s): hostile text appears in code: %s", h, p.name, typ, n)
						}
					}
					if term != "" && !hasStringTerm(mod, term) {
						t.Errorf("%q in %s (%s): the re-parsed module has no string term %q\n%s", h, p.name, typ, term, src)
					}
				})
			}
		}
	}
}

// TestInjectionSid is the case the brief names: a Sid that closes the set
// element and opens a rule. IAM policy types reject it (Sids are
// alphanumeric there); a resource policy keeps it as a plain string.
func TestInjectionSid(t *testing.T) {
	const sid = `x"} allow := true #`
	doc := func(principal bool) []byte {
		st := map[string]any{"Sid": sid, "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}
		if principal {
			st["Principal"] = "*"
		}
		b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": st})
		return b
	}
	_, err := Compile("policy.json", Identity, doc(false))
	if !hasDiagnostic(err, schema.CodeInvalidSid, "/Statement/Sid") {
		t.Errorf("identity policy: want invalid_sid at /Statement/Sid, got %v", diagnosticsOf(err))
	}
	c := compileOne(t, Resource, string(doc(true)))
	src, err := Format(c.Module)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := roundTrip(src, mustLibrary(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := ruleCounts(mod); got["statements"] != 1 || got["match"] != 1 || len(got) != 2 || !strings.Contains(string(src), `"effect": "Deny"`) {
		t.Errorf("rules %v, want one `statements` and one Deny `match`\n%s", got, src)
	}
	if !hasStringTerm(mod, sid) {
		t.Errorf("the Sid is not a string term of the re-parsed module\n%s", src)
	}
}

// TestInjectionControlCharacters: U+0000, U+000B and U+007F (the formatter
// prints the first two as Go escapes that OPA's parser rejects) must be
// rejected with invalid_character at their pointer, in every policy type
// and in member names as well as values.
func TestInjectionControlCharacters(t *testing.T) {
	for _, r := range []rune{0x00, 0x0b, 0x7f, 0x1b, 0x9f} {
		for _, typ := range PolicyTypes {
			st := baseStatement(typ)
			st["Sid"] = "S" + string(r)
			st["Condition"] = map[string]any{"StringEquals": map[string]any{"aws:PrincipalTag/" + string(r): "v" + string(r)}}
			data, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{st}})
			_, err := Compile("policy.json", typ, data)
			keyPtr := schema.Pointer("/Statement/0/Condition/StringEquals", "aws:PrincipalTag/"+string(r))
			for _, ptr := range []string{"/Statement/0/Sid", keyPtr} {
				if !hasDiagnostic(err, schema.CodeInvalidCharacter, ptr) {
					t.Errorf("%U in %s policy: want invalid_character at %q, got %v", r, typ, ptr, diagnosticsOf(err))
				}
			}
		}
	}
}

// TestInjectionNonPrintableRunes: policy types other than IAM's accept
// characters beyond U+00FF. format.AstWithOpts prints strings with Go's
// strconv.Quote, which writes a non-printable rune beyond U+FFFF as
// \UXXXXXXXX, an escape OPA's parser rejects. Such a policy must either be
// rejected with invalid_character or lower to a module that re-parses.
func TestInjectionNonPrintableRunes(t *testing.T) {
	lib := mustLibrary(t)
	for _, r := range []rune{0xF0000, 0xE0001, 0x10FFFD, 0x2028, 0xFEFF, 0x200B, 0x00AD, 0xE000} {
		if unicode.IsPrint(r) {
			t.Fatalf("%U is printable; pick another rune", r)
		}
		for _, typ := range []PolicyType{Resource, VPCE} {
			st := baseStatement(typ)
			st["Sid"] = "S" + string(r)
			data, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{st}})
			c, err := Compile("policy.json", typ, data)
			if err != nil {
				if !hasDiagnostic(err, schema.CodeInvalidCharacter, "/Statement/0/Sid") {
					t.Errorf("%U in a %s policy: rejected, but not with invalid_character at /Statement/0/Sid: %v", r, typ, err)
				}
				continue
			}
			src, err := Format(c.Module)
			if err != nil {
				t.Errorf("%U in a %s policy: Format: %v", r, typ, err)
				continue
			}
			if _, err := roundTrip(src, lib); err != nil {
				t.Errorf("BUG %U in the Sid of a %s policy: Compile accepts it but the formatted module does not re-parse "+
					"(strconv.Quote prints \\U%08x, which Rego rejects); translator/compile.go checkCharacters should reject "+
					"non-printable runes beyond U+FFFF: %v", r, typ, r, firstLine(err))
			}
		}
	}
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
