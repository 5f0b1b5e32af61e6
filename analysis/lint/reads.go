package lint

import (
	"slices"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// checkReads is the optional rule read_on_any_resource: an identity Allow
// grants Read actions that accept resource ARNs on "Resource": "*" (or
// with NotResource). Like write_on_any_resource, the actions of a service
// that a condition narrows are left out. Run drops its findings unless the
// rule is enabled.
func checkReads(s *stmt, d *schema.Diagnostics) {
	if !s.anyResource {
		return
	}
	scoped := s.scopedServices()
	reads := s.matching(func(a catalog.Action) bool {
		svc, _, _ := strings.Cut(a.Name, ":")
		return a.Level == catalog.Read && a.ResourceLevel && !scoped[svc] && !scoped["*"]
	})
	if len(reads) == 0 {
		return
	}
	d.Add(about(finding(CodeReadOnAnyResource, s.file, s.pointer(s.resourceElement()),
		"%d read actions on every resource: %s", len(reads), names(reads)), s, reads...))
}

// enabled drops the findings of optional rules that are not in enable.
func enabled(list []*schema.Error, enable []string) []*schema.Error {
	out := list[:0]
	for _, f := range list {
		if r := ruleOf(f.Code); !r.Optional() || slices.Contains(enable, f.Code) {
			out = append(out, f)
		}
	}
	return out
}
