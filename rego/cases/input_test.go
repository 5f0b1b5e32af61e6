package cases

import (
	"testing"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/ast"
)

// TestInputIsEvalsShape: a request by principal ARN becomes the raw input
// eval --bundle sends (the principal as a string, numbers as written); a
// principal with more than its ARN stays an object.
func TestInputIsEvalsShape(t *testing.T) {
	req := rego.Request{Principal: rego.Principal{ARN: "arn:aws:iam::1:user/a"}, Action: "s3:GetObject",
		Resource: rego.Resource{ARN: "arn:aws:s3:::b/k", Account: "1"}, Context: map[string]any{"aws:MultiFactorAuthAge": 1700000001, "aws:SourceIp": []string{"10.0.0.1"}}}
	got, err := Input(req)
	if err != nil {
		t.Fatal(err)
	}
	want := ast.MustParseTerm(`{"principal": "arn:aws:iam::1:user/a", "action": "s3:GetObject",
		"resource": {"arn": "arn:aws:s3:::b/k", "account": "1"},
		"context": {"aws:MultiFactorAuthAge": 1700000001, "aws:SourceIp": ["10.0.0.1"]}}`).Value
	if got.Compare(want) != 0 {
		t.Errorf("Input:\n got %v\nwant %v", got, want)
	}
	req.Principal.Tags = map[string]string{"team": "x"}
	got, err = Input(req)
	if err != nil {
		t.Fatal(err)
	}
	p := got.(ast.Object).Get(ast.StringTerm("principal"))
	if _, ok := p.Value.(ast.Object); !ok {
		t.Errorf("a principal with tags became %v, want an object", p)
	}
}
