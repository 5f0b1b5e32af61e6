package translator

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

// sizedDocument returns a one-statement policy of type typ whose
// DocumentSize is exactly size characters, padded in a resource ARN (or,
// for trust policies, which have no Resource, in a condition value).
func sizedDocument(t *testing.T, typ PolicyType, size int) map[string]any {
	t.Helper()
	build := func(pad string) map[string]any {
		st := map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/" + pad}
		switch typ {
		case Trust:
			delete(st, "Resource")
			st["Action"] = "sts:AssumeRole"
			st["Principal"] = map[string]any{"AWS": "arn:aws:iam::111111111111:root"}
			st["Condition"] = map[string]any{"StringEquals": map[string]any{"sts:ExternalId": "x" + pad}}
		case Resource, VPCE:
			st["Principal"] = "*"
		case RCP:
			st["Effect"] = "Deny"
			st["Principal"] = "*"
		}
		return map[string]any{"Version": "2012-10-17", "Statement": []any{st}}
	}
	base := DocumentSize(build(""))
	if size < base {
		t.Fatalf("a %s policy has at least %d characters, cannot make one of %d", typ, base, size)
	}
	doc := build(strings.Repeat("a", size-base))
	if got := DocumentSize(doc); got != size {
		t.Fatalf("sizedDocument(%s, %d) has size %d", typ, size, got)
	}
	return doc
}

// sizeDiagnostics returns the limit diagnostics of a document (which sit
// at the root pointer) as "severity code"; any other error fails the test.
func sizeDiagnostics(t *testing.T, typ PolicyType, doc any, exported bool) []string {
	t.Helper()
	var d schema.Diagnostics
	compileDoc("p.json", typ, doc, checked("p.json", typ, doc, &d, exported), &d)
	var out []string
	for _, e := range d.All() {
		if e.Code == schema.CodeLimitExceeded || e.Code == schema.WarnQuotaExceeded || e.Code == schema.CodeInputTooLarge {
			if e.File != "p.json" || e.Pointer != "" || e.Message == "" {
				t.Errorf("size diagnostic without file, root pointer or message: %#v", e)
			}
			out = append(out, string(e.Severity)+" "+e.Code)
		} else if e.Severity == schema.SeverityError {
			t.Fatalf("unexpected error %v", e)
		}
	}
	return out
}

