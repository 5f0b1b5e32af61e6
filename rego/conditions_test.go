package rego_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
)

// condRow is one condition-library case: a one-statement identity policy
// `Allow s3:GetObject on *` with one Condition, and alice's request for
// arn:aws:s3:::b/k in 111111111111 with the row's context.
type condRow struct {
	name    string
	op      string         // condition operator, e.g. "ForAnyValue:StringLikeIfExists"
	key     string         // condition key; "test:k" when empty
	val     any            // the policy value: a string, json.Number, bool or []any
	block   map[string]any // a whole Condition block, instead of op/key/val
	version string         // policy Version; "2012-10-17" when empty
	ctx     map[string]any // request context (nil: no context keys)
	want    string         // rego.Allow, rego.ImplicitDeny, compileError or inputError
	spec    string         // the IAM-SEMANTICS.md rule the row checks
}

const compileError = "compile error"

// inputError: the request is denied with an input error naming the
// context value (README, "Malformed context values").
const inputError = "input error"

const (
	yes = rego.Allow
	no  = rego.ImplicitDeny
)

// k is a context with the single key test:k.
func k(v any) map[string]any { return map[string]any{"test:k": v} }

// kv builds a context from key/value pairs.
func kv(pairs ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i].(string)] = pairs[i+1]
	}
	return m
}

// vals is a list of policy values.
func vals(vs ...any) []any { return vs }

// list is a multivalued context value (never nil: an empty list is present).
func list(vs ...string) []string {
	if vs == nil {
		return []string{}
	}
	return vs
}

func (r condRow) condition() map[string]any {
	if r.block != nil {
		return r.block
	}
	key := r.key
	if key == "" {
		key = "test:k"
	}
	return map[string]any{r.op: map[string]any{key: r.val}}
}

func (r condRow) document() map[string]any {
	doc := policy(allowGet(r.condition()))
	if r.version != "" {
		doc["Version"] = r.version
	}
	return doc
}

