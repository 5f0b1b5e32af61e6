package kernel_test

import (
	"context"
	"slices"
	"testing"

	"github.com/iam2rego/iam2rego/internal/testbundle"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
)

func TestView(t *testing.T) {
	v, err := kernel.NewView("example", testbundle.Example(t))
	if err != nil {
		t.Fatal(err)
	}
	// The bucket policy applies to its objects, and only its objects.
	bucket := v.ResourcePolicies("arn:aws:s3:::genai-kb-docs")
	object := v.ResourcePolicies("arn:aws:s3:::genai-kb-docs/docs/handbook.pdf")
	if len(bucket) != 1 || !slices.Equal(object, bucket) || v.ResourceRecord("arn:aws:s3:::genai-kb-docs/x") != v.Resources["arn:aws:s3:::genai-kb-docs"] {
		t.Errorf("bucket %v, object %v: the bucket's policy does not reach its objects", bucket, object)
	}
	if got := v.ResourcePolicies("arn:aws:s3:::other-bucket/k"); len(got) != 0 {
		t.Errorf("an unknown bucket's object has policies %v", got)
	}
	callers := v.CallerARNs()
	if !slices.Contains(callers, "arn:aws:iam::111111111111:root") || !slices.Contains(callers, "arn:aws:iam::111111111111:user/developers/alice") || !slices.IsSorted(callers) {
		t.Errorf("callers %v", callers)
	}
	if v.Kind("arn:aws:iam::111111111111:root") != "root" || v.Kind("arn:aws:iam::111111111111:user/developers/alice") != "user" || v.Kind("arn:aws:iam::1:user/x") != "unknown" {
		t.Error("Kind")
	}
	if vars := v.Variables("arn:aws:iam::111111111111:user/developers/alice"); vars["aws:username"] != "alice" {
		t.Errorf("alice's variables %v", vars)
	}
	if kernel.ResourceType("arn:aws:iam::111111111111:role/r") != translator.Trust || kernel.ResourceType("arn:aws:s3:::b") != translator.Resource {
		t.Error("ResourceType")
	}
	if _, err := v.Policy("pnosuchpolicy", translator.Identity); err == nil {
		t.Error("a missing document is no error")
	}
}

// TestDecideIsTheEnginesInput: kernel.Decide answers as DecideInput does
// for the raw input a client sends, on the example's requests.
func TestDecideIsTheEnginesInput(t *testing.T) {
	ctx := context.Background()
	eng, err := rego.PrepareBundle(ctx, testbundle.Example(t))
	if err != nil {
		t.Fatal(err)
	}
	haiku := "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
	for _, tc := range []struct {
		req  rego.Request
		want string
	}{
		{rego.Request{Principal: rego.Principal{ARN: "arn:aws:iam::111111111111:role/service-role/genai-invoke-role"}, Action: "bedrock:InvokeModel",
			Resource: rego.Resource{ARN: haiku, Account: "111111111111"}, Context: map[string]any{"aws:RequestedRegion": "us-east-1"}}, rego.Allow},
		{rego.Request{Principal: rego.Principal{ARN: "arn:aws:iam::111111111111:role/service-role/genai-invoke-role"}, Action: "bedrock:InvokeModel",
			Resource: rego.Resource{ARN: haiku, Account: "111111111111"}, Context: map[string]any{"aws:RequestedRegion": "eu-west-1"}}, rego.ExplicitDeny},
		{rego.Request{Principal: rego.Principal{ARN: "arn:aws:iam::111111111111:user/nobody"}, Action: "s3:GetObject",
			Resource: rego.Resource{ARN: "arn:aws:s3:::b/k", Account: "111111111111"}}, rego.ImplicitDeny},
	} {
		d := kernel.Decide(ctx, eng, tc.req)
		raw := eng.DecideInput(ctx, map[string]any{"principal": tc.req.Principal.ARN, "action": tc.req.Action,
			"resource": map[string]any{"arn": tc.req.Resource.ARN, "account": tc.req.Resource.Account}, "context": tc.req.Context})
		if d.Decision != tc.want || d.Decision != raw.Decision || d.Step != raw.Step {
			t.Errorf("%s %s: Decide %s (%s), DecideInput %s (%s); want %s", tc.req.Principal.ARN, tc.req.Action, d.Decision, d.Step, raw.Decision, raw.Step, tc.want)
		}
	}
	all := kernel.DecideAll(ctx, eng, []rego.Request{{Principal: rego.Principal{ARN: "arn:aws:iam::111111111111:user/nobody"}, Action: "s3:GetObject", Resource: rego.Resource{ARN: "*"}}})
	if len(all) != 1 || all[0].Allow || all[0].Error == "" {
		t.Errorf("an unknown principal: %+v; want a deny with its error", all)
	}
}

func TestMayApplyTo(t *testing.T) {
	p := &translator.Principal{ARNs: []string{"arn:aws:iam::111111111111:role/app", "arn:aws:sts::222222222222:assumed-role/x/s"}, Accounts: []translator.AccountRef{{Account: "333333333333"}}}
	for _, tc := range []struct {
		principal, account string
		want               bool
	}{
		{"arn:aws:iam::111111111111:role/app", "111111111111", true},
		{"arn:aws:iam::111111111111:role/other", "111111111111", false},
		{"arn:aws:iam::222222222222:role/x", "222222222222", true}, // a session of one of its roles
		{"arn:aws:iam::333333333333:user/u", "333333333333", true}, // its account
	} {
		if got := kernel.MayApplyTo(&translator.Statement{Principal: p}, tc.principal, tc.account); got != tc.want {
			t.Errorf("MayApplyTo(%s) = %v", tc.principal, got)
		}
	}
	if !kernel.MayApplyTo(&translator.Statement{Principal: p, NotPrincipal: true}, "arn:aws:iam::444444444444:user/u", "444444444444") {
		t.Error("a NotPrincipal statement may apply to anyone it does not list")
	}
	if kernel.MayApplyTo(&translator.Statement{}, "arn:aws:iam::111111111111:role/app", "111111111111") {
		t.Error("an identity statement (no Principal) applies through no resource policy")
	}
}
