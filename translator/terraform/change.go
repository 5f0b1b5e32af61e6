package terraform

import (
	"net/url"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
)

// change is one resource change of the plan, at index i of
// resource_changes.
type change struct {
	plan *Plan
	i    int
	rc   *tfjson.ResourceChange
}

// ptr is the JSON pointer of a member of the change ("after", "name" …).
func (c *change) ptr(tokens ...any) string {
	return schema.Pointer("/resource_changes", append([]any{c.i, "change"}, tokens...)...)
}

func (c *change) before() map[string]any { m, _ := c.rc.Change.Before.(map[string]any); return m }
func (c *change) after() map[string]any  { m, _ := c.rc.Change.After.(map[string]any); return m }

// unknownAt says whether after_unknown marks the value at path (or a
// value that contains it) as known only after apply.
func (c *change) unknownAt(path ...any) bool {
	u := c.rc.Change.AfterUnknown
	for _, tok := range path {
		if b, ok := u.(bool); ok {
			return b
		}
		switch x := u.(type) {
		case map[string]any:
			u = x[tok.(string)]
		case []any:
			i, _ := tok.(int)
			if i < 0 || i >= len(x) {
				return false
			}
			u = x[i]
		default:
			return false
		}
	}
	b, _ := u.(bool)
	return b
}

// anyUnknown says whether after_unknown marks any value but the id.
func (c *change) anyUnknown() bool {
	if m, ok := c.rc.Change.AfterUnknown.(map[string]any); ok {
		for k, v := range m {
			if k != "id" && holdsTrue(v) {
				return true
			}
		}
		return false
	}
	return holdsTrue(c.rc.Change.AfterUnknown)
}

// holdsTrue says whether an after_unknown value is or holds true.
func holdsTrue(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case map[string]any:
		for _, y := range x {
			if holdsTrue(y) {
				return true
			}
		}
	case []any:
		for _, y := range x {
			if holdsTrue(y) {
				return true
			}
		}
	}
	return false
}

// known is the planned value at path, ok false when it is unknown until
// apply.
func (c *change) known(path ...any) (any, bool) {
	if c.unknownAt(path...) {
		return nil, false
	}
	var v any = c.after()
	for _, tok := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[tok.(string)]
		case []any:
			i, _ := tok.(int)
			if i < 0 || i >= len(x) {
				return nil, true
			}
			v = x[i]
		default:
			return nil, true
		}
	}
	return v, true
}

// configured says whether the configuration sets attr for this resource
// (false when the plan has no configuration).
func (c *change) configured(attr string) bool {
	r := c.plan.config[configAddress(c.rc.ModuleAddress, c.rc.Type, c.rc.Name, c.rc.Mode)]
	if r == nil {
		return false
	}
	_, ok := r.Expressions[attr]
	return ok
}

// reference is the one resource attribute the configuration's expression
// for attr refers to, as (resource address, attribute). It is found only
// when the expression names exactly one attribute of one resource (and
// that resource itself, which Terraform lists too) and nothing else, and
// the resource has exactly one instance in the plan: then the value is
// that attribute's.
func (c *change) reference(attr string) (addr, field string, ok bool) {
	r := c.plan.config[configAddress(c.rc.ModuleAddress, c.rc.Type, c.rc.Name, c.rc.Mode)]
	if r == nil || r.Expressions[attr] == nil || r.Expressions[attr].ExpressionData == nil {
		return "", "", false
	}
	module := instanceKey.ReplaceAllString(c.rc.ModuleAddress, "")
	if module != "" {
		module += "."
	}
	var attrs []string
	resources := map[string]bool{}
	for _, ref := range r.Expressions[attr].References {
		parts := strings.Split(ref, ".")
		if parts[0] == "data" {
			if len(parts) < 3 {
				return "", "", false
			}
			resources[strings.Join(parts[:3], ".")] = true
			if len(parts) == 4 {
				attrs = append(attrs, ref)
			} else if len(parts) > 4 {
				return "", "", false
			}
			continue
		}
		if len(parts) < 2 || !strings.HasPrefix(parts[0], "aws_") {
			return "", "", false // var., local., module., each., count.: not a single resource
		}
		resources[strings.Join(parts[:2], ".")] = true
		if len(parts) == 3 {
			attrs = append(attrs, ref)
		} else if len(parts) > 3 {
			return "", "", false
		}
	}
	if len(resources) != 1 || len(attrs) != 1 {
		return "", "", false
	}
	i := strings.LastIndexByte(attrs[0], '.')
	addr, field = module+attrs[0][:i], attrs[0][i+1:]
	if _, ok := c.plan.docs[addr]; ok && strings.HasPrefix(attrs[0], "data.") {
		// A data source read while planning is in the prior state only.
		return addr, field, true
	}
	if len(c.plan.instances[addr]) != 1 {
		return "", "", false
	}
	return c.plan.tf.ResourceChanges[c.plan.instances[addr][0]].Address, field, true
}

// document decodes a policy document planned as a JSON string (what
// jsonencode and aws_iam_policy_document render; a URL-encoded string as
// the IAM API returns it is accepted too). Problems are reported at ptr.
func document(file, ptr, text string, d *schema.Diagnostics) (account.Document, bool) {
	text = strings.TrimSpace(text)
	form := "JSON string"
	if !strings.HasPrefix(text, "{") {
		u, err := url.PathUnescape(text)
		if err != nil {
			d.Add(schema.Errorf(schema.CodeJSONSyntax, file, ptr, "the policy document is a string that is neither JSON nor URL-encoded JSON: %v", err))
			return account.Document{}, false
		}
		text, form = strings.TrimSpace(u), "URL-encoded policy document"
	}
	val, err := schema.Decode(file, []byte(text))
	if err != nil {
		for _, e := range schema.List(err) {
			inner := e.Pointer
			if inner == "" {
				inner = "/"
			}
			d.Add(schema.Errorf(e.Code, file, ptr, "in the %s, at %s: %s", form, inner, e.Message))
		}
		return account.Document{}, false
	}
	if _, ok := val.(map[string]any); !ok {
		d.Add(schema.Errorf(schema.CodeSchemaType, file, ptr, "the policy document must be a JSON object"))
		return account.Document{}, false
	}
	return account.Document{File: file, Pointer: ptr, Value: val}, true
}
