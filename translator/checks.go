package translator

import (
	"strings"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// checkKnownAction warns when an action pattern names no catalogued
// action. Real managed policies name retired actions, so this is a
// warning, never an error.
func (c *compiler) checkKnownAction(raw, ptr string) {
	svc, _, _ := strings.Cut(raw, ":")
	switch {
	case !catalog.KnownService(svc):
		c.diags.Add(schema.Warnf(schema.WarnUnknownAction, c.file, ptr, "action %q: the service prefix %q is not in the action catalogue", raw, svc))
	case !catalog.MatchesAnyAction(raw):
		c.diags.Add(schema.Warnf(schema.WarnUnknownAction, c.file, ptr, "action %q matches no action in the catalogue", raw))
	}
}

// checkKeyUse warns about set operators on single-valued keys and plain
// operators on multivalued keys (§3.6, Appendix B.6).
func (c *compiler) checkKeyUse(cond *Condition) {
	if cond.Base == "Null" {
		return
	}
	if _, known := catalog.ConditionKeyType(cond.Key); !known {
		return
	}
	multi := catalog.IsMultiValued(cond.Key)
	switch {
	case multi && cond.Qualifier == "":
		c.diags.Add(schema.Warnf(schema.WarnPlainOperatorMulti, c.file, cond.Pointer, "%s is multivalued: use ForAllValues: or ForAnyValue: with %s; a plain operator never matches a list of values", cond.RawKey, cond.Operator))
	case !multi && cond.Qualifier != "":
		c.diags.Add(schema.Warnf(schema.WarnSetOperatorSingle, c.file, cond.Pointer, "%s is single-valued: %s on it is usually broader than intended", cond.RawKey, cond.Operator))
	}
}
