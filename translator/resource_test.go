package translator

import (
	"encoding/json"
	"reflect"
	"regexp"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

// resourceMatcher compiles a one-statement identity policy with the given
// Resource entry and returns the lowered matcher and the warning codes.
func resourceMatcher(t *testing.T, version, resource string) (Matcher, []string) {
	t.Helper()
	doc := map[string]any{"Statement": map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}}
	if version != "" {
		doc["Version"] = version
	}
	data, _ := json.Marshal(doc)
	c := compileOne(t, Identity, string(data))
	st := c.Policy.Statements[0]
	if len(st.Resources) != 1 {
		t.Fatalf("%q: %d resource patterns", resource, len(st.Resources))
	}
	var warnings []string
	for _, w := range c.Warnings {
		if w.Pointer == "/Statement/Resource" {
			warnings = append(warnings, w.Code)
		}
	}
	return st.Resources[0].Matcher, warnings
}

func TestCompileResourceKinds(t *testing.T) {
	const v = versionNew
	tests := []struct {
		note     string
		version  string
		resource string
		kind     MatchKind
		exact    string
		prefix   string
		regex    string
		warnings []string
	}{
		{note: "star", version: v, resource: "*", kind: MatchAny},
		{note: "exact", version: v, resource: "arn:aws:s3:::bucket/key.txt", kind: MatchExact, exact: "arn:aws:s3:::bucket/key.txt"},
		{note: "exact with regex metacharacters", version: v, resource: "arn:aws:s3:::b/[a]{b}(c).+^$|\\", kind: MatchExact, exact: "arn:aws:s3:::b/[a]{b}(c).+^$|\\"},
		{note: "exact through escapes", version: v, resource: "arn:aws:s3:::b/${*}${?}${$}", kind: MatchExact, exact: "arn:aws:s3:::b/*?$"},
		{note: "trailing star", version: v, resource: "arn:aws:s3:::bucket/*", kind: MatchPrefix, prefix: "arn:aws:s3:::bucket/"},
		{note: "trailing star after an escape", version: v, resource: "arn:aws:s3:::b/${*}/*", kind: MatchPrefix, prefix: "arn:aws:s3:::b/*/"},
		{note: "star in the bucket name", version: v, resource: "arn:aws:s3:::*", kind: MatchPrefix, prefix: "arn:aws:s3:::"},
		{
			note: "wildcard region", version: v, resource: "arn:aws:ec2:*:111111111111:instance/*",
			kind: MatchSegments, prefix: "arn:aws:ec2:", regex: `arn:aws:ec2:[^:]*:111111111111:instance/.*`,
		},
		{
			note: "question mark in the resource part", version: v, resource: "arn:aws:s3:::b/a?",
			kind: MatchRegex, prefix: "arn:aws:s3:::b/a", regex: `arn:aws:s3:::b/a.`,
		},
		{
			note: "infix star in the resource part", version: v, resource: "arn:aws:s3:::bucket/*/test/*",
			kind: MatchRegex, prefix: "arn:aws:s3:::bucket/", regex: `arn:aws:s3:::bucket/.*/test/.*`,
		},
		{
			note: "short ARN padded (region literal, account and resource part any)", version: v, resource: "arn:aws:ec2:us-east-1:*",
			kind: MatchSegments, prefix: "arn:aws:ec2:us-east-1:", regex: `arn:aws:ec2:us-east-1:[^:]*:.*`,
		},
		{
			note: "short ARN padded from the service", version: v, resource: "arn:aws:s3*",
			kind: MatchRegex, prefix: "arn:aws:s3", regex: `arn:aws:s3[^:]*:[^:]*:[^:]*:.*`,
			warnings: []string{schema.WarnWildcardPlacement},
		},
		{
			note: "short ARN without a trailing star", version: v, resource: "arn:aws:s3:bucket",
			kind: MatchNever, warnings: []string{schema.WarnWildcardPlacement},
		},
		{
			note: "short ARN ending in a literal star", version: v, resource: "arn:aws:s3:${*}",
			kind: MatchNever, warnings: []string{schema.WarnWildcardPlacement},
		},
		{
			note: "variable", version: v, resource: "arn:aws:s3:::bucket/${aws:username}/*",
			kind: MatchTemplate, prefix: "arn:aws:s3:::bucket/",
		},
		{
			note: "variable before the fifth colon is literal", version: v, resource: "arn:aws:ec2:${aws:RequestedRegion}:111111111111:instance/i-1",
			kind: MatchExact, exact: "arn:aws:ec2:${aws:RequestedRegion}:111111111111:instance/i-1",
			warnings: []string{schema.WarnVariablePlacement},
		},
		{
			note: "2008-10-17 keeps the variable literal", version: versionOld, resource: "arn:aws:s3:::bucket/${aws:username}",
			kind: MatchExact, exact: "arn:aws:s3:::bucket/${aws:username}",
		},
		{
			note: "2008-10-17: star inside ${*} is a wildcard", version: versionOld, resource: "arn:aws:s3:::b/${*}",
			kind: MatchRegex, prefix: "arn:aws:s3:::b/${", regex: `arn:aws:s3:::b/\$\{.*\}`,
		},
		{
			note: "no Version keeps the variable literal", resource: "arn:aws:s3:::bucket/${aws:username}/*",
			kind: MatchPrefix, prefix: "arn:aws:s3:::bucket/${aws:username}/",
		},
	}
	for _, tt := range tests {
		t.Run(tt.note, func(t *testing.T) {
			m, warnings := resourceMatcher(t, tt.version, tt.resource)
			if m.Raw != tt.resource {
				t.Errorf("Raw = %q, want %q", m.Raw, tt.resource)
			}
			if m.Kind != tt.kind {
				t.Fatalf("Kind = %v, want %v (%#v)", m.Kind, tt.kind, m)
			}
			if m.Exact != tt.exact || m.Prefix != tt.prefix || m.Regex != tt.regex {
				t.Errorf("got exact %q prefix %q regex %q\nwant exact %q prefix %q regex %q", m.Exact, m.Prefix, m.Regex, tt.exact, tt.prefix, tt.regex)
			}
			if !reflect.DeepEqual(warnings, tt.warnings) {
				t.Errorf("warnings %v, want %v", warnings, tt.warnings)
			}
			if m.Indexed() == (tt.kind == MatchRegex || tt.kind == MatchTemplate) {
				t.Errorf("Indexed() = %v for kind %v", m.Indexed(), m.Kind)
			}
		})
	}
}

