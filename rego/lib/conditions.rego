# Condition operators (IAM-SEMANTICS.md §3) and policy variables (§4).
#
# Generated policies call cond/6 and null_cond/2 with normalised policy
# values; the context lives in input.context with lower-cased keys, and
# every value is a string or an array of strings.
package iam2rego.lib

# has_key holds when the context key is present (an empty list is present).
has_key(key) if {
	_ := input.context[key]
}

# cond holds when one (operator, key) pair of a Condition block is true.
# base is the positive operator, neg says the operator is negated, q is ""
# or the set qualifier, ie says IfExists.
cond(_, neg, q, ie, key, _) if {
	not has_key(key)
	absent_true(neg, q, ie)
}

cond(base, neg, "", _, key, vals) if {
	v := input.context[key]
	is_string(v)
	single(base, neg, v, resolve_values(base, vals))
}

cond(base, neg, "ForAllValues", _, key, vals) if {
	v := input.context[key]
	rv := resolve_values(base, vals)
	every r in as_list(v) {
		single(base, neg, r, rv)
	}
}

cond(base, neg, "ForAnyValue", _, key, vals) if {
	v := input.context[key]
	rv := resolve_values(base, vals)
	some r in as_list(v)
	single(base, neg, r, rv)
}

# The missing-key table (§3.3).
absent_true(_, "ForAllValues", _) := true

absent_true(true, "", _) := true

absent_true(_, "", true) := true

absent_true(_, "ForAnyValue", true) := true

as_list(v) := v if is_array(v)

as_list(v) := [v] if is_string(v)

single(base, false, v, vals) if pos(base, v, vals)

single(base, true, v, vals) if {
	comparable(base, v)
	not pos(base, v, vals)
}

# A negated Numeric, Date or IP test on a context value that does not parse
# is false, like its positive form (§3.5).
comparable(base, v) if {
	startswith(base, "Numeric")
	decimal(v)
}

comparable(base, v) if {
	startswith(base, "Date")
	date_ns(v)
}

comparable("IpAddress", v) if net.cidr_contains("0.0.0.0/0", v)

comparable("IpAddress", v) if net.cidr_contains("::/0", v)

comparable(base, _) if not base_needs_parse(base)

base_needs_parse(base) if startswith(base, "Numeric")

base_needs_parse(base) if startswith(base, "Date")

base_needs_parse("IpAddress")

# Null (§3.5): "true" means the key is absent, "false" that it is present.
null_cond(key, vals) if {
	true in vals
	not has_key(key)
}

null_cond(key, vals) if {
	false in vals
	has_key(key)
}

# pos is the positive operator applied to one context value and the
# resolved policy values (OR across values).
pos("StringEquals", v, vals) if v in vals

pos("StringEqualsIgnoreCase", v, vals) if {
	some p in vals
	fold_equal(v, p)
}

pos("StringLike", v, vals) if {
	some p in vals
	regex.match(p, v)
}

pos("ArnLike", v, vals) if {
	some p in vals
	regex.match(p, v)
}

pos("Bool", v, vals) if lower(v) in vals

pos("BinaryEquals", v, vals) if {
	some p in vals
	binary_equal(v, p)
}

pos("IpAddress", v, vals) if {
	some p in vals
	net.cidr_contains(p, v)
}

pos("NumericEquals", v, vals) if {
	n := decimal(v)
	some p in vals
	n == p
}

pos("NumericLessThan", v, vals) if {
	n := decimal(v)
	some p in vals
	n < p
}

pos("NumericLessThanEquals", v, vals) if {
	n := decimal(v)
	some p in vals
	n <= p
}

pos("NumericGreaterThan", v, vals) if {
	n := decimal(v)
	some p in vals
	n > p
}

pos("NumericGreaterThanEquals", v, vals) if {
	n := decimal(v)
	some p in vals
	n >= p
}

pos("DateEquals", v, vals) if {
	t := date_ns(v)
	some p in vals
	t == p
}

pos("DateLessThan", v, vals) if {
	t := date_ns(v)
	some p in vals
	t < p
}

pos("DateLessThanEquals", v, vals) if {
	t := date_ns(v)
	some p in vals
	t <= p
}

pos("DateGreaterThan", v, vals) if {
	t := date_ns(v)
	some p in vals
	t > p
}

pos("DateGreaterThanEquals", v, vals) if {
	t := date_ns(v)
	some p in vals
	t >= p
}

# Simple Unicode case folding, as Go's strings.EqualFold (§3.4 [INFERRED]):
# mapping to upper then lower case joins every folding orbit (s/S/ſ,
# k/K/K, β/ϐ, ...), except that the Turkish dotless ı and dotted İ fold only
# with themselves, so they are set aside first as NUL-prefixed markers
# (NUL itself is doubled, which keeps the encoding one-to-one).
fold_equal(a, b) if case_fold(a) == case_fold(b)

case_fold(s) := lower(upper(strings.replace_n({"\u0000": "\u0000\u0000", "ı": "\u0000\u0001", "İ": "\u0000\u0002"}, s)))

binary_equal(v, p) if v == p

binary_equal(v, p) if base64.decode(v) == base64.decode(p)

# decimal reads a strict decimal number (§3.5) into an exact number; any
# other text has no value. "+5", ".5", "5." and "007" are normalised to JSON
# number text first, as translator/values.go does for policy values.
decimal(s) := to_number(t) if {
	regex.match(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`, s)
	a := regex.replace(trim_prefix(s, "+"), `^(-?)\.`, "${1}0.")
	b := trim_suffix(a, ".")
	t := regex.replace(b, `^(-?)0+([0-9])`, "${1}${2}")
}

# resolve_values substitutes policy variables. A value whose variable does
# not resolve matches nothing, so it is dropped: positive operators then
# cannot match it, negated ones treat it as "not equal" (§4.3).
resolve_values(base, vals) := [r | some x in vals; r := resolve_value(base, x)]

resolve_value(_, x) := x if not is_object(x)

resolve_value(base, x) := render(x.t, x.re) if {
	is_object(x)
	base != "Bool"
}

resolve_value("Bool", x) := lower(render(x.t, false)) if is_object(x)

# render joins template pieces; variables are quoted when the result is a
# regex. It is undefined when a variable does not resolve.
render(pieces, re) := concat("", parts) if {
	parts := [s | some p in pieces; s := piece(p, re)]
	count(parts) == count(pieces)
}

piece(p, _) := p if is_string(p)

piece(p, false) := variable(p) if is_object(p)

piece(p, true) := quote_meta(variable(p)) if is_object(p)

quote_meta(s) := regex.replace(s, `[\\.+*?()|\[\]{}^$]`, `\${0}`)

# variable resolves ${key} and ${key, 'default'} (§4.1, §4.3): a present
# single value, else the default when the key is absent or empty. A
# multivalued key never resolves.
variable(p) := v if {
	v := input.context[p.var]
	is_string(v)
	v != ""
}

variable(p) := "" if {
	input.context[p.var] == ""
	not p["default"]
}

variable(p) := p["default"] if not has_key(p.var)

variable(p) := p["default"] if input.context[p.var] == ""

# template_match matches a request value against a pattern with variables.
template_match(pieces, subject) if regex.match(render(pieces, true), subject)
