package rego_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator/account"
)

// fuzzEngines are the engines FuzzDecide asks: one over policies named in
// the request (the case runner's way), one over the example account's
// bundle (the sidecar's way), each with OPA's rule index on and off.
type fuzzEngines struct {
	refs          []map[string]any // policy references the fuzzer picks from
	explicit      [2]*rego.Engine  // index on, off
	bundle        [2]*rego.Engine
	explicitProbe []rego.Request
}

func prepareFuzzEngines(tb testing.TB) *fuzzEngines {
	tb.Helper()
	ctx := context.Background()
	fe := &fuzzEngines{}
	mods := modSet{}
	fe.explicitProbe = mixedRequests(tb, mods)
	seen := map[string]bool{}
	for _, r := range fe.explicitProbe {
		b, _ := json.Marshal(r.Policies)
		if seen[string(b)] {
			continue
		}
		seen[string(b)] = true
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		fe.refs = append(fe.refs, m)
	}
	// Shapes a client could send wrongly.
	fe.refs = append(fe.refs,
		map[string]any{"identity": fe.refs[0]["identity"].([]any)[0]},              // a string, not a list
		map[string]any{"identity": []any{1, nil}},                                  // not ids
		map[string]any{"scps": []any{[]any{}}, "identity": fe.refs[0]["identity"]}, // an SCP level allowing nothing
		map[string]any{"scps": "x", "rcps": []any{"y"}, "identity": fe.refs[0]["identity"]},
		nil, // no policies: the explicit engine has no bundle data
	)
	for i, on := range []bool{true, false} {
		fe.explicit[i] = mods.prepare(tb, rego.WithRuleIndexing(on))
	}
	exp, err := account.Load(account.Inputs{
		AccountDetails: []string{"../testdata/example/account-details.json"},
		Org:            "../testdata/example/organization.json",
		Resources:      []string{"../testdata/example/resource-policies.json"},
	})
	if err != nil {
		tb.Fatalf("loading the example account: %v", err)
	}
	res, err := bundles.Build(exp, bundles.Options{})
	if err != nil {
		tb.Fatalf("building the example bundle: %v", err)
	}
	for i, on := range []bool{true, false} {
		eng, err := rego.PrepareBundle(ctx, res.Bundle, rego.WithRuleIndexing(on))
		if err != nil {
			tb.Fatal(err)
		}
		fe.bundle[i] = eng
	}
	return fe
}

// Bits of FuzzDecide's shape argument.
const (
	shapeBundle     = 1 << 0 // ask the bundle engine
	shapePrincipal  = 3 << 1 // 0 string, 1 {arn}, 2 {arn, tags}, 3 not a string
	shapeResource   = 3 << 3 // 0 string, 1 {arn, account}, 2 {arn, account, tags}, 3 not a string
	shapeContext    = 3 << 5 // 0 none, 1 {k: v}, 2 {k: [v, v]}, 3 {k: v, K: v} (keys colliding)
	shapeActionType = 1 << 7 // the action is a number
	shapePolicies   = 0xf << 8
)

// actionForm is the form of a decidable action, written independently of
// the library (rego/lib/input.rego action_ok).
var actionForm = regexp.MustCompile(`^[A-Za-z0-9-]+:[A-Za-z0-9*?_.-]+$`)

// fuzzInput builds the raw request and reports whether it is malformed in
// a way that must make it an error: no valid action, no principal ARN
// string, no resource ARN string, or context keys that collide once
// lower-cased.
func fuzzInput(fe *fuzzEngines, principal, action, resource, acct, key, val string, shape uint16) (map[string]any, bool) {
	in := map[string]any{"action": action}
	malformed := !actionForm.MatchString(action)
	if shape&shapeActionType != 0 {
		in["action"] = json.Number("7")
		malformed = true
	}
	tags := map[string]any{key: val}
	switch (shape & shapePrincipal) >> 1 {
	case 0:
		in["principal"] = principal
	case 1:
		in["principal"] = map[string]any{"arn": principal}
	case 2:
		in["principal"] = map[string]any{"arn": principal, "tags": tags}
	case 3:
		in["principal"] = []any{principal}
		malformed = true
	}
	if principal == "" {
		malformed = true
	}
	switch (shape & shapeResource) >> 3 {
	case 0:
		in["resource"] = resource
	case 1:
		in["resource"] = map[string]any{"arn": resource, "account": acct}
	case 2:
		in["resource"] = map[string]any{"arn": resource, "account": acct, "tags": tags}
	case 3:
		in["resource"] = map[string]any{"account": acct}
		malformed = true
	}
	switch (shape & shapeContext) >> 5 {
	case 1:
		in["context"] = map[string]any{key: val}
	case 2:
		in["context"] = map[string]any{key: []any{val, val}}
	case 3:
		other := strings.ToUpper(key)
		if other == key {
			other = strings.ToLower(key)
		}
		if other != key {
			in["context"] = map[string]any{key: val, other: "x" + val}
			malformed = true
		}
	}
	if shape&shapeBundle == 0 {
		if p := fe.refs[int(shape&shapePolicies>>8)%len(fe.refs)]; p != nil {
			in["policies"] = p
		}
	}
	return in, malformed
}

