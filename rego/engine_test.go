package rego_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/open-policy-agent/opa/v1/ast"
)

// requireFailClosed checks the fail-closed contract: ImplicitDeny, Allow
// false, Error set.
func requireFailClosed(t *testing.T, what string, d rego.Decision) {
	t.Helper()
	if d.Decision != rego.ImplicitDeny || d.Allow || d.Error == "" {
		t.Errorf("%s: got %s (allow=%v), want a fail-closed ImplicitDeny with Error set", what, brief(d), d.Allow)
	}
}

// (a) A request naming a policy the engine does not hold is an error, not
// a silent "that policy allows nothing".
func TestFailClosedUnknownPolicy(t *testing.T) {
	mods := modSet{}
	allowAll := mods.compile(t, translator.Identity, policy(map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}))
	eng := mods.prepare(t)
	ctx := context.Background()

	if d := eng.Decide(ctx, aliceGet(nil, allowAll)); d.Decision != rego.Allow || d.Error != "" {
		t.Fatalf("control: allow-all identity policy: got %s, want Allow", brief(d))
	}
	const missing = "p000000000000000000000000"
	reqs := map[string]rego.Request{}
	r := aliceGet(nil, missing)
	reqs["identity unknown"] = r
	r = aliceGet(nil, allowAll, missing)
	reqs["identity known + unknown"] = r
	r = aliceGet(nil, allowAll)
	r.Policies.Boundary = missing
	reqs["boundary unknown"] = r
	r = aliceGet(nil, allowAll)
	r.Policies.Resource = missing
	reqs["resource unknown"] = r
	r = aliceGet(nil, allowAll)
	r.Policies.SCPs = [][]string{{allowAll}, {missing}}
	reqs["scp level unknown"] = r
	r = aliceGet(nil, allowAll)
	r.Policies.RCPs = [][]string{{missing}}
	reqs["rcp level unknown"] = r
	r = aliceGet(nil, allowAll)
	r.Policies.VPCE = missing
	reqs["vpce unknown"] = r
	r = aliceGet(nil, allowAll)
	r.Principal.ARN = "arn:aws:sts::111111111111:assumed-role/App/s1"
	r.Policies.Session = missing
	reqs["session unknown"] = r
	r = aliceGet(nil, allowAll)
	r.Policies.Identity = []string{"data.iam2rego.lib"}
	reqs["identity id with dots"] = r
	for name, req := range reqs {
		d := eng.Decide(ctx, req)
		requireFailClosed(t, name, d)
		if d.Error != "" && !strings.Contains(d.Error, "not loaded") {
			t.Errorf("%s: Error %q does not say which policy is not loaded", name, d.Error)
		}
	}
}

// (b) A request without a usable principal or action is an error.
func TestFailClosedBadRequest(t *testing.T) {
	mods := modSet{}
	allowAll := mods.compile(t, translator.Identity, policy(map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}))
	eng := mods.prepare(t)
	ctx := context.Background()
	for name, mutate := range map[string]func(*rego.Request){
		"no principal":                  func(r *rego.Request) { r.Principal = rego.Principal{} },
		"principal is a name":           func(r *rego.Request) { r.Principal.ARN = "alice" },
		"principal account too short":   func(r *rego.Request) { r.Principal.ARN = "arn:aws:iam::1111:user/alice" },
		"principal user without a name": func(r *rego.Request) { r.Principal.ARN = "arn:aws:iam::111111111111:user/" },
		"principal is a role path only": func(r *rego.Request) { r.Principal.ARN = "arn:aws:iam::111111111111:role/" },
		"principal is a wildcard":       func(r *rego.Request) { r.Principal.ARN = "*" },
		"no action":                     func(r *rego.Request) { r.Action = "" },
		"action without a service":      func(r *rego.Request) { r.Action = "GetObject" },
		"action without a name":         func(r *rego.Request) { r.Action = "s3:" },
		"action with a space":           func(r *rego.Request) { r.Action = "s3:Get Object" },
		"action with two colons":        func(r *rego.Request) { r.Action = "s3:Get:Object" },
	} {
		req := aliceGet(nil, allowAll)
		mutate(&req)
		requireFailClosed(t, name, eng.Decide(ctx, req))
	}
}

