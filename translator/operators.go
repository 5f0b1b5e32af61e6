package translator

import "strings"

// family groups condition operators that share value parsing and matching.
type family string

const (
	famString  family = "String"
	famLike    family = "StringLike"
	famNumeric family = "Numeric"
	famDate    family = "Date"
	famBool    family = "Bool"
	famBinary  family = "Binary"
	famIP      family = "IpAddress"
	famArn     family = "Arn"
	famNull    family = "Null"
)

// operatorSpec describes one condition operator name (without the set
// prefix and the IfExists suffix).
type operatorSpec struct {
	family    family
	base      string // the positive operator the Rego library implements
	negated   bool
	variables bool // policy variables allowed in values (§4.2)
}

// operators is the single table of condition operators (§3). An operator
// that is not here is an error, never silently dropped.
var operators = map[string]operatorSpec{
	"StringEquals":              {famString, "StringEquals", false, true},
	"StringNotEquals":           {famString, "StringEquals", true, true},
	"StringEqualsIgnoreCase":    {famString, "StringEqualsIgnoreCase", false, true},
	"StringNotEqualsIgnoreCase": {famString, "StringEqualsIgnoreCase", true, true},
	"StringLike":                {famLike, "StringLike", false, true},
	"StringNotLike":             {famLike, "StringLike", true, true},
	"NumericEquals":             {famNumeric, "NumericEquals", false, false},
	"NumericNotEquals":          {famNumeric, "NumericEquals", true, false},
	"NumericLessThan":           {famNumeric, "NumericLessThan", false, false},
	"NumericLessThanEquals":     {famNumeric, "NumericLessThanEquals", false, false},
	"NumericGreaterThan":        {famNumeric, "NumericGreaterThan", false, false},
	"NumericGreaterThanEquals":  {famNumeric, "NumericGreaterThanEquals", false, false},
	"DateEquals":                {famDate, "DateEquals", false, false},
	"DateNotEquals":             {famDate, "DateEquals", true, false},
	"DateLessThan":              {famDate, "DateLessThan", false, false},
	"DateLessThanEquals":        {famDate, "DateLessThanEquals", false, false},
	"DateGreaterThan":           {famDate, "DateGreaterThan", false, false},
	"DateGreaterThanEquals":     {famDate, "DateGreaterThanEquals", false, false},
	"Bool":                      {famBool, "Bool", false, true},
	"BinaryEquals":              {famBinary, "BinaryEquals", false, false},
	"IpAddress":                 {famIP, "IpAddress", false, false},
	"NotIpAddress":              {famIP, "IpAddress", true, false},
	"ArnEquals":                 {famArn, "ArnLike", false, true},
	"ArnLike":                   {famArn, "ArnLike", false, true},
	"ArnNotEquals":              {famArn, "ArnLike", true, true},
	"ArnNotLike":                {famArn, "ArnLike", true, true},
	"Null":                      {famNull, "Null", false, false},
}

// parsedOperator is an operator name split into its parts.
type parsedOperator struct {
	spec      operatorSpec
	qualifier string
	ifExists  bool
}

// parseOperator splits "ForAnyValue:StringLikeIfExists" into its parts.
// Names are case-sensitive (§1.5). The second result is a hint for an
// operator that only differs in case from a known one.
func parseOperator(name string) (parsedOperator, string, bool) {
	var op parsedOperator
	rest := name
	for _, q := range []string{"ForAllValues:", "ForAnyValue:"} {
		if strings.HasPrefix(rest, q) {
			op.qualifier = strings.TrimSuffix(q, ":")
			rest = rest[len(q):]
			break // at most one set qualifier
		}
	}
	if base, ok := strings.CutSuffix(rest, "IfExists"); ok {
		if _, known := operators[base]; known {
			op.ifExists = true
			rest = base
		}
	}
	spec, ok := operators[rest]
	if !ok {
		return op, caseHint(name), false
	}
	op.spec = spec
	return op, "", true
}

// caseHint finds a valid operator name that equals name ignoring case.
func caseHint(name string) string {
	lower := strings.ToLower(name)
	for _, q := range []string{"", "ForAllValues:", "ForAnyValue:"} {
		for base := range operators {
			for _, suffix := range []string{"", "IfExists"} {
				if strings.ToLower(q+base+suffix) == lower {
					return q + base + suffix
				}
			}
		}
	}
	return ""
}
