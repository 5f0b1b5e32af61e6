package translator

import (
	"reflect"
	"testing"
)

func pat(s string) Part { return Part{Kind: PartPattern, Text: s} }
func lit(s string) Part { return Part{Kind: PartLiteral, Text: s} }
func variable(key string) Part {
	return Part{Kind: PartVariable, Key: key}
}
func variableDefault(key, def string) Part {
	return Part{Kind: PartVariable, Key: key, Default: def, HasDefault: true}
}

func TestParseTemplate(t *testing.T) {
	tests := []struct {
		note      string
		in        string
		variables bool
		want      Template
	}{
		{"plain text", "arn:aws:s3:::b/*", true, Template{pat("arn:aws:s3:::b/*")}},
		{"empty", "", true, Template{pat("")}},
		{"one variable", "${aws:username}", true, Template{variable("aws:username")}},
		{"key lower-cased", "${AWS:UserName}", true, Template{variable("aws:username")}},
		{"variable inside text", "home/${aws:username}/*", true, Template{pat("home/"), variable("aws:username"), pat("/*")}},
		{"default", "${aws:PrincipalTag/team, 'none'}", true, Template{variableDefault("aws:principaltag/team", "none")}},
		{"empty default", "${aws:PrincipalTag/team, ''}", true, Template{variableDefault("aws:principaltag/team", "")}},
		{"default with a brace", "${aws:x, 'a}b'}c", true, Template{variableDefault("aws:x", "a}b"), pat("c")}},
		{"default keeps case and wildcards", "${aws:x, 'A*?'}", true, Template{variableDefault("aws:x", "A*?")}},
		{"tag key with spaces and symbols", "${aws:PrincipalTag/cost center+=.@_-}", true, Template{variable("aws:principaltag/cost center+=.@_-")}},
		{"escapes", "${*}${?}${$}", true, Template{lit("*"), lit("?"), lit("$")}},
		{"escapes between text", "a${*}b*", true, Template{pat("a"), lit("*"), pat("b*")}},
		{"dollar before a variable", "$${aws:username}", true, Template{pat("$"), variable("aws:username")}},
		{"two variables", "${aws:username}${aws:userid}", true, Template{variable("aws:username"), variable("aws:userid")}},
		{"unterminated", "a/${aws:username", true, Template{pat("a/${aws:username")}},
		{"unterminated default", "${aws:x, 'none}", true, Template{pat("${aws:x, 'none}")}},
		{"default without quotes", "${aws:x, none}", true, Template{pat("${aws:x, none}")}},
		{"empty braces", "${}", true, Template{pat("${}")}},
		{"leading space in key", "${ aws:username}", true, Template{pat("${ aws:username}")}},
		{"trailing space in key", "${aws:username }", true, Template{pat("${aws:username }")}},
		{"wildcard key is not an escape", "${**}", true, Template{pat("${**}")}},
		{"malformed then valid", "${x${aws:username}", true, Template{pat("${x"), variable("aws:username")}},
		{"disabled: variable", "${aws:username}", false, Template{pat("${aws:username}")}},
		{"disabled: escapes", "${*}", false, Template{pat("${*}")}},
		{"disabled: default", "${aws:x, 'd'}", false, Template{pat("${aws:x, 'd'}")}},
	}
	for _, tt := range tests {
		t.Run(tt.note, func(t *testing.T) {
			got := parseTemplate(tt.in, tt.variables)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseTemplate(%q, %v)\n got %#v\nwant %#v", tt.in, tt.variables, got, tt.want)
			}
			if tt.want.HasVariables() != got.HasVariables() {
				t.Errorf("HasVariables = %v", got.HasVariables())
			}
		})
	}
}

// TestTemplateString: String rebuilds canonical policy text (lower-cased
// keys, one space before a default).
func TestTemplateString(t *testing.T) {
	for _, s := range []string{
		"home/${aws:username}/*",
		"${aws:principaltag/team, 'none'}x",
		"a${*}b${?}c${$}",
		"${aws:x",
		"",
	} {
		if got := parseTemplate(s, true).String(); got != s {
			t.Errorf("parseTemplate(%q).String() = %q", s, got)
		}
	}
}

func TestLiteralPrefix(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"arn:aws:s3:::b/k", "arn:aws:s3:::b/k"},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/"},
		{"arn:aws:s3:::b/?x", "arn:aws:s3:::b/"},
		{"arn:aws:s3:::b/${*}/*", "arn:aws:s3:::b/*/"},
		{"arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/"},
		{"*", ""},
		{"${aws:username}", ""},
	}
	for _, tt := range tests {
		if got := literalPrefix(parseTemplate(tt.in, true)); got != tt.want {
			t.Errorf("literalPrefix(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
