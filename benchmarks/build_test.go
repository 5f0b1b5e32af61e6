package benchmarks_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/iam2rego/iam2rego/translator/managed"
)

// The build budget: translate, bundle and activate (read the bundle
// bytes, then rego.PrepareBundle, as an OPA sidecar does) with time, peak
// Go heap and peak RSS. Issue 6's bar: all 1,594 managed policies plus a
// 5,000-principal account compile and bundle in at most 30 s, in at most
// 2 GiB peak RSS, and prepare in at most 5 s, on a 2-core machine.
//
// Metrics (per iteration, the last one):
//
//	translate-s   translator.CompileExported of every distinct document (managed only)
//	build-s       account.Load + bundles.Build + bundles.Encode
//	read-s        bundles.Read of the encoded bytes
//	prepare-s     rego.PrepareBundle
//	build-cpu-s, prepare-cpu-s          CPU time (user+system, all threads) of those steps
//	build-heap-MiB, build-rss-MiB       peaks while building
//	activate-heap-MiB, activate-rss-MiB peaks while reading and preparing
//	policies, statements, unindexed, bundle-MiB

// BenchmarkBuild has two inputs: every AWS managed policy alone (attached
// ten to a role), and the generated 5,000-principal organization, which
// attaches every one of them too.
func BenchmarkBuild(b *testing.B) {
	b.Run("input=managed-1594", func(b *testing.B) {
		exp := allManaged(b)
		buildBench(b, func() (*account.Export, error) { return exp, nil }, true, "arn:aws:iam::123456789012:role/managed-holder-000", nil)
	})
	n := accountgen.LargestPrincipals
	b.Run("input=account-"+strconv.Itoa(n), func(b *testing.B) {
		inputs := inputsFor(b, strconv.Itoa(n))
		buildBench(b, func() (*account.Export, error) { return account.Load(inputs) }, false, "", func(exp *account.Export, data []byte) {
			// Keep the result for BenchmarkDecide at this size, in this
			// process and in later ones sharing tmpRoot.
			saveBundle(strconv.Itoa(n), data)
			fixMu.Lock()
			defer fixMu.Unlock()
			if fixtures[strconv.Itoa(n)] == nil {
				ranked, err := accountgen.Rank(exp)
				if err != nil {
					b.Fatal(err)
				}
				fixtures[strconv.Itoa(n)] = &fixture{name: strconv.Itoa(n), inputs: inputs, exp: exp, bundle: data, ranked: ranked}
			}
		})
	})
}

// allManaged is an export with one account whose roles hold every AWS
// managed policy of the snapshot, ten each (AWS's default quota). Role 0
// holds AdministratorAccess.
func allManaged(b *testing.B) *account.Export {
	arns := managed.ARNs()
	for i, a := range arns {
		if a == "arn:aws:iam::aws:policy/AdministratorAccess" {
			arns[0], arns[i] = arns[i], arns[0]
		}
	}
	acct := &account.Account{ID: "123456789012"}
	for i := 0; i < len(arns); i += 10 {
		name := fmt.Sprintf("managed-holder-%03d", i/10)
		acct.Roles = append(acct.Roles, &account.Role{ARN: "arn:aws:iam::123456789012:role/" + name, Name: name, Path: "/",
			Managed: arns[i:min(i+10, len(arns))], Tags: map[string]string{}})
	}
	if len(arns) != 1594 {
		b.Logf("the snapshot has %d managed policies (issue 6 names 1,594)", len(arns))
	}
	return &account.Export{Accounts: []*account.Account{acct}, Managed: map[string]*account.ManagedPolicy{}}
}

