package bundles_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
)

// bigPolicy is an identity policy of about n characters without whitespace.
func bigPolicy(n int) account.Document {
	var actions []any
	for i := 0; len(fmt.Sprint(actions)) < n; i++ {
		actions = append(actions, fmt.Sprintf("s3:GetObjectVersion%04d", i))
	}
	return account.Document{File: "mem.json", Pointer: "/doc", Value: map[string]any{
		"Version":   "2012-10-17",
		"Statement": []any{map[string]any{"Effect": "Allow", "Action": actions, "Resource": "*"}},
	}}
}

func codesOf(err error, warnings []*schema.Error) map[string]int {
	out := map[string]int{}
	for _, e := range append(schema.List(err), warnings...) {
		out[e.Code]++
	}
	return out
}

// TestPrincipalLimits: the per-principal AWS limits of IAM-SEMANTICS.md §9
// that only the whole account shows.
func TestPrincipalLimits(t *testing.T) {
	for _, tc := range []struct {
		note   string
		mutate func(a *account.Account)
		code   string
		fails  bool
	}{
		{"user inline total over 2,048", func(a *account.Account) {
			a.Users[0].Inline = append(a.Users[0].Inline, account.NamedDocument{Name: "big", Document: bigPolicy(2100)})
		}, schema.CodeLimitExceeded, true},
		{"role inline total over 10,240", func(a *account.Account) {
			a.Roles[0].Inline = append(a.Roles[0].Inline, account.NamedDocument{Name: "big", Document: bigPolicy(10300)})
		}, schema.CodeLimitExceeded, true},
		{"group inline total over 5,120", func(a *account.Account) {
			a.Groups[0].Inline = append(a.Groups[0].Inline, account.NamedDocument{Name: "big", Document: bigPolicy(5200)})
		}, schema.CodeLimitExceeded, true},
		{"11 groups for one user", func(a *account.Account) {
			for len(a.Users[0].Groups) <= 10 {
				a.Users[0].Groups = append(a.Users[0].Groups, a.Groups[0].Name)
			}
		}, schema.CodeLimitExceeded, true},
		{"11 managed policies on a role: a raisable quota", func(a *account.Account) {
			for len(a.Roles[0].Managed) <= 10 {
				a.Roles[0].Managed = append(a.Roles[0].Managed, "arn:aws:iam::aws:policy/ReadOnlyAccess")
			}
		}, schema.WarnQuotaExceeded, false},
		{"21 managed policies on a user", func(a *account.Account) {
			for len(a.Users[0].Managed) <= 20 {
				a.Users[0].Managed = append(a.Users[0].Managed, "arn:aws:iam::aws:policy/ReadOnlyAccess")
			}
		}, schema.CodeLimitExceeded, true},
		{"11 managed policies on a group", func(a *account.Account) {
			for len(a.Groups[0].Managed) <= 10 {
				a.Groups[0].Managed = append(a.Groups[0].Managed, "arn:aws:iam::aws:policy/ReadOnlyAccess")
			}
		}, schema.CodeLimitExceeded, true},
	} {
		t.Run(tc.note, func(t *testing.T) {
			exp := load(t, exampleInputs(exampleDir))
			tc.mutate(exp.Accounts[0])
			res, err := bundles.Build(exp, bundles.Options{})
			var warnings []*schema.Error
			if res != nil {
				warnings = res.Warnings
			}
			if (err != nil) != tc.fails {
				t.Fatalf("Build error = %v, want failure %v", err, tc.fails)
			}
			if codesOf(err, warnings)[tc.code] == 0 {
				t.Errorf("no %s diagnostic; got %v", tc.code, codesOf(err, warnings))
			}
			if err != nil && !strings.Contains(err.Error(), "arn:aws:iam::111111111111:") {
				t.Errorf("the diagnostic does not name the principal: %v", err)
			}
		})
	}
	// A customer managed policy over 6,144 characters is refused; the
	// unchanged example builds without any limit diagnostic.
	exp := load(t, exampleInputs(exampleDir))
	for arn, mp := range exp.Managed {
		if strings.Contains(arn, ":111111111111:policy/genai-kb-read-docs") {
			mp.Document = bigPolicy(6200)
		}
	}
	if _, err := bundles.Build(exp, bundles.Options{}); codesOf(err, nil)[schema.CodeLimitExceeded] == 0 {
		t.Errorf("a customer managed policy over 6,144 characters: got %v, want limit_exceeded", err)
	}
	res := build(t, load(t, exampleInputs(exampleDir)))
	if n := codesOf(nil, res.Warnings)[schema.WarnQuotaExceeded]; n != 0 {
		t.Errorf("the example account raised %d quota warnings", n)
	}
}
