package bundles

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// A bundle's decision reads its compiled modules and precomputed records;
// offline analyses (diff, who-can, can) also read its policy documents.
// The build derives the first from the second, deterministically, so a
// reader that trusts a bundle checks that they agree: CheckConsistency
// derives every derived part again from the documents and records and
// compares. A bundle edited after its build (a wide policy added to one
// caller, a rule added to the policies module) is then refused, instead
// of being analysed as one thing and enforced as another.

// derivedPart is one part of a bundle that follows from its documents and
// records. check derives it again and returns an error naming what
// differs, or nil.
type derivedPart struct {
	name  string
	check func(ctx context.Context, c *consistency) error
}

// derivedParts lists every derived part, in the order they are checked
// (cheapest first). A part the build adds to a bundle (decision plans)
// gets its row here.
var derivedParts = []derivedPart{
	{"modules", checkModules},
	{"plan", checkPlan},
	{"callers", checkCallers},
}

// consistency is what the checks of one bundle share.
type consistency struct {
	b    *bundle.Bundle
	data map[string]any // data.iam2rego
}

// CheckConsistency refuses a bundle whose derived parts (the policies
// module, the decision library, data.iam2rego.plan and .callers, with
// each caller's plan) are not exactly
// what its documents (data.iam2rego.documents) and records compile to
// with this iam2rego. The error names the first part that differs.
func CheckConsistency(ctx context.Context, b *bundle.Bundle) error {
	root, ok := b.Data[Root].(map[string]any)
	if !ok {
		return fmt.Errorf("data.%s is missing or not an object: not a bundle written by iam2rego build", Root)
	}
	c := &consistency{b: b, data: root}
	for _, p := range derivedParts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := p.check(ctx, c); err != nil {
			return fmt.Errorf("the bundle is not self-consistent (%s): %w", p.name, err)
		}
	}
	return nil
}

// checkModules compiles every document again into the policies module and
// compares every module of the bundle byte for byte with what the build
// writes: the policies module (when there are documents) and this
// iam2rego's decision library, nothing else.
func checkModules(_ context.Context, c *consistency) error {
	want, err := c.modules()
	if err != nil {
		return err
	}
	got := map[string][]byte{}
	for _, m := range c.b.Modules {
		p := "/" + strings.TrimPrefix(m.Path, "/")
		if _, dup := got[p]; dup {
			return fmt.Errorf("module %s appears twice", p)
		}
		got[p] = m.Raw
	}
	for _, p := range sortedKeys(got) {
		w, ok := want[p]
		switch {
		case !ok:
			return fmt.Errorf("module %s is not one iam2rego build writes", p)
		case p == PoliciesModule && !bytes.Equal(got[p], w):
			return fmt.Errorf("module %s differs from what data.%s.documents compile to", p, Root)
		case !bytes.Equal(got[p], w):
			return fmt.Errorf("module %s differs from this iam2rego's decision library (a bundle built by another version, or edited): rebuild it", p)
		}
	}
	for _, p := range sortedKeys(want) {
		if _, ok := got[p]; !ok {
			return fmt.Errorf("module %s is missing", p)
		}
	}
	return nil
}

// modules are the modules the build writes for the bundle's documents.
func (c *consistency) modules() (map[string][]byte, error) {
	docs, err := c.documents()
	if err != nil {
		return nil, err
	}
	uses, err := c.uses()
	if err != nil {
		return nil, err
	}
	names := sortedKeys(docs)
	texts := make([][]byte, len(names))
	errs := make([]error, len(names))
	// Compiling is most of the check's time: one worker per core.
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), max(len(names), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				texts[i], errs[i] = compiledRules(names[i], docs[names[i]], uses[names[i]])
			}
		}()
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	var buf bytes.Buffer
	buf.WriteString(policiesHeader)
	for i := range names {
		if errs[i] != nil {
			return nil, errs[i] // the first by name: the same error every run
		}
		buf.Write(texts[i])
	}
	out := map[string][]byte{}
	if len(names) > 0 {
		out[PoliciesModule] = buf.Bytes()
	}
	for n, src := range rego.LibraryFiles() {
		out["/"+n] = src
	}
	return out, nil
}