// fuzzRequest is the same request as a rego.Request, when its shape has
// one (Engine.Decide then normalises it in Go).
func fuzzRequest(fe *fuzzEngines, principal, action, resource, acct, key, val string, shape uint16) (rego.Request, bool) {
	if shape&shapeActionType != 0 || (shape&shapePrincipal)>>1 == 3 || (shape&shapeResource)>>3 == 3 {
		return rego.Request{}, false
	}
	req := rego.Request{Principal: rego.Principal{ARN: principal}, Action: action, Resource: rego.Resource{ARN: resource}}
	if (shape&shapePrincipal)>>1 == 2 {
		req.Principal.Tags = map[string]string{key: val}
	}
	if (shape&shapeResource)>>3 >= 1 {
		req.Resource.Account = acct
	}
	if (shape&shapeResource)>>3 == 2 {
		req.Resource.Tags = map[string]string{key: val}
	}
	switch (shape & shapeContext) >> 5 {
	case 1:
		req.Context = map[string]any{key: val}
	case 2:
		req.Context = map[string]any{key: []any{val, val}}
	case 3:
		req.Context = map[string]any{key: val, strings.ToUpper(key): "x" + val}
	}
	if shape&shapeBundle == 0 {
		p := fe.refs[int(shape&shapePolicies>>8)%len(fe.refs)]
		b, _ := json.Marshal(p)
		if json.Unmarshal(b, &req.Policies) != nil {
			return rego.Request{}, false
		}
	}
	return req, true
}

// FuzzDecide: random requests (principal, action, resource, context as
// strings and in every shape) never panic; an answer is always one of the
// three decisions, allow is true exactly for Allow, an error is always an
// ImplicitDeny at step "error"; a malformed request is always an error and
// never an Allow; and OPA's rule index on or off gives the same answer,
// over policies named in the request and over a bundle.
func FuzzDecide(f *testing.F) {
	fe := prepareFuzzEngines(f)
	for i, r := range fe.explicitProbe {
		f.Add(r.Principal.ARN, r.Action, r.Resource.ARN, r.Resource.Account, "aws:SourceIp", "203.0.113.9", uint16(1<<3|1<<5|uint16(i%len(fe.refs))<<8))
	}
	fh, err := os.Open("../testdata/example/requests.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		var r struct {
			Principal string          `json:"principal"`
			Action    string          `json:"action"`
			Resource  json.RawMessage `json:"resource"`
			Context   map[string]any  `json:"context"`
		}
		if json.Unmarshal(sc.Bytes(), &r) != nil {
			continue
		}
		var res struct{ ARN, Account string }
		shape := uint16(shapeBundle)
		if json.Unmarshal(r.Resource, &res) == nil {
			shape |= 1 << 3
		} else {
			_ = json.Unmarshal(r.Resource, &res.ARN)
		}
		k, v := "aws:SecureTransport", "true"
		for ck, cv := range r.Context {
			if s, ok := cv.(string); ok {
				k, v = ck, s
			}
		}
		f.Add(r.Principal, r.Action, res.ARN, res.Account, k, v, shape|1<<5)
	}
	fh.Close()
	f.Add("anonymous", "s3:GetObject", "arn:aws:s3:::genai-kb-docs/docs/a", "111111111111", "aws:SecureTransport", "true", uint16(shapeBundle|1<<5))
	f.Add("arn:aws:iam::111111111111:user/developers/alice", "s3:GetObject", "*", "", "aws:PrincipalTag/team", "ml", uint16(shapeBundle|2<<1|2<<3|3<<5))
	f.Add("\"} allow := true #", "s3:*", "\x00", "111111111111", "\n", "\u2028", uint16(2<<1|2<<3|1<<5))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, principal, action, resource, acct, key, val string, shape uint16) {
		in, malformed := fuzzInput(fe, principal, action, resource, acct, key, val, shape)
		engines := fe.explicit
		if shape&shapeBundle != 0 {
			engines = fe.bundle
		}
		on := engines[0].DecideInput(ctx, in)
		off := engines[1].DecideInput(ctx, in)
		for _, d := range []rego.Decision{on, off} {
			switch d.Decision {
			case rego.Allow, rego.ImplicitDeny, rego.ExplicitDeny:
			default:
				t.Fatalf("decision %q for %v", d.Decision, in)
			}
			if d.Allow != (d.Decision == rego.Allow) {
				t.Fatalf("allow=%v with decision %s for %v", d.Allow, d.Decision, in)
			}
			if d.Error != "" && (d.Decision != rego.ImplicitDeny || d.Allow || d.Step != "error") {
				t.Fatalf("an error that is not a fail-closed deny: %+v for %v", d, in)
			}
			if d.Statements == nil {
				t.Fatalf("nil statements: %+v", d)
			}
			if malformed && (d.Error == "" || d.Allow) {
				t.Fatalf("a malformed request was decided %s (error %q): %v", d.Decision, d.Error, in)
			}
		}
		if !reflect.DeepEqual(on, off) {
			t.Fatalf("rule indexing changes the answer for %v:\n on: %+v\noff: %+v", in, on, off)
		}
		if req, ok := fuzzRequest(fe, principal, action, resource, acct, key, val, shape); ok {
			in, err := rego.RequestValue(req)
			if err != nil {
				t.Fatalf("%+v: %v", req, err)
			}
			if got, want := engines[0].Decide(ctx, req), engines[0].DecideGeneral(ctx, in); !reflect.DeepEqual(got, want) {
				t.Fatalf("the decision and the general path decide %+v differently:\n  decision: %+v\n  general:  %+v", req, got, want)
			}
		}
	})
}
