package benchmarks_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"

	"bytes"
	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/open-policy-agent/opa/v1/ast"
)

// TestPlansOnRandomRequests: on the example account and the corpus's real
// export, random requests built from the bundle itself (its users, roles
// and sessions of them; the actions its documents name; its resources with
// policies, their objects, roles for sts:AssumeRole, "*" and strangers'
// ARNs; context values well formed and malformed) are decided exactly as
// the general path decides them, explanation included. A mistake in a
// plan that the request mix does not reach (a resource policy, a
// cross-account grant, a deny on a condition) shows here.
func TestPlansOnRandomRequests(t *testing.T) {
	ctx := context.Background()
	for _, size := range []string{"example", "gaad-small"} {
		f := getFixture(t, size)
		eng := engineFor(t, f)
		b, err := bundles.Read(bytes.NewReader(f.bundle), nil)
		if err != nil {
			t.Fatal(err)
		}
		data := b.Data["iam2rego"].(map[string]any)
		var principals, resources, actions []string
		for arn := range data["callers"].(map[string]any) {
			principals = append(principals, arn)
			if strings.Contains(arn, ":role/") {
				parts := strings.Split(arn, ":")
				name := arn[strings.LastIndex(arn, "/")+1:]
				principals = append(principals, "arn:aws:sts::"+parts[4]+":assumed-role/"+name+"/s1")
				resources = append(resources, arn)
			}
		}
		principals = append(principals, "arn:aws:iam::999999999999:user/stranger")
		for arn := range data["resources"].(map[string]any) {
			resources = append(resources, arn)
			if strings.HasPrefix(arn, "arn:aws:s3:::") && !strings.Contains(arn, "/") {
				resources = append(resources, arn+"/k/x.txt")
			}
		}
		resources = append(resources, "*", "arn:aws:s3:::unknown-bucket/x", "arn:aws:lambda:us-east-1:999999999999:function:f")
		seen := map[string]bool{"sts:AssumeRole": true, "s3:GetObject": true, "sts:GetCallerIdentity": true, "iam:PutRolePolicy": true}
		for _, doc := range data["documents"].(map[string]any) {
			var d struct {
				Statement []map[string]any
			}
			if json.Unmarshal([]byte(doc.(string)), &d) != nil {
				continue
			}
			for _, s := range d.Statement {
				for _, a := range accountgen.StringsOf(s["Action"]) {
					if !strings.ContainsAny(a, "*?") {
						seen[a] = true
					}
				}
			}
		}
		for a := range seen {
			actions = append(actions, a)
		}
		sort.Strings(principals)
		sort.Strings(resources)
		sort.Strings(actions)
		contexts := []map[string]any{
			nil, {}, {"aws:SecureTransport": "true"}, {"aws:SecureTransport": "false", "aws:RequestedRegion": "eu-west-1"},
			{"aws:RequestedRegion": "us-east-1", "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "30"},
			{"aws:SourceIp": "10.1.2.3", "aws:CurrentTime": "2025-06-02T10:00:00Z"},
			{"aws:CurrentTime": "2025-06-02"}, {"aws:MultiFactorAuthAge": "soon"}, {"aws:SourceIp": "not-an-ip"},
			{"aws:SecureTransport": "yes"}, {"aws:PrincipalOrgID": "o-other"}, {"AWS:securetransport": "true", "aws:SecureTransport": "true"}, {"AWS:securetransport": "false", "aws:SecureTransport": "true"},
			{"s3:prefix": []any{"a", "b"}}, {"aws:TagKeys": "single"}, {"aws:SourceArn": "arn:aws:bedrock:us-east-1:111111111111:agent/AGENT0001"},
		}
		rng := rand.New(rand.NewPCG(7, uint64(len(size))))
		n, planned, steps := 0, 0, map[string]int{}
		for range 1500 {
			in := map[string]any{
				"principal": principals[rng.IntN(len(principals))],
				"action":    actions[rng.IntN(len(actions))],
			}
			res := resources[rng.IntN(len(resources))]
			switch rng.IntN(3) {
			case 0:
				in["resource"] = res
			case 1:
				in["resource"] = map[string]any{"arn": res}
			default:
				in["resource"] = map[string]any{"arn": res, "account": []string{"111111111111", "222222222222", "999999999999"}[rng.IntN(3)]}
			}
			if c := contexts[rng.IntN(len(contexts))]; c != nil {
				in["context"] = c
			}
			v, err := ast.InterfaceToValue(in)
			if err != nil {
				t.Fatal(err)
			}
			got, want := eng.DecideValue(ctx, v), eng.DecideGeneral(ctx, v)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: %v:\n  decision: %+v\n  general:  %+v", size, in, got, want)
			}
			if ok, _ := eng.Planned(ctx, v); ok {
				planned++
			}
			n++
			steps[got.Decision+"/"+got.Step]++
		}
		t.Logf("%s: %d random requests agree, %d planned: %v", size, n, planned, steps)
	}
}
