package schema

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// describe turns one failed schema keyword (a leaf of the jsonschema error
// tree) into coded diagnostics. Messages are built from the instance and
// from the failing schema node's "description", which every schema node
// that constrains a type phrases to complete "X must be <description>".
func (c *compiled) describe(kind Kind, file string, doc any, ve *jsonschema.ValidationError) []*Error {
	_, itoks := splitLocation(ve.InstanceLocation)
	ptr := Pointer("", anys(itoks)...)
	inst, _ := lookup(doc, itoks)
	name := label(kind, doc, itoks)

	schURL, stoks := splitLocation(ve.AbsoluteKeywordLocation)
	keyword := ""
	if n := len(stoks); n > 0 {
		keyword, stoks = stoks[n-1], stoks[:n-1]
	}
	node, _ := lookup(c.raw[schURL], stoks)
	sch, _ := node.(map[string]any)
	desc, _ := sch["description"].(string)

	one := func(code, format string, args ...any) []*Error {
		return []*Error{Errorf(code, file, ptr, format, args...)}
	}
	switch keyword {
	case "type":
		if desc == "" {
			desc = "of type " + joinAny(sch["type"], " or ")
		}
		return one(CodeSchemaType, "%s must be %s, got %s", name, desc, typeName(inst))
	case "minItems":
		got := "an empty array"
		if arr, ok := inst.([]any); ok && len(arr) > 0 {
			got = fmt.Sprintf("%d items", len(arr))
		}
		if desc == "" {
			desc = fmt.Sprintf("an array of at least %v items", sch["minItems"])
		}
		return one(CodeSchemaEmptyArray, "%s must be %s, got %s", name, desc, got)
	case "required":
		return missingMembers(file, ptr, name, sch, inst)
	case "additionalProperties", "unevaluatedProperties":
		if errs := unknownMembers(file, ptr, name, sch, inst); len(errs) > 0 {
			return errs
		}
		return one(CodeSchemaUnknown, "%s: %s", name, ve.Message)
	case "enum":
		return one(CodeSchemaEnum, "%s must be one of %s, got %s", name, joinAny(sch["enum"], ", "), shortJSON(inst))
	case "const":
		return one(CodeSchemaEnum, "%s must be %s, got %s", name, shortJSON(sch["const"]), shortJSON(inst))
	case "pattern":
		if desc == "" {
			desc = "a string matching " + shortJSON(sch["pattern"])
		}
		return one(CodeSchemaPattern, "%s must be %s, got %s", name, desc, shortJSON(inst))
	}
	return one(CodeSchemaOther, "%s: %s", name, ve.Message)
}

// missingMembers reports each required member absent from obj separately.
func missingMembers(file, ptr, name string, sch map[string]any, inst any) []*Error {
	obj, _ := inst.(map[string]any)
	req, _ := sch["required"].([]any)
	var out []*Error
	for _, r := range req {
		m, _ := r.(string)
		if _, ok := obj[m]; !ok {
			out = append(out, Errorf(CodeSchemaRequired, file, ptr, "%s is missing the required member %q", name, m))
		}
	}
	return out
}

// unknownMembers reports each member of obj that the schema node does not
// list, pointing at the member itself.
func unknownMembers(file, ptr, name string, sch map[string]any, inst any) []*Error {
	obj, _ := inst.(map[string]any)
	props, _ := sch["properties"].(map[string]any)
	allowed := make([]string, 0, len(props))
	for p := range props {
		allowed = append(allowed, p)
	}
	sort.Strings(allowed)
	var out []*Error
	for m := range obj {
		if _, ok := props[m]; ok {
			continue
		}
		msg := fmt.Sprintf("unknown member %q in %s", m, name)
		if s := suggest(m, allowed); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else if len(allowed) > 0 {
			msg += "; allowed members are " + strings.Join(allowed, ", ")
		}
		out = append(out, &Error{Code: CodeSchemaUnknown, File: file, Pointer: Pointer(ptr, m), Message: msg, Severity: SeverityError})
	}
	return out
}

// suggest returns the allowed name closest to m: equal up to case, or at
// most two edits away.
func suggest(m string, allowed []string) string {
	best, bestD := "", 3
	for _, a := range allowed {
		if strings.EqualFold(a, m) {
			return a
		}
		if d := editDistance(strings.ToLower(a), strings.ToLower(m)); d < bestD && d < len(a) {
			best, bestD = a, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// label names the instance in messages: the member name, followed by the
// indices of any array elements below it ("Action[2]", "scps[0][1]").
func label(kind Kind, doc any, toks []string) string {
	v := doc
	last := -1
	for i, t := range toks {
		if _, isArr := v.([]any); !isArr {
			last = i
		}
		v, _ = lookup(v, []string{t})
	}
	var b strings.Builder
	if last < 0 {
		b.WriteString("the " + string(kind))
		if kind == KindPolicy {
			b.WriteString(" document")
		}
	} else {
		b.WriteString(toks[last])
	}
	for _, t := range toks[last+1:] {
		b.WriteString("[" + t + "]")
	}
	return b.String()
}

// typeName is the JSON type of a decoded value.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number, float64, float32, int, int64, int32, uint, uint64, uint32:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// shortJSON renders a value for a message, cut to a readable length.
func shortJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const maxLen = 60
	if r := []rune(string(b)); len(r) > maxLen {
		return string(r[:maxLen]) + "…"
	}
	return string(b)
}

// joinAny renders a schema's string or array-of-values keyword.
func joinAny(v any, sep string) string {
	list, ok := v.([]any)
	if !ok {
		if s, ok := v.(string); ok {
			return s
		}
		return shortJSON(v)
	}
	parts := make([]string, len(list))
	for i, x := range list {
		if s, ok := x.(string); ok && sep == " or " {
			parts[i] = s
		} else {
			parts[i] = shortJSON(x)
		}
	}
	return strings.Join(parts, sep)
}

func anys(toks []string) []any {
	out := make([]any, len(toks))
	for i, t := range toks {
		out[i] = t
	}
	return out
}
