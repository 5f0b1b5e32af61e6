package translator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

// typeByte is the fuzz encoding of a policy type: its index in PolicyTypes.
func typeByte(typ PolicyType) byte {
	for i, t := range PolicyTypes {
		if t == typ {
			return byte(i)
		}
	}
	return 0
}

// caseLine is the part of a neutral-format case (testdata/cases/*.jsonl)
// that holds policies.
type caseLine struct {
	IdentityPolicies   []json.RawMessage   `json:"identityPolicies"`
	PermissionBoundary json.RawMessage     `json:"permissionBoundary"`
	SessionPolicy      json.RawMessage     `json:"sessionPolicy"`
	SCPs               [][]json.RawMessage `json:"scps"`
	RCPs               [][]json.RawMessage `json:"rcps"`
	Resource           struct {
		Policy json.RawMessage `json:"policy"`
	} `json:"resource"`
}

// policyBytes returns the policy text of a case entry, which is a JSON
// object or a string holding one.
func policyBytes(raw json.RawMessage) []byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []byte(s)
	}
	return raw
}

// corpusSeeds reads every policy of ../testdata/cases/*.jsonl with its
// type. Missing files give no seeds.
func corpusSeeds(tb testing.TB) []fuzzSeed {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "cases", "*.jsonl"))
	var out []fuzzSeed
	add := func(raw json.RawMessage, typ PolicyType) {
		if b := policyBytes(raw); b != nil {
			out = append(out, fuzzSeed{b, typ})
		}
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
		for sc.Scan() {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 {
				continue
			}
			var c caseLine
			if err := json.Unmarshal(line, &c); err != nil {
				tb.Logf("%s: skipping a line that is not a case: %v", f, err)
				continue
			}
			for _, p := range c.IdentityPolicies {
				add(p, Identity)
			}
			add(c.PermissionBoundary, Boundary)
			add(c.SessionPolicy, Session)
			add(c.Resource.Policy, Resource)
			for _, level := range c.SCPs {
				for _, p := range level {
					add(p, SCP)
				}
			}
			for _, level := range c.RCPs {
				for _, p := range level {
					add(p, RCP)
				}
			}
		}
		fh.Close()
	}
	return out
}

type fuzzSeed struct {
	data []byte
	typ  PolicyType
}

// goldenSeeds reads every testdata/golden/<note>/policy.json with its type.
func goldenSeeds(tb testing.TB) []fuzzSeed {
	dirs, _ := filepath.Glob(filepath.Join(goldenDir, "*"))
	var out []fuzzSeed
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, "policy.json"))
		if err != nil {
			continue
		}
		out = append(out, fuzzSeed{data, goldenType(tb, dir)})
	}
	return out
}

// FuzzCompile: Compile never panics; a failure is a list of coded
// diagnostics; a success formats to Rego that re-parses, compiles with the
// library and formats the same twice (STYLE-ANCHORS.md §7.14).
func FuzzCompile(f *testing.F) {
	seen := map[string]bool{}
	for _, s := range append(goldenSeeds(f), corpusSeeds(f)...) {
		var compact bytes.Buffer
		if json.Compact(&compact, s.data) != nil {
			compact.Write(s.data)
		}
		key := string(s.typ) + "\x00" + compact.String()
		if !seen[key] {
			seen[key] = true
			f.Add(s.data, typeByte(s.typ))
		}
	}
	lib := mustLibrary(f)
	f.Fuzz(func(t *testing.T, data []byte, typ byte) {
		pt := PolicyTypes[int(typ)%len(PolicyTypes)]
		c, err := Compile("fuzz.json", pt, data)
		if err != nil {
			list := schema.List(err)
			if len(list) == 0 {
				t.Fatalf("Compile failed without coded diagnostics: %v", err)
			}
			for _, e := range list {
				if e.Code == "" || e.Code == schema.CodeInternal || e.File != "fuzz.json" || e.Severity != schema.SeverityError {
					t.Fatalf("bad diagnostic %#v", e)
				}
			}
			return
		}
		if c.Module == nil || c.Policy == nil {
			t.Fatalf("Compile succeeded with a nil module or policy")
		}
		src, err := Format(c.Module)
		if err != nil {
			t.Fatalf("Format: %v", err)
		}
		again, err := Format(c.Module)
		if err != nil || !bytes.Equal(src, again) {
			t.Fatalf("Format is not deterministic (%v):\n%s", err, firstDiff(src, again))
		}
		if _, err := roundTrip(src, lib); err != nil {
			t.Fatalf("%s policy: %v", pt, err)
		}
	})
}
