package terraform

import (
	"encoding/json"
	"regexp"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/iam2rego/iam2rego/schema"
)

// Plan is a Terraform plan read by Read, with the index of its
// configuration that reference resolution needs.
type Plan struct {
	// File is the plan file's name, as diagnostics print it.
	File string
	tf   *tfjson.Plan
	// config maps a resource's configuration address (module path without
	// instance keys, then type.name) to its configuration.
	config map[string]*tfjson.ConfigResource
	// instances maps the same address to the resource_changes indices of
	// its instances (one, unless count or for_each makes several).
	instances map[string][]int
	// docs are the rendered aws_iam_policy_document data sources by
	// instance address: their json attribute and where it is.
	docs map[string]dataDoc
}

type dataDoc struct {
	json    string
	known   bool
	pointer string
}

// ReadFile reads a plan file (see Read).
func ReadFile(path string) (*Plan, error) {
	data, err := schema.ReadFile(path)
	if err != nil {
		return nil, schema.Errorf(schema.CodeJSONSyntax, path, "", "%v", err)
	}
	return Read(path, data)
}

// Read decodes `terraform show -json` output. The JSON is checked first
// (duplicate members, syntax) and against schema/tfplan.schema.json, so
// that every problem names a JSON pointer; then it is decoded into
// terraform-json's types, which also check format_version.
func Read(file string, data []byte) (*Plan, error) {
	if _, err := schema.DecodeAndValidate(schema.KindTerraformPlan, file, data); err != nil {
		return nil, err
	}
	tf := &tfjson.Plan{}
	tf.UseJSONNumber(true)
	if err := json.Unmarshal(data, tf); err != nil {
		ptr := ""
		if strings.Contains(err.Error(), "version") {
			ptr = "/format_version"
		}
		return nil, schema.Errorf(schema.CodeSchemaOther, file, ptr, "not a Terraform JSON plan: %v", err)
	}
	p := &Plan{File: file, tf: tf, config: map[string]*tfjson.ConfigResource{}, instances: map[string][]int{}, docs: map[string]dataDoc{}}
	if tf.Config != nil {
		p.indexConfig(tf.Config.RootModule, "")
	}
	for i, rc := range tf.ResourceChanges {
		if rc == nil || rc.Change == nil {
			continue
		}
		key := configAddress(rc.ModuleAddress, rc.Type, rc.Name, rc.Mode)
		p.instances[key] = append(p.instances[key], i)
		if rc.Mode == tfjson.DataResourceMode && rc.Type == "aws_iam_policy_document" {
			c := &change{plan: p, i: i, rc: rc}
			s, ok := c.known("json")
			text, isString := s.(string)
			p.docs[rc.Address] = dataDoc{json: text, known: ok && isString, pointer: c.ptr("after", "json")}
		}
	}
	if tf.PriorState != nil && tf.PriorState.Values != nil {
		p.indexState(tf.PriorState.Values.RootModule, "/prior_state/values/root_module")
	}
	return p, nil
}

// indexState records the rendered policy documents of the prior state's
// data sources (those Terraform read while planning). A data source that
// resource_changes re-reads keeps the planned value.
func (p *Plan) indexState(m *tfjson.StateModule, ptr string) {
	if m == nil {
		return
	}
	for i, r := range m.Resources {
		if r == nil || r.Mode != tfjson.DataResourceMode || r.Type != "aws_iam_policy_document" {
			continue
		}
		if _, planned := p.docs[r.Address]; planned {
			continue
		}
		text, ok := r.AttributeValues["json"].(string)
		p.docs[r.Address] = dataDoc{json: text, known: ok, pointer: schema.Pointer(ptr, "resources", i, "values", "json")}
	}
	for i, c := range m.ChildModules {
		p.indexState(c, schema.Pointer(ptr, "child_modules", i))
	}
}

func (p *Plan) indexConfig(m *tfjson.ConfigModule, prefix string) {
	if m == nil {
		return
	}
	for _, r := range m.Resources {
		if r != nil {
			p.config[prefix+r.Address] = r
		}
	}
	for name, call := range m.ModuleCalls {
		if call != nil {
			p.indexConfig(call.Module, prefix+"module."+name+".")
		}
	}
}

var instanceKey = regexp.MustCompile(`\[[^\]]*\]`)

// configAddress is a resource's address in the configuration: its module
// path without instance keys, then [data.]type.name.
func configAddress(module, typ, name string, mode tfjson.ResourceMode) string {
	a := typ + "." + name
	if mode == tfjson.DataResourceMode {
		a = "data." + a
	}
	if module != "" {
		a = instanceKey.ReplaceAllString(module, "") + "." + a
	}
	return a
}