// TestResourceRegexMatching runs the emitted regexes in Go against the
// examples of IAM-SEMANTICS.md §2.3.
func TestResourceRegexMatching(t *testing.T) {
	tests := []struct {
		pattern string
		match   []string
		noMatch []string
	}{
		{
			pattern: "arn:aws:ec2:*:111111111111:instance/*",
			match:   []string{"arn:aws:ec2:us-east-1:111111111111:instance/i-1", "arn:aws:ec2::111111111111:instance/", "arn:aws:ec2:eu-west-1:111111111111:instance/a:b/c"},
			noMatch: []string{
				"arn:aws:ec2:us-east-1:222222222222:instance/i-1",
				"arn:aws:ec2:us-east-1:x:111111111111:instance/i-1", // `*` must not eat a colon
				"arn:aws:ec2:us-east-1:111111111111:volume/v-1",
				"*",
			},
		},
		{
			// The documented S3 example (§2.3 rule 5).
			pattern: "arn:aws:s3:::bucket/*/test/*",
			match:   []string{"arn:aws:s3:::bucket/1/2/test/3/x.jpg", "arn:aws:s3:::bucket/1///test///x.jpg", "arn:aws:s3:::bucket//test/x.jpg", "arn:aws:s3:::bucket/1/test/"},
			noMatch: []string{"arn:aws:s3:::bucket/test/x.jpg", "arn:aws:s3:::bucket/1-test/x.jpg", "arn:aws:s3:::bucket/1/2/test.jpg"},
		},
		{
			pattern: "arn:aws:ec2:us-east-1:*",
			match:   []string{"arn:aws:ec2:us-east-1:111111111111:volume/vol-1", "arn:aws:ec2:us-east-1::x"},
			noMatch: []string{"arn:aws:ec2:us-west-2:111111111111:volume/vol-1", "arn:aws:ec2:us-east-1:111111111111", "*"},
		},
		{
			pattern: "arn:aws:ec2:*:*:instance/*",
			match:   []string{"arn:aws:ec2:us-east-1:111111111111:instance/i-1", "arn:aws:ec2:::instance/", "arn:aws:ec2:r:a:instance/x:y"},
			noMatch: []string{"arn:aws:ec2:us-east-1:x:111111111111:instance/i-1", "arn:aws:ec2:us-east-1:1:volume/v", "arn:aws:ec2:r:instance/i-1", "arn:aws:ec2x:r:a:instance/i", "*"},
		},
		{
			pattern: "arn:aws:ec2:*::snapshot/*",
			match:   []string{"arn:aws:ec2:us-east-1::snapshot/snap-1", "arn:aws:ec2:::snapshot/", "arn:aws:ec2:r::snapshot/a:b"},
			noMatch: []string{"arn:aws:ec2:us-east-1:1:snapshot/snap-1", "arn:aws:ec2:a:b::snapshot/s", "arn:aws:ec2:r::image/i", "arn:aws:ec2:r:"},
		},
		{
			pattern: "arn:aws:ec2:*:111111111111:*",
			match:   []string{"arn:aws:ec2:us-east-1:111111111111:volume/v", "arn:aws:ec2::111111111111:"},
			noMatch: []string{"arn:aws:ec2:us-east-1:222222222222:volume/v", "arn:aws:ec2:a:b:111111111111:x", "arn:aws:ec2:r:1111111111112:x"},
		},
		{
			pattern: "arn:aws:iam::*:role/admin",
			match:   []string{"arn:aws:iam::111111111111:role/admin", "arn:aws:iam:::role/admin"},
			noMatch: []string{"arn:aws:iam::1:role/admin2", "arn:aws:iam:us-east-1:1:role/admin", "arn:aws:iam::1:2:role/admin"},
		},
		{
			pattern: "arn:aws:logs:us-east-1:*:log-group:/aws/lambda/*",
			match:   []string{"arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:s", "arn:aws:logs:us-east-1::log-group:/aws/lambda/"},
			noMatch: []string{"arn:aws:logs:us-east-2:1:log-group:/aws/lambda/f", "arn:aws:logs:us-east-1:1:log-group:/aws/ecs/f"},
		},
		{
			pattern: "arn:aws:s3:::b/a?",
			match:   []string{"arn:aws:s3:::b/ab", "arn:aws:s3:::b/a/", "arn:aws:s3:::b/a\n"},
			noMatch: []string{"arn:aws:s3:::b/a", "arn:aws:s3:::b/abc"},
		},
	}
	for _, tt := range tests {
		m, _ := resourceMatcher(t, versionNew, tt.pattern)
		if m.Kind != MatchRegex && m.Kind != MatchSegments {
			t.Fatalf("%q: kind %v, want MatchRegex or MatchSegments", tt.pattern, m.Kind)
		}
		re := regexp.MustCompile(anchor(m.Regex))
		for _, s := range append(append([]string{}, tt.match...), tt.noMatch...) {
			if m.Kind == MatchSegments && segmentMatch(m, s) != re.MatchString(s) {
				t.Errorf("%q on %q: segment tests say %v, the regex %v", tt.pattern, s, segmentMatch(m, s), re.MatchString(s))
			}
		}
		for _, s := range tt.match {
			if !re.MatchString(s) {
				t.Errorf("%q (regex %s) does not match %q", tt.pattern, re, s)
			}
			if len(s) < len(m.Prefix) || s[:len(m.Prefix)] != m.Prefix {
				t.Errorf("%q: match %q lacks the prefix filter %q", tt.pattern, s, m.Prefix)
			}
		}
		for _, s := range tt.noMatch {
			if re.MatchString(s) {
				t.Errorf("%q (regex %s) matches %q", tt.pattern, re, s)
			}
		}
	}
}