// TestDocumentSizeLimits: each policy type gets the error or warning AWS
// would give at the limits of IAM-SEMANTICS.md §9, exactly at the
// boundary (the limit itself is accepted, one character more is not).
func TestDocumentSizeLimits(t *testing.T) {
	const (
		none = ""
		errL = "error " + schema.CodeLimitExceeded
		warn = "warning " + schema.WarnQuotaExceeded
	)
	for _, tc := range []struct {
		typ      PolicyType
		size     int
		exported bool
		want     string
	}{
		{Session, MaxSessionPolicyChars, false, none},
		{Session, MaxSessionPolicyChars + 1, false, errL},
		{SCP, MaxOrgPolicyChars, false, none},
		{SCP, MaxOrgPolicyChars + 1, false, errL},
		{SCP, MaxOrgPolicyChars + 1, true, errL}, // org files: AWS cannot hold it
		{RCP, MaxOrgPolicyChars + 1, true, errL},
		{Trust, MaxTrustPolicyChars, false, none},
		{Trust, MaxTrustPolicyChars + 1, false, warn}, // the quota can be raised
		{Trust, MaxTrustPolicyChars + 1, true, warn},
		{Trust, MaxTrustPolicyCharsRaised, true, warn},
		{Trust, MaxTrustPolicyCharsRaised + 1, true, errL}, // beyond the raised quota
		{Identity, MaxManagedPolicyChars, false, none},
		{Identity, MaxManagedPolicyChars + 1, false, warn}, // fits inline in a role
		{Identity, MaxInlineRoleChars + 1, false, warn},    // only AWS managed policies are this big
		{Identity, MaxInlineRoleChars + 1, true, none},     // exports: the account reader decides
		{Boundary, MaxManagedPolicyChars + 1, false, warn},
		{Boundary, MaxManagedPolicyChars + 1, true, none},
		{Resource, 30000, false, none}, // service-specific limits only
		{VPCE, 30000, false, none},
	} {
		t.Run(fmt.Sprintf("%s/%d/exported=%v", tc.typ, tc.size, tc.exported), func(t *testing.T) {
			got := strings.Join(sizeDiagnostics(t, tc.typ, sizedDocument(t, tc.typ, tc.size), tc.exported), ", ")
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDocumentSizeIgnoresWhitespace: IAM does not count whitespace, so
// indenting a document does not change its size; the size counts
// characters, not bytes.
func TestDocumentSizeIgnoresWhitespace(t *testing.T) {
	compact := []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/é"}]}`)
	var doc any
	if err := json.Unmarshal(compact, &doc); err != nil {
		t.Fatal(err)
	}
	indented, _ := json.MarshalIndent(doc, "", "    ")
	var again any
	if err := json.Unmarshal(indented, &again); err != nil {
		t.Fatal(err)
	}
	want := len([]rune(string(compact)))
	if got := DocumentSize(doc); got != want {
		t.Errorf("DocumentSize = %d, want %d (characters of the compact text)", got, want)
	}
	if DocumentSize(again) != want {
		t.Errorf("indentation changed the size")
	}
	if got := DocumentSize(map[string]any{"a": "<&>"}); got != len(`{"a":"<&>"}`) {
		t.Errorf("HTML characters are counted escaped: %d", got)
	}
}

// TestStatementLimit: iam2rego's own limit on statements per document is
// an error in every policy type, also for exported documents, at the
// Statement pointer.
func TestStatementLimit(t *testing.T) {
	for _, n := range []int{MaxStatements, MaxStatements + 1} {
		for _, typ := range PolicyTypes {
			stmts := make([]any, n)
			for i := range stmts {
				st := baseStatement(typ)
				st["Sid"] = fmt.Sprintf("S%d", i)
				if typ == Trust {
					delete(st, "Resource")
					st["Action"] = "sts:AssumeRole"
				}
				if typ == RCP {
					st["Effect"] = "Deny"
				}
				stmts[i] = st
			}
			data, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
			_, err := Compile("p.json", typ, data)
			tooMany := hasDiagnostic(err, schema.CodeInputTooLarge, "/Statement")
			if tooMany != (n > MaxStatements) {
				t.Errorf("%s policy with %d statements: input_too_large at /Statement = %v; diagnostics %v", typ, n, tooMany, errorLines(err))
			}
		}
	}
}

// TestLimitsLeaveCorpusAlone: no policy of the decision corpus or of the
// golden files trips a limit (they are all small).
func TestLimitsLeaveCorpusAlone(t *testing.T) {
	for _, s := range append(goldenSeeds(t), corpusSeeds(t)...) {
		for _, e := range Check("seed.json", s.typ, s.data) {
			if e.Code == schema.CodeLimitExceeded || e.Code == schema.WarnQuotaExceeded || e.Code == schema.CodeInputTooLarge {
				t.Errorf("%s policy %s: %v", s.typ, s.data, e)
			}
		}
	}
}

// TestMaxPatternChars: a wildcard pattern over the limit is input_too_large
// at its pointer; the same text without a wildcard, and the pattern under
// a raised limit, compile.
func TestMaxPatternChars(t *testing.T) {
	long := strings.Repeat("*a", DefaultMaxPatternChars/2+1)
	doc := func(v string) map[string]any {
		return map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
			"Condition": map[string]any{"StringLike": map[string]any{"s3:prefix": v}},
		}}}
	}
	_, err := CompileDocument("p.json", Identity, doc(long))
	if !hasDiagnostic(err, schema.CodeInputTooLarge, "/Statement/0/Condition/StringLike/s3:prefix") {
		t.Errorf("pattern of %d characters: %v", len(long), err)
	}
	if _, err := CompileDocument("p.json", Identity, doc(strings.ReplaceAll(long, "*", "b"))); err != nil {
		t.Errorf("long text without wildcards: %v", err)
	}
	defer SetMaxPatternChars(SetMaxPatternChars(len(long)))
	if _, err := CompileDocument("p.json", Identity, doc(long)); err != nil {
		t.Errorf("under a raised limit: %v", err)
	}
}