// (c) DecideValue with garbage never allows and never panics.
func TestDecideValueGarbage(t *testing.T) {
	mods := modSet{}
	// Allowed only with test:k = "v", so junk in the context cannot allow.
	name := mods.compile(t, translator.Identity, policy(allowGet(map[string]any{"StringEquals": map[string]any{"test:k": "v"}})))
	eng := mods.prepare(t)
	ctx := context.Background()

	base := func() map[string]any {
		return map[string]any{
			"principal": map[string]any{"arn": aliceARN},
			"action":    "s3:GetObject",
			"resource":  map[string]any{"arn": objARN, "account": acctA},
			"context":   map[string]any{"test:k": "v"},
			"policies":  map[string]any{"identity": []any{name}},
		}
	}
	decide := func(what string, in any) (d rego.Decision) {
		t.Helper()
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("%s: DecideValue panicked: %v", what, p)
				d = rego.Decision{Decision: "panic"}
			}
		}()
		var v ast.Value
		if in != nil {
			var err error
			if v, err = ast.InterfaceToValue(in); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		return eng.DecideValue(ctx, v)
	}
	if d := decide("control", base()); d.Decision != rego.Allow {
		t.Fatalf("control: got %s, want Allow", brief(d))
	}

	junk := []any{
		nil, 0, -1, 1.5, 1e300, true, false, "", "x", "*",
		[]any{}, []any{nil}, []any{[]any{[]any{"x"}}}, []any{1, "two", nil, false},
		map[string]any{}, map[string]any{"a": map[string]any{"b": []any{1, nil, map[string]any{"c": true}}}},
		map[string]any{"arn": nil}, map[string]any{"arn": []any{aliceARN}}, map[string]any{"arn": map[string]any{"arn": aliceARN}},
	}
	// Whole-input garbage.
	for _, j := range junk {
		what := fmt.Sprintf("input = %v", j)
		if d := decide(what, j); d.Decision == rego.Allow || d.Allow {
			t.Errorf("%s: got %s, want a deny", what, brief(d))
		}
	}
	if d := decide("input = nil ast.Value", nil); d.Decision == rego.Allow || d.Allow {
		t.Errorf("nil input: got %s, want a deny", brief(d))
	}
	// Garbage at each place of an otherwise allowed request.
	paths := [][]string{
		{"principal"}, {"principal", "arn"}, {"action"}, {"resource"}, {"resource", "arn"},
		{"policies"}, {"policies", "identity"}, {"context"}, {"context", "test:k"},
	}
	for _, path := range paths {
		for _, j := range junk {
			if s, isString := j.(string); isString && (strings.Join(path, ".") == "resource.arn" || s == "*" && strings.Join(path, ".") == "resource") {
				// Any string is a request resource to the engine: "*" is
				// legitimate (§2.3 rule 1), and a non-ARN string is only
				// matched by Resource "*". Not garbage in the sense of this
				// test (see the report on non-ARN resources).
				continue
			}
			in := base()
			set(in, path, j)
			what := fmt.Sprintf("%s = %#v", strings.Join(path, "."), j)
			if d := decide(what, in); d.Decision == rego.Allow || d.Allow {
				t.Errorf("%s: got %s, want a deny", what, brief(d))
			}
		}
		in := base()
		del(in, path)
		what := strings.Join(path, ".") + " missing"
		if d := decide(what, in); d.Decision == rego.Allow || d.Allow {
			t.Errorf("%s: got %s, want a deny", what, brief(d))
		}
	}
	// Garbage in optional members must not crash the evaluation either; an
	// allowed request with junk there must not become an error that hides
	// a panic, and must never turn a deny into an allow.
	denyBase := func() map[string]any {
		in := base()
		in["context"] = map[string]any{"test:k": "not v"}
		return in
	}
	optional := [][]string{
		{"principal", "tags"}, {"principal", "federatedBy"}, {"principal", "roleArn"}, {"principal", "userId"},
		{"resource", "account"}, {"resource", "tags"}, {"organization"}, {"policies", "boundary"},
		{"policies", "session"}, {"policies", "resource"}, {"policies", "scps"}, {"policies", "rcps"}, {"policies", "vpce"},
	}
	for _, path := range optional {
		for _, j := range junk {
			in := denyBase()
			set(in, path, j)
			what := fmt.Sprintf("deny request with %s = %#v", strings.Join(path, "."), j)
			if d := decide(what, in); d.Decision == rego.Allow || d.Allow {
				t.Errorf("%s: got %s, want a deny", what, brief(d))
			}
		}
	}
}

