package access_test

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/internal/testbundle"

	"github.com/iam2rego/iam2rego/analysis/access"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/bundle"
)

const (
	haiku   = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
	weather = "arn:aws:lambda:us-east-1:111111111111:function:weather-tool"
	agent   = "arn:aws:iam::111111111111:role/service-role/genai-agent-role"
	invoke  = "arn:aws:iam::111111111111:role/service-role/genai-invoke-role"
	alice   = "arn:aws:iam::111111111111:user/developers/alice"
)

// prepared builds a bundle from build inputs and prepares it, as
// who-can reads it (through the archive).
func prepared(t testing.TB, in account.Inputs) (*bundle.Bundle, *rego.Engine) {
	t.Helper()
	b := testbundle.Archived(t, in)
	eng, err := rego.PrepareBundle(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return b, eng
}

func example(t testing.TB) (*bundle.Bundle, *rego.Engine) {
	return prepared(t, testbundle.ExampleInputs())
}

func allowedSet(res *access.WhoCanResult) []string {
	var out []string
	for _, g := range res.Allowed {
		out = append(out, g.Principal)
	}
	return out
}

func TestWhoCanExample(t *testing.T) {
	b, eng := example(t)
	ctx := context.Background()
	res, err := access.WhoCan(ctx, eng, b, access.Query{Action: "bedrock:InvokeModel", Resource: haiku, ResourceAccount: "111111111111", Context: map[string]any{"aws:RequestedRegion": "us-east-1"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{agent, invoke, "arn:aws:iam::111111111111:root"}
	if got := allowedSet(res); !slices.Equal(got, want) {
		t.Errorf("who can invoke Haiku in us-east-1: %v, want %v", got, want)
	}
	for _, g := range res.Allowed {
		if g.Principal == invoke && (g.Decision.Step != "identity" || len(g.Decision.Statements) == 0 || g.Decision.Statements[0].Sid != "InvokeHaikuOnly") {
			t.Errorf("the invoke role's grant is not explained by its InvokeHaikuOnly statement: %+v", g.Decision)
		}
	}
	if res.Checked != 7 || len(res.External) != 0 {
		t.Errorf("checked %d principals (want 5 and 2 roots), external %v (want none: a foundation model has no policy)", res.Checked, res.External)
	}

	// The SCP denies Bedrock outside us-east-1 to everyone but the
	// management account's root (SCPs do not apply to it).
	res, err = access.WhoCan(ctx, eng, b, access.Query{Action: "bedrock:InvokeModel", Resource: haiku, ResourceAccount: "111111111111", Context: map[string]any{"aws:RequestedRegion": "eu-west-1"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := allowedSet(res); len(got) != 0 {
		t.Errorf("who can invoke Haiku in eu-west-1: %v, want nobody (the SCP region guard)", got)
	}

	// The Lambda function policy lets the Bedrock service in, under a
	// condition: an external grant with its statement.
	res, err = access.WhoCan(ctx, eng, b, access.Query{Action: "lambda:InvokeFunction", Resource: weather})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.External) != 1 {
		t.Fatalf("external grants of the weather tool: %+v, want one", res.External)
	}
	e := res.External[0]
	var cond map[string]any
	if e.Kind != "service" || e.Who != "bedrock.amazonaws.com" || e.Sid != "BedrockAgentInvokes" || json.Unmarshal(e.Condition, &cond) != nil || cond["ArnLike"] == nil {
		t.Errorf("external grant %+v, want the Bedrock service by Sid BedrockAgentInvokes under its ArnLike condition", e)
	}
	// An action the function policy does not grant lists nobody outside.
	res, err = access.WhoCan(ctx, eng, b, access.Query{Action: "lambda:UpdateFunctionCode", Resource: weather})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.External) != 0 {
		t.Errorf("external grants of lambda:UpdateFunctionCode: %+v, want none", res.External)
	}
}

func TestWhoCanExternalKinds(t *testing.T) {
	dir := t.TempDir()
	doc := map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::genai-public/*"},
		map[string]any{"Sid": "Partner", "Effect": "Allow", "Principal": map[string]any{"AWS": []any{"222222222222", "arn:aws:iam::333333333333:role/reader", "arn:aws:iam::111111111111:root"}}, "Action": "s3:*", "Resource": "arn:aws:s3:::genai-public/*"},
		map[string]any{"Sid": "Writes", "Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::genai-public/*"},
		map[string]any{"Sid": "Deny", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::genai-public/*"},
	}}
	raw, _ := json.Marshal(map[string]any{"resources": []any{map[string]any{"arn": "arn:aws:s3:::genai-public", "account": "111111111111", "policy": doc}}})
	if err := os.WriteFile(dir+"/rp.json", raw, 0o644); err != nil {
		t.Fatal(err)
	}
	b, eng := prepared(t, account.Inputs{AccountDetails: []string{"../../testdata/example/account-details.json"}, Resources: []string{dir + "/rp.json"}})
	res, err := access.WhoCan(context.Background(), eng, b, access.Query{Action: "s3:GetObject", Resource: "arn:aws:s3:::genai-public/report.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range res.External {
		got = append(got, e.Kind+" "+e.Who+" "+e.Sid)
	}
	want := []string{"account 222222222222 Partner", "principal arn:aws:iam::333333333333:role/reader Partner", "public * Public"}
	if !slices.Equal(got, want) {
		t.Errorf("external grants %v, want %v (not the bundle's own account, not a Deny, not an action the statement lacks)", got, want)
	}
}

// TestWhoCanAgreesWithSingleDecisions is the bar: on gaad-small.json,
// for 50 (action, resource) pairs, who-can's allowed set equals deciding
// every principal one by one as eval --bundle does (the Rego decision
// over the raw input).
func TestWhoCanAgreesWithSingleDecisions(t *testing.T) {
	gaad := "../../../shared/corpus/gaad-small.json"
	if _, err := os.Stat(gaad); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("corpus file %s not present", gaad)
	}
	b, eng := prepared(t, account.Inputs{AccountDetails: []string{gaad}})
	principals, err := access.Principals(b)
	if err != nil {
		t.Fatal(err)
	}
	pairs := gaadPairs(t, b, 50)
	ctx := context.Background()
	allows := 0
	for _, q := range pairs {
		res, err := access.WhoCan(ctx, eng, b, q)
		if err != nil {
			t.Fatalf("%s on %s: %v", q.Action, q.Resource, err)
		}
		var want []string
		for _, p := range principals {
			in := map[string]any{"principal": p, "action": q.Action, "resource": map[string]any{"arn": q.Resource, "account": q.ResourceAccount}}
			if d := eng.DecideInput(ctx, in); d.Allow {
				want = append(want, p)
			}
		}
		if got := allowedSet(res); !slices.Equal(got, want) {
			t.Errorf("%s on %s: who-can says %v, single decisions %v", q.Action, q.Resource, got, want)
		}
		allows += len(want)
	}
	if allows < len(pairs) {
		t.Errorf("only %d allows over %d pairs: the pairs do not exercise who-can", allows, len(pairs))
	}
}

// gaadPairs draws (action, resource) pairs from the account's own
// policies: each Allow statement's first literal action on its first
// resource (a witness of a pattern), and sts:AssumeRole on its roles;
// every resource is taken to be the account's own.
func gaadPairs(t *testing.T, b *bundle.Bundle, n int) []access.Query {
	t.Helper()
	data := b.Data["iam2rego"].(map[string]any)
	seen := map[string]bool{}
	var out []access.Query
	add := func(q access.Query) {
		if key := q.Action + " " + q.Resource; !seen[key] && len(out) < n {
			seen[key] = true
			out = append(out, q)
		}
	}
	var acct string
	for arn := range data["principals"].(map[string]any) {
		acct = strings.Split(arn, ":")[4]
	}
	docs := data["documents"].(map[string]any)
	names := make([]string, 0, len(docs))
	for name := range docs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		var doc any
		if err := json.Unmarshal([]byte(docs[name].(string)), &doc); err != nil {
			t.Fatal(err)
		}
		c, err := translator.CompileExported(name, translator.Identity, doc)
		if err != nil {
			continue // a trust policy
		}
		for _, st := range c.Policy.Statements {
			if st.Effect != translator.Allow || st.NotAction || st.NotResource || len(st.Actions) == 0 || len(st.Resources) == 0 {
				continue
			}
			action := st.Actions[0].Raw
			res := strings.NewReplacer("*", "x", "?", "x").Replace(st.Resources[0].Raw)
			if strings.ContainsAny(action, "*?") || strings.Contains(res, "${") {
				continue
			}
			if res == "x" {
				res = "*"
			}
			add(access.Query{Action: action, Resource: res, ResourceAccount: acct})
		}
	}
	for arn := range data["resources"].(map[string]any) {
		add(access.Query{Action: "sts:AssumeRole", Resource: arn, ResourceAccount: acct})
	}
	if len(out) < n {
		t.Fatalf("only %d pairs", len(out))
	}
	return out
}
