package rego_test

import (
	"context"
	"math/rand"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
)

func likePolicy(op, pattern string) map[string]any {
	return map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
		"Condition": map[string]any{op: map[string]any{"s3:prefix": pattern}},
	}}}
}

// globRegex is the reference: the anchored RE2 of an IAM wildcard pattern
// (§2.1), which the short patterns still use.
func globRegex(p string) *regexp.Regexp {
	q := regexp.QuoteMeta(p)
	q = strings.ReplaceAll(q, `\*`, `.*`)
	q = strings.ReplaceAll(q, `\?`, `.`)
	return regexp.MustCompile(`(?s)^` + q + `$`)
}

// TestLinearGlobAgreesWithRegex: the linear matcher of long patterns
// (translator/glob.go) decides as the regex does, on random patterns over
// a small alphabet (so that segments recur and overlap) and on values
// made to match them and then changed.
func TestLinearGlobAgreesWithRegex(t *testing.T) {
	rng := rand.New(rand.NewSource(15))
	randText := func(alpha string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[rng.Intn(len(alpha))]
		}
		return string(b)
	}
	type tc struct{ pattern, name string }
	var pats []tc
	mods := modSet{}
	for len(pats) < 40 {
		p := randText("ab*?aabb", 65+rng.Intn(120))
		if rng.Intn(4) == 0 {
			p = randText("ab", 70) + "*" + p // a long literal segment
		}
		if !strings.Contains(p, "*") {
			continue
		}
		pats = append(pats, tc{p, mods.compile(t, translator.Identity, likePolicy("StringLike", p))})
	}
	eng := mods.prepare(t)
	ctx := context.Background()
	checked, matched := 0, 0
	for _, pc := range pats {
		re := globRegex(pc.pattern)
		var values []string
		for range 6 {
			// A value that matches: each * becomes random text, each ? one character.
			var b strings.Builder
			for _, r := range pc.pattern {
				switch r {
				case '*':
					b.WriteString(randText("ab", rng.Intn(5)))
				case '?':
					b.WriteString(randText("ab", 1))
				default:
					b.WriteRune(r)
				}
			}
			v := b.String()
			values = append(values, v)
			if len(v) > 0 {
				i := rng.Intn(len(v))
				values = append(values, v[:i]+randText("ab", 1)+v[i+1:], v[:i]+v[i+1:], v+"a")
			}
			values = append(values, randText("ab", rng.Intn(300)))
		}
		for _, v := range values {
			want := re.MatchString(v)
			d := eng.Decide(ctx, rego.Request{
				Principal: rego.Principal{ARN: aliceARN}, Action: "s3:GetObject",
				Resource: rego.Resource{ARN: objARN, Account: acctA},
				Context:  map[string]any{"s3:prefix": v}, Policies: rego.PolicyRefs{Identity: []string{pc.name}},
			})
			if d.Error != "" || d.Allow != want {
				t.Fatalf("pattern %q, value %q: got %s, regex says %v", pc.pattern, v, brief(d), want)
			}
			checked++
			if want {
				matched++
			}
		}
	}
	if matched < checked/4 || matched == checked {
		t.Errorf("%d of %d values matched: the sample does not test both outcomes", matched, checked)
	}
}