// documents reads data.iam2rego.documents: each a policy's canonical JSON
// text under the policy's content name.
func (c *consistency) documents() (map[string]string, error) {
	raw, ok := c.data["documents"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("data.%s.documents is missing or not an object (a bundle from an older iam2rego: rebuild it)", Root)
	}
	out := make(map[string]string, len(raw))
	for n, v := range raw {
		text, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("data.%s.documents[%q] is not a string", Root, n)
		}
		out[n] = text
	}
	return out, nil
}

// uses lists, per policy name, the policy types the records use it as, in
// the order the build meets them (the type decides which IAM rules a
// document must follow; the rules compiled from it are the same).
func (c *consistency) uses() (map[string][]translator.PolicyType, error) {
	out := map[string][]translator.PolicyType{}
	add := func(typ translator.PolicyType, v any, where string) error {
		list, ok := v.([]any)
		if v != nil && !ok {
			return fmt.Errorf("data.%s.%s is not a list", Root, where)
		}
		for _, x := range list {
			n, ok := x.(string)
			if !ok {
				return fmt.Errorf("data.%s.%s holds %v, not a policy name", Root, where, x)
			}
			out[n] = append(out[n], typ)
		}
		return nil
	}
	levels := func(typ translator.PolicyType, v any, where string) error {
		list, ok := v.([]any)
		if v != nil && !ok {
			return fmt.Errorf("data.%s.%s is not a list", Root, where)
		}
		for i, l := range list {
			if err := add(typ, l, fmt.Sprintf("%s[%d]", where, i)); err != nil {
				return err
			}
		}
		return nil
	}
	principals, err := c.records("principals")
	if err != nil {
		return nil, err
	}
	for _, arn := range sortedKeys(principals) {
		p := principals[arn]
		where := fmt.Sprintf("principals[%q]", arn)
		if err := add(translator.Identity, p["identity"], where+".identity"); err != nil {
			return nil, err
		}
		if err := add(translator.Boundary, p["boundary"], where+".boundary"); err != nil {
			return nil, err
		}
	}
	accounts, err := c.records("accounts")
	if err != nil {
		return nil, err
	}
	for _, id := range sortedKeys(accounts) {
		a := accounts[id]
		where := fmt.Sprintf("accounts[%q]", id)
		if err := levels(translator.SCP, a["scps"], where+".scps"); err != nil {
			return nil, err
		}
		if err := levels(translator.RCP, a["rcps"], where+".rcps"); err != nil {
			return nil, err
		}
	}
	resources, err := c.records("resources")
	if err != nil {
		return nil, err
	}
	for _, arn := range sortedKeys(resources) {
		// A role's record holds its trust policy, or (when the export gave
		// none) a resource policy the build compiled as such: try both.
		types := []translator.PolicyType{translator.Resource}
		if k, _ := object(principals[arn])["kind"].(string); k == "role" {
			types = []translator.PolicyType{translator.Trust, translator.Resource}
		}
		for _, typ := range types {
			if err := add(typ, resources[arn]["policy"], fmt.Sprintf("resources[%q].policy", arn)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// records reads one object of records of data.iam2rego (principals,
// accounts, resources): absent is empty, but every record is an object.
func (c *consistency) records(key string) (map[string]map[string]any, error) {
	v, present := c.data[key]
	if !present {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("data.%s.%s is not an object", Root, key)
	}
	out := make(map[string]map[string]any, len(m))
	for k, r := range m {
		o, ok := r.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("data.%s.%s[%q] is not an object", Root, key, k)
		}
		out[k] = o
	}
	return out, nil
}

// compiledRules compiles one document as the build does and returns its
// rules as the policies module holds them (translator.Format's text after
// the package line). The document must be canonical JSON named by its
// content, and must compile as one of the types it is used as (as any
// type when the records never use it).
func compiledRules(name, text string, types []translator.PolicyType) ([]byte, error) {
	ptr := fmt.Sprintf("data.%s.documents[%q]", Root, name)
	doc, err := schema.Decode(ptr, []byte(text))
	if err != nil {
		return nil, fmt.Errorf("%s is not a JSON document", ptr)
	}
	if got, err := translator.ContentName(doc); err != nil || got != name {
		return nil, fmt.Errorf("%s is not the document named %s (its content is named %s)", ptr, name, got)
	}
	if len(types) == 0 {
		types = translator.PolicyTypes
	}
	var first error
	for _, typ := range types {
		c, err := translator.CompileExported(ptr, typ, doc)
		if err != nil {
			if first == nil {
				first = fmt.Errorf("%s does not compile as a %s policy", ptr, typ)
			}
			continue
		}
		src, err := translator.Format(c.Module)
		if err != nil || !bytes.HasPrefix(src, []byte(policiesHeader)) {
			return nil, fmt.Errorf("%s: formatting its rules: %v", ptr, err)
		}
		return src[len(policiesHeader):], nil
	}
	return nil, first
}

// checkPlan compares data.iam2rego.plan, what every request's decision
// plan shares, with what this iam2rego's library computes
// (rego.PlanData, as the build does).
func checkPlan(ctx context.Context, c *consistency) error {
	want, err := rego.PlanData(ctx)
	if err != nil {
		return fmt.Errorf("computing the plan data: %v", err)
	}
	got, ok := c.data["plan"]
	if !ok {
		return fmt.Errorf("data.%s.plan is missing", Root)
	}
	if field, same := sameValue(got, want); !same {
		return fmt.Errorf("data.%s.plan%s differs from what this iam2rego's library computes", Root, field)
	}
	return nil
}

// checkCallers derives every principal's caller again from the bundle's
// records (rego.Callers, as the build does) and compares it, value for
// value, with data.iam2rego.callers.
func checkCallers(ctx context.Context, c *consistency) error {
	records := make(map[string]any, len(c.data))
	for k, v := range c.data {
		if k != "callers" {
			records[k] = v
		}
	}
	want, err := rego.Callers(ctx, records)
	if err != nil {
		return fmt.Errorf("deriving the callers from the records: %v", err)
	}
	got, ok := c.data["callers"].(map[string]any)
	if !ok && !(c.data["callers"] == nil && len(want) == 0) {
		return fmt.Errorf("data.%s.callers is missing or not an object", Root)
	}
	for _, arn := range sortedKeys(got) {
		if _, ok := want[arn]; !ok {
			return fmt.Errorf("data.%s.callers[%q] belongs to no principal of the records", Root, arn)
		}
	}
	for _, arn := range sortedKeys(want) {
		g, ok := got[arn]
		if !ok {
			return fmt.Errorf("data.%s.callers[%q] is missing", Root, arn)
		}
		if field, same := sameValue(g, want[arn]); !same {
			return fmt.Errorf("data.%s.callers[%q]%s differs from what its records compile to", Root, arn, field)
		}
	}
	return nil
}

// sameValue compares two JSON values as OPA holds them (numbers by value);
// when both are objects it names the first member that differs.
func sameValue(got, want any) (string, bool) {
	g, err1 := ast.InterfaceToValue(got)
	w, err2 := ast.InterfaceToValue(want)
	if err1 != nil || err2 != nil {
		return "", false
	}
	if g.Compare(w) == 0 {
		return "", true
	}
	gotObj, ok1 := g.(ast.Object)
	wo, ok2 := w.(ast.Object)
	if !ok1 || !ok2 {
		return "", false
	}
	keys := map[string]bool{}
	for _, k := range append(gotObj.Keys(), wo.Keys()...) {
		if s, ok := k.Value.(ast.String); ok {
			keys[string(s)] = true
		}
	}
	for _, k := range sortedKeys(keys) {
		a, b := gotObj.Get(ast.StringTerm(k)), wo.Get(ast.StringTerm(k))
		if a == nil || b == nil || a.Value.Compare(b.Value) != 0 {
			return "." + k, false
		}
	}
	return "", false
}

func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
