package rego

import (
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// source is one policy taking part in a request, with its place: the Go
// twin of `sources` in lib/decide.rego.
type source struct {
	typ         string
	level, slot int
	policy      string
}

// hit is a statement that applies, from one source.
type hit struct {
	obj    ast.Object // the hit as lib/decide.rego builds it (sort order)
	typ    string
	effect string
	kind   string
	level  int
}

// sources lists the policies of the request that take part (§5.3):
// resource and VPC endpoint policies always; identity, boundary and
// session policies for IAM principals; SCPs and RCPs where they apply.
func (c *chain) sources() map[string][]source {
	by := map[string][]source{}
	add := func(typ string, level, slot int, pid string) {
		by[pid] = append(by[pid], source{typ: typ, level: level, slot: slot, policy: pid})
	}
	for _, t := range []string{"resource", "vpce"} {
		for slot, pid := range c.in.lists[t] {
			add(t, 0, slot, pid)
		}
	}
	if c.iamPrincipal() {
		for _, t := range []string{"identity", "boundary", "session"} {
			for slot, pid := range c.in.lists[t] {
				add(t, 0, slot, pid)
			}
		}
	}
	if c.scpsApply() {
		for i, level := range c.in.scps {
			for slot, pid := range level {
				add("scp", i+1, slot, pid)
			}
		}
	}
	if c.rcpsApply() {
		for i, level := range c.in.rcps {
			for slot, pid := range level {
				add("rcp", i+1, slot, pid)
			}
		}
	}
	return by
}

// joinHits joins the matched statements (elements of
// data.iam2rego.policies.match) with the sources naming their policy, in
// the order of the Rego set lib/decide.rego builds.
func (c *chain) joinHits(matches []ast.Object, names func(pid string) *ast.Term) []hit {
	by := c.sources()
	set := ast.NewSet()
	for _, m := range matches {
		for _, src := range by[textOf(m, "policy")] {
			h := ast.NewObject(
				ast.Item(ast.StringTerm("type"), ast.StringTerm(src.typ)),
				ast.Item(ast.StringTerm("level"), ast.IntNumberTerm(src.level)),
				ast.Item(ast.StringTerm("slot"), ast.IntNumberTerm(src.slot)),
			)
			m.Foreach(func(k, v *ast.Term) { h.Insert(k, v) })
			if n := names(src.policy); n != nil {
				h.Insert(ast.StringTerm("names"), n)
			}
			set.Add(ast.NewTerm(h))
		}
	}
	out := make([]hit, 0, set.Len())
	set.Sorted().Foreach(func(t *ast.Term) {
		o := t.Value.(ast.Object)
		out = append(out, hit{obj: o, typ: textOf(o, "type"), effect: textOf(o, "effect"), kind: textOf(o, "kind"), level: intOf(o, "level")})
	})
	return out
}

// textOf is o[key] as a string, "" when missing or not a string.
func textOf(o ast.Object, key string) string {
	if t := o.Get(ast.StringTerm(key)); t != nil {
		if s, ok := t.Value.(ast.String); ok {
			return string(s)
		}
	}
	return ""
}

// intOf is o[key] as an int, 0 when missing or not an integer.
func intOf(o ast.Object, key string) int {
	if t := o.Get(ast.StringTerm(key)); t != nil {
		if n, ok := t.Value.(ast.Number); ok {
			if i, ok := n.Int(); ok {
				return i
			}
		}
	}
	return 0
}

// of is hits_of(t, effect): the hits of one type and effect, in order.
func of(hits []hit, typ, effect string) []hit {
	var out []hit
	for _, h := range hits {
		if h.typ == typ && h.effect == effect {
			out = append(out, h)
		}
	}
	return out
}

// service is the service prefix of an action ("s3" of "s3:getobject").
func service(action string) string {
	s, _, _ := strings.Cut(action, ":")
	return s
}