// TestLinearGlobPathological is issue 15's case: one 9 KB StringLike of
// 4,500 `*a` against a 100 KB s3:prefix took 9.5 s per decision. Each
// decision, in-process and through the Rego entry point (a sidecar's),
// must take under 100 ms (not asserted under the race detector).
func TestLinearGlobPathological(t *testing.T) {
	if testing.Short() {
		t.Skip("times decisions")
	}
	pattern := strings.Repeat("*a", 4500)
	defer translator.SetMaxPatternChars(translator.SetMaxPatternChars(len(pattern)))
	mods := modSet{}
	allowName := mods.compile(t, translator.Identity, likePolicy("StringLike", pattern))
	denyName := mods.compile(t, translator.Identity, map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"},
		map[string]any{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": map[string]any{"StringNotLike": map[string]any{"s3:prefix": pattern}}},
	}})
	// Values over the default limit of 65,536 characters: raise it.
	eng := mods.prepare(t, rego.WithData(map[string]any{"iam2rego": map[string]any{"limits": map[string]any{"context_value_chars": 200000}}}))
	ctx := context.Background()
	for _, v := range []struct {
		name, value string
		matches     bool
	}{
		{"a*100000", strings.Repeat("a", 100000), true},
		{"b*100000", strings.Repeat("b", 100000), false},
		{"ab*50000", strings.Repeat("ab", 50000), false},
		{"ab*50000+a", strings.Repeat("ab", 50000) + "a", true},
		{"sparse", strings.Repeat("a"+strings.Repeat("b", 20), 4700), false},
	} {
		// Allow iff the value matches: the Allow's StringLike holds, or the
		// Deny's StringNotLike does not.
		for _, pol := range []struct {
			name string
			deny bool
		}{{allowName, false}, {denyName, true}} {
			req := rego.Request{
				Principal: rego.Principal{ARN: aliceARN}, Action: "s3:GetObject",
				Resource: rego.Resource{ARN: objARN, Account: acctA},
				Context:  map[string]any{"s3:prefix": v.value}, Policies: rego.PolicyRefs{Identity: []string{pol.name}},
			}
			raw := map[string]any{"principal": aliceARN, "action": "s3:GetObject",
				"resource": map[string]any{"arn": objARN, "account": acctA},
				"context":  map[string]any{"s3:prefix": v.value}, "policies": map[string]any{"identity": []any{pol.name}}}
			for path, decide := range map[string]func() rego.Decision{
				"Decide":      func() rego.Decision { return eng.Decide(ctx, req) },
				"DecideInput": func() rego.Decision { return eng.DecideInput(ctx, raw) },
			} {
				best := time.Hour
				var d rego.Decision
				for range 5 {
					start := time.Now()
					d = decide()
					best = min(best, time.Since(start))
				}
				if d.Allow != v.matches || d.Error != "" {
					t.Errorf("%s %s (deny guard %v): got %s, want allow=%v", path, v.name, pol.deny, brief(d), v.matches)
				}
				if best > 100*time.Millisecond && !raceDetector {
					t.Errorf("%s %s (deny guard %v): %v per decision, bar 100ms", path, v.name, pol.deny, best)
				}
				t.Logf("%s %s (deny guard %v): %v", path, v.name, pol.deny, best)
			}
		}
	}
}

// TestContextValueLimit: a context value (or a list member) over the
// limit is an input error on both paths; data.iam2rego.limits changes it.
func TestContextValueLimit(t *testing.T) {
	mods := modSet{}
	name := mods.compile(t, translator.Identity, likePolicy("StringLike", "*"))
	long := strings.Repeat("x", 65537)
	for _, tc := range []struct {
		limit   int // 0: the default
		value   any
		wantErr bool
	}{
		{0, long, true},
		{0, []any{"a", long}, true},
		{0, long[1:], false},
		{70000, long, false},
		{100, strings.Repeat("x", 101), true},
	} {
		var opts []rego.Option
		if tc.limit > 0 {
			opts = append(opts, rego.WithData(map[string]any{"iam2rego": map[string]any{"limits": map[string]any{"context_value_chars": tc.limit}}}))
		}
		eng := mods.prepare(t, opts...)
		ctxv := map[string]any{"s3:prefix": tc.value}
		raw := map[string]any{"principal": aliceARN, "action": "s3:GetObject",
			"resource": map[string]any{"arn": objARN, "account": acctA},
			"context":  ctxv, "policies": map[string]any{"identity": []any{name}}}
		for path, d := range map[string]rego.Decision{
			"Decide":      eng.Decide(context.Background(), aliceGet(ctxv, name)),
			"DecideInput": eng.DecideInput(context.Background(), raw),
		} {
			gotErr := strings.Contains(d.Error, "at /context/s3:prefix is longer than")
			if gotErr != tc.wantErr || (!tc.wantErr && !d.Allow) {
				t.Errorf("%s, limit %d, value of %T: %s", path, tc.limit, tc.value, brief(d))
			}
		}
	}
}
