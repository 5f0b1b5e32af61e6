package cases

import (
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/open-policy-agent/opa/v1/ast"
)

// PoliciesFile is the name the merged policy module of a batch is
// prepared under, next to the decision library.
const PoliciesFile = "policies.rego"

// Batch is a set of cases compiled for deciding: every distinct policy
// once, all of them merged into one module, and each case's request.
type Batch struct {
	// Module holds the rules of every policy the cases name.
	Module *ast.Module
	// Requests[i] is case i's request; nil when the case is invalid
	// (Results[i].Err says why).
	Requests []*rego.Request
	// Results has Case, Err, Names and Warnings set; no Decision yet.
	Results []Result
}

// Compile compiles the policies of every case once and builds each case's
// request. Run decides a batch; a harness can evaluate the same module
// and requests itself (internal/regocover traces them for coverage).
func Compile(list []*Case) (*Batch, error) {
	r := &Runner{cache: map[string]*compiled{}, modules: map[string]*ast.Module{}}
	b := &Batch{Requests: make([]*rego.Request, len(list)), Results: make([]Result, len(list))}
	for i, c := range list {
		b.Results[i].Case = c
		if c.Err != nil {
			b.Results[i].Err = c.Err
			continue
		}
		req, names, warns, err := r.request(c)
		b.Results[i].Warnings = warns
		if err != nil {
			b.Results[i].Err = err
			continue
		}
		b.Requests[i] = &req
		b.Results[i].Names = names
	}
	merged, err := translator.Merge(r.modules)
	if err != nil {
		return nil, err
	}
	b.Module = merged
	return b, nil
}
