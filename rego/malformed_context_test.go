package rego_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/translator"
)

// TestMalformedContextSidecarShape sends the hostile values as a
// sidecar's caller does (raw JSON input, through the Rego entry point)
// and in-process: an Allow-all policy plus one Deny guard must never
// give Allow, and the error names the pointer.
func TestMalformedContextSidecarShape(t *testing.T) {
	for _, tc := range []struct {
		cond, ctx, pointer string
	}{
		{`{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}`, `{"aws:RequestedRegion":["eu-west-1"]}`, "/context/aws:RequestedRegion"},
		{`{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}`, `{"aws:RequestedRegion":[]}`, "/context/aws:RequestedRegion"},
		{`{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, `{"aws:SourceIp":12345}`, "/context/aws:SourceIp"},
		{`{"Bool":{"aws:SecureTransport":"false"}}`, `{"aws:SecureTransport":0}`, "/context/aws:SecureTransport"},
		{`{"NumericGreaterThan":{"s3:max-keys":"100"}}`, `{"s3:max-keys":" 7200"}`, "/context/s3:max-keys"},
		{`{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, `{"aws:CurrentTime":"garbage"}`, "/context/aws:CurrentTime"},
		{`{"StringNotEqualsIfExists":{"custom:k":"a"}}`, `{"custom:k":["b"]}`, "/context/custom:k"},
		{`{"StringNotEquals":{"aws:PrincipalTag/team":"red"}}`, `{"aws:PrincipalTag/team":["blue"]}`, "/context/aws:PrincipalTag~1team"},
	} {
		var cond, ctxv map[string]any
		if err := json.Unmarshal([]byte(tc.cond), &cond); err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(strings.NewReader(tc.ctx))
		dec.UseNumber()
		if err := dec.Decode(&ctxv); err != nil {
			t.Fatal(err)
		}
		mods := modSet{}
		name := mods.compile(t, translator.Identity, map[string]any{"Version": "2012-10-17", "Statement": []any{
			map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"},
			map[string]any{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": cond},
		}})
		eng := mods.prepare(t)
		raw := map[string]any{
			"principal": aliceARN, "action": "s3:GetObject",
			"resource": map[string]any{"arn": objARN, "account": acctA},
			"context":  ctxv, "policies": map[string]any{"identity": []any{name}},
		}
		rd := eng.DecideInput(context.Background(), raw)
		gd := eng.Decide(context.Background(), aliceGet(ctxv, name))
		for path, d := range map[string]string{"rego": rd.Error, "go": gd.Error} {
			if !strings.Contains(d, " at "+tc.pointer+" ") {
				t.Errorf("%s %s on %s: error %q does not name %s", path, tc.cond, tc.ctx, d, tc.pointer)
			}
		}
		if rd.Allow || gd.Allow || rd.Error != gd.Error {
			t.Errorf("%s on %s: rego %s, go %s", tc.cond, tc.ctx, brief(rd), brief(gd))
		}
	}
	// Tag values must be text on the sidecar path too.
	mods := modSet{}
	name := mods.compile(t, translator.Identity, map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"},
		map[string]any{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": map[string]any{"StringNotEquals": map[string]any{"aws:PrincipalTag/team": "red"}}},
	}})
	d := mods.prepare(t).DecideInput(context.Background(), map[string]any{
		"principal": map[string]any{"arn": aliceARN, "tags": map[string]any{"team": []any{"blue"}}},
		"action":    "s3:GetObject", "resource": map[string]any{"arn": objARN, "account": acctA},
		"policies": map[string]any{"identity": []any{name}},
	})
	if d.Allow || !strings.Contains(d.Error, "tag value team at /principal/tags/team must be a string") {
		t.Errorf("list tag value: %s", brief(d))
	}
	// A context that is not an object would otherwise be ignored.
	d = mods.prepare(t).DecideInput(context.Background(), map[string]any{
		"principal": aliceARN, "action": "s3:GetObject", "resource": map[string]any{"arn": objARN, "account": acctA},
		"context": []any{"aws:PrincipalTag/team", "blue"}, "policies": map[string]any{"identity": []any{name}},
	})
	if d.Allow || !strings.Contains(d.Error, "input.context must be an object") {
		t.Errorf("context as a list: %s", brief(d))
	}
}
