package bundles_test

import (
	"bytes"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/translator/account"
)

// sampleInput is an export the build tests run on.
type sampleInput struct {
	name string
	in   account.Inputs
}

// sampleInputs are the example account and the corpus's small export.
func sampleInputs(t testing.TB) []sampleInput {
	return []sampleInput{
		{"example", exampleInputs(exampleDir)},
		{"gaad-small", account.Inputs{AccountDetails: []string{corpusFile(t, "gaad-small.json")}}},
	}
}

// TestTextOnlyBuildIsByteIdentical: a build that keeps the policies as
// text and drops the export's documents once compiled (Options.TextOnly
// and ReleaseDocuments, what `iam2rego build` does to bound its memory)
// writes the same bytes as one that keeps them, and its policies module
// has no AST.
func TestTextOnlyBuildIsByteIdentical(t *testing.T) {
	for _, tc := range sampleInputs(t) {
		t.Run(tc.name, func(t *testing.T) {
			want := encode(t, build(t, load(t, tc.in)).Bundle)
			exp := load(t, tc.in)
			res, err := bundles.Build(exp, bundles.Options{TextOnly: true, ReleaseDocuments: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range exp.Accounts {
				for _, r := range a.Roles {
					if len(r.Inline) > 0 && r.Inline[0].Document.Value != nil || r.Trust != nil && r.Trust.Value != nil {
						t.Errorf("ReleaseDocuments kept the documents of %s", r.ARN)
					}
				}
			}
			if got := encode(t, res.Bundle); !bytes.Equal(got, want) {
				t.Errorf("the text-only build differs from the AST build (%d vs %d bytes)", len(got), len(want))
			}
			for _, m := range res.Bundle.Modules {
				if m.Path == bundles.PoliciesModule && m.Parsed != nil {
					t.Errorf("the text-only build kept the AST of %s", m.Path)
				}
			}
		})
	}
}
