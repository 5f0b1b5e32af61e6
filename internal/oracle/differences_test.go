package oracle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckFindsUnlistedStaleAndChanged(t *testing.T) {
	observed := []Difference{
		{Case: "a#1", Oracle: "Allow", Ours: "ImplicitDeny"}, // listed as is
		{Case: "a#2", Oracle: "Allow", Ours: "error"},        // not listed
		{Case: "a#3", Oracle: "Allow", Ours: "ExplicitDeny"}, // listed with other answers
	}
	listed := []Listed{
		{Difference: Difference{Case: "a#1", Oracle: "Allow", Ours: "ImplicitDeny"}, Label: "x"},
		{Difference: Difference{Case: "a#3", Oracle: "Allow", Ours: "ImplicitDeny"}, Label: "y"},
		{Difference: Difference{Case: "a#4", Oracle: "Allow", Ours: "ImplicitDeny"}, Label: "y"}, // no longer differs
	}
	v := Check(observed, listed)
	if len(v.Matched) != 1 || v.Matched[0].Case != "a#1" {
		t.Errorf("matched %+v", v.Matched)
	}
	if len(v.Unlisted) != 1 || v.Unlisted[0].Case != "a#2" {
		t.Errorf("unlisted %+v", v.Unlisted)
	}
	if len(v.Changed) != 1 || v.Changed[0].Observed.Ours != "ExplicitDeny" {
		t.Errorf("changed %+v", v.Changed)
	}
	if len(v.Stale) != 1 || v.Stale[0].Case != "a#4" {
		t.Errorf("stale %+v", v.Stale)
	}
	problems := strings.Join(v.Problems("iam2rego", "list.json"), "\n")
	for _, want := range []string{"unlisted difference a#2", "a#3: list.json lists oracle Allow, iam2rego ImplicitDeny; observed oracle Allow, iam2rego ExplicitDeny", "stale entry a#4 in list.json"} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}
	if got := (Verdict{Matched: append(listed[:1:1], listed[1:]...)}).ByLabel(); got != "2 y, 1 x" {
		t.Errorf("ByLabel = %q", got)
	}
}

func TestRefLabel(t *testing.T) {
	for ref, want := range map[string]string{
		"IAM-SEMANTICS.md Appendix A #4 / §1.1, §4.1":                    "Appendix A #4",
		"IAM-SEMANTICS.md Appendix A #14, §3.5":                          "Appendix A #14",
		"§1.2, §10.A A8 (not in Appendix A)":                             "IAM-SEMANTICS.md only (not in Appendix A)",
		`README "Malformed context values"; §3.2`:                        "malformed context (iam2rego fails closed)",
		"rego/PROTECTED.md rule service-linked-role (not in Appendix A)": "protected resources",
		"IAM-SEMANTICS.md Appendix A (paragraph after the table)":        "Appendix A (notes)",
	} {
		if got := refLabel(ref); got != want {
			t.Errorf("refLabel(%q) = %q, want %q", ref, got, want)
		}
	}
}

// The project's lists load: every entry is well formed, and every random
// entry names a documented divergence.
func TestListsLoad(t *testing.T) {
	divs, err := LoadDivergences("../../testdata/oracle/divergences.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCorpusList("../../testdata/oracle/expected-differences.json"); err != nil {
		t.Error(err)
	}
	if _, err := LoadRandomList("../../testdata/oracle/random-differences.json", divs); err != nil {
		t.Error(err)
	}
}

func TestListErrorsNameFileAndEntry(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	divs := map[string]Divergence{"ip-slash-zero": {ID: "ip-slash-zero", Title: "t", Ref: "r"}}
	for _, tc := range []struct {
		name, text, want string
		random           bool
	}{
		{"no-reason.json", `[{"case":"f#1","oracle":"Allow","expect":"ImplicitDeny","ref":"r"}]`, "/0 (f#1): needs a reason and a ref", false},
		{"same.json", `[{"case":"f#1","oracle":"Allow","expect":"Allow","reason":"x","ref":"r"}]`, "not a difference", false},
		{"twice.json", `[{"case":"f#1","oracle":"Allow","expect":"error","reason":"x","ref":"r"},{"case":"f#1","oracle":"Allow","expect":"error","reason":"x","ref":"r"}]`, "/1: f#1 is listed twice", false},
		{"undocumented.json", `[{"case":"s#1","oracle":"Allow","iam2rego":"error","divergence":"made-up"}]`, `divergence "made-up" is not documented`, true},
		{"broken.json", `[{"case":`, "broken.json", true},
	} {
		p := write(tc.name, tc.text)
		var err error
		if tc.random {
			_, err = LoadRandomList(p, divs)
		} else {
			_, err = LoadCorpusList(p)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s: error %v, want the file and %q", tc.name, err, tc.want)
		}
	}
}