func buildBench(b *testing.B, load func() (*account.Export, error), translate bool, adminRole string, keep func(*account.Export, []byte)) {
	ctx := context.Background()
	var (
		exp                              *account.Export
		res                              *bundles.Result
		data                             []byte
		tTranslate, tBuild, tRead, tPrep time.Duration
		cBuild, cPrep                    time.Duration
		bHeap, bRSS, aHeap, aRSS         uint64
	)
	b.ReportAllocs()
	for b.Loop() {
		exp, res, data = nil, nil, nil
		runtime.GC()
		debug.FreeOSMemory()
		if translate {
			t0 := time.Now()
			translateAll(b, load)
			tTranslate = time.Since(t0)
			runtime.GC()
			debug.FreeOSMemory()
		}
		w := watchMemory()
		t0, c0 := time.Now(), cpuTime()
		var err error
		if exp, err = load(); err != nil {
			b.Fatal(err)
		}
		if res, err = bundles.Build(exp, bundles.Options{}); err != nil {
			b.Fatal(err)
		}
		if data, err = bundles.Encode(res.Bundle); err != nil {
			b.Fatal(err)
		}
		tBuild, cBuild = time.Since(t0), cpuTime()-c0
		bHeap, bRSS = w.finish()
		res.Bundle = nil // only the bytes go on, as to a sidecar
		runtime.GC()
		debug.FreeOSMemory()

		w = watchMemory()
		t0 = time.Now()
		bun, err := bundles.Read(bytes.NewReader(data), nil)
		if err != nil {
			b.Fatal(err)
		}
		tRead = time.Since(t0)
		t1, c1 := time.Now(), cpuTime()
		eng, err := rego.PrepareBundle(ctx, bun)
		if err != nil {
			b.Fatal(err)
		}
		tPrep, cPrep = time.Since(t1), cpuTime()-c1
		aHeap, aRSS = w.finish()

		// The result answers: every principal is in it, and a request
		// decides without error.
		if want := countPrincipals(exp); res.Stats.Principals != want {
			b.Fatalf("bundle has %d principals, the export %d", res.Stats.Principals, want)
		}
		probe := adminRole
		if probe == "" {
			probe = exp.Accounts[0].Roles[0].ARN
		}
		d := eng.Decide(ctx, rego.Request{Principal: rego.Principal{ARN: probe}, Action: "s3:GetObject",
			Resource: rego.Resource{ARN: "arn:aws:s3:::bench-bucket/key", Account: exp.Accounts[0].ID},
			Context:  map[string]any{"aws:SecureTransport": "true", "aws:RequestedRegion": "us-east-1"}})
		if d.Error != "" || adminRole != "" && d.Decision != rego.Allow {
			b.Fatalf("probe request as %s: %s %s", probe, d.Decision, d.Error)
		}
	}
	mib := func(x uint64) float64 { return float64(x) / (1 << 20) }
	if translate {
		b.ReportMetric(tTranslate.Seconds(), "translate-s")
	}
	b.ReportMetric(tBuild.Seconds(), "build-s")
	b.ReportMetric(tRead.Seconds(), "read-s")
	b.ReportMetric(tPrep.Seconds(), "prepare-s")
	b.ReportMetric(cBuild.Seconds(), "build-cpu-s")
	b.ReportMetric(cPrep.Seconds(), "prepare-cpu-s")
	b.ReportMetric(mib(bHeap), "build-heap-MiB")
	b.ReportMetric(mib(aHeap), "activate-heap-MiB")
	if bRSS > 0 {
		b.ReportMetric(mib(bRSS), "build-rss-MiB")
		b.ReportMetric(mib(aRSS), "activate-rss-MiB")
	}
	b.ReportMetric(float64(res.Stats.Policies), "policies")
	b.ReportMetric(float64(res.Stats.Statements), "statements")
	b.ReportMetric(float64(res.Stats.Unindexed), "unindexed")
	b.ReportMetric(mib(uint64(len(data))), "bundle-MiB")
	b.Logf("%d principals, %d policies, %d statements (%d not indexed), bundle %.1f MiB", res.Stats.Principals, res.Stats.Policies,
		res.Stats.Statements, res.Stats.Unindexed, mib(uint64(len(data))))
	if keep != nil {
		keep(exp, data)
	}
}

// translateAll compiles every distinct managed policy document once.
func translateAll(b *testing.B, load func() (*account.Export, error)) {
	exp, err := load()
	if err != nil {
		b.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range exp.Accounts {
		for _, r := range a.Roles {
			for _, arn := range r.Managed {
				if seen[arn] {
					continue
				}
				seen[arn] = true
				mp, err := exp.ResolveManaged(arn)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := translator.CompileExported(arn, translator.Identity, mp.Document.Value); err != nil {
					b.Fatalf("%s: %v", arn, err)
				}
			}
		}
	}
}

func countPrincipals(exp *account.Export) int {
	n := 0
	for _, a := range exp.Accounts {
		n += len(a.Users) + len(a.Roles)
	}
	return n
}
