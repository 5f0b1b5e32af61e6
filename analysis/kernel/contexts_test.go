package kernel

import (
	"slices"
	"testing"

	"github.com/iam2rego/iam2rego/translator"
)

func TestConditionValuesCoverBothSides(t *testing.T) {
	cond := func(base string, raw string, norm any) *translator.Condition {
		return &translator.Condition{Base: base, Key: "k", RawKey: "K", Values: []translator.CondValue{{Raw: raw, Norm: norm}}}
	}
	for _, tc := range []struct {
		c    *translator.Condition
		want []string
	}{
		{cond("StringEquals", "us-east-1", "us-east-1"), []string{"us-east-1", OtherValue}},
		{cond("StringLike", "docs/*", "docs/*"), []string{"docs/x", OtherValue}},
		{&translator.Condition{Base: "StringLike", Key: "s3:prefix", Values: []translator.CondValue{{Raw: "home/${aws:username}/*", Template: translator.Template{}}}},
			[]string{"home/alice/x", OtherValue}},
		{cond("NumericLessThan", "10", nil), []string{"10", "9", "11"}},
		{cond("NumericEquals", "1.5", nil), []string{"3/2", "1/2", "5/2"}},
		{cond("DateGreaterThan", "2020-01-01T00:00:00Z", translator.Instant{1577836800, 0}),
			[]string{"2020-01-01T00:00:00Z", "2019-12-31T23:59:59Z", "2020-01-01T00:00:01Z"}},
		{cond("Bool", "true", "true"), []string{"true", "false"}},
		{cond("IpAddress", "10.0.0.0/8", nil), []string{"10.0.0.0", "11.0.0.0"}},
		{cond("IpAddress", "255.255.255.255/32", nil), []string{"255.255.255.255", "255.255.255.254"}},
		{cond("IpAddress", "2001:db8::/32", nil), []string{"2001:db8::", "2001:db9::"}},
		{cond("ArnLike", "arn:aws:bedrock:us-east-1:1:agent/*", nil), []string{"arn:aws:bedrock:us-east-1:1:agent/x", "arn:aws:iam::000000000000:" + OtherValue}},
	} {
		if got := conditionValues(tc.c, map[string]string{"aws:username": "alice"}); !slices.Equal(got, tc.want) {
			t.Errorf("%s %s: %v, want %v", tc.c.Base, tc.c.Values[0].Raw, got, tc.want)
		}
	}
}

func TestKeyValuesSkipBundleKeys(t *testing.T) {
	conds := []*translator.Condition{
		{Base: "StringEquals", Key: "aws:principaltag/team", RawKey: "aws:PrincipalTag/team", Values: []translator.CondValue{{Raw: "a"}}},
		{Base: "StringEquals", Key: "aws:resourceaccount", RawKey: "aws:ResourceAccount", Values: []translator.CondValue{{Raw: "1"}}},
		{Base: "Bool", Key: "aws:securetransport", RawKey: "aws:SecureTransport", Values: []translator.CondValue{{Raw: "true"}}},
		{Base: "StringEquals", Key: "aws:tagkeys", RawKey: "aws:TagKeys", Qualifier: "ForAnyValue", Values: []translator.CondValue{{Raw: "a"}}},
	}
	got := KeyValues(conds, nil)
	if len(got) != 2 || len(got["aws:SecureTransport"]) != 2 || len(got["aws:TagKeys"]) != 2 {
		t.Fatalf("%v", got)
	}
	if v, ok := got["aws:TagKeys"][0].([]any); !ok || v[0] != "a" {
		t.Errorf("a multivalued key's value is %#v, want a list", got["aws:TagKeys"][0])
	}
}

func TestContextsCombineOrVary(t *testing.T) {
	small := map[string][]any{"a": {"1", "2"}, "b": {"x"}}
	if got := Contexts(small); len(got) != 6 { // (2+1)*(1+1)
		t.Errorf("%d Contexts, want every combination (6): %v", len(got), got)
	}
	big := map[string][]any{}
	for _, k := range []string{"a", "b", "c", "d"} {
		big[k] = []any{"1", "2", "3"}
	}
	got := Contexts(big) // 4^4 = 256 > MaxContexts
	if len(got) > MaxContexts || len(got) < 1+1+4*(2*3+1) {
		t.Errorf("%d Contexts", len(got))
	}
	if len(got[0]) != 0 {
		t.Errorf("the first context is %v, want every key absent", got[0])
	}
}

// aws:CalledVia only ever holds service principals: a value that is none
// is never a request's, and the "other" side is a service principal too.
func TestKeyValuesOnlyPossibleServicePrincipals(t *testing.T) {
	conds := []*translator.Condition{
		{Base: "StringEquals", Key: "aws:calledvia", RawKey: "aws:CalledVia", Qualifier: "ForAnyValue", Values: []translator.CondValue{{Raw: "lambda"}, {Raw: "athena.amazonaws.com"}}},
	}
	got := KeyValues(conds, nil)["aws:CalledVia"]
	want := []any{[]any{"athena.amazonaws.com"}, []any{OtherValue + ".amazonaws.com"}}
	if len(got) != len(want) || got[0].([]any)[0] != want[0].([]any)[0] || got[1].([]any)[0] != want[1].([]any)[0] {
		t.Fatalf("aws:CalledVia values %v, want %v", got, want)
	}
}
