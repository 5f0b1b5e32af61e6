package benchmarks_test

import (
	"context"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/rego"
)

// TestGoNormalisationOnBundles: over the example account and a generated
// 100-principal account, for every principal and every request of the
// benchmark mix, in several caller forms (the role itself, a session of it,
// a session with tags, the account root, a service, a stranger),
// Engine.Decide's Go normalisation builds exactly the input the Rego
// library builds, and the decisions (Go chain against Rego chain) are the
// same, reasons and statements included.
func TestGoNormalisationOnBundles(t *testing.T) {
	ctx := context.Background()
	for _, size := range []string{"example", "100"} {
		f := getFixture(t, size)
		eng := engineFor(t, f)
		n, decided := 0, map[string]int{}
		for i, p := range f.ranked {
			if size != "example" && i%5 != 0 {
				continue // a fifth of the larger account's principals keeps make test short
			}
			for _, r := range requestMix(p, f.exp) {
				for _, v := range variants(r, p.ARN) {
					n++
					if err := eng.CheckNormalization(ctx, v); err != nil {
						t.Fatalf("%s: %s %s on %s: %v", size, v.Principal.ARN, v.Action, v.Resource.ARN, err)
					}
					got, want := eng.Decide(ctx, v), eng.DecideReference(ctx, v)
					if !rego.SameDecision(got, want) {
						t.Fatalf("%s: %s %s on %s:\n  Go:   %+v\n  Rego: %+v", size, v.Principal.ARN, v.Action, v.Resource.ARN, got, want)
					}
					decided[got.Decision+"/"+got.Step]++
				}
			}
		}
		if len(decided) < 5 {
			t.Errorf("%s: %d requests reached only %v", size, n, decided)
		}
		t.Logf("%s: %d requests agree: %v", size, n, decided)
	}
}

// variants are forms of one request a client may send.
func variants(r rego.Request, entity string) []rego.Request {
	out := []rego.Request{r}
	with := func(edit func(*rego.Request)) {
		c := r
		c.Principal.Tags = map[string]string{}
		for k, v := range r.Principal.Tags {
			c.Principal.Tags[k] = v
		}
		edit(&c)
		out = append(out, c)
	}
	acct := strings.Split(entity, ":")[4]
	if strings.Contains(entity, ":role/") {
		with(func(c *rego.Request) { c.Principal.ARN = entity })
		with(func(c *rego.Request) {
			c.Principal.Tags = map[string]string{"Team": "ml", "project": "x"}
			c.Principal.UserID = "AROAEXAMPLE:s"
		})
		with(func(c *rego.Request) { c.Principal.RoleARN = entity })
	}
	with(func(c *rego.Request) {
		c.Action = strings.ToUpper(c.Action)
		c.Resource.Account = ""
		c.Resource.Tags = map[string]string{"Env": "prod"}
		c.Context = map[string]any{"AWS:SourceIP": "10.0.0.1", "aws:MultiFactorAuthAge": 42, "s3:x": []any{"a", 1.5, true, nil}}
	})
	with(func(c *rego.Request) { c.Principal = rego.Principal{ARN: "arn:aws:iam::" + acct + ":root"} })
	with(func(c *rego.Request) { c.Principal = rego.Principal{ARN: "lambda.amazonaws.com"} })
	with(func(c *rego.Request) { c.Principal = rego.Principal{ARN: "arn:aws:iam::" + acct + ":user/nobody"} })
	with(func(c *rego.Request) { c.ManagementAccount = acct })
	return out
}
