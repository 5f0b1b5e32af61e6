package rego

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
)

// explicitContext is input.rego's explicit_context: the request's keys,
// lower-cased, with values as text (text_value); keys whose value has no
// text (null, an object) are left out.
func explicitContext(ctx map[string]any) (ast.Object, error) {
	out := ast.NewObject()
	for k, v := range ctx {
		t, ok, err := textValue(v)
		if err != nil {
			return nil, err
		}
		if ok {
			out.Insert(ast.StringTerm(strings.ToLower(k)), t)
		}
	}
	return out, nil
}

// textValue is text_value: a string stays, an array keeps the text of its
// scalar members, a number or boolean becomes its JSON text.
func textValue(v any) (*ast.Term, bool, error) {
	switch x := v.(type) {
	case []string:
		terms := make([]*ast.Term, len(x))
		for i, s := range x {
			terms[i] = ast.StringTerm(s)
		}
		return ast.ArrayTerm(terms...), true, nil
	case []any:
		terms := make([]*ast.Term, 0, len(x))
		for _, e := range x {
			t, ok, err := scalarText(e)
			if err != nil {
				return nil, false, err
			}
			if ok {
				terms = append(terms, t)
			}
		}
		return ast.ArrayTerm(terms...), true, nil
	case nil, map[string]any:
		return nil, false, nil
	}
	if t, ok, err := scalarText(v); err != nil || ok {
		return t, ok, err
	}
	g, err := generic(v)
	if err != nil {
		return nil, false, err
	}
	if _, isArr := g.([]any); isArr {
		return textValue(g)
	}
	return nil, false, nil
}

// scalarText is scalar_text; other values have none.
func scalarText(v any) (*ast.Term, bool, error) {
	switch x := v.(type) {
	case string:
		return ast.StringTerm(validText(x)), true, nil
	case bool:
		if x {
			return ast.StringTerm("true"), true, nil
		}
		return ast.StringTerm("false"), true, nil
	case json.Number:
		return ast.StringTerm(x.String()), true, nil
	case nil, []any, []string, map[string]any:
		return nil, false, nil
	}
	g, err := generic(v)
	if err != nil {
		return nil, false, err
	}
	switch g.(type) {
	case string, bool, json.Number:
		return scalarText(g)
	}
	return nil, false, nil
}

// generic converts any other Go value as the Rego path does: through JSON,
// numbers kept as written.
func generic(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var g any
	err = dec.Decode(&g)
	return g, err
}

// object is the policies object of the request as JSON carries it (the
// fields tagged omitempty are left out when empty).
func (p PolicyRefs) object() ast.Object {
	o := ast.NewObject()
	strs := func(list []string) *ast.Term {
		if list == nil {
			return ast.NullTerm()
		}
		terms := make([]*ast.Term, len(list))
		for i, s := range list {
			terms[i] = ast.StringTerm(s)
		}
		return ast.ArrayTerm(terms...)
	}
	levels := func(l [][]string) *ast.Term {
		terms := make([]*ast.Term, len(l))
		for i, ids := range l {
			terms[i] = strs(ids)
		}
		return ast.ArrayTerm(terms...)
	}
	if len(p.Identity) > 0 {
		o.Insert(ast.StringTerm("identity"), strs(p.Identity))
	}
	for _, f := range []struct{ k, v string }{{"boundary", p.Boundary}, {"session", p.Session}, {"resource", p.Resource}, {"vpce", p.VPCE}} {
		if f.v != "" {
			o.Insert(ast.StringTerm(f.k), ast.StringTerm(f.v))
		}
	}
	if len(p.SCPs) > 0 {
		o.Insert(ast.StringTerm("scps"), levels(p.SCPs))
	}
	if len(p.RCPs) > 0 {
		o.Insert(ast.StringTerm("rcps"), levels(p.RCPs))
	}
	if len(p.SCPNames) > 0 {
		o.Insert(ast.StringTerm("scp_names"), strs(p.SCPNames))
	}
	return o
}

// validText is what a string becomes through JSON, as the Rego path
// receives it: each byte of invalid UTF-8 turns into U+FFFD.
func validText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
	}
	return b.String()
}

func validMap(m map[string]string) map[string]string {
	ok := true
	for k, v := range m {
		ok = ok && utf8.ValidString(k) && utf8.ValidString(v)
	}
	if ok {
		return m
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[validText(k)] = validText(v)
	}
	return out
}

func validList(l []string) []string {
	for i, s := range l {
		if !utf8.ValidString(s) {
			out := append([]string(nil), l...)
			out[i] = validText(s)
			return validList(out)
		}
	}
	return l
}

// validRequest gives every string of req the text JSON would carry.
func validRequest(req Request) Request {
	p := &req.Principal
	p.ARN, p.FederatedBy, p.RoleARN = validText(p.ARN), validText(p.FederatedBy), validText(p.RoleARN)
	p.UserID, p.CanonicalUser, p.Tags = validText(p.UserID), validText(p.CanonicalUser), validMap(p.Tags)
	req.Action = validText(req.Action)
	r := &req.Resource
	r.ARN, r.Account, r.Tags = validText(r.ARN), validText(r.Account), validMap(r.Tags)
	req.ManagementAccount = validText(req.ManagementAccount)
	pol := &req.Policies
	pol.Identity, pol.SCPNames = validList(pol.Identity), validList(pol.SCPNames)
	pol.Boundary, pol.Session, pol.Resource, pol.VPCE = validText(pol.Boundary), validText(pol.Session), validText(pol.Resource), validText(pol.VPCE)
	for _, levels := range []*[][]string{&pol.SCPs, &pol.RCPs} {
		for i, l := range *levels {
			if v := validList(l); len(v) > 0 && &v[0] != &l[0] {
				cp := append([][]string(nil), (*levels)...)
				cp[i] = v
				*levels = cp
			}
		}
	}
	for k := range req.Context {
		if !utf8.ValidString(k) {
			cp := make(map[string]any, len(req.Context))
			for k, v := range req.Context {
				cp[validText(k)] = v
			}
			req.Context = cp
			break
		}
	}
	return req
}
