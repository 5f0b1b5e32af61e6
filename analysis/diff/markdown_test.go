package diff

import (
	"bytes"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

// TestWriteMarkdown: one row per access (pipes escaped, so a value cannot
// open a column), the unknowns listed, and tables bounded.
func TestWriteMarkdown(t *testing.T) {
	r := &Report{Old: "old", New: "new", Added: []Access{{Principal: "ecs-tasks.amazonaws.com", External: "service", Action: "sts:AssumeRole",
		Resource: "arn:aws:iam::1:role/a|b", Context: map[string]any{"aws:SourceArn": "x"},
		Statements: []Grant{{Policy: "p", Effect: "Allow", Sid: "Ecs", Type: "resource"}}}},
		Unknown: []*schema.Error{schema.Errorf(schema.CodeTerraformUnknown, "plan.json", "/resource_changes/3/change/after/policy", "aws_iam_role_policy.app: the policy is known only after apply")}}
	for range MarkdownRows + 5 {
		r.Removed = append(r.Removed, Access{Principal: "p", Action: "s3:GetObject", Resource: "r"})
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"**1 new access**, 105 removed, **1 values known only after apply**",
		"| `ecs-tasks.amazonaws.com` (service, outside the account) | `sts:AssumeRole` | `arn:aws:iam::1:role/a\\|b` | aws:SourceArn=\"x\" | Allow Sid \"Ecs\" of p (resource) |",
		"- `plan.json` at `/resource_changes/3/change/after/policy`: aws_iam_role_policy.app: the policy is known only after apply",
		"… and 5 more",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "| `p` |"); n != MarkdownRows {
		t.Errorf("%d removed rows, want %d", n, MarkdownRows)
	}
}
