package regocover

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/metrics"
	opa "github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// Query is the decision query prepared once, traced into a coverage
// tracer on every evaluation.
type Query struct {
	pq       opa.PreparedEvalQuery
	compiler *ast.Compiler
	store    storage.Store
	cov      *cover.Cover
}

// newCompiler configures OPA's compiler as the engine does (rego.Prepare).
func newCompiler() *ast.Compiler {
	return ast.NewCompiler().WithUseTypeCheckAnnotations(true).WithDefaultRegoVersion(ast.RegoV1)
}

// PrepareModules prepares the decision query over the library and the
// given policy modules (keyed by file name), as rego.Prepare does.
func PrepareModules(ctx context.Context, lib, policies map[string]*ast.Module) (*Query, error) {
	args := []func(*opa.Rego){}
	for _, mods := range []map[string]*ast.Module{lib, policies} {
		for _, m := range mods {
			args = append(args, opa.ParsedModule(m))
		}
	}
	return prepare(ctx, args)
}

// PrepareBundle prepares the decision query over a bundle, as
// rego.PrepareBundle does: the bundle carries its own copy of the library.
func PrepareBundle(ctx context.Context, b *bundle.Bundle) (*Query, error) {
	return prepare(ctx, []func(*opa.Rego){opa.ParsedBundle("iam2rego", b)})
}

func prepare(ctx context.Context, args []func(*opa.Rego)) (*Query, error) {
	q := &Query{compiler: newCompiler(), cov: cover.New()}
	// A bundle activates into the store inside a write transaction.
	store := inmem.New()
	q.store = store
	txn, err := store.NewTransaction(ctx, storage.WriteParams)
	if err != nil {
		return nil, err
	}
	args = append(args, opa.Compiler(q.compiler), opa.Store(store), opa.Transaction(txn), opa.SetRegoVersion(ast.RegoV1), opa.Query(rego.DecisionQuery))
	pq, err := opa.New(args...).PrepareForEval(ctx)
	if err != nil {
		store.Abort(ctx, txn)
		return nil, fmt.Errorf("preparing %s: %w", rego.DecisionQuery, err)
	}
	if err := store.Commit(ctx, txn); err != nil {
		return nil, err
	}
	q.pq = pq
	return q, nil
}

// Decide evaluates the decision for one raw input, traced for coverage.
// The answer is decoded like the engine's: anything malformed fails.
func (q *Query) Decide(ctx context.Context, input ast.Value) (rego.Decision, error) {
	rs, err := q.pq.Eval(ctx, opa.EvalParsedInput(input), opa.EvalQueryTracer(q.cov), opa.EvalMetrics(metrics.NoOp()))
	if err != nil {
		return rego.Decision{}, err
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return rego.Decision{}, fmt.Errorf("%s is undefined", rego.DecisionQuery)
	}
	raw, err := json.Marshal(rs[0].Expressions[0].Value)
	if err != nil {
		return rego.Decision{}, err
	}
	var d rego.Decision
	if err := json.Unmarshal(raw, &d); err != nil {
		return rego.Decision{}, fmt.Errorf("malformed decision: %w", err)
	}
	return d, nil
}

// Outcome is what a decision answers: the decision, or "error" when the
// request could not be decided.
func Outcome(d rego.Decision) string {
	if d.Error != "" {
		return "error"
	}
	return d.Decision
}

// LibraryCoverage reports the coverage of the library's files (name →
// source, as rego.LibraryFiles gives them) by this query's evaluations so
// far, keyed by the file's repository path (ReportName). A compiled module is a library file
// when its path is the file's name or ends in "/" and the name (a bundle
// prefixes its name: "iam2rego/iam2rego/lib/authz.rego").
func (q *Query) LibraryCoverage(files map[string][]byte) (map[string]*FileCoverage, error) {
	mods := map[string]*ast.Module{}
	names := map[string]string{} // location file → library name
	for file, m := range q.compiler.Modules {
		name := libraryName(file, files)
		if name == "" || m.Package == nil || m.Package.Location == nil {
			continue
		}
		mods[m.Package.Location.File] = m
		names[m.Package.Location.File] = name
	}
	if len(mods) != len(files) {
		var seen []string
		for file := range q.compiler.Modules {
			seen = append(seen, file)
		}
		return nil, fmt.Errorf("found %d of the library's %d files among the compiled modules %v", len(mods), len(files), seen)
	}
	rep := q.cov.Report(mods)
	out := map[string]*FileCoverage{}
	for file, m := range mods {
		out[ReportName(names[file])] = fileCoverage(rep.Files[file], m)
	}
	return out, nil
}

// ReportName is the repository path of a library file named as
// rego.LibraryFiles names it ("iam2rego/lib/authz.rego" → "rego/lib/authz.rego").
func ReportName(name string) string {
	if rest, ok := strings.CutPrefix(name, "iam2rego/lib/"); ok {
		return "rego/lib/" + rest
	}
	return name
}

// libraryName is the library file a compiled module's path names, or "".
func libraryName(file string, files map[string][]byte) string {
	for name := range files {
		if file == name || strings.HasSuffix(file, "/"+name) {
			return name
		}
	}
	return ""
}

// buildQueries are what the build evaluates with the library: each
// caller's record and plan (input: the principal's ARN), and what every
// plan shares.
var buildQueries = []string{"data.iam2rego.lib.build_caller", "data.iam2rego.lib.build_plan"}

// traceBuild evaluates the build's queries over the bundle, traced: the
// caller's record for every principal of the bundle, as rego.Callers does.
func (q *Query) traceBuild(ctx context.Context, b *bundle.Bundle) error {
	root, _ := b.Data["iam2rego"].(map[string]any)
	principals, _ := root["principals"].(map[string]any)
	arns := make([]string, 0, len(principals))
	for arn := range principals {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	for i, query := range buildQueries {
		pq, err := opa.New(opa.Compiler(q.compiler), opa.Store(q.store), opa.SetRegoVersion(ast.RegoV1), opa.Query(query)).PrepareForEval(ctx)
		if err != nil {
			return fmt.Errorf("preparing %s: %w", query, err)
		}
		inputs := []ast.Value{ast.NewObject()}
		if i == 0 {
			inputs = inputs[:0]
			for _, arn := range arns {
				inputs = append(inputs, ast.NewObject(ast.Item(ast.StringTerm("principal"), ast.StringTerm(arn))))
			}
		}
		for _, in := range inputs {
			rs, err := pq.Eval(ctx, opa.EvalParsedInput(in), opa.EvalQueryTracer(q.cov), opa.EvalMetrics(metrics.NoOp()))
			if err != nil {
				return fmt.Errorf("%s: %w", query, err)
			}
			if len(rs) != 1 {
				return fmt.Errorf("%s is undefined for %v", query, in)
			}
		}
	}
	return nil
}
