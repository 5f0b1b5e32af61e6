package translator

import (
	"regexp"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

var (
	servicePrefix = regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	actionName    = regexp.MustCompile(`^[A-Za-z0-9*?_.-]+$`)
)

// compileAction checks one Action / NotAction entry (§1.3) and lowers it
// (§2.2): lower case, then equality, prefix or regex.
func compileAction(c *compiler, raw, ptr string) (ActionPattern, bool) {
	if raw == "*" {
		return ActionPattern{Matcher{Raw: raw, Kind: MatchAny}}, true
	}
	if c.policy.VariablesEnabled() && strings.Contains(raw, "${") {
		c.diags.Add(schema.Errorf(schema.CodeVariableNotAllowed, c.file, ptr, "policy variables are not allowed in Action or NotAction: %q", raw))
		return ActionPattern{}, false
	}
	svc, name, ok := strings.Cut(raw, ":")
	switch {
	case !ok:
		c.diags.Add(schema.Errorf(schema.CodeInvalidAction, c.file, ptr, "action %q must be \"*\" or \"service:ActionName\"", raw))
		return ActionPattern{}, false
	case !servicePrefix.MatchString(svc):
		c.diags.Add(schema.Errorf(schema.CodeInvalidAction, c.file, ptr, "action %q: the service prefix %q may hold only letters, digits and hyphens, and no wildcards", raw, svc))
		return ActionPattern{}, false
	case !actionName.MatchString(name):
		c.diags.Add(schema.Errorf(schema.CodeInvalidAction, c.file, ptr, "action %q: the action name %q may hold only letters, digits, `*` and `?` (exactly one colon)", raw, name))
		return ActionPattern{}, false
	}
	c.checkKnownAction(raw, ptr)
	lower := strings.ToLower(raw)
	wild := strings.IndexAny(name, "*?")
	switch {
	case wild < 0:
		return ActionPattern{Matcher{Raw: raw, Kind: MatchExact, Exact: lower}}, true
	case wild == len(name)-1 && name[wild] == '*':
		return ActionPattern{Matcher{Raw: raw, Kind: MatchPrefix, Prefix: lower[:len(lower)-1]}}, true
	}
	t := Template{{Kind: PartPattern, Text: lower}}
	return ActionPattern{Matcher{
		Raw:    raw,
		Kind:   MatchRegex,
		Prefix: literalPrefix(t),
		Regex:  regexFragment(t[0], anyChar),
	}}, true
}
