package diff

import (
	"slices"
	"strings"
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
		{cond("StringEquals", "us-east-1", "us-east-1"), []string{"us-east-1", other}},
		{cond("StringLike", "docs/*", "docs/*"), []string{"docs/x", other}},
		{&translator.Condition{Base: "StringLike", Key: "s3:prefix", Values: []translator.CondValue{{Raw: "home/${aws:username}/*", Template: translator.Template{}}}},
			[]string{"home/alice/x", other}},
		{cond("NumericLessThan", "10", nil), []string{"10", "9", "11"}},
		{cond("NumericEquals", "1.5", nil), []string{"3/2", "1/2", "5/2"}},
		{cond("DateGreaterThan", "2020-01-01T00:00:00Z", translator.Instant{1577836800, 0}),
			[]string{"2020-01-01T00:00:00Z", "2019-12-31T23:59:59Z", "2020-01-01T00:00:01Z"}},
		{cond("Bool", "true", "true"), []string{"true", "false"}},
		{cond("IpAddress", "10.0.0.0/8", nil), []string{"10.0.0.0", "11.0.0.0"}},
		{cond("IpAddress", "255.255.255.255/32", nil), []string{"255.255.255.255", "255.255.255.254"}},
		{cond("IpAddress", "2001:db8::/32", nil), []string{"2001:db8::", "2001:db9::"}},
		{cond("ArnLike", "arn:aws:bedrock:us-east-1:1:agent/*", nil), []string{"arn:aws:bedrock:us-east-1:1:agent/x", "arn:aws:iam::000000000000:" + other}},
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
	got := keyValues(conds, nil)
	if len(got) != 2 || len(got["aws:SecureTransport"]) != 2 || len(got["aws:TagKeys"]) != 2 {
		t.Fatalf("%v", got)
	}
	if v, ok := got["aws:TagKeys"][0].([]any); !ok || v[0] != "a" {
		t.Errorf("a multivalued key's value is %#v, want a list", got["aws:TagKeys"][0])
	}
}

func TestContextsCombineOrVary(t *testing.T) {
	small := map[string][]any{"a": {"1", "2"}, "b": {"x"}}
	if got := contexts(small); len(got) != 6 { // (2+1)*(1+1)
		t.Errorf("%d contexts, want every combination (6): %v", len(got), got)
	}
	big := map[string][]any{}
	for _, k := range []string{"a", "b", "c", "d"} {
		big[k] = []any{"1", "2", "3"}
	}
	got := contexts(big) // 4^4 = 256 > maxContexts
	if len(got) > maxContexts || len(got) < 1+1+4*(2*3+1) {
		t.Errorf("%d contexts", len(got))
	}
	if len(got[0]) != 0 {
		t.Errorf("the first context is %v, want every key absent", got[0])
	}
}

// A principal that only NEW has gains everything it is allowed.
func TestNewPrincipal(t *testing.T) {
	changed := load(t, variant(t, editJSON("iam2rego.json", func(doc map[string]any) {
		acct := firstAccount(doc)
		acct["users"] = append(acct["users"].([]any), map[string]any{"name": "carol", "managed": []any{"arn:aws:iam::111111111111:policy/queue-writer"}})
	})))
	r := run(t, base(t), changed, Options{})
	carol := "arn:aws:iam::111111111111:user/carol"
	if !reports(r.Added, grant{principal: carol, action: "sqs:SendMessage", sid: "SendToJobs"}) || len(r.Removed) > 0 {
		t.Errorf("added %s\nremoved %s", describe(r.Added), describe(r.Removed))
	}
	back := run(t, changed, base(t), Options{})
	if !reports(back.Removed, grant{principal: carol, action: "sqs:SendMessage", sid: "SendToJobs"}) {
		t.Errorf("reverse: removed %s", describe(back.Removed))
	}
}

// The bound stops the probes and says so.
func TestProbeBound(t *testing.T) {
	changed := load(t, variant(t, additions["drop a condition"].edits...))
	r, err := Run(t.Context(), base(t), changed, Options{MaxProbes: 1, Exhaustive: true})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Stats.Truncated || r.Stats.Probes != 1 {
		t.Errorf("stats %+v", r.Stats)
	}
}

// A document that does not parse fails the diff, naming the bundle and
// the document's pointer: never a silent "no new access".
func TestBrokenDocumentFailsClosed(t *testing.T) {
	for _, text := range []string{`{"Version": "2012-10-17", "Statement": [`, `{"Statement": [{"Effect": "Maybe"}]}`, ""} {
		broken := load(t, variant(t, additions["drop a condition"].edits...))
		name := broken.data.Principals[appRole].Identity[0]
		if text == "" {
			delete(broken.data.Documents, name)
		} else {
			broken.data.Documents[name] = text
		}
		_, err := Run(t.Context(), base(t), broken, Options{})
		if err == nil || !strings.Contains(err.Error(), "/iam2rego/documents/"+name) {
			t.Errorf("%q: %v", text, err)
		}
	}
}

// A class member whose difference does not hold is probed in full, not
// reported on the strength of its class.
func TestUnconfirmedMemberIsProbed(t *testing.T) {
	changed := load(t, variant(t, additions["widen a resource from bucket/a/* to bucket/*"].edits...))
	sides := [2]*Side{base(t), changed}
	var refs []stmtRef
	for _, s := range sides {
		all, err := s.statements(appRole)
		if err != nil {
			t.Fatal(err)
		}
		for _, ref := range all {
			if ref.acts.matches("s3:getobject") {
				refs = append(refs, ref)
			}
		}
	}
	r := &Report{}
	c := &class{members: []string{"s3:GetObject", "s3:PutObject"}, refs: refs}
	if !r.probeClass(t.Context(), sides, appRole, "111111111111", c, Options{MaxProbes: DefaultMaxProbes}) {
		t.Fatal("bound hit")
	}
	if r.Stats.Unconfirmed != 1 || r.Stats.Represented != 0 {
		t.Errorf("stats %+v", r.Stats)
	}
	for _, a := range r.Added {
		if a.Action != "s3:GetObject" {
			t.Errorf("reported %s", describe([]Access{a}))
		}
	}
	if len(r.Added) == 0 {
		t.Error("the class's own difference is not reported")
	}
}