func set(m map[string]any, path []string, v any) {
	for _, p := range path[:len(path)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}

func del(m map[string]any, path []string) {
	for _, p := range path[:len(path)-1] {
		m = m[p].(map[string]any)
	}
	delete(m, path[len(path)-1])
}

// mixedRequests is a set of requests with every kind of answer, over the
// policies it compiles into mods.
func mixedRequests(t testing.TB, mods modSet) []rego.Request {
	allowAll := mods.compile(t, translator.Identity, policy(map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}))
	denyLogs := mods.compile(t, translator.Identity, policy(map[string]any{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*log*"}))
	cond := mods.compile(t, translator.Identity, policy(allowGet(map[string]any{
		"IpAddress":                 map[string]any{"aws:SourceIp": "203.0.113.0/24"},
		"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []any{"env", "team"}},
	})))
	home := mods.compile(t, translator.Identity, policy(map[string]any{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}))
	bucket := mods.compile(t, translator.Resource, policy(map[string]any{
		"Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::111111111111:role/App"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
	}))
	boundary := mods.compile(t, translator.Boundary, policy(map[string]any{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}))

	session := "arn:aws:sts::111111111111:assumed-role/App/s1"
	var out []rego.Request
	add := func(r rego.Request, f func(*rego.Request)) {
		if f != nil {
			f(&r)
		}
		out = append(out, r)
	}
	add(aliceGet(nil, allowAll), nil)
	add(aliceGet(nil), nil)
	add(aliceGet(nil, allowAll, denyLogs), func(r *rego.Request) { r.Resource.ARN = "arn:aws:s3:::app-logs/x" })
	add(aliceGet(map[string]any{"aws:SourceIp": "203.0.113.9"}, cond), nil)
	add(aliceGet(map[string]any{"aws:SourceIp": "203.0.113.9", "aws:TagKeys": []string{"env", "owner"}}, cond), nil)
	add(aliceGet(map[string]any{"aws:SourceIp": "198.51.100.1"}, cond), nil)
	add(aliceGet(nil, home), func(r *rego.Request) { r.Resource.ARN = "arn:aws:s3:::home/alice/x" })
	add(aliceGet(nil, home), func(r *rego.Request) { r.Resource.ARN = "arn:aws:s3:::home/bob/x" })
	add(aliceGet(nil), func(r *rego.Request) { r.Principal.ARN = session; r.Policies.Resource = bucket })
	add(aliceGet(nil), func(r *rego.Request) {
		r.Principal.ARN = session
		r.Policies.Resource = bucket
		r.Policies.Boundary = boundary
	})
	add(aliceGet(nil, allowAll), func(r *rego.Request) { r.Resource.Account = acctB })
	add(aliceGet(nil, "p000000000000000000000000"), nil)
	add(aliceGet(nil, allowAll), func(r *rego.Request) { r.Action = "bad action" })
	add(aliceGet(nil), func(r *rego.Request) { r.Principal.ARN = "arn:aws:iam::111111111111:root" })
	add(aliceGet(nil, allowAll), func(r *rego.Request) { r.Action = "sts:GetCallerIdentity"; r.Policies.Identity = nil })
	return out
}

// (d) One shared Engine decides concurrently exactly as it does
// sequentially (run with -race).
func TestConcurrentDecide(t *testing.T) {
	mods := modSet{}
	reqs := mixedRequests(t, mods)
	eng := mods.prepare(t)
	ctx := context.Background()
	want := make([]rego.Decision, len(reqs))
	kinds := map[string]bool{}
	for i, r := range reqs {
		want[i] = eng.Decide(ctx, r)
		kinds[want[i].Decision] = true
		if want[i].Error != "" {
			kinds["error"] = true
		}
	}
	for _, k := range []string{rego.Allow, rego.ImplicitDeny, rego.ExplicitDeny, "error"} {
		if !kinds[k] {
			t.Fatalf("the mixed requests produce no %s; the test would not be mixed", k)
		}
	}
	const goroutines, perG = 16, 200
	var wg sync.WaitGroup
	errs := make(chan string, goroutines*perG)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < perG; i++ {
				n := (g*7 + i) % len(reqs)
				if got := eng.Decide(ctx, reqs[n]); !reflect.DeepEqual(got, want[n]) {
					errs <- fmt.Sprintf("goroutine %d, decision %d, request %d: got %+v, want %+v", g, i, n, got, want[n])
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	n := 0
	for e := range errs {
		if n < 10 {
			t.Error(e)
		}
		n++
	}
	if n > 0 {
		t.Errorf("%d of %d concurrent decisions differ from the sequential ones", n, goroutines*perG)
	}
}

// (e) Switching OPA's rule index off changes no decision of the corpus.
func TestRuleIndexingOffSameDecisions(t *testing.T) {
	files, err := filepath.Glob("../testdata/cases/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files under ../testdata/cases (%v)", err)
	}
	var all []*cases.Case
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		list, err := cases.Load(filepath.Base(f), fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		all = append(all, list...)
	}
	ctx := context.Background()
	on, err := cases.Run(ctx, all, cases.Options{})
	if err != nil {
		t.Fatal(err)
	}
	off := false
	noIndex, err := cases.Run(ctx, all, cases.Options{RuleIndexing: &off})
	if err != nil {
		t.Fatal(err)
	}
	decided := 0
	for i := range on {
		a, b := on[i], noIndex[i]
		id := a.Case.IDString() + " (" + a.Case.File + ")"
		if a.Outcome() != b.Outcome() || a.Decision.Step != b.Decision.Step {
			t.Errorf("%s: with rule indexing %s/%s, without %s/%s", id, a.Outcome(), a.Decision.Step, b.Outcome(), b.Decision.Step)
		}
		if !reflect.DeepEqual(a.Decision.Statements, b.Decision.Statements) {
			t.Errorf("%s: statements differ with and without rule indexing:\n  on:  %+v\n  off: %+v", id, a.Decision.Statements, b.Decision.Statements)
		}
		if a.Err == nil && a.Decision.Error == "" {
			decided++
		}
	}
	if decided < 100 {
		t.Errorf("only %d of %d cases were decided; the comparison is too thin", decided, len(on))
	}
}

// (f) Context keys derived from the principal and the resource (§7, §8).
//
// Each row probes one condition with a resource policy that allows
// everyone and denies when the condition holds, so the outcome is
// ExplicitDeny exactly when the condition is true, for every kind of
// caller (root, users, sessions, federated users, services, anonymous).
func TestDerivedContextKeys(t *testing.T) {
	type row struct {
		name string
		cond map[string]any
		req  func(*rego.Request)
		want bool // the condition holds
		spec string
	}
	user := func(arn string) func(*rego.Request) {
		return func(r *rego.Request) { r.Principal = rego.Principal{ARN: arn} }
	}
	session := user("arn:aws:sts::111111111111:assumed-role/App/s1")
	sessionWithPath := func(r *rego.Request) {
		r.Principal = rego.Principal{ARN: "arn:aws:sts::111111111111:assumed-role/App/s1", RoleARN: "arn:aws:iam::111111111111:role/team/App"}
	}
	root := user("arn:aws:iam::111111111111:root")
	fed := user("arn:aws:sts::111111111111:federated-user/Carol")
	anon := user("anonymous")
	svc := user("cloudtrail.amazonaws.com")
	alice := user(aliceARN)
	eq := func(key string, v any) map[string]any { return map[string]any{"StringEquals": map[string]any{key: v}} }
	null := func(key string, absent bool) map[string]any {
		return map[string]any{"Null": map[string]any{key: fmt.Sprint(absent)}}
	}
	chain := func(fs ...func(*rego.Request)) func(*rego.Request) {
		return func(r *rego.Request) {
			for _, f := range fs {
				f(r)
			}
		}
	}
	withCtx := func(ctx map[string]any) func(*rego.Request) {
		return func(r *rego.Request) { r.Context = ctx }
	}
	rows := []row{
		{"PrincipalArn/user", eq("aws:PrincipalArn", aliceARN), alice, true, "§7 user: its ARN"},
		{"PrincipalArn/session is the role ARN", eq("aws:PrincipalArn", "arn:aws:iam::111111111111:role/App"), session, true, "§7 role session → role ARN"},
		{"PrincipalArn/session is not the session ARN", eq("aws:PrincipalArn", "arn:aws:sts::111111111111:assumed-role/App/s1"), session, false, "§7"},
		{"PrincipalArn/session role ARN keeps the path", map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": "arn:aws:iam::111111111111:role/team/App"}}, sessionWithPath, true, "§7 role ARN with path"},
		{"PrincipalArn/ArnLike role/App misses a pathed role", map[string]any{"ArnLike": map[string]any{"aws:PrincipalArn": "arn:aws:iam::111111111111:role/App"}}, sessionWithPath, false, "§7 with path /team/ the value is role/team/App"},
		{"PrincipalArn/root", eq("aws:PrincipalArn", "arn:aws:iam::111111111111:root"), root, true, "§7 root"},
		{"PrincipalArn/federated", eq("aws:PrincipalArn", "arn:aws:sts::111111111111:federated-user/Carol"), fed, true, "§7 federated user"},
		{"PrincipalArn/absent for anonymous", null("aws:PrincipalArn", true), anon, true, "§7 anonymous: absent"},
		{"PrincipalArn/absent for a service", null("aws:PrincipalArn", true), svc, true, "§7 service principal: absent"},
		{"username/user", eq("aws:username", "alice"), alice, true, "§7 aws:username for IAM users"},
		{"username/user with a path", eq("aws:username", "Bob"), user("arn:aws:iam::111111111111:user/dev/Bob"), true, "§7 friendly name, no path"},
		{"username/absent for a session", null("aws:username", true), session, true, "§8 only IAM users"},
		{"username/absent for root", null("aws:username", true), root, true, "§7"},
		{"username/absent for federated", null("aws:username", true), fed, true, "§7"},
		{"username/absent for anonymous", null("aws:username", true), anon, true, "§7"},
		{"username/present for a user", null("aws:username", false), alice, true, "§7"},
		{"PrincipalType/User", eq("aws:PrincipalType", "User"), alice, true, "§7"},
		{"PrincipalType/AssumedRole", eq("aws:PrincipalType", "AssumedRole"), session, true, "§7"},
		{"PrincipalType/FederatedUser", eq("aws:PrincipalType", "FederatedUser"), fed, true, "§7"},
		{"PrincipalType/Account", eq("aws:PrincipalType", "Account"), root, true, "§7 root → Account"},
		{"PrincipalType/Anonymous", eq("aws:PrincipalType", "Anonymous"), anon, true, "§7"},
		{"PrincipalType/not set for a service", null("aws:PrincipalType", true), svc, true, "§7 service: do not set"},
		{"userid/root is the account", eq("aws:userid", acctA), root, true, "§7 root → account id"},
		{"userid/federated", eq("aws:userid", "111111111111:Carol"), fed, true, "§7 federated → A:Carol"},
		{"userid/anonymous", eq("aws:userid", "anonymous"), anon, true, "§7 anonymous → anonymous"},
		{"userid/user given by the caller", eq("aws:userid", "AIDAEXAMPLE"), func(r *rego.Request) { r.Principal = rego.Principal{ARN: aliceARN, UserID: "AIDAEXAMPLE"} }, true, "§7 user unique id"},
		{"PrincipalAccount/user", eq("aws:PrincipalAccount", acctA), alice, true, "§8"},
		{"PrincipalAccount/session", eq("aws:PrincipalAccount", acctA), session, true, "§8"},
		{"PrincipalTag/user tag", eq("aws:PrincipalTag/team", "red"), func(r *rego.Request) {
			r.Principal = rego.Principal{ARN: aliceARN, Tags: map[string]string{"Team": "red"}}
		}, true, "§7/§3.1 tag keys case-insensitive"},
		{"PrincipalTag/absent without tags", null("aws:PrincipalTag/team", true), alice, true, "§7"},
		{"ResourceTag/tag", eq("aws:ResourceTag/Env", "prod"), func(r *rego.Request) { r.Resource.Tags = map[string]string{"env": "prod"} }, true, "§8"},
		{"ResourceTag/absent without tags", null("aws:ResourceTag/env", true), alice, true, "§8"},
		{"ResourceAccount/from the request", eq("aws:ResourceAccount", acctA), alice, true, "§8 from the request's resource account"},
		{"ResourceAccount/from the ARN", eq("aws:ResourceAccount", acctA), func(r *rego.Request) {
			r.Resource = rego.Resource{ARN: "arn:aws:sns:us-east-1:111111111111:t"}
		}, true, "§8 / §2.3"},
		{"explicit/username wins", eq("aws:username", "mallory"), chain(alice, withCtx(map[string]any{"aws:username": "mallory"})), true, "§8 explicit caller values win"},
		{"explicit/username wins, any key case", eq("aws:username", "mallory"), chain(alice, withCtx(map[string]any{"AWS:UserName": "mallory"})), true, "§8 + §3.1"},
		{"explicit/derived value is replaced", eq("aws:username", "alice"), chain(alice, withCtx(map[string]any{"aws:username": "mallory"})), false, "§8"},
		{"explicit/PrincipalTag wins", eq("aws:PrincipalTag/team", "blue"), func(r *rego.Request) {
			r.Principal = rego.Principal{ARN: aliceARN, Tags: map[string]string{"team": "red"}}
			r.Context = map[string]any{"aws:PrincipalTag/Team": "blue"}
		}, true, "§8"},
		{"explicit/ResourceAccount wins", eq("aws:ResourceAccount", acctB), withCtx(map[string]any{"aws:ResourceAccount": acctB}), true, "§8"},
		{"explicit/PrincipalArn wins", eq("aws:PrincipalArn", "arn:aws:iam::111111111111:role/Other"), chain(session, withCtx(map[string]any{"aws:PrincipalArn": "arn:aws:iam::111111111111:role/Other"})), true, "§8"},
		{"userid/root with a caller-supplied userId", eq("aws:PrincipalType", "Account"), func(r *rego.Request) {
			r.Principal = rego.Principal{ARN: "arn:aws:iam::111111111111:root", UserID: "AIDAROOTEXAMPLE"}
		}, true, "§7/§8: a root request that also carries userId must still be decided (explicit caller values win, never an evaluation conflict)"},
		{"userid/federated with a caller-supplied userId", eq("aws:PrincipalType", "FederatedUser"), func(r *rego.Request) {
			r.Principal = rego.Principal{ARN: "arn:aws:sts::111111111111:federated-user/Carol", UserID: "111111111111:Carol2"}
		}, true, "§7/§8: a federated request that carries userId must still be decided"},
	}
	mods := modSet{}
	probes := make([]string, len(rows))
	for i, r := range rows {
		probes[i] = mods.compile(t, translator.Resource, policy(
			map[string]any{"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
			map[string]any{"Sid": "Probe", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": r.cond},
		))
	}
	eng := mods.prepare(t)
	for i, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			req := rego.Request{
				Principal: rego.Principal{ARN: aliceARN},
				Action:    "s3:GetObject",
				Resource:  rego.Resource{ARN: objARN, Account: acctA},
				Policies:  rego.PolicyRefs{Resource: probes[i]},
			}
			r.req(&req)
			d := eng.Decide(context.Background(), req)
			want := rego.Allow
			if r.want {
				want = rego.ExplicitDeny
			}
			if d.Decision != want || d.Error != "" {
				b, _ := json.Marshal(req.Principal)
				t.Errorf("condition %v for principal %s, context %v: got %s, want %s (condition %v) per IAM-SEMANTICS.md %s",
					r.cond, b, req.Context, brief(d), want, r.want, r.spec)
			}
		})
	}
}

// A context whose keys collide once lower-cased cannot be decided
// reliably (§3.1 recommends rejecting it); it must never allow.
func TestCollidingContextKeysNeverAllow(t *testing.T) {
	mods := modSet{}
	name := mods.compile(t, translator.Identity, policy(allowGet(map[string]any{"IpAddress": map[string]any{"aws:SourceIp": "203.0.113.0/24"}})))
	eng := mods.prepare(t)
	for _, ctx := range []map[string]any{
		{"aws:SourceIp": "203.0.113.1", "AWS:SOURCEIP": "198.51.100.1"},
		{"aws:SourceIp": "198.51.100.1", "AWS:SOURCEIP": "203.0.113.1"},
	} {
		d := eng.Decide(context.Background(), aliceGet(ctx, name))
		if d.Allow || d.Decision == rego.Allow {
			t.Errorf("context %v: got %s, want a deny", ctx, brief(d))
		}
	}
}

// Prepare once, then Decide the same request many times: the answer is
// stable (no state leaks between evaluations through the caches).
func TestPrepareOnceDecideMany(t *testing.T) {
	mods := modSet{}
	reqs := mixedRequests(t, mods)
	eng := mods.prepare(t)
	ctx := context.Background()
	first := make([]rego.Decision, len(reqs))
	for i, r := range reqs {
		first[i] = eng.Decide(ctx, r)
	}
	for round := 0; round < 20; round++ {
		for i := len(reqs) - 1; i >= 0; i-- {
			if got := eng.Decide(ctx, reqs[i]); !reflect.DeepEqual(got, first[i]) {
				t.Fatalf("round %d, request %d: got %+v, first %+v", round, i, got, first[i])
			}
		}
	}
	// The same answers from a second engine over the same modules.
	eng2 := mods.prepare(t)
	for i, r := range reqs {
		if got := eng2.Decide(ctx, r); !reflect.DeepEqual(got, first[i]) {
			t.Errorf("request %d: second engine %+v, first %+v", i, got, first[i])
		}
	}
}

// TestRoleARNAsPrincipal: a role ARN asks what the role's sessions may do;
// aws:PrincipalArn is the role ARN with its path.
func TestRoleARNAsPrincipal(t *testing.T) {
	ctx := context.Background()
	mods := modSet{}
	pid := mods.compile(t, translator.Identity, policy(map[string]any{
		"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
		"Condition": map[string]any{"StringEquals": map[string]any{
			"aws:PrincipalArn":  "arn:aws:iam::111111111111:role/team/App",
			"aws:PrincipalType": "AssumedRole",
		}},
	}))
	eng := mods.prepare(t)
	req := rego.Request{
		Principal: rego.Principal{ARN: "arn:aws:iam::111111111111:role/team/App"},
		Action:    "s3:GetObject",
		Resource:  rego.Resource{ARN: "arn:aws:s3:::b/k", Account: "111111111111"},
		Policies:  rego.PolicyRefs{Identity: []string{pid}},
	}
	if d := eng.Decide(ctx, req); d.Decision != rego.Allow {
		t.Fatalf("role ARN principal: %+v", d)
	}
	req.Principal.ARN = "arn:aws:iam::111111111111:role/other/App"
	if d := eng.Decide(ctx, req); d.Decision != rego.ImplicitDeny {
		t.Fatalf("another path must not match aws:PrincipalArn: %+v", d)
	}
}

// TestEmptyOrganizationLevel: an SCP level without policies (an empty or
// nil slice in PolicyRefs) is a level that allows nothing: the request is
// implicitly denied there, by Decide.
func TestEmptyOrganizationLevel(t *testing.T) {
	mods := modSet{}
	allowAll := mods.compile(t, translator.Identity, policy(map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}))
	eng := mods.prepare(t)
	ctx := context.Background()
	for name, levels := range map[string][][]string{"nil": {{allowAll}, nil}, "empty": {{allowAll}, {}}} {
		r := aliceGet(nil, allowAll)
		r.Policies.SCPs = levels
		d := eng.Decide(ctx, r)
		if d.Decision != rego.ImplicitDeny || d.Step != "scp" || !strings.Contains(d.Reason, "level 2") {
			t.Errorf("%s level: %s", name, brief(d))
		}
	}
}
