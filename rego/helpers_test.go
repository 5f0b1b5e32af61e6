package rego_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/open-policy-agent/opa/v1/ast"
)

// Shared fixtures of the rego package tests (package rego_test, so that the
// tests see the engine exactly as its users do).

const (
	acctA    = "111111111111"
	acctB    = "222222222222"
	aliceARN = "arn:aws:iam::111111111111:user/alice"
	objARN   = "arn:aws:s3:::b/k"
)

// modSet collects compiled policy modules for one Prepare.
type modSet map[string]*ast.Module

// compile lowers a policy document (generic JSON values) of the given type
// and adds its module to the set; it returns the package name.
func (m modSet) compile(t testing.TB, typ translator.PolicyType, doc map[string]any) string {
	t.Helper()
	c, err := translator.CompileDocument("test.json", typ, doc)
	if err != nil {
		t.Fatalf("compiling %s policy %v: %v", typ, doc, err)
	}
	m[c.Name] = c.Module
	return c.Name
}

// prepare builds an engine over the set.
func (m modSet) prepare(t testing.TB, opts ...rego.Option) *rego.Engine {
	t.Helper()
	eng, err := rego.Prepare(context.Background(), m, opts...)
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	return eng
}

// policy builds a 2012-10-17 document from statements.
func policy(stmts ...map[string]any) map[string]any {
	list := make([]any, len(stmts))
	for i, s := range stmts {
		list[i] = s
	}
	return map[string]any{"Version": "2012-10-17", "Statement": list}
}

// allowGet is `Allow s3:GetObject on *` with an optional Condition block.
func allowGet(cond map[string]any) map[string]any {
	s := map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
	if cond != nil {
		s["Condition"] = cond
	}
	return s
}

// aliceGet is alice's s3:GetObject request on arn:aws:s3:::b/k in her own
// account, with the given identity policies and context.
func aliceGet(ctx map[string]any, identity ...string) rego.Request {
	return rego.Request{
		Principal: rego.Principal{ARN: aliceARN},
		Action:    "s3:GetObject",
		Resource:  rego.Resource{ARN: objARN, Account: acctA},
		Context:   ctx,
		Policies:  rego.PolicyRefs{Identity: identity},
	}
}

// brief renders a decision for failure messages.
func brief(d rego.Decision) string {
	s := fmt.Sprintf("%s (step %s: %s)", d.Decision, d.Step, d.Reason)
	if d.Error != "" {
		s += " error: " + d.Error
	}
	return s
}
