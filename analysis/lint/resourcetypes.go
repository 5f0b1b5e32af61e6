package lint

import (
	"strconv"
	"strings"

	"github.com/iam2rego/iam2rego/arn"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// checkResourceTypes compares a statement's actions with its Resource
// patterns, by the catalogue's resource types (catalog.FitsResourceType).
// IAM authorises each resource of a request separately, and an action's
// resource types are alternatives, so an action is granted by the
// statement on some resource when one of its types fits one of the
// patterns. Reported:
//   - an action written out (no wildcard) that fits none of the patterns
//     (an action naming no resource type fits only "*");
//   - a wildcard pattern none of whose actions fits any pattern;
//   - a Resource pattern that none of the statement's actions fits.
//
// Not checked: NotAction, "Action": "*", NotResource, statements without
// Resource or with "*" among their resources, and action patterns that
// match nothing in the catalogue (unknown_action).
func checkResourceTypes(s *stmt, d *schema.Diagnostics) {
	if s.NotAction || s.all || s.NotResource || !s.HasResource || s.anyResource || len(s.Resources) == 0 {
		return
	}
	var all []catalog.Action // every catalogued action of the statement
	for _, p := range s.Actions {
		expanded := catalog.Expand(p.Raw)
		if len(expanded) == 0 {
			continue
		}
		matched := false
		for _, a := range expanded {
			all = append(all, a)
			matched = matched || fitsAny(a, s)
		}
		if matched {
			continue
		}
		e := finding(CodeResourceTypeMismatch, s.file, s.base+p.Pointer, "%s is never %s by this statement: %s",
			p.Raw, effectWord(s), reason(p.Raw, expanded, resourceList(s)))
		d.Add(about(e, s, p.Raw))
	}
	if len(all) == 0 {
		return
	}
	for _, r := range s.Resources {
		matched := false
		for _, a := range all {
			if fits(a, r.Raw) {
				matched = true
				break
			}
		}
		if !matched {
			acts := s.matching(func(catalog.Action) bool { return true })
			e := finding(CodeResourceFitsNoAction, s.file, s.base+r.Pointer, "%s names no resource that any of the statement's actions (%s) acts on: it is never matched",
				r.Raw, names(acts))
			sub := about(e, s, acts...)
			sub.Subject.Resources = []string{r.Raw}
			d.Add(sub)
		}
	}
}

// incompleteTypes are services whose per-action resource types the
// catalogue gives incompletely: elasticloadbalancing and apigateway merge
// two APIs under one prefix, and an action of both (AddTags, GET, ...)
// lists only one API's resource types.
var incompleteTypes = map[string]bool{"elasticloadbalancing": true, "apigateway": true}

// fits reports whether the action may act on a resource the pattern names.
// An action naming no resource type is requested on "*", which only "*"
// matches; but services authorise some such actions against a wildcard of
// their own ARNs (s3:ListAllMyBuckets on arn:aws:s3:::*, as the S3 user
// guide's examples write it; logs:DescribeLogGroups on
// arn:aws:logs:*:*:log-group:*, as many AWS managed policies do) or against
// another service's ARNs (ssmmessages:OpenDataChannel on
// arn:aws:ssm:*:*:session/*), which the catalogue does not say. So it is
// taken not to fit only an ARN of its own service without a wildcard or
// variable in the resource part (s3:ListAllMyBuckets on
// arn:aws:s3:::bucket).
func fits(a catalog.Action, pattern string) bool {
	svc, _, _ := strings.Cut(a.Name, ":")
	if incompleteTypes[svc] {
		return true
	}
	if ok, _ := catalog.FitsResourceType(a.Name, pattern); ok {
		return true
	}
	if a.ResourceLevel {
		return false
	}
	p, ok := arn.Parse(pattern)
	return !ok || !strings.EqualFold(p.Service, svc) || strings.ContainsAny(p.Resource, "*?$")
}

// fitsAny reports whether the action fits one of the statement's
// resources.
func fitsAny(a catalog.Action, s *stmt) bool {
	for _, r := range s.Resources {
		if fits(a, r.Raw) {
			return true
		}
	}
	return false
}

func effectWord(s *stmt) string {
	if s.allow() {
		return "granted"
	}
	return "denied"
}

// reason says what an action pattern acts on: an action's resource
// types (or only "*"), or how many actions a wildcard matches.
func reason(pattern string, expanded []catalog.Action, resources string) string {
	if strings.ContainsAny(pattern, "*?") {
		return "none of its " + strconv.Itoa(len(expanded)) + " actions acts on a resource of " + resources
	}
	types, _ := catalog.ResourceTypes(expanded[0].Name)
	if len(types) == 0 {
		return `it names no resource type, so only "Resource": "*" covers it, not ` + resources + " (specific resources of its own service)"
	}
	ns := make([]string, len(types))
	for i, t := range types {
		ns[i] = t.Name
	}
	return "it acts on " + strings.Join(ns, " or ") + ", and " + resources + " names none"
}

func resourceList(s *stmt) string {
	var rs []string
	for _, r := range s.Resources {
		rs = append(rs, r.Raw)
	}
	return names(rs)
}
