package accountgen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/iam2rego/iam2rego/translator/managed"
)

func generate(t *testing.T, cfg accountgen.Config) *accountgen.Set {
	t.Helper()
	s, err := accountgen.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The same seed gives the same bytes; another seed gives other bytes.
func TestDeterministic(t *testing.T) {
	a, err := generate(t, accountgen.Config{Seed: 7, Principals: 120, Accounts: 2}).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := generate(t, accountgen.Config{Seed: 7, Principals: 120, Accounts: 2}).Bytes()
	c, _ := generate(t, accountgen.Config{Seed: 8, Principals: 120, Accounts: 2}).Bytes()
	if len(a) != 4 {
		t.Fatalf("got %d files, want 2 exports, organization and resources", len(a))
	}
	same := true
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs with seed 7", name)
		}
		same = same && bytes.Equal(data, c[name])
	}
	if same {
		t.Error("seed 8 wrote the same files as seed 7")
	}
}

// A generated organization is read by account.Load and built by
// bundles.Build without errors, and Rank counts what the generator
// counted.
func TestBuilds(t *testing.T) {
	set := generate(t, accountgen.Config{Seed: 1, Principals: 150, Accounts: 2, Coverage: 0.2})
	dir := t.TempDir()
	files, err := set.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := account.Load(files.Inputs())
	if err != nil {
		t.Fatalf("account.Load: %v", err)
	}
	res, err := bundles.Build(exp, bundles.Options{})
	if err != nil {
		t.Fatalf("bundles.Build: %v", err)
	}
	if res.Stats.Principals != 150 || len(set.Principals) != 150 {
		t.Errorf("principals: bundle %d, set %d, want 150", res.Stats.Principals, len(set.Principals))
	}
	if res.Stats.Accounts < 2 || len(exp.Resources) == 0 {
		t.Errorf("accounts %d, resources %d: want an organization with resources", res.Stats.Accounts, len(exp.Resources))
	}
	ranked, err := accountgen.Rank(exp)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]accountgen.Principal{}
	for _, p := range set.Principals {
		want[p.ARN] = p
	}
	for _, p := range ranked {
		if w := want[p.ARN]; w.Statements != p.Statements || w.Policies != p.Policies {
			t.Errorf("%s: Rank counts %d policies, %d statements; the generator %d, %d", p.ARN, p.Policies, p.Statements, w.Policies, w.Statements)
		}
	}
	kinds := map[string]int{}
	for _, p := range ranked {
		kinds[p.Kind]++
	}
	if kinds["user"] == 0 || kinds["role"] == 0 {
		t.Errorf("kinds %v: want users and roles", kinds)
	}
	// Without AWS managed policies in the exports, they resolve from the
	// embedded snapshot and the bundle is the same.
	omit := generate(t, accountgen.Config{Seed: 1, Principals: 150, Accounts: 2, Coverage: 0.2, OmitAWSManaged: true})
	files2, err := omit.Write(filepath.Join(dir, "omit"))
	if err != nil {
		t.Fatal(err)
	}
	exp2, err := account.Load(files2.Inputs())
	if err != nil {
		t.Fatal(err)
	}
	res2, err := bundles.Build(exp2, bundles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Bundle.Manifest.Revision != res.Bundle.Manifest.Revision {
		t.Error("omitting AWS managed policies from the exports changed the bundle")
	}
}

// At the largest size every AWS managed policy of the snapshot is attached
// to some principal, and there are over 1,000 customer managed policies.
func TestLargestCoversAllManaged(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 5,000 principals")
	}
	set := generate(t, accountgen.Config{Seed: 1, Principals: accountgen.LargestPrincipals})
	if got, want := len(set.AttachedAWSManaged()), managed.Count(); got != want || want != 1594 {
		t.Errorf("%d of %d AWS managed policies attached, want all 1,594", got, want)
	}
	if n := len(set.Principals); n != accountgen.LargestPrincipals {
		t.Errorf("%d principals", n)
	}
	data, err := set.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	customer := 0
	for name, b := range data {
		if filepath.Ext(name) == ".json" && bytes.HasPrefix([]byte(name), []byte("account-details-")) {
			customer += bytes.Count(b, []byte(`"IsAttachable": true`)) - bytes.Count(b, []byte(`"Arn": "arn:aws:iam::aws:policy/`))
		}
	}
	if customer < 1000 {
		t.Errorf("%d customer managed policies, want over 1,000", customer)
	}
}

func TestPercentile(t *testing.T) {
	ps := make([]accountgen.Principal, 5)
	for i := range ps {
		ps[i].Statements = i
	}
	if m := accountgen.Percentile(ps, 50); m.Statements != 2 {
		t.Errorf("median of 5: %d", m.Statements)
	}
	if p := accountgen.Percentile(ps, 99); p.Statements != 4 {
		t.Errorf("p99 of 5: %d", p.Statements)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []accountgen.Config{{Principals: 0}, {Principals: 5, Accounts: 6}, {Principals: 5, Coverage: 1.5}} {
		if _, err := accountgen.Generate(c); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }
