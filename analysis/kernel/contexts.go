package kernel

import (
	"encoding/json"
	"maps"
	"math/big"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// OtherValue is a value no policy is expected to name: the "not equal" side of
// a string comparison.
const OtherValue = "iam2rego-OtherValue"

// derivedKey reports context keys a request takes from the bundle (the
// principal, its tags, its organization, the resource's owner): the
// probes never override them, since no real request could. Resource tags
// are varied on witness resources only (requestsFor).
func derivedKey(key string) bool {
	for _, p := range []string{"aws:principal", "aws:resourceaccount", "aws:resourceorg"} {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return key == "aws:username" || key == "aws:userid"
}

// KeyValues collects, per context key that a condition tests, the values
// that put each comparison on either side: equal and not equal, a
// threshold and one step either way, true and false. Absence is always
// a choice too (nil).
func KeyValues(conds []*translator.Condition, vars map[string]string) map[string][]any {
	out := map[string][]any{}
	seen := map[string]map[string]bool{}
	spelled := map[string]string{} // lower-cased key → as first written
	add := func(low string, multi bool, v string) {
		key := spelled[low]
		if seen[key] == nil {
			seen[key] = map[string]bool{}
		}
		if seen[key][v] {
			return
		}
		seen[key][v] = true
		if multi {
			out[key] = append(out[key], []any{v})
		} else {
			out[key] = append(out[key], v)
		}
	}
	for _, c := range conds {
		if derivedKey(c.Key) {
			continue
		}
		if spelled[c.Key] == "" {
			spelled[c.Key] = c.RawKey
		}
		multi := c.Qualifier != "" || catalog.IsMultiValued(c.Key)
		for _, v := range conditionValues(c, vars) {
			if v, ok := possible(c.Key, v); ok {
				add(c.Key, multi, v)
			}
		}
	}
	return out
}

// servicePrincipalKeys hold the service principals that made a request
// on the caller's behalf (aws:CalledVia and its first and last): AWS
// sets them, so they are never anything but a service principal.
var servicePrincipalKeys = map[string]bool{"aws:calledvia": true, "aws:calledviafirst": true, "aws:calledvialast": true}

// possible returns the value a real request can carry for a key in place
// of v: a service principal key's "other" side is a service principal no
// policy names, and a value that is no service principal is dropped (a
// condition that needs one is met by no request).
func possible(key, v string) (string, bool) {
	if !servicePrincipalKeys[key] {
		return v, true
	}
	switch {
	case v == OtherValue:
		return OtherValue + ".amazonaws.com", true
	case strings.HasSuffix(strings.ToLower(v), ".amazonaws.com"):
		return v, true
	}
	return "", false
}

// conditionValues returns request values on both sides of one condition.
// A string value with policy variables is read with the principal's
// values (vars); others are skipped.
func conditionValues(c *translator.Condition, vars map[string]string) []string {
	var out []string
	for _, v := range c.Values {
		raw := v.Raw
		if v.Template != nil {
			if !strings.HasPrefix(c.Base, "String") && c.Base != "ArnLike" {
				continue
			}
			raw = Substitute(raw, vars)
		}
		switch base := c.Base; {
		case strings.HasPrefix(base, "String"), base == "ArnLike":
			out = append(out, strings.NewReplacer("*", "x", "?", "x").Replace(raw))
		case strings.HasPrefix(base, "Numeric"):
			out = append(out, numberSides(v.Raw)...)
		case strings.HasPrefix(base, "Date"):
			out = append(out, dateSides(v.Norm)...)
		case base == "IpAddress":
			out = append(out, ipSides(v.Raw)...)
		case base == "BinaryEquals":
			out = append(out, v.Raw)
		}
	}
	switch base := c.Base; {
	case base == "Bool":
		out = append(out, "true", "false")
	case base == "Null":
		out = append(out, presentValue(c.Key))
	case base == "BinaryEquals":
		out = append(out, "aWFtMnJlZ28=")
	case strings.HasPrefix(base, "String"):
		out = append(out, OtherValue)
	case base == "ArnLike":
		out = append(out, "arn:aws:iam::000000000000:"+OtherValue)
	}
	return out
}

// presentValue is a value of the key's catalogue type, for Null's
// "present" side.
func presentValue(key string) string {
	typ, _ := catalog.ConditionKeyType(key)
	switch strings.TrimPrefix(typ, "ArrayOf") {
	case catalog.TypeBool:
		return "true"
	case catalog.TypeNumeric:
		return "1"
	case catalog.TypeDate:
		return "2026-01-01T00:00:00Z"
	case catalog.TypeIPAddress:
		return "192.0.2.1"
	}
	return OtherValue
}

func numberSides(raw string) []string {
	r, ok := new(big.Rat).SetString(raw)
	if !ok {
		return []string{raw}
	}
	one := big.NewRat(1, 1)
	return []string{r.RatString(), new(big.Rat).Sub(r, one).RatString(), new(big.Rat).Add(r, one).RatString()}
}

func dateSides(norm any) []string {
	in, ok := norm.(translator.Instant)
	if !ok {
		return nil
	}
	t := time.Unix(in[0], in[1]).UTC()
	f := func(t time.Time) string { return t.Format(time.RFC3339Nano) }
	return []string{f(t), f(t.Add(-time.Second)), f(t.Add(time.Second))}
}

// ipSides returns the first address of a block and the address just past
// its end (or before its start).
func ipSides(raw string) []string {
	p, err := netip.ParsePrefix(raw)
	if err != nil {
		a, err := netip.ParseAddr(raw)
		if err != nil {
			return nil
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	p = p.Masked()
	first, last := p.Addr(), lastAddr(p)
	outside := last.Next()
	if !outside.IsValid() {
		outside = first.Prev()
	}
	out := []string{first.String()}
	if outside.IsValid() {
		out = append(out, outside.String())
	}
	return out
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 1 << (7 - i%8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// MaxContexts bounds the Contexts of one (principal, action): up to it,
// every combination of the keys' values (absence included) is probed;
// beyond it, each value of each key alone, then each value of each key
// with every OtherValue key at its first value.
const MaxContexts = 64

// Contexts combines the keys' values into request Contexts.
func Contexts(values map[string][]any) []map[string]any {
	keys := slices.Sorted(maps.Keys(values))
	total := 1
	for _, k := range keys {
		total *= len(values[k]) + 1
		if total > MaxContexts {
			break
		}
	}
	if total <= MaxContexts {
		out := []map[string]any{{}}
		for _, k := range keys {
			var next []map[string]any
			for _, c := range out {
				next = append(next, c)
				for _, v := range values[k] {
					n := maps.Clone(c)
					n[k] = v
					next = append(next, n)
				}
			}
			out = next
		}
		return out
	}
	out := []map[string]any{{}}
	first := map[string]any{}
	for _, k := range keys {
		first[k] = values[k][0]
	}
	out = append(out, first)
	for _, k := range keys {
		for _, v := range values[k] {
			out = append(out, map[string]any{k: v})
			n := maps.Clone(first)
			n[k] = v
			out = append(out, n)
		}
		n := maps.Clone(first)
		delete(n, k)
		out = append(out, n)
	}
	return out
}

// resourceTagPrefix starts the condition keys of resource tags.
const resourceTagPrefix = "aws:resourcetag/"

// ProbeInput is one probe's context and, for a witness resource, its tags.
type ProbeInput struct {
	Context map[string]any
	Tags    map[string]string
}

// ProbeInputs turns the Contexts into one resource's probe inputs. Values of
// aws:ResourceTag/K become the tags of a witness resource; a resource the
// bundles know keeps the tags they give it, so they are dropped there (and
// the Contexts that then coincide are probed once).
func ProbeInputs(ctxs []map[string]any, known bool) []ProbeInput {
	var out []ProbeInput
	seen := map[string]bool{}
	for _, c := range ctxs {
		in := ProbeInput{Context: map[string]any{}}
		for k, v := range c {
			if !strings.HasPrefix(strings.ToLower(k), resourceTagPrefix) {
				in.Context[k] = v
				continue
			}
			s, ok := v.(string)
			if known || !ok {
				continue
			}
			if in.Tags == nil {
				in.Tags = map[string]string{}
			}
			in.Tags[k[len(resourceTagPrefix):]] = s
		}
		key, _ := json.Marshal([]any{in.Context, in.Tags})
		if !seen[string(key)] {
			seen[string(key)] = true
			out = append(out, in)
		}
	}
	return out
}
