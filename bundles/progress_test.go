package bundles_test

import (
	"testing"

	"github.com/iam2rego/iam2rego/internal/testbundle"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/translator/account"
)

// TestProgressEndsAtItsTotal: Options.Progress counts every document
// Build compiles, groups' policies once per member and SCPs and RCPs
// included, so that a bar never shows "27773 of 21957".
func TestProgressEndsAtItsTotal(t *testing.T) {
	generated := testbundle.Generated(t, 3, 300)
	for name, in := range map[string]account.Inputs{"example": testbundle.ExampleInputs(), "generated": generated} {
		t.Run(name, func(t *testing.T) {
			calls, last, lastTotal := 0, 0, 0
			progress := func(done, total int) {
				calls++
				if done > total || done != last+1 || (lastTotal != 0 && total != lastTotal) {
					t.Fatalf("progress %d of %d after %d of %d", done, total, last, lastTotal)
				}
				last, lastTotal = done, total
			}
			if _, err := bundles.Build(load(t, in), bundles.Options{Progress: progress}); err != nil {
				t.Fatal(err)
			}
			if calls == 0 || last != lastTotal {
				t.Errorf("progress ended at %d of %d after %d calls; want its total", last, lastTotal, calls)
			}
		})
	}
}
