package schema

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

const corpusDir = "../../shared/corpus/"

// TestPolicySchemaManagedPolicies validates every AWS managed policy.
func TestPolicySchemaManagedPolicies(t *testing.T) {
	f, err := os.Open(corpusDir + "managed-policies.jsonl")
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var line struct {
			Name     string          `json:"name"`
			Document json.RawMessage `json:"document"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
		if _, err := DecodeAndValidate(KindPolicy, line.Name, line.Document); err != nil {
			t.Errorf("%s rejected:\n%v", line.Name, err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 1594 {
		t.Errorf("validated %d managed policies, want 1594", n)
	}
}

// TestPolicySchemaGAAD validates every policy document in the account
// export: managed policy versions, inline policies and trust policies.
func TestPolicySchemaGAAD(t *testing.T) {
	data, err := os.ReadFile(corpusDir + "gaad-small.json")
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	var gaad any
	if err := json.Unmarshal(data, &gaad); err != nil {
		t.Fatal(err)
	}
	n := 0
	var walk func(ptr string, v any)
	walk = func(ptr string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				p := Pointer(ptr, k)
				if k == "Document" || k == "PolicyDocument" || k == "AssumeRolePolicyDocument" {
					n++
					raw, _ := json.Marshal(c)
					if _, err := DecodeAndValidate(KindPolicy, "gaad-small.json"+p, raw); err != nil {
						t.Errorf("%s rejected:\n%v", p, err)
					}
					continue
				}
				walk(p, c)
			}
		case []any:
			for i, c := range x {
				walk(Pointer(ptr, fmt.Sprint(i)), c)
			}
		}
	}
	walk("", gaad)
	if n < 90 {
		t.Errorf("found only %d policy documents in the export", n)
	}
}
