package trail

import (
	"fmt"
	"sort"
	"strings"
)

// Terraform prints a policy as a Terraform aws_iam_policy_document data
// source. Strings are HCL-quoted: ${ and %{ are escaped ($${, %%{), so
// that an IAM policy variable stays a policy variable.
func Terraform(name string, doc *PolicyDocument) string {
	var b strings.Builder
	fmt.Fprintf(&b, "data \"aws_iam_policy_document\" %s {\n", hclString(tfName(name)))
	for i, st := range doc.Statement {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("  statement {\n")
		fmt.Fprintf(&b, "    sid       = %s\n", hclString(st.Sid))
		fmt.Fprintf(&b, "    effect    = %s\n", hclString(st.Effect))
		fmt.Fprintf(&b, "    actions   = %s\n", hclList(st.Action))
		fmt.Fprintf(&b, "    resources = %s\n", hclList(st.Resource))
		for _, op := range sortedKeys(st.Condition) {
			for _, key := range sortedKeys(st.Condition[op]) {
				b.WriteString("\n    condition {\n")
				fmt.Fprintf(&b, "      test     = %s\n", hclString(op))
				fmt.Fprintf(&b, "      variable = %s\n", hclString(key))
				fmt.Fprintf(&b, "      values   = %s\n", hclList(conditionValues(st.Condition[op][key])))
				b.WriteString("    }\n")
			}
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// conditionValues are a condition's values as strings (IAM takes a
// string, a number, a boolean or a list of them).
func conditionValues(v any) []string {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, fmt.Sprint(x))
	}
	sort.Strings(out)
	return out
}

func hclList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = hclString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// hclString quotes s as an HCL template string.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		case (c == '$' || c == '%') && i+1 < len(s) && s[i+1] == '{':
			b.WriteByte(c)
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// tfName makes a Terraform block label of a role name.
func tfName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || (out[0] >= '0' && out[0] <= '9') {
		out = "role_" + out
	}
	return out
}
