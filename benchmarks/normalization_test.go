package benchmarks_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/rego"
)

// TestPlansOnBundles: over the example account, the corpus's real export
// (gaad-small) and a generated 100-principal account, for every principal and every request of the
// benchmark mix, in several caller forms (the role itself, a session of it,
// a session with tags, the account root, a service, a stranger), the
// decision (its plan where it has one) is exactly the general path's,
// reasons and statements included; and the mix's own requests take their
// plans.
func TestPlansOnBundles(t *testing.T) {
	ctx := context.Background()
	for _, size := range []string{"example", "gaad-small", "100"} {
		f := getFixture(t, size)
		eng := engineFor(t, f)
		n, planned, mix, mixPlanned, decided := 0, 0, 0, 0, map[string]int{}
		for i, p := range f.ranked {
			if size != "example" && i%5 != 0 {
				continue // a fifth of the larger account's principals keeps make test short
			}
			for _, r := range requestMix(p, f.exp) {
				for j, v := range variants(r, p.ARN) {
					n++
					in, err := rego.RequestValue(v)
					if err != nil {
						t.Fatal(err)
					}
					got, want := eng.Decide(ctx, v), eng.DecideGeneral(ctx, in)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s: %s %s on %s:\n  plan:    %+v\n  general: %+v", size, v.Principal.ARN, v.Action, v.Resource.ARN, got, want)
					}
					ok, err := eng.Planned(ctx, in)
					if err != nil {
						t.Fatal(err)
					}
					if ok {
						planned++
					}
					if j == 0 {
						mix++
						if ok {
							mixPlanned++
						}
					}
					decided[got.Decision+"/"+got.Step]++
				}
			}
		}
		if len(decided) < 5 {
			t.Errorf("%s: %d requests reached only %v", size, n, decided)
		}
		if mixPlanned*10 < mix*9 {
			t.Errorf("%s: %d of the mix's %d requests took a plan, want at least 90%%", size, mixPlanned, mix)
		}
		t.Logf("%s: %d requests agree (%d planned); the mix: %d of %d planned; %v", size, n, planned, mixPlanned, mix, decided)
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