var conditionRows = []condRow{
	// --- §3.3 the missing-key table -------------------------------------
	{name: "absent/StringEquals", op: "StringEquals", val: "a", want: no, spec: "§3.3 positive operator, key absent → false"},
	{name: "absent/StringLike", op: "StringLike", val: "*", want: no, spec: "§3.3 positive → false (even for a pattern matching everything)"},
	{name: "absent/StringEqualsIgnoreCase", op: "StringEqualsIgnoreCase", val: "a", want: no, spec: "§3.3 positive → false"},
	{name: "absent/NumericEquals", op: "NumericEquals", val: "1", want: no, spec: "§3.3 positive → false"},
	{name: "absent/DateEquals", op: "DateEquals", val: "2020", want: no, spec: "§3.3 positive → false"},
	{name: "absent/Bool", op: "Bool", val: "false", want: no, spec: "§3.3 positive → false (MFA trap, §3.7)"},
	{name: "absent/BinaryEquals", op: "BinaryEquals", val: "YQ==", want: no, spec: "§3.3 positive → false"},
	{name: "absent/IpAddress", op: "IpAddress", val: "0.0.0.0/0", want: no, spec: "§3.3 positive → false"},
	{name: "absent/ArnLike", op: "ArnLike", val: "arn:*:*:*:*:*", want: no, spec: "§3.3 positive → false"},
	{name: "absent/ArnEquals", op: "ArnEquals", val: "arn:aws:sns:us-east-1:111111111111:t", want: no, spec: "§3.3 positive → false"},
	{name: "absent/StringNotEquals", op: "StringNotEquals", val: "a", want: yes, spec: "§3.3 negated operator, key absent → true"},
	{name: "absent/StringNotEqualsIgnoreCase", op: "StringNotEqualsIgnoreCase", val: "a", want: yes, spec: "§3.3 negated → true"},
	{name: "absent/StringNotLike", op: "StringNotLike", val: "a*", want: yes, spec: "§3.3 negated → true"},
	{name: "absent/NumericNotEquals", op: "NumericNotEquals", val: "1", want: yes, spec: "§3.3 negated → true"},
	{name: "absent/DateNotEquals", op: "DateNotEquals", val: "2020", want: yes, spec: "§3.3 negated → true"},
	{name: "absent/NotIpAddress", op: "NotIpAddress", val: "203.0.113.0/24", want: yes, spec: "§3.3 negated → true (E8)"},
	{name: "absent/ArnNotEquals", op: "ArnNotEquals", val: "arn:aws:sns:us-east-1:111111111111:t", want: yes, spec: "§3.3 negated → true"},
	{name: "absent/ArnNotLike", op: "ArnNotLike", val: "arn:aws:sns:*:*:*", want: yes, spec: "§3.3 negated → true"},
	{name: "absent/StringEqualsIfExists", op: "StringEqualsIfExists", val: "a", want: yes, spec: "§3.3 IfExists, key absent → true"},
	{name: "absent/StringNotEqualsIfExists", op: "StringNotEqualsIfExists", val: "a", want: yes, spec: "§3.3 IfExists (negated) → true"},
	{name: "absent/StringLikeIfExists", op: "StringLikeIfExists", val: "t3.*", want: yes, spec: "§3.3 IfExists → true (E9)"},
	{name: "absent/NumericLessThanIfExists", op: "NumericLessThanIfExists", val: "1", want: yes, spec: "§3.3 IfExists → true"},
	{name: "absent/DateGreaterThanIfExists", op: "DateGreaterThanIfExists", val: "2020", want: yes, spec: "§3.3 IfExists → true"},
	{name: "absent/BoolIfExists", op: "BoolIfExists", val: "true", want: yes, spec: "§3.3 IfExists → true (§3.7)"},
	{name: "absent/IpAddressIfExists", op: "IpAddressIfExists", val: "10.0.0.0/8", want: yes, spec: "§3.3 IfExists → true"},
	{name: "absent/ArnLikeIfExists", op: "ArnLikeIfExists", val: "arn:aws:sns:*:*:*", want: yes, spec: "§3.3 IfExists → true"},
	{name: "absent/BinaryEqualsIfExists", op: "BinaryEqualsIfExists", val: "YQ==", want: yes, spec: "§3.3 IfExists → true"},
	{name: "present/StringEqualsIfExists match", op: "StringEqualsIfExists", val: "a", ctx: k("a"), want: yes, spec: "§3.3 IfExists with the key present = base operator"},
	{name: "present/StringEqualsIfExists mismatch", op: "StringEqualsIfExists", val: "a", ctx: k("b"), want: no, spec: "§3.3 IfExists with the key present = base operator"},
	{name: "present/StringNotEqualsIfExists equal", op: "StringNotEqualsIfExists", val: "a", ctx: k("a"), want: no, spec: "§3.3 IfExists with the key present = base operator"},
	{name: "present/StringLikeIfExists m5", op: "StringLikeIfExists", val: vals("t3.*"), ctx: k("m5.large"), want: no, spec: "§3.3, E9"},

	{name: "Null true/absent", op: "Null", val: "true", want: yes, spec: "§3.3 Null true, key absent → true"},
	{name: "Null true/present", op: "Null", val: "true", ctx: k("x"), want: no, spec: "§3.5 Null true means absent"},
	{name: "Null true/present empty string", op: "Null", val: "true", ctx: k(""), want: no, spec: "§3.2 \"\" is a present value"},
	{name: "Null true/present empty list", op: "Null", val: "true", ctx: k(list()), want: no, spec: "§3.5 an empty list counts as present for Null"},
	{name: "Null false/absent", op: "Null", val: "false", want: no, spec: "§3.3 Null false, key absent → false"},
	{name: "Null false/present", op: "Null", val: "false", ctx: k("x"), want: yes, spec: "§3.5 Null false means present"},
	{name: "Null false/present empty list", op: "Null", val: "false", ctx: k(list()), want: yes, spec: "§3.5 an empty list counts as present"},
	{name: "Null JSON true/absent", op: "Null", val: true, want: yes, spec: "§1.5 JSON true ≡ \"true\""},
	{name: "Null [true,false] is OR", op: "Null", val: vals("true", "false"), ctx: k("x"), want: yes, spec: "§3.5 Null values are OR-ed"},
	{name: "Null with IfExists is rejected", op: "NullIfExists", val: "true", want: compileError, spec: "§3.5 Null cannot take IfExists"},
	{name: "Null with a set prefix is rejected", op: "ForAllValues:Null", val: "true", want: compileError, spec: "§3.5 Null takes no set prefix"},

	{name: "ForAllValues/absent", op: "ForAllValues:StringEquals", val: vals("env", "team"), want: yes, spec: "§3.3 ForAllValues, key absent → true (E12)"},
	{name: "ForAllValues/empty list", op: "ForAllValues:StringEquals", val: vals("env", "team"), ctx: k(list()), want: yes, spec: "§3.6 ForAllValues with R empty → true"},
	{name: "ForAllValues/all match", op: "ForAllValues:StringEquals", val: vals("env", "team"), ctx: k(list("env", "team")), want: yes, spec: "§3.6 every r matches"},
	{name: "ForAllValues/some match", op: "ForAllValues:StringEquals", val: vals("env", "team"), ctx: k(list("env", "owner")), want: no, spec: "§3.6 one r does not match (E12)"},
	{name: "ForAllValues/single value present", op: "ForAllValues:StringEquals", val: vals("env"), ctx: k("env"), want: yes, spec: "§3.6 a single value is treated as [v]"},
	{name: "ForAllValues/negated absent", op: "ForAllValues:StringNotEquals", val: "a", want: yes, spec: "§3.3 ForAllValues (negated) absent → true"},
	{name: "ForAllValues/IfExists absent", op: "ForAllValues:StringEqualsIfExists", val: "a", want: yes, spec: "§3.3 ForAllValues…IfExists absent → true"},
	{name: "ForAllValues/StringNotLike none", op: "ForAllValues:StringNotLike", val: "key1*", ctx: k(list("a", "b")), want: yes, spec: "§3.6 negation applied per element"},
	{name: "ForAllValues/StringNotLike one hits", op: "ForAllValues:StringNotLike", val: "key1*", ctx: k(list("key1x", "b")), want: no, spec: "§3.6 negation applied per element"},
	{name: "ForAllValues/NumericLessThan all", op: "ForAllValues:NumericLessThan", val: "10", ctx: k(list("1", "9.5")), want: yes, spec: "§3.6 with a Numeric base"},
	{name: "ForAllValues/NumericLessThan one fails", op: "ForAllValues:NumericLessThan", val: "10", ctx: k(list("1", "10")), want: no, spec: "§3.6 with a Numeric base"},

	{name: "ForAnyValue/absent", op: "ForAnyValue:StringEquals", val: "secret", want: no, spec: "§3.3 ForAnyValue, key absent → false (E13)"},
	{name: "ForAnyValue/empty list", op: "ForAnyValue:StringEquals", val: "secret", ctx: k(list()), want: no, spec: "§3.6 ForAnyValue with R empty → false"},
	{name: "ForAnyValue/some match", op: "ForAnyValue:StringEquals", val: "secret", ctx: k(list("x", "secret")), want: yes, spec: "§3.6 at least one r matches"},
	{name: "ForAnyValue/none match", op: "ForAnyValue:StringEquals", val: "secret", ctx: k(list("x", "y")), want: no, spec: "§3.6"},
	{name: "ForAnyValue/single value present", op: "ForAnyValue:StringEquals", val: "secret", ctx: k("secret"), want: yes, spec: "§3.6 a single value is treated as [v]"},
	{name: "ForAnyValue/negated absent", op: "ForAnyValue:StringNotEquals", val: "a", want: no, spec: "§3.3 ForAnyValue (any op, no IfExists) absent → false"},
	{name: "ForAnyValue/StringNotEquals one other", op: "ForAnyValue:StringNotEquals", val: vals("a", "b"), ctx: k(list("a", "z")), want: yes, spec: "§3.6 true when one value is neither a nor b"},
	{name: "ForAnyValue/StringNotEquals all listed", op: "ForAnyValue:StringNotEquals", val: vals("a", "b"), ctx: k(list("a", "b")), want: no, spec: "§3.6"},
	{name: "ForAnyValue/IfExists absent", op: "ForAnyValue:StringEqualsIfExists", val: "a", want: yes, spec: "§3.3 ForAnyValue…IfExists absent → true (AWS general IfExists rule; oracle differs, Appendix A #14)"},
	{name: "ForAnyValue/StringLikeIfExists absent", op: "ForAnyValue:StringLikeIfExists", val: "a*", want: yes, spec: "§3.3 ForAnyValue…IfExists absent → true"},
	{name: "ForAnyValue/IfExists empty list", op: "ForAnyValue:StringEqualsIfExists", val: "a", ctx: k(list()), want: no, spec: "§3.3/§3.6 IfExists only changes absence; R empty → false"},
	{name: "ForAnyValue/IfExists present match", op: "ForAnyValue:StringEqualsIfExists", val: "a", ctx: k(list("b", "a")), want: yes, spec: "§3.3 present → base set operator"},

	// --- §3.1 OR for positive operators, NOR for negated ones --------------
	{name: "OR/StringEquals second value", op: "StringEquals", val: vals("us-east-1", "eu-west-1"), ctx: k("eu-west-1"), want: yes, spec: "§3.1 values OR-ed (E3)"},
	{name: "NOR/StringNotEquals first", op: "StringNotEquals", val: vals("a", "b"), ctx: k("a"), want: no, spec: "§3.1 negated = matches none"},
	{name: "NOR/StringNotEquals second", op: "StringNotEquals", val: vals("a", "b"), ctx: k("b"), want: no, spec: "§3.1 negated = matches none (E5)"},
	{name: "NOR/StringNotEquals neither", op: "StringNotEquals", val: vals("a", "b"), ctx: k("c"), want: yes, spec: "§3.1"},
	{name: "NOR/StringNotLike", op: "StringNotLike", val: vals("a*", "*z"), ctx: k("xyz"), want: no, spec: "§3.1"},
	{name: "NOR/StringNotLike neither", op: "StringNotLike", val: vals("a*", "*z"), ctx: k("xyq"), want: yes, spec: "§3.1"},
	{name: "NOR/NumericNotEquals", op: "NumericNotEquals", val: vals("1", "2"), ctx: k("2"), want: no, spec: "§3.1"},
	{name: "NOR/NumericNotEquals neither", op: "NumericNotEquals", val: vals("1", "2"), ctx: k("3"), want: yes, spec: "§3.1"},
	{name: "NOR/DateNotEquals", op: "DateNotEquals", val: vals("2020", "2021"), ctx: k("2021-01-01T00:00:00Z"), want: no, spec: "§3.1"},
	{name: "NOR/NotIpAddress", op: "NotIpAddress", val: vals("10.0.0.0/8", "192.168.0.0/16"), ctx: k("192.168.1.1"), want: no, spec: "§3.1"},
	{name: "NOR/NotIpAddress neither", op: "NotIpAddress", val: vals("10.0.0.0/8", "192.168.0.0/16"), ctx: k("8.8.8.8"), want: yes, spec: "§3.1"},
	{name: "NOR/ArnNotEquals", op: "ArnNotEquals", val: vals("arn:aws:sns:us-east-1:111111111111:a", "arn:aws:sns:us-east-1:111111111111:b"), ctx: k("arn:aws:sns:us-east-1:111111111111:b"), want: no, spec: "§3.1"},
	{name: "NOR/ArnNotLike neither", op: "ArnNotLike", val: vals("arn:aws:sns:us-east-1:111111111111:a*", "arn:aws:sns:us-east-1:111111111111:b*"), ctx: k("arn:aws:sns:us-east-1:111111111111:c"), want: yes, spec: "§3.1"},
	{name: "NOR/StringNotEqualsIgnoreCase", op: "StringNotEqualsIgnoreCase", val: vals("A", "B"), ctx: k("b"), want: no, spec: "§3.1"},
	{name: "AND/two keys one fails", block: map[string]any{"StringEquals": map[string]any{"test:a": "1", "test:b": "2"}}, ctx: kv("test:a", "1", "test:b", "3"), want: no, spec: "§3.1 AND across keys (E4)"},
	{name: "AND/two operators both hold", block: map[string]any{"StringEquals": map[string]any{"test:a": "1"}, "StringLike": map[string]any{"test:b": "x*"}}, ctx: kv("test:a", "1", "test:b", "xy"), want: yes, spec: "§3.1 AND across operators"},
	{name: "AND/two operators one fails", block: map[string]any{"StringEquals": map[string]any{"test:a": "1"}, "StringLike": map[string]any{"test:b": "x*"}}, ctx: kv("test:a", "1", "test:b", "yx"), want: no, spec: "§3.1 AND across operators"},

	// --- §3.6 plain operators on a multivalued (list) context value --------
	{name: "list/StringEquals", op: "StringEquals", val: "env", ctx: k(list("env")), want: inputError, spec: "README malformed context (was: §3.6 plain operator on a list → false (E15))"},
	{name: "multi-list/StringEquals", key: "aws:TagKeys", op: "StringEquals", val: "env", ctx: kv("aws:TagKeys", list("env")), want: no, spec: "§3.6 plain operator on a list → false (E15)"},
	{name: "list/StringNotEquals", op: "StringNotEquals", val: "env", ctx: k(list("other")), want: inputError, spec: "README malformed context (was: §3.6 plain negated operator on a list → false)"},
	{name: "multi-list/StringNotEquals", key: "aws:TagKeys", op: "StringNotEquals", val: "env", ctx: kv("aws:TagKeys", list("other")), want: no, spec: "§3.6 plain negated operator on a list → false"},
	{name: "list/StringNotEquals empty", op: "StringNotEquals", val: "env", ctx: k(list()), want: inputError, spec: "README malformed context (was: §3.6 an empty list is present; plain operator → false)"},
	{name: "multi-list/StringNotEquals empty", key: "aws:TagKeys", op: "StringNotEquals", val: "env", ctx: kv("aws:TagKeys", list()), want: no, spec: "§3.6 an empty list is present; plain operator → false"},
	{name: "list/StringLike", op: "StringLike", val: "*", ctx: k(list("a")), want: inputError, spec: "README malformed context (was: §3.6)"},
	{name: "list/StringNotLike", op: "StringNotLike", val: "zzz", ctx: k(list("a")), want: inputError, spec: "README malformed context (was: §3.6)"},
	{name: "list/StringEqualsIfExists", op: "StringEqualsIfExists", val: "a", ctx: k(list("a")), want: inputError, spec: "README malformed context (was: §3.6 present list: IfExists = base → false)"},
	{name: "list/StringNotEqualsIfExists", op: "StringNotEqualsIfExists", val: "a", ctx: k(list("b")), want: inputError, spec: "README malformed context (was: §3.6)"},
	{name: "list/NumericEquals", op: "NumericEquals", val: "1", ctx: k(list("1")), want: inputError, spec: "README malformed context (was: §3.6)"},
	{name: "list/NotIpAddress", op: "NotIpAddress", val: "10.0.0.0/8", ctx: k(list("8.8.8.8")), want: inputError, spec: "README malformed context (was: §3.6)"},
	{name: "list/Bool", op: "Bool", val: "true", ctx: k(list("true")), want: inputError, spec: "README malformed context (was: §3.6)"},

	// --- §3.4 String operators ------------------------------------------
	{name: "StringEquals/exact", op: "StringEquals", val: "abc", ctx: k("abc"), want: yes, spec: "§3.4"},
	{name: "StringEquals/case-sensitive", op: "StringEquals", val: "Alice", ctx: k("alice"), want: no, spec: "§3.4 byte-exact (E2)"},
	{name: "StringEquals/star is literal", op: "StringEquals", val: "home/*", ctx: k("home/alice"), want: no, spec: "§3.4 * is literal (E16)"},
	{name: "StringEquals/star literal match", op: "StringEquals", val: "home/*", ctx: k("home/*"), want: yes, spec: "§3.4 (E16)"},
	{name: "StringEquals/question mark literal", op: "StringEquals", val: "a?c", ctx: k("abc"), want: no, spec: "§3.4 ? is literal"},
	{name: "StringEquals/empty string value", op: "StringEquals", val: "", ctx: k(""), want: yes, spec: "§3.2 \"\" is a present value"},
	{name: "StringEquals/JSON number context", op: "StringEquals", val: "10", ctx: k(10), want: yes, spec: "§1.5 scalars as text"},
	{name: "StringEquals/JSON bool policy", op: "StringEquals", val: true, ctx: k("true"), want: yes, spec: "§1.5 true ≡ \"true\""},
	{name: "StringNotEquals/equal", op: "StringNotEquals", val: "a", ctx: k("a"), want: no, spec: "§3.4"},
	{name: "StringNotEquals/different case", op: "StringNotEquals", val: "a", ctx: k("A"), want: yes, spec: "§3.4"},
	{name: "IgnoreCase/ASCII", op: "StringEqualsIgnoreCase", val: "Alice", ctx: k("aLICE"), want: yes, spec: "§3.4 (E2)"},
	{name: "IgnoreCase/Latin-1 umlaut", op: "StringEqualsIgnoreCase", val: "ÄRGER", ctx: k("ärger"), want: yes, spec: "§3.4 Unicode simple folding"},
	{name: "IgnoreCase/y-diaeresis folds to U+0178", op: "StringEqualsIgnoreCase", val: "ÿ", ctx: k("Ÿ"), want: yes, spec: "§3.4 strings.EqualFold(\"ÿ\",\"Ÿ\") is true"},
	{name: "IgnoreCase/micro sign folds to Greek mu", op: "StringEqualsIgnoreCase", val: "µ", ctx: k("μ"), want: yes, spec: "§3.4 strings.EqualFold(\"µ\",\"μ\") is true"},
	{name: "IgnoreCase/sharp s is not SS", op: "StringEqualsIgnoreCase", val: "straße", ctx: k("STRASSE"), want: no, spec: "§3.4 simple (not full) folding"},
	{name: "IgnoreCase/different letters", op: "StringEqualsIgnoreCase", val: "abc", ctx: k("abd"), want: no, spec: "§3.4"},
	{name: "IgnoreCase/dotless i is not i", op: "StringEqualsIgnoreCase", val: "admin", ctx: k("admın"), want: no, spec: "§3.4 [INFERRED] Go strings.EqualFold(\"admin\",\"admın\") is false (U+0131 dotless i only folds with itself)"},
	{name: "IgnoreCase/dotted capital I is not i", op: "StringEqualsIgnoreCase", val: "admin", ctx: k("admİn"), want: no, spec: "§3.4 [INFERRED] Go strings.EqualFold(\"admin\",\"admİn\") is false (U+0130 only folds with itself)"},
	{name: "NotEqualsIgnoreCase/equal", op: "StringNotEqualsIgnoreCase", val: "ABC", ctx: k("abc"), want: no, spec: "§3.4"},
	{name: "NotEqualsIgnoreCase/different", op: "StringNotEqualsIgnoreCase", val: "ABC", ctx: k("abd"), want: yes, spec: "§3.4"},
	{name: "StringLike/star", op: "StringLike", val: "a*c", ctx: k("abbbc"), want: yes, spec: "§2.1 * any sequence"},
	{name: "StringLike/star empty", op: "StringLike", val: "a*c", ctx: k("ac"), want: yes, spec: "§2.1 * includes the empty sequence"},
	{name: "StringLike/star crosses slash", op: "StringLike", val: "home/*", ctx: k("home/a/b/c"), want: yes, spec: "§2.1 (E16)"},
	{name: "StringLike/question one char", op: "StringLike", val: "a?c", ctx: k("abc"), want: yes, spec: "§2.1 ? exactly one"},
	{name: "StringLike/question not zero", op: "StringLike", val: "a?c", ctx: k("ac"), want: no, spec: "§2.1 ? exactly one"},
	{name: "StringLike/question not two", op: "StringLike", val: "a?c", ctx: k("abbc"), want: no, spec: "§2.1 ? exactly one"},
	{name: "StringLike/question non-ASCII rune", op: "StringLike", val: "a?c", ctx: k("aäc"), want: yes, spec: "§2.1 ? is one character, not one byte"},
	{name: "StringLike/star matches newline", op: "StringLike", val: "a*", ctx: k("a\nb"), want: yes, spec: "§2.1 * any sequence, newlines included"},
	{name: "StringLike/question matches newline", op: "StringLike", val: "a?b", ctx: k("a\nb"), want: yes, spec: "§2.1"},
	{name: "StringLike/newline in policy value", op: "StringLike", val: "a\nb*", ctx: k("a\nbc"), want: yes, spec: "§2.1 other characters are literal"},
	{name: "StringLike/anchored at end (trailing newline)", op: "StringLike", val: "abc", ctx: k("abc\n"), want: no, spec: "§2.1 anchored: the whole subject"},
	{name: "StringLike/anchored at start", op: "StringLike", val: "b*", ctx: k("ab"), want: no, spec: "§2.1 anchored"},
	{name: "StringLike/dot is literal", op: "StringLike", val: "a.c", ctx: k("abc"), want: no, spec: "§2.1 . is literal"},
	{name: "StringLike/brackets are literal", op: "StringLike", val: "a[bc]", ctx: k("ab"), want: no, spec: "§2.1 [ ] are literal"},
	{name: "StringLike/brackets literal match", op: "StringLike", val: "a[bc]{1}", ctx: k("a[bc]{1}"), want: yes, spec: "§2.1"},
	{name: "StringLike/backslash literal", op: "StringLike", val: `a\*`, ctx: k(`a\xyz`), want: yes, spec: "§2.1 no escape character"},
	{name: "StringLike/case-sensitive", op: "StringLike", val: "A*", ctx: k("abc"), want: no, spec: "§3.4"},
	{name: "StringLike/star matches empty value", op: "StringLike", val: "*", ctx: k(""), want: yes, spec: "§2.1"},
	{name: "StringNotLike/match", op: "StringNotLike", val: "a*", ctx: k("abc"), want: no, spec: "§3.4"},
	{name: "StringNotLike/no match", op: "StringNotLike", val: "a*", ctx: k("xyz"), want: yes, spec: "§3.4"},

	// --- §3.5 Numeric ----------------------------------------------------
	{name: "Numeric/10 = 10", op: "NumericEquals", val: "10", ctx: k("10"), want: yes, spec: "§3.5"},
	{name: "Numeric/10 = 10.0", op: "NumericEquals", val: "10", ctx: k("10.0"), want: yes, spec: "§3.5 decimal comparison"},
	{name: "Numeric/10 = +10", op: "NumericEquals", val: "10", ctx: k("+10"), want: yes, spec: "§3.5 optional sign"},
	{name: "Numeric/0.5 = .5", op: "NumericEquals", val: "0.5", ctx: k(".5"), want: yes, spec: "§3.5 decimals"},
	{name: "Numeric/5 = 5.", op: "NumericEquals", val: "5", ctx: k("5."), want: yes, spec: "§3.5 decimals"},
	{name: "Numeric/7 = 007", op: "NumericEquals", val: "7", ctx: k("007"), want: yes, spec: "§3.5 leading zeros"},
	{name: "Numeric/-0 = 0", op: "NumericEquals", val: "0", ctx: k("-0"), want: yes, spec: "§3.5"},
	{name: "Numeric/1e3 is not 1000", op: "NumericEquals", val: "1000", ctx: k("1e3"), want: inputError, spec: "README malformed context (was: §3.5 1e3 is not a strict decimal → false)"},
	{name: "Numeric/10abc is not 10", op: "NumericEquals", val: "10", ctx: k("10abc"), want: inputError, spec: "README malformed context (was: §3.5 no numeric prefixes (Appendix A #12))"},
	{name: "Numeric/space is not a number", op: "NumericEquals", val: "10", ctx: k(" 10"), want: inputError, spec: "README malformed context (was: §3.5)"},
	{name: "Numeric/empty is not a number", op: "NumericEquals", val: "0", ctx: k(""), want: inputError, spec: "README malformed context (was: §3.5)"},
	{name: "Numeric/hex is not a number", op: "NumericEquals", val: "16", ctx: k("0x10"), want: inputError, spec: "README malformed context (was: §3.5)"},
	{name: "Numeric/policy 10.0", op: "NumericEquals", val: "10.0", ctx: k("10"), want: yes, spec: "§3.5"},
	{name: "Numeric/policy +10", op: "NumericEquals", val: "+10", ctx: k("10"), want: yes, spec: "§3.5"},
	{name: "Numeric/policy .5", op: "NumericEquals", val: ".5", ctx: k("0.5"), want: yes, spec: "§3.5"},
	{name: "Numeric/policy 5.", op: "NumericEquals", val: "5.", ctx: k("5"), want: yes, spec: "§3.5"},
	{name: "Numeric/policy 007", op: "NumericEquals", val: "007", ctx: k("7"), want: yes, spec: "§3.5"},
	{name: "Numeric/policy JSON number", op: "NumericLessThanEquals", val: json.Number("10"), ctx: k("10"), want: yes, spec: "§3.5 (E17)"},
	{name: "Numeric/context JSON number", op: "NumericLessThanEquals", val: "10", ctx: k(10), want: yes, spec: "§3.5 (E17)"},
	{name: "Numeric/context JSON number, 10 digits", op: "NumericGreaterThan", key: "aws:EpochTime", val: "1700000000", ctx: kv("aws:EpochTime", 1700000001), want: yes, spec: "§3.5 (E19 with the epoch given as a JSON number, §1.5 numbers as their JSON text)"},
	{name: "Numeric/context JSON number, 7 digits", op: "NumericEquals", val: "1234567", ctx: k(1234567), want: yes, spec: "§3.5, §1.5"},
	{name: "Numeric/policy 1e3 rejected", op: "NumericEquals", val: "1e3", want: compileError, spec: "§3.5 reject non-decimal policy values"},
	{name: "Numeric/policy 10abc rejected", op: "NumericEquals", val: "10abc", want: compileError, spec: "§3.5"},
	{name: "Numeric/variable rejected", op: "NumericLessThan", val: "${aws:PrincipalTag/limit}", want: compileError, spec: "§4.2 no variables in Numeric (E27)"},
	{name: "Numeric/big integers", op: "NumericEquals", val: "123456789012345678901234567890", ctx: k("123456789012345678901234567890"), want: yes, spec: "§3.5"},
	{name: "Numeric/big integers differ", op: "NumericEquals", val: "123456789012345678901234567890", ctx: k("123456789012345678901234567891"), want: no, spec: "§3.5"},
	{name: "Numeric/policy decimal beyond float64, equal", op: "NumericEquals", val: "1.00000000000000001", ctx: k("1"), want: no, spec: "§3.5 compare as decimal numbers: 1.00000000000000001 ≠ 1"},
	{name: "Numeric/policy decimal beyond float64, greater", op: "NumericGreaterThan", val: "1.00000000000000001", ctx: k("1.00000000000000001"), want: no, spec: "§3.5 a value is not greater than itself"},
	{name: "NumericLessThan/9.99 < 10", op: "NumericLessThan", val: "10", ctx: k("9.99"), want: yes, spec: "§3.5 context < policy"},
	{name: "NumericLessThan/10 < 10", op: "NumericLessThan", val: "10", ctx: k("10"), want: no, spec: "§3.5"},
	{name: "NumericLessThan/negative", op: "NumericLessThan", val: "-10", ctx: k("-11"), want: yes, spec: "§3.5"},
	{name: "NumericLessThanEquals/10.0", op: "NumericLessThanEquals", val: "10", ctx: k("10.0"), want: yes, spec: "§3.5"},
	{name: "NumericLessThanEquals/11", op: "NumericLessThanEquals", val: "10", ctx: k("11"), want: no, spec: "§3.5 (E17)"},
	{name: "NumericGreaterThan/just above", op: "NumericGreaterThan", val: "10", ctx: k("10.000001"), want: yes, spec: "§3.5"},
	{name: "NumericGreaterThan/epoch", op: "NumericGreaterThan", val: "1700000000", ctx: k("1700000001"), want: yes, spec: "§3.5 (E19)"},
	{name: "NumericGreaterThanEquals/equal", op: "NumericGreaterThanEquals", val: "10", ctx: k("10"), want: yes, spec: "§3.5"},
	{name: "NumericGreaterThanEquals/below", op: "NumericGreaterThanEquals", val: "10", ctx: k("9"), want: no, spec: "§3.5"},
	{name: "NumericNotEquals/10.0", op: "NumericNotEquals", val: "10", ctx: k("10.0"), want: no, spec: "§3.5"},
	{name: "NumericNotEquals/11", op: "NumericNotEquals", val: "10", ctx: k("11"), want: yes, spec: "§3.5"},

	// --- §3.5 Date ---------------------------------------------------------
	{name: "Date/Z", op: "DateEquals", val: "2020-01-01T00:00:00Z", ctx: k("2020-01-01T00:00:00Z"), want: yes, spec: "§3.5"},
	{name: "Date/+02:00 same instant", op: "DateEquals", val: "2020-01-01T00:00:00Z", ctx: k("2020-01-01T02:00:00+02:00"), want: yes, spec: "§3.5 instants, TZD ±hh:mm"},
	{name: "Date/+02:00 different instant", op: "DateEquals", val: "2020-01-01T00:00:00Z", ctx: k("2020-01-01T00:00:00+02:00"), want: no, spec: "§3.5"},
	{name: "Date/policy +02:00", op: "DateEquals", val: "2020-01-01T02:00:00+02:00", ctx: k("2020-01-01T00:00:00Z"), want: yes, spec: "§3.5"},
	{name: "Date/hh:mm form", op: "DateEquals", val: "2020-01-01T00:00:00Z", ctx: k("2020-01-01T00:00Z"), want: yes, spec: "§3.5 YYYY-MM-DDThh:mmTZD"},
	{name: "Date/fraction", op: "DateEquals", val: "2020-01-01T00:00:00Z", ctx: k("2020-01-01T00:00:00.000Z"), want: yes, spec: "§3.5 YYYY-MM-DDThh:mm:ss.sTZD"},
	{name: "Date/fraction later", op: "DateGreaterThan", val: "2020-01-01T00:00:00Z", ctx: k("2020-01-01T00:00:00.5Z"), want: yes, spec: "§3.5"},
	{name: "Date/context YYYY", op: "DateEquals", val: "2020-01-01T00:00:00Z", ctx: k("2020"), want: yes, spec: "§3.5 reduced form = first instant"},
	{name: "Date/context YYYY-MM", op: "DateEquals", val: "2020-01-01T00:00:00Z", ctx: k("2020-01"), want: yes, spec: "§3.5 reduced form"},
	{name: "Date/context YYYY-MM-DD", op: "DateEquals", val: "2020-01-01T00:00:00Z", ctx: k("2020-01-01"), want: yes, spec: "§3.5 reduced form"},
	{name: "Date/policy YYYY", op: "DateEquals", val: "2020", ctx: k("2020-01-01T00:00:00Z"), want: yes, spec: "§3.5 reduced form"},
	{name: "Date/policy YYYY-MM", op: "DateGreaterThanEquals", val: "2020-06", ctx: k("2020-06-01"), want: yes, spec: "§3.5 reduced form"},
	{name: "Date/policy YYYY-MM after", op: "DateLessThan", val: "2020-06", ctx: k("2020-05-31T23:59:59Z"), want: yes, spec: "§3.5"},
	{name: "Date/policy YYYY-MM-DD", op: "DateLessThan", val: "2020-06-02", ctx: k("2020-06-02T00:00:00Z"), want: no, spec: "§3.5"},
	{name: "Date/epoch context vs ISO policy", op: "DateEquals", val: "2020-01-01T00:00:00Z", ctx: k("1577836800"), want: yes, spec: "§3.5 epoch seconds vs ISO, same unit"},
	{name: "Date/epoch context GreaterThan", op: "DateGreaterThan", val: "2024-01-01T00:00:00Z", ctx: k("1735689600"), want: yes, spec: "§3.5 (E18)"},
	{name: "Date/epoch context LessThan", op: "DateLessThan", val: "2024-01-01T00:00:00Z", ctx: k("1735689600"), want: no, spec: "§3.5 (E18 converse)"},
	{name: "Date/ISO context vs epoch policy", op: "DateEquals", val: "1577836800", ctx: k("2020-01-01T00:00:00Z"), want: yes, spec: "§3.5"},
	{name: "Date/JSON number context", op: "DateEquals", val: "2020-01-01T00:00:00Z", ctx: k(1577836800), want: yes, spec: "§3.5 epoch as a JSON number"},
	{name: "Date/epoch milliseconds are seconds", op: "DateEquals", val: "2020-01-01T00:00:00Z", ctx: k("1577836800000"), want: no, spec: "§3.5 epoch is seconds"},
	{name: "Date/LessThan", op: "DateLessThan", val: "2030-01-01T00:00:00Z", ctx: k("2029-12-31T23:59:59Z"), want: yes, spec: "§3.5 (E18)"},
	{name: "Date/LessThan offset policy", op: "DateLessThan", val: "2020-01-01T00:00:00+02:00", ctx: k("2019-12-31T22:30:00Z"), want: no, spec: "§3.5 +02:00 is 22:00Z"},
	{name: "Date/LessThan offset policy before", op: "DateLessThan", val: "2020-01-01T00:00:00+02:00", ctx: k("2019-12-31T21:59:59Z"), want: yes, spec: "§3.5"},
	{name: "Date/LessThanEquals equal", op: "DateLessThanEquals", val: "2020", ctx: k("2020-01-01T00:00:00Z"), want: yes, spec: "§3.5"},
	{name: "Date/GreaterThanEquals below", op: "DateGreaterThanEquals", val: "2020", ctx: k("2019-12-31T23:59:59Z"), want: no, spec: "§3.5"},
	{name: "Date/NotEquals equal", op: "DateNotEquals", val: "2020", ctx: k("2020-01-01T00:00:00Z"), want: no, spec: "§3.5"},
	{name: "Date/NotEquals different", op: "DateNotEquals", val: "2020", ctx: k("2021"), want: yes, spec: "§3.5"},
	{name: "Date/context after 2262 (ISO)", op: "DateGreaterThan", val: "2030-01-01T00:00:00Z", ctx: k("2500-01-01T00:00:00Z"), want: yes, spec: "§3.5 instants; e.g. s3:object-lock-retain-until-date far in the future"},
	{name: "Date/context after 2262 (YYYY)", op: "DateGreaterThan", val: "2030", ctx: k("2500"), want: yes, spec: "§3.5"},
	{name: "Date/context after 2262 (epoch)", op: "DateGreaterThan", val: "2030", ctx: k("16725225600"), want: yes, spec: "§3.5 epoch 16725225600 = 2500-01-01"},
	{name: "Date/context before 1678 (ISO)", op: "DateLessThan", val: "2000", ctx: k("1600-01-01T00:00:00Z"), want: yes, spec: "§3.5"},
	{name: "Date/negative epoch of four characters", op: "DateLessThan", val: "1970-01-01T00:00:00Z", ctx: k("-100"), want: yes, spec: "§3.5 epoch seconds; only YYYY (four digits) is a year"},
	{name: "Date/garbage context", op: "DateEquals", val: "2020", ctx: k("yesterday"), want: inputError, spec: "README malformed context (was: §3.5)"},
	{name: "Date/policy garbage rejected", op: "DateEquals", val: "01/01/2020", want: compileError, spec: "§3.5"},

	// --- §3.5 Bool, Binary -------------------------------------------------
	{name: "Bool/true", op: "Bool", val: "true", ctx: k("true"), want: yes, spec: "§3.5"},
	{name: "Bool/TRUE context", op: "Bool", val: "true", ctx: k("TRUE"), want: yes, spec: "§3.5 case-insensitive"},
	{name: "Bool/True context", op: "Bool", val: "true", ctx: k("True"), want: yes, spec: "§3.5 case-insensitive"},
	{name: "Bool/TRUE policy", op: "Bool", val: "TRUE", ctx: k("true"), want: yes, spec: "§3.5 case-insensitive"},
	{name: "Bool/JSON true policy", op: "Bool", val: true, ctx: k("true"), want: yes, spec: "§3.5 JSON true"},
	{name: "Bool/JSON true context", op: "Bool", val: "true", ctx: k(true), want: yes, spec: "§3.5"},
	{name: "Bool/false vs true", op: "Bool", val: "true", ctx: k("false"), want: no, spec: "§3.5"},
	{name: "Bool/false", op: "Bool", val: "false", ctx: k("false"), want: yes, spec: "§3.5 (E10)"},
	{name: "Bool/yes is not true", op: "Bool", val: "true", ctx: k("yes"), want: inputError, spec: "README malformed context (was: §3.5)"},
	{name: "Bool/policy yes rejected", op: "Bool", val: "yes", want: compileError, spec: "§3.5"},
	{name: "Binary/equal base64", op: "BinaryEquals", val: "QmluYXJ5VmFsdWU=", ctx: k("QmluYXJ5VmFsdWU="), want: yes, spec: "§3.5 decoded bytes equal"},
	{name: "Binary/different", op: "BinaryEquals", val: "QmluYXJ5VmFsdWU=", ctx: k("QmluYXJ5VmFsdWF="), want: no, spec: "§3.5"},
	{name: "Binary/unpadded policy", op: "BinaryEquals", val: "YQ", ctx: k("YQ=="), want: yes, spec: "§3.5 same bytes"},
	{name: "Binary/policy not base64 rejected", op: "BinaryEquals", val: "not base64!", want: compileError, spec: "§3.5"},

	// --- §3.5 IP -------------------------------------------------------------
	{name: "IP/v4 in block", op: "IpAddress", val: "203.0.113.0/24", ctx: k("203.0.113.7"), want: yes, spec: "§3.5 (E20)"},
	{name: "IP/v4 outside block", op: "IpAddress", val: "203.0.113.0/24", ctx: k("203.0.114.7"), want: no, spec: "§3.5"},
	{name: "IP/v6 context on v4 block", op: "IpAddress", val: "203.0.113.0/24", ctx: k("2001:db8::1"), want: no, spec: "§3.5 families never mix (E20)"},
	{name: "IP/bare v4 is /32", op: "IpAddress", val: "203.0.113.7", ctx: k("203.0.113.7"), want: yes, spec: "§3.5 bare address = /32 (E20)"},
	{name: "IP/bare v4 other", op: "IpAddress", val: "203.0.113.7", ctx: k("203.0.113.8"), want: no, spec: "§3.5 bare address = /32"},
	{name: "IP/v6 CIDR upper-case", op: "IpAddress", val: "2001:DB8:1234:5678::/64", ctx: k("2001:db8:1234:5678:abcd::1"), want: yes, spec: "§3.5 IPv6, any hex case"},
	{name: "IP/v6 outside", op: "IpAddress", val: "2001:DB8:1234:5678::/64", ctx: k("2001:db8:1234:5679::1"), want: no, spec: "§3.5"},
	{name: "IP/bare v6 is /128", op: "IpAddress", val: "2001:db8::1", ctx: k("2001:0DB8:0000:0000:0000:0000:0000:0001"), want: yes, spec: "§3.5 bare IPv6 = /128, :: compression"},
	{name: "IP/bare v6 other", op: "IpAddress", val: "2001:db8::1", ctx: k("2001:db8::2"), want: no, spec: "§3.5"},
	{name: "IP/v4 /0", op: "IpAddress", val: "0.0.0.0/0", ctx: k("8.8.8.8"), want: yes, spec: "§3.5"},
	{name: "IP/v4 /0 with v6 context", op: "IpAddress", val: "0.0.0.0/0", ctx: k("::1"), want: no, spec: "§3.5 families never mix"},
	{name: "IP/v6 /0", op: "IpAddress", val: "::/0", ctx: k("2001:db8::1"), want: yes, spec: "§3.5"},
	{name: "IP/v6 /0 with v4 context", op: "IpAddress", val: "::/0", ctx: k("8.8.8.8"), want: no, spec: "§3.5 an IPv4 value never lies in an IPv6 block"},
	{name: "IP/garbage context", op: "IpAddress", val: "0.0.0.0/0", ctx: k("not-an-ip"), want: inputError, spec: "README malformed context (was: §3.5)"},
	{name: "NotIpAddress/v6 context on v4 block", op: "NotIpAddress", val: "203.0.113.0/24", ctx: k("2001:db8::1"), want: yes, spec: "§3.5 NotIpAddress true for a block of the other family"},
	{name: "NotIpAddress/v4 context on v6 /0", op: "NotIpAddress", val: "::/0", ctx: k("8.8.8.8"), want: yes, spec: "§3.5"},
	{name: "NotIpAddress/inside", op: "NotIpAddress", val: "203.0.113.0/24", ctx: k("203.0.113.9"), want: no, spec: "§3.5 (E8)"},
	{name: "IP/policy garbage rejected", op: "IpAddress", val: "203.0.113.0/33", want: compileError, spec: "§3.5"},

	// --- §3.5 ARN ------------------------------------------------------------
	{name: "Arn/ArnLike star resource", op: "ArnLike", val: "arn:aws:sns:us-east-1:111111111111:*", ctx: k("arn:aws:sns:us-east-1:111111111111:topic1"), want: yes, spec: "§3.5"},
	{name: "Arn/ArnEquals has wildcards", op: "ArnEquals", val: "arn:aws:sns:us-east-1:111111111111:*", ctx: k("arn:aws:sns:us-east-1:111111111111:topic1"), want: yes, spec: "§3.5 ArnEquals ≡ ArnLike (E22)"},
	{name: "Arn/ArnEquals question mark", op: "ArnEquals", val: "arn:aws:sns:us-east-?:111111111111:t", ctx: k("arn:aws:sns:us-east-1:111111111111:t"), want: yes, spec: "§3.5 ArnEquals ≡ ArnLike"},
	{name: "Arn/ArnNotEquals has wildcards", op: "ArnNotEquals", val: "arn:aws:sns:us-east-1:111111111111:*", ctx: k("arn:aws:sns:us-east-1:111111111111:topic1"), want: no, spec: "§3.5 ArnNotEquals ≡ ArnNotLike"},
	{name: "Arn/star in account stays in segment", op: "ArnLike", val: "arn:aws:sns:us-east-1:*:topic", ctx: k("arn:aws:sns:us-east-1:111111111111:x:topic"), want: no, spec: "§3.5 a * in the account segment cannot cross a colon"},
	{name: "Arn/star in account matches account", op: "ArnLike", val: "arn:aws:sns:us-east-1:*:topic", ctx: k("arn:aws:sns:us-east-1:111111111111:topic"), want: yes, spec: "§3.5"},
	{name: "Arn/documented contrast ArnLike", op: "ArnLike", val: "arn:aws:someservice:*:111122223333:finance/*", ctx: k("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), want: no, spec: "§3.5 documented contrast"},
	{name: "Arn/documented contrast StringLike", op: "StringLike", val: "arn:aws:someservice:*:111122223333:finance/*", ctx: k("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), want: yes, spec: "§3.5 documented contrast"},
	{name: "Arn/star in region stays in segment", op: "ArnLike", val: "arn:aws:sns:*:t", ctx: k("arn:aws:sns:us-east-1:111111111111:t"), want: no, spec: "§3.5 fewer than six parts; no padding"},
	{name: "Arn/resource part may hold colons", op: "ArnLike", val: "arn:aws:logs:us-east-1:111111111111:log-group:*", ctx: k("arn:aws:logs:us-east-1:111111111111:log-group:g:log-stream:s"), want: yes, spec: "§3.5 the sixth part is matched whole"},
	{name: "Arn/exact resource part with colons", op: "ArnEquals", val: "arn:aws:logs:us-east-1:111111111111:log-group:g", ctx: k("arn:aws:logs:us-east-1:111111111111:log-group:g"), want: yes, spec: "§3.5"},
	{name: "Arn/case-sensitive", op: "ArnLike", val: "arn:aws:sns:us-east-1:111111111111:Topic", ctx: k("arn:aws:sns:us-east-1:111111111111:topic"), want: no, spec: "§3.5 case-sensitive"},
	{name: "Arn/dot is literal", op: "ArnLike", val: "arn:aws:s3:::b.c/*", ctx: k("arn:aws:s3:::bxc/k"), want: no, spec: "§2.1 literals"},
	{name: "Arn/empty region and account", op: "ArnLike", val: "arn:aws:s3:::b/*", ctx: k("arn:aws:s3:::b/x/y"), want: yes, spec: "§3.5"},
	{name: "Arn/policy with five parts never matches", op: "ArnLike", val: "arn:aws:sns:us-east-1:*", ctx: k("arn:aws:sns:us-east-1:111111111111:t"), want: no, spec: "§3.5 a policy ARN with fewer than six parts does not match"},
	{name: "Arn/policy * never matches", op: "ArnLike", val: "*", ctx: k("arn:aws:sns:us-east-1:111111111111:t"), want: no, spec: "§3.5 fewer than six parts"},
	{name: "Arn/context with three parts never matches", op: "ArnLike", val: "arn:*:*:*:*:*", ctx: k("arn:aws:sns"), want: no, spec: "§3.5 a context value that is not a six-part ARN does not match"},
	{name: "Arn/context with five parts never matches", op: "ArnLike", val: "arn:*:*:*:*:*", ctx: k("arn:aws:sns:us-east-1:111111111111"), want: no, spec: "§3.5"},
	{name: "Arn/context not an ARN", op: "ArnLike", val: "arn:*:*:*:*:*", ctx: k("hello"), want: no, spec: "§3.5"},
	{name: "Arn/all-star six parts", op: "ArnLike", val: "arn:*:*:*:*:*", ctx: k("arn:aws:sns:us-east-1:111111111111:t"), want: yes, spec: "§3.5"},
	{name: "ArnNotLike/short policy value excludes nothing", op: "ArnNotLike", val: "arn:aws:sns:us-east-1:*", ctx: k("arn:aws:sns:us-east-1:111111111111:t"), want: yes, spec: "§3.1/§3.5 NOT ArnLike, and the short pattern matches nothing"},
	{name: "ArnNotLike/context not an ARN", op: "ArnNotLike", val: "arn:aws:sns:*:*:*", ctx: k("hello"), want: yes, spec: "§3.1/§3.5 NOT ArnLike"},

	// --- §4 policy variables ---------------------------------------------
	{name: "var/aws:username", op: "StringEquals", val: "home/${aws:username}", ctx: k("home/alice"), want: yes, spec: "§4.3 substitution"},
	{name: "var/aws:username other user", op: "StringEquals", val: "home/${aws:username}", ctx: k("home/bob"), want: no, spec: "§4.3"},
	{name: "var/StringLike with variable", op: "StringLike", val: "home/${aws:username}/*", ctx: k("home/alice/x/y"), want: yes, spec: "§4.3"},
	{name: "var/key name case-insensitive", op: "StringEquals", val: "${AWS:UserName}", ctx: k("alice"), want: yes, spec: "§4.1 key lookup is case-insensitive"},
	{name: "var/ArnLike aws:PrincipalArn", op: "ArnLike", key: "aws:PrincipalArn", val: "arn:aws:iam::111111111111:user/${aws:username}", want: yes, spec: "§4.2 variables in ARN operators"},
	{name: "var/ArnLike variable in the account segment", op: "ArnLike", key: "aws:PrincipalArn", val: "arn:aws:iam::${aws:PrincipalAccount}:user/*", want: yes, spec: "§4.2 variables in ARN operator values"},
	{name: "var/ArnLike variable in the account segment, other account", op: "ArnLike", key: "aws:PrincipalArn", val: "arn:aws:iam::${test:acct}:user/*", ctx: kv("test:acct", "222222222222"), want: no, spec: "§4.2"},
	{name: "var/default when absent", op: "StringEquals", val: "${test:v, 'dflt'}", ctx: k("dflt"), want: yes, spec: "§4.1 default used when the key is absent"},
	{name: "var/default when empty string", op: "StringEquals", val: "${test:v, 'dflt'}", ctx: kv("test:v", "", "test:k", "dflt"), want: yes, spec: "§4.1 default for an empty value (follow the oracle)"},
	{name: "var/default not used when present", op: "StringEquals", val: "${test:v, 'dflt'}", ctx: kv("test:v", "val", "test:k", "dflt"), want: no, spec: "§4.3 present key → its value"},
	{name: "var/present value with default", op: "StringEquals", val: "${test:v, 'dflt'}", ctx: kv("test:v", "val", "test:k", "val"), want: yes, spec: "§4.3"},
	{name: "var/default in StringLike is literal", op: "StringLike", val: "${test:v, 'a*'}", ctx: k("abc"), want: no, spec: "§4.3 substituted text is literal"},
	{name: "var/unresolved positive", op: "StringEquals", val: "${test:missing}", ctx: k(""), want: no, spec: "§4.3.4 unresolved: the value matches nothing"},
	{name: "var/unresolved positive StringLike", op: "StringLike", val: "${test:missing}*", ctx: k("x"), want: no, spec: "§4.3.4"},
	{name: "var/unresolved positive, other value matches", op: "StringEquals", val: vals("${test:missing}", "x"), ctx: k("x"), want: yes, spec: "§4.3.4 other values of the key may still match"},
	{name: "var/unresolved negated", op: "StringNotEquals", val: "${test:missing}", ctx: k("x"), want: yes, spec: "§4.3.4 negated operators match an unresolved value (E24)"},
	{name: "var/unresolved negated StringNotLike", op: "StringNotLike", val: "${test:missing}*", ctx: k("x"), want: yes, spec: "§4.3.4"},
	{name: "var/unresolved negated ArnNotLike", op: "ArnNotLike", val: "arn:aws:s3:::${test:missing}", ctx: k("arn:aws:s3:::x"), want: yes, spec: "§4.3.4"},
	{name: "var/unresolved negated, other value matches", op: "StringNotEquals", val: vals("${test:missing}", "x"), ctx: k("x"), want: no, spec: "§4.3.4 with §3.1 NOR"},
	{name: "var/unresolved in ForAllValues negated", op: "ForAllValues:StringNotEquals", val: "${test:missing}", ctx: k(list("a", "b")), want: yes, spec: "§4.3.4 set operators per value"},
	{name: "var/multivalued key never resolves", op: "StringEquals", val: "${test:list}", ctx: kv("test:list", list("a"), "test:k", "a"), want: no, spec: "§4.1 a multivalued key is unresolved"},
	{name: "var/multivalued key in negated op", op: "StringNotEquals", val: "${test:list}", ctx: kv("test:list", list("a"), "test:k", "a"), want: yes, spec: "§4.1 + §4.3.4"},
	{name: "var/multivalued key uses no default", op: "StringEquals", val: "${test:list, 'd'}", ctx: kv("test:list", list("a"), "test:k", "d"), want: no, spec: "§4.1/§4.3.2 the default is for an absent key only; a present multivalued key is unresolved"},
	{name: "var/star from context is literal", op: "StringLike", val: "pre-${test:v}", ctx: kv("test:v", "*", "test:k", "pre-xyz"), want: no, spec: "§4.3.1 substituted text is literal"},
	{name: "var/star from context matches itself", op: "StringLike", val: "pre-${test:v}", ctx: kv("test:v", "*", "test:k", "pre-*"), want: yes, spec: "§4.3.1"},
	{name: "var/question mark from context is literal", op: "StringLike", val: "pre-${test:v}", ctx: kv("test:v", "?", "test:k", "pre-x"), want: no, spec: "§4.3.1"},
	{name: "var/regex metacharacters from context are literal", op: "StringLike", val: "pre-${test:v}", ctx: kv("test:v", "a.c(", "test:k", "pre-abc("), want: no, spec: "§4.3.1"},
	{name: "var/regex metacharacters match themselves", op: "StringLike", val: "pre-${test:v}", ctx: kv("test:v", `a.c(\[$`, "test:k", `pre-a.c(\[$`), want: yes, spec: "§4.3.1"},
	{name: "var/star from context in ArnLike", op: "ArnLike", val: "arn:aws:s3:::b/${test:v}", ctx: kv("test:v", "*", "test:k", "arn:aws:s3:::b/x"), want: no, spec: "§4.3.1"},
	{name: "var/escape ${*}", op: "StringLike", val: "a${*}", ctx: k("a*"), want: yes, spec: "§4.1 ${*} is a literal *"},
	{name: "var/escape ${*} is not a wildcard", op: "StringLike", val: "a${*}", ctx: k("ab"), want: no, spec: "§4.1"},
	{name: "var/escape ${?} in StringEquals", op: "StringEquals", val: "a${?}${$}", ctx: k("a?$"), want: yes, spec: "§4.1 escapes work wherever variables do"},
	{name: "var/Bool variable", op: "Bool", val: "${test:flag}", ctx: kv("test:flag", "TRUE", "test:k", "true"), want: yes, spec: "§3.5/§4.2 Bool accepts variables"},
	{name: "var/2008-10-17 is literal", op: "StringEquals", val: "${aws:username}", version: "2008-10-17", ctx: k("${aws:username}"), want: yes, spec: "§4.1 variables only under 2012-10-17"},
	{name: "var/2008-10-17 no substitution", op: "StringEquals", val: "${aws:username}", version: "2008-10-17", ctx: k("alice"), want: no, spec: "§4.1"},
	{name: "var/unterminated is literal", op: "StringEquals", val: "${aws:username", ctx: k("${aws:username"), want: yes, spec: "§4.1 unterminated ${ is literal"},

	// --- §3.1 key-name case-insensitivity -----------------------------------
	{name: "keycase/context AWS:SourceIP", op: "IpAddress", key: "aws:SourceIp", val: "203.0.113.0/24", ctx: kv("AWS:SourceIP", "203.0.113.5"), want: yes, spec: "§3.1 key names are case-insensitive"},
	{name: "keycase/policy AWS:SOURCEIP", op: "IpAddress", key: "AWS:SOURCEIP", val: "203.0.113.0/24", ctx: kv("aws:sourceip", "203.0.113.5"), want: yes, spec: "§3.1"},
	{name: "keycase/negated sees the key", op: "StringNotEquals", key: "Test:Key", val: "a", ctx: kv("TEST:KEY", "a"), want: no, spec: "§3.1 (a case mismatch must not make the key look absent)"},
	{name: "keycase/Null sees the key", op: "Null", key: "test:KEY", val: "true", ctx: kv("Test:Key", "x"), want: no, spec: "§3.1"},
	{name: "keycase/tag suffix", op: "StringEquals", key: "AWS:PRINCIPALTAG/Team", val: "red", ctx: kv("aws:PrincipalTag/team", "red"), want: yes, spec: "§3.1 tag-key suffix too (E1)"},
	{name: "keycase/variable key", op: "StringEquals", val: "${TEST:V}", ctx: kv("test:v", "x", "test:k", "x"), want: yes, spec: "§4.1"},
}

// TestConditions runs every row through the real translator and engine.
// All rows' policies go into one prepared engine (each request names only
// its own policy), so the table stays fast under -race.
func TestConditions(t *testing.T) {
	mods := modSet{}
	names := make([]string, len(conditionRows))
	seen := map[string]bool{}
	for i, r := range conditionRows {
		if seen[r.name] {
			t.Fatalf("duplicate row name %q", r.name)
		}
		seen[r.name] = true
		c, err := translator.CompileDocument("cond.json", translator.Identity, r.document())
		if r.want == compileError {
			if err == nil {
				t.Errorf("%s: Condition %v compiled, want a compile error (%s)", r.name, r.condition(), r.spec)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Condition %v: unexpected compile error: %v", r.name, r.condition(), err)
			continue
		}
		mods[c.Name] = c.Module
		names[i] = c.Name
	}
	eng := mods.prepare(t)
	ctx := context.Background()
	for i, r := range conditionRows {
		if names[i] == "" {
			continue
		}
		t.Run(r.name, func(t *testing.T) {
			d := eng.Decide(ctx, aliceGet(r.ctx, names[i]))
			if r.want == inputError {
				if d.Decision != rego.ImplicitDeny || !strings.Contains(d.Error, "context value") {
					t.Errorf("Condition %v, context %#v: got %s (%q), want an input error per %s", r.condition(), r.ctx, brief(d), d.Error, r.spec)
				}
				return
			}
			if d.Error != "" {
				t.Fatalf("Condition %v, context %v: evaluation error %s", r.condition(), r.ctx, d.Error)
			}
			if d.Decision != r.want {
				t.Errorf("Condition %v, context %#v: got %s, want %s per IAM-SEMANTICS.md %s", r.condition(), r.ctx, brief(d), r.want, r.spec)
			}
			if d.Allow != (d.Decision == rego.Allow) {
				t.Errorf("Allow = %v but Decision = %s", d.Allow, d.Decision)
			}
		})
	}
}

// TestConditionsOwnEngine re-checks a few rows with an engine prepared for
// that row's policy alone, so the shared-engine shortcut of TestConditions
// cannot hide an interaction between policies.
func TestConditionsOwnEngine(t *testing.T) {
	pick := map[string]bool{
		"absent/StringNotEquals":      true,
		"ForAnyValue/IfExists absent": true,
		"var/unresolved negated":      true,
		"Date/+02:00 same instant":    true,
		"list/StringNotEquals":        true,
		"multi-list/StringNotEquals":  true,
	}
	for _, r := range conditionRows {
		if !pick[r.name] {
			continue
		}
		t.Run(r.name, func(t *testing.T) {
			mods := modSet{}
			name := mods.compile(t, translator.Identity, r.document())
			d := mods.prepare(t).Decide(context.Background(), aliceGet(r.ctx, name))
			if r.want == inputError {
				if !strings.Contains(d.Error, "context value") {
					t.Errorf("got %s, want an input error (%s)", brief(d), r.spec)
				}
				return
			}
			if d.Decision != r.want {
				t.Errorf("got %s, want %s (%s)", brief(d), r.want, r.spec)
			}
		})
		delete(pick, r.name)
	}
	for name := range pick {
		t.Errorf("row %q not found", name)
	}
}

// StringEqualsIgnoreCase must fold exactly like Go's strings.EqualFold
// (§3.4 [INFERRED]) also for policy values outside Latin-1, which
// resource-based policies may hold: the dotless ı folds only with itself,
// and no other context text may become equal to it.
func TestIgnoreCaseOutsideLatin1(t *testing.T) {
	type row struct {
		policy, context string
	}
	rows := []row{
		{"ı", "ı"}, {"ı", "i"}, {"ı", "I"}, {"İ", "i"}, {"İ", "İ"},
		{"ı", "\u0000\u0001"}, {"İ", "\u0000\u0002"}, {"a\u0000\u0001", "aı"},
		{"ſ", "S"}, {"K", "k"}, {"ß", "ẞ"}, {"ǅ", "ǆ"}, {"ϴ", "θ"}, {"Σ", "ς"},
	}
	mods := modSet{}
	names := make([]string, len(rows))
	for i, r := range rows {
		c, err := translator.CompileDocument("r.json", translator.Resource, policy(
			map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": aliceARN}, "Action": "s3:GetObject", "Resource": "*",
				"Condition": map[string]any{"StringEqualsIgnoreCase": map[string]any{"test:k": r.policy}}},
		))
		if err != nil {
			// A policy value the compiler rejects (a NUL) cannot reach the
			// library; that is fine.
			continue
		}
		mods[c.Name] = c.Module
		names[i] = c.Name
	}
	eng := mods.prepare(t)
	for i, r := range rows {
		if names[i] == "" {
			continue
		}
		req := aliceGet(k(r.context))
		req.Policies.Resource = names[i]
		d := eng.Decide(context.Background(), req)
		want := no
		if strings.EqualFold(r.policy, r.context) {
			want = yes
		}
		if d.Decision != want {
			t.Errorf("StringEqualsIgnoreCase %q vs context %q: got %s, want %s (strings.EqualFold = %v)", r.policy, r.context, brief(d), want, want == yes)
		}
	}
}
