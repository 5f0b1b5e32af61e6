package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

// TestFingerprint: the fingerprint ignores the message and, for a finding
// with a subject, array positions; it changes with the code, the file,
// the element and the subject.
func TestFingerprint(t *testing.T) {
	base := schema.Error{Code: CodeWriteOnAnyResource, File: "p/app.json", Pointer: "/Statement/2/Resource", Message: "3 write actions",
		Subject: &schema.Subject{Policy: "app.json", Actions: []string{"s3:putobject", "s3:deleteobject"}, Resources: []string{"*"}}}
	fp := Fingerprint(&base)
	same := func(edit func(*schema.Error)) bool {
		e := base
		sub := *base.Subject
		e.Subject = &sub
		edit(&e)
		return Fingerprint(&e) == fp
	}
	for name, tc := range map[string]struct {
		edit func(*schema.Error)
		same bool
	}{
		"reworded message":     {func(e *schema.Error) { e.Message = "three write actions on *" }, true},
		"statement moved":      {func(e *schema.Error) { e.Pointer = "/Statement/5/Resource" }, true},
		"actions in any order": {func(e *schema.Error) { e.Subject.Actions = []string{"s3:deleteobject", "s3:putobject"} }, true},
		"another code":         {func(e *schema.Error) { e.Code = CodeResourceExposure }, false},
		"another file":         {func(e *schema.Error) { e.File = "p/other.json" }, false},
		"another element":      {func(e *schema.Error) { e.Pointer = "/Statement/2/NotResource" }, false},
		"another action":       {func(e *schema.Error) { e.Subject.Actions = []string{"s3:putobject"} }, false},
		"another principal":    {func(e *schema.Error) { e.Subject.Principal = "arn:aws:iam::111122223333:role/x" }, false},
		"another resource":     {func(e *schema.Error) { e.Subject.Resources = []string{"arn:aws:s3:::b/*"} }, false},
	} {
		if got := same(tc.edit); got != tc.same {
			t.Errorf("%s: same fingerprint = %v, want %v", name, got, tc.same)
		}
	}
	// Without a subject the whole pointer counts.
	a := &schema.Error{Code: CodeUnknownAction, File: "a.json", Pointer: "/Statement/0/Action/1"}
	b := &schema.Error{Code: CodeUnknownAction, File: "a.json", Pointer: "/Statement/1/Action/1"}
	if Fingerprint(a) == Fingerprint(b) || len(Fingerprint(a)) != 64 {
		t.Errorf("fingerprints %s, %s: want two different SHA-256 hex digests", Fingerprint(a), Fingerprint(b))
	}
}

// TestBaseline: a baseline written from one run, read back, makes every
// finding of that run "unchanged"; after the policy changes (a statement
// inserted before the old ones, a new finding), the old findings are
// still unchanged, the new one is new, and only it fails the run.
func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	policy := filepath.Join(dir, "wildcards.json")
	src, err := os.ReadFile(filepath.Join(configDir, "policies", "wildcards.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(policy, src, 0o644); err != nil {
		t.Fatal(err)
	}
	before := Run(Inputs{Paths: []string{policy}})
	var buf bytes.Buffer
	if err := NewBaseline(before).Write(&buf); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "baseline.json")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := LoadBaseline(file)
	if err != nil {
		t.Fatalf("the baseline written does not read back: %v\n%s", err, buf.String())
	}
	b.Mark(before)
	if len(before.Findings) != 4 || before.newCount() != 0 || Fails(before, "warning") {
		t.Errorf("same run: %d findings, %d new; want 4, 0", len(before.Findings), before.newCount())
	}
	changed := strings.Replace(string(src), `"Statement": [`, `"Statement": [
    {"Sid": "AllOfSNS", "Effect": "Allow", "Action": "sns:*", "Resource": "arn:aws:sns:*:111122223333:builds"},`, 1)
	if err := os.WriteFile(policy, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	after := Run(Inputs{Paths: []string{policy}})
	b.Mark(after)
	var fresh []string
	for _, f := range after.Findings {
		if !after.Baseline[f] {
			fresh = append(fresh, f.Pointer+" "+f.Code)
		}
	}
	if len(after.Findings) != 5 || len(fresh) != 1 || fresh[0] != "/Statement/0/Action service_wildcard" {
		t.Errorf("after the change: %d findings, new %q; want 5, the sns:* one new", len(after.Findings), fresh)
	}
	if !Fails(after, "warning") || Fails(after, "error") {
		t.Errorf("Fails(warning) = %v, Fails(error) = %v; want only the new warning to count", Fails(after, "warning"), Fails(after, "error"))
	}
}

// TestBaselineCounts: two findings with one fingerprint and a baseline
// that holds one of them: the other is new.
func TestBaselineCounts(t *testing.T) {
	f1 := &schema.Error{Code: CodeServiceWildcard, File: "a.json", Pointer: "/Statement/0/Action/0", Subject: &schema.Subject{Actions: []string{"s3:*"}}}
	f2 := &schema.Error{Code: CodeServiceWildcard, File: "a.json", Pointer: "/Statement/1/Action/0", Subject: &schema.Subject{Actions: []string{"s3:*"}}}
	b := NewBaseline(&Report{Findings: []*schema.Error{f1}})
	r := &Report{Findings: []*schema.Error{f1, f2}}
	b.Mark(r)
	if len(b.Findings) != 1 || b.Findings[0].Count != 1 || r.newCount() != 1 || !r.Baseline[f1] || r.Baseline[f2] {
		t.Errorf("baseline %+v; marks %v; want f1 unchanged, f2 new", b.Findings, r.Baseline)
	}
	both := NewBaseline(r)
	if len(both.Findings) != 1 || both.Findings[0].Count != 2 {
		t.Errorf("a baseline of both: %+v, want one entry with count 2", both.Findings)
	}
}