func TestCompileResourceErrors(t *testing.T) {
	for _, r := range []string{"s3:::bucket", "bucket/*", "", "aws:s3:::b"} {
		data, _ := json.Marshal(map[string]any{"Version": versionNew, "Statement": []any{map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": []any{"*", r}}}})
		_, err := Compile("policy.json", Identity, data)
		if !hasDiagnostic(err, schema.CodeInvalidResource, "/Statement/0/Resource/1") {
			t.Errorf("Resource %q: want invalid_resource at /Statement/0/Resource/1, got %v", r, diagnosticsOf(err))
		}
	}
}

// TestStatsUnindexed: statements with regex or template patterns are
// counted and listed (DESIGN.md: count the non-indexed statements); a
// whole-segment wildcard in the region or account (arn:aws:ec2:*:1:x) is
// indexed (MatchSegments), an inner one (x*y) is not.
func TestStatsUnindexed(t *testing.T) {
	c := compileOne(t, Identity, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
		{"Effect":"Allow","Action":"s3:*Object","Resource":"arn:aws:s3:::b/*"},
		{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/${aws:username}","arn:aws:ec2:*:1:x","arn:aws:ec2:*:1:x*y"]},
		{"Effect":"Deny","Action":"s3:Get*","Resource":"*"}]}`)
	want := Stats{Statements: 4, Rules: 6, Unindexed: 2, UnindexedPatterns: []string{"s3:*Object", "arn:aws:s3:::b/${aws:username}", "arn:aws:ec2:*:1:x*y"}}
	if !reflect.DeepEqual(c.Stats, want) {
		t.Errorf("Stats = %+v\nwant %+v", c.Stats, want)
	}
}
