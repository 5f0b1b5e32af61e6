package rego

import (
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The Go twin of lib/context_checks.rego: a context value AWS could never
// send is an input error (README, "Malformed context values").

// globalKeyTypes is global_key_types: the catalogue type of each global
// condition key, lower-cased.
var globalKeyTypes = map[string]string{
	"aws:assumedroot": "Bool", "aws:calledvia": "ArrayOfString", "aws:calledviaawsmcp": "String",
	"aws:calledviafirst": "String", "aws:calledvialast": "String", "aws:chatbotsourcearn": "ARN",
	"aws:currenttime": "Date", "aws:ec2instancesourceprivateipv4": "IPAddress", "aws:ec2instancesourcevpc": "String",
	"aws:epochtime": "Date", "aws:federatedprovider": "String", "aws:ismcpserviceaction": "Bool",
	"aws:multifactorauthage": "Numeric", "aws:multifactorauthpresent": "Bool", "aws:principalaccount": "String",
	"aws:principalarn": "ARN", "aws:principalisawsservice": "Bool", "aws:principalorgid": "String",
	"aws:principalorgpaths": "ArrayOfString", "aws:principalservicename": "String",
	"aws:principalservicenameslist": "ArrayOfString", "aws:principaltype": "String", "aws:referer": "String",
	"aws:requestedregion": "String", "aws:resourceaccount": "String", "aws:resourceorgid": "String",
	"aws:resourceorgpaths": "ArrayOfString", "aws:securetransport": "Bool", "aws:sourceaccount": "String",
	"aws:sourcearn": "ARN", "aws:sourceidentity": "String", "aws:sourceip": "IPAddress", "aws:sourceorgid": "String",
	"aws:sourceorgpaths": "ArrayOfString", "aws:sourceowner": "String", "aws:sourcevpc": "String",
	"aws:sourcevpcarn": "String", "aws:sourcevpce": "String", "aws:tagkeys": "ArrayOfString",
	"aws:tokenissuetime": "Date", "aws:useragent": "String", "aws:userid": "String", "aws:username": "String",
	"aws:viaawsmcpservice": "Bool", "aws:viaawsservice": "Bool", "aws:vpceaccount": "String",
	"aws:vpceorgid": "String", "aws:vpceorgpaths": "ArrayOfString", "aws:vpcsourceip": "IPAddress",
}

// typeKinds is type_kinds; kindProblems is kind_problems.
var (
	typeKinds    = map[string]string{"Bool": "bool", "Numeric": "number", "Date": "date", "IPAddress": "ip"}
	kindProblems = map[string]string{
		"shape":  "must be a string, a number, a boolean or a list of them",
		"list":   "is a list, but the key is single-valued",
		"scalar": "is not a list, but the key is multivalued",
		"number": "is not a number",
		"date":   "is not a date (ISO 8601 or epoch seconds)",
		"ip":     "is not an IP address",
		"bool":   `is not "true" or "false"`,
	}
	tagKeyPrefixes = []string{"aws:principaltag/", "aws:resourcetag/", "aws:requesttag/"}
)

// defaultContextValueChars is context_value_limit's default.
const defaultContextValueChars = 65536

// contextValueLimit is context_value_limit: data.iam2rego.limits
// .context_value_chars when it is a number, else the default.
func (n *normalizer) contextValueLimit() int {
	if t := n.lookup("limits", "context_value_chars"); t != nil {
		if num, ok := t.Value.(ast.Number); ok {
			if i, ok := num.Int(); ok {
				return i
			}
		}
	}
	return defaultContextValueChars
}

// contextInputErrors adds the input_errors of context_checks.rego.
func (n *normalizer) contextInputErrors(ctx map[string]any, errs map[string]bool) {
	limit := n.contextValueLimit()
	for k, v := range ctx {
		if s, isText := v.(string); isText {
			// The common case, without building terms.
			s = validText(s)
			if p := textProblem(strings.ToLower(k), s); p != "" {
				errs[contextErrorMessage(k, p)] = true
			}
			if len(s) > limit && utf8.RuneCountInString(s) > limit {
				errs[contextErrorMessage(k, fmt.Sprintf("is longer than %d characters", limit))] = true
			}
			continue
		}
		t, ok, err := textValue(v)
		if p := valueProblem(strings.ToLower(k), v, t, ok && err == nil); p != "" {
			errs[contextErrorMessage(k, p)] = true
		}
		if !ok || err != nil {
			continue
		}
		long := false
		if arr, isArr := t.Value.(*ast.Array); isArr {
			arr.Foreach(func(x *ast.Term) { long = long || tooLong(x, limit) })
		} else {
			long = tooLong(t, limit)
		}
		if long {
			errs[contextErrorMessage(k, fmt.Sprintf("is longer than %d characters", limit))] = true
		}
	}
}

func tooLong(t *ast.Term, limit int) bool {
	s, ok := t.Value.(ast.String)
	return ok && len(s) > limit && utf8.RuneCountInString(string(s)) > limit
}

// textProblem is valueProblem for a text value.
func textProblem(key, s string) string {
	typ := globalKeyTypes[key]
	if strings.HasPrefix(typ, "ArrayOf") {
		return kindProblems["scalar"]
	}
	if kind, typed := typeKinds[typ]; typed && !parses(kind, s) {
		return kindProblems[kind]
	}
	return ""
}

// contextValueProblem is context_value_problem ("" when undefined).
func contextValueProblem(key string, v any) string {
	t, ok, err := textValue(v)
	return valueProblem(key, v, t, ok && err == nil)
}

// valueProblem is contextValueProblem given the value's text_value t (ok
// false: none).
func valueProblem(key string, v any, t *ast.Term, ok bool) string {
	if v != nil && (!ok || !shapeOK(v)) {
		return kindProblems["shape"]
	}
	if !ok {
		return "" // null: the key is absent
	}
	typ, global := globalKeyTypes[key]
	arr, isArr := t.Value.(*ast.Array)
	switch {
	case isArr && singleValuedGlobal(key, typ, global):
		return kindProblems["list"]
	case !isArr && strings.HasPrefix(typ, "ArrayOf"):
		return kindProblems["scalar"]
	}
	kind, typed := typeKinds[typ]
	if !typed {
		return ""
	}
	texts := []*ast.Term{t}
	if isArr {
		texts = nil
		arr.Foreach(func(x *ast.Term) { texts = append(texts, x) })
	}
	for _, x := range texts {
		if s, ok := x.Value.(ast.String); !ok || !parses(kind, string(s)) {
			return kindProblems[kind]
		}
	}
	return ""
}

// shapeOK is context_value_shape for a non-null value: a scalar, or a list
// of scalars.
func shapeOK(v any) bool {
	switch x := v.(type) { // the types JSON decoding gives, without a round trip
	case string, bool, json.Number, []string:
		return true
	case map[string]any:
		return false
	case []any:
		for _, e := range x {
			switch e.(type) {
			case string, bool, json.Number:
			default:
				return shapeOKGeneric(v)
			}
		}
		return true
	}
	return shapeOKGeneric(v)
}

// shapeOKGeneric is shapeOK for other Go values, read as JSON.
func shapeOKGeneric(v any) bool {
	g, err := generic(v)
	if err != nil {
		return false
	}
	list, ok := g.([]any)
	if !ok {
		_, isObj := g.(map[string]any)
		return !isObj
	}
	for _, x := range list {
		switch x.(type) {
		case nil, []any, map[string]any:
			return false
		}
	}
	return true
}

func singleValuedGlobal(key, typ string, global bool) bool {
	if global && !strings.HasPrefix(typ, "ArrayOf") {
		return true
	}
	for _, p := range tagKeyPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

var (
	decimalText = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
	epochText   = regexp.MustCompile(`^-?[0-9]+$`)
	yearText    = regexp.MustCompile(`^[0-9]{4}$`)
	// dateForms are the forms of dates.rego's date_ns, with their layouts.
	dateForms = []struct {
		re     *regexp.Regexp
		layout string
	}{
		{yearText, "2006"},
		{regexp.MustCompile(`^[0-9]{4}-[0-9]{2}$`), "2006-01"},
		{regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`), "2006-01-02"},
		{regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$`), "2006-01-02T15:04Z07:00"},
		{regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$`), "2006-01-02T15:04"},
		{regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`), "2006-01-02T15:04:05Z07:00"},
		{regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$`), "2006-01-02T15:04:05"},
	}
)

// parses is context_checks.rego's parses: decimal, date_ns, an address or
// block net.cidr_contains reads, Bool text.
func parses(kind, s string) bool {
	switch kind {
	case "number":
		return decimalText.MatchString(s)
	case "date":
		if epochText.MatchString(s) && !yearText.MatchString(s) {
			return true
		}
		for _, f := range dateForms {
			if f.re.MatchString(s) {
				_, err := time.Parse(f.layout, s)
				return err == nil
			}
		}
		return false
	case "ip":
		if net.ParseIP(s) != nil {
			return true
		}
		_, _, err := net.ParseCIDR(s)
		return err == nil
	case "bool":
		l := strings.ToLower(s)
		return l == "true" || l == "false"
	}
	return false
}

// contextErrorMessage is context_error_message.
func contextErrorMessage(k, problem string) string {
	ptr := strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
	return fmt.Sprintf("context value %s at /context/%s %s", k, ptr, problem)
}

// splitChecks separates the check elements of the match set
// ({"policy", "error", "key"}, translator/lower_checks.go) from the
// statements, and returns context_errors: the messages for the keys the
// caller sent, sorted.
func splitChecks(matches []ast.Object, ctx map[string]any) ([]ast.Object, []string) {
	if !slices.ContainsFunc(matches, func(m ast.Object) bool { return m.Get(ast.StringTerm("error")) != nil }) {
		return matches, nil
	}
	stmts := matches[:0:0]
	var checks []ast.Object
	for _, m := range matches {
		if m.Get(ast.StringTerm("error")) != nil {
			checks = append(checks, m)
		} else {
			stmts = append(stmts, m)
		}
	}
	seen := map[string]bool{}
	for _, m := range checks {
		key, kind := textOf(m, "key"), textOf(m, "error")
		for k := range ctx {
			if strings.ToLower(k) == key && kindProblems[kind] != "" {
				seen[contextErrorMessage(k, kindProblems[kind])] = true
			}
		}
	}
	msgs := make([]string, 0, len(seen))
	for m := range seen {
		msgs = append(msgs, m)
	}
	sort.Strings(msgs)
	return stmts, msgs
}
