package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/iam2rego/iam2rego/translator/managed"
)

// Inputs are what `iam2rego lint` reads.
type Inputs struct {
	// Build are the inputs of `iam2rego build` (--account-details, --org,
	// --resource-policies, or a folder with an iam2rego.json manifest).
	Build account.Inputs
	// Paths are policy files, folders of policy files (*.json, searched
	// recursively) and AWS managed policies by ARN or name. A folder
	// holding iam2rego.json is a build folder instead.
	Paths []string
	// Type is the policy type of the files in Paths; "" decides per
	// document (trust, resource or identity; see detectType).
	Type translator.PolicyType
	// Export is an account read elsewhere (build inputs with a Terraform
	// plan applied, translator/terraform), checked as Build's would be.
	Export *account.Export
	// Enable lists the optional rules to run (Rule.Optional); the
	// others' findings are dropped.
	Enable []string
	// Now is when the requests the engine decides are made (the value of
	// aws:CurrentTime and aws:EpochTime where a condition reads them); the
	// zero time is the time of the run, to the second.
	Now time.Time
}

// Report is the outcome of a lint run.
type Report struct {
	// Findings are the lint findings, sorted and unique; with a
	// configuration (Apply), those it does not suppress.
	Findings []*schema.Error
	// Suppressed are the findings a suppression of the configuration
	// selects, each with the first suppression that does: reported, but
	// not counted and not failing the run.
	Suppressed []Suppressed
	// Baseline is set by Baseline.Mark: true for the findings (and
	// suppressed findings) the baseline holds, false for new ones; nil
	// when no baseline was given.
	Baseline map[*schema.Error]bool
	// Config is the configuration Apply used, or nil.
	Config *Config
	// Enabled are the optional rules that ran (Inputs.Enable).
	Enabled []string
	// Errors are problems with the inputs (unreadable or invalid files):
	// what `iam2rego validate` or `build` would reject.
	Errors []*schema.Error
	// Escalations are the escalation methods and credentials exposures
	// the engine allows, with the requests that show them (the findings
	// of codes privilege_escalation, privilege_escalation_path and
	// credentials_exposure summarise them).
	Escalations []Escalation
	// Policies counts the documents linted; Principals the users and
	// roles whose policies were checked together for escalation paths.
	Policies, Principals int
}

type runner struct {
	ctx            context.Context
	findings, errs schema.Diagnostics
	report         Report
	// sources says where each document was read, by its content name
	// (the name the bundle gives its policy); stmtAt finds a statement
	// by file and pointer.
	sources map[string]source
	stmtAt  map[string]*stmt
	// singles are the identity policies linted on their own that may
	// allow a method: each is decided as the only policy of a user.
	singles []*single
	// now is Inputs.Now, or the time of the run.
	now time.Time
}

// Run lints every input. It never fails: problems with the inputs are in
// Report.Errors.
func Run(in Inputs) *Report {
	r := newRunner()
	r.now = in.Now
	if r.now.IsZero() {
		r.now = time.Now().Truncate(time.Second)
	}
	build := in.Build
	for _, p := range in.Paths {
		if st, err := os.Stat(filepath.Join(p, "iam2rego.json")); err == nil && !st.IsDir() && build.Folder == "" {
			build.Folder = p
			continue
		}
		r.path(p, in.Type)
	}
	if build.Folder != "" || len(build.AccountDetails) > 0 || build.Org != "" || len(build.Resources) > 0 {
		exp, err := account.Load(build)
		for _, e := range schema.List(err) {
			r.errs.Add(e)
		}
		if err != nil && len(schema.List(err)) == 0 {
			r.errs.Add(schema.Errorf(schema.CodeInternal, "", "", "%v", err))
		}
		if exp != nil {
			r.export(exp)
		}
	}
	if in.Export != nil {
		r.export(in.Export)
	}
	r.decideSingles()
	if r.report.Policies == 0 && r.report.Principals == 0 && !r.errs.HasErrors() {
		// Nothing was linted (an empty folder, a folder without *.json):
		// a clean report would say the inputs were checked.
		r.errs.Add(schema.Errorf(schema.CodeJSONSyntax, strings.Join(in.Paths, ", "), "", "no policy document found in the inputs: nothing was linted"))
	}
	r.report.Findings = enabled(unique(r.findings.All()), in.Enable)
	r.report.Enabled = in.Enable
	r.report.Errors = unique(r.errs.All())
	return &r.report
}

func newRunner() *runner {
	return &runner{ctx: context.Background(), sources: map[string]source{}, stmtAt: map[string]*stmt{}}
}

// path lints a policy file, a folder of them, or a managed policy.
func (r *runner) path(p string, t translator.PolicyType) {
	st, err := os.Stat(p)
	switch {
	case err == nil && st.IsDir():
		r.folder(p, t)
	case err == nil:
		r.file(p, t)
	default:
		if arn, ok := managedARN(p); ok {
			doc, name, _ := managed.Lookup(arn)
			r.single(source{file: arn, label: name}, t, doc)
			return
		}
		r.file(p, t) // reports the file as unreadable
	}
}

// file lints one policy file.
func (r *runner) file(f string, t translator.PolicyType) {
	data, err := schema.ReadFile(f)
	if err != nil {
		r.errs.Merge(f, err)
		return
	}
	r.text(f, data, t)
}

// text lints the JSON text of one policy file.
func (r *runner) text(f string, data []byte, t translator.PolicyType) {
	doc, err := schema.DecodeAndValidate(schema.KindPolicy, f, data)
	if err != nil {
		r.errs.Merge(f, err)
		return
	}
	r.single(source{file: f, label: filepath.Base(f)}, t, doc)
}

// single lints a document on its own, as type t or as its detected type;
// an identity policy is checked for escalation paths by itself.
func (r *runner) single(src source, t translator.PolicyType, doc any) {
	if t == "" {
		t = detectType(doc)
	}
	list := r.document(src, t, doc)
	if t == translator.Identity {
		r.addSingle(src, doc, list)
	}
}

// managedARN resolves an AWS managed policy given by ARN or by name.
func managedARN(p string) (string, bool) {
	if managed.Has(p) {
		return p, true
	}
	arn, ok := managedByName()[p]
	return arn, ok
}

// managedByName maps each AWS managed policy's name to its ARN (the
// first, in ARN order, when two paths hold the same name).
var managedByName = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	for _, arn := range managed.ARNs() {
		if _, name, ok := managed.SplitARN(arn); ok {
			if _, seen := out[name]; !seen {
				out[name] = arn
			}
		}
	}
	return out
})

// unique drops repeated diagnostics from a sorted list (a managed policy
// used as a boundary and as a permissions policy is linted twice).
func unique(list []*schema.Error) []*schema.Error {
	var out []*schema.Error
	for i, e := range list {
		if i > 0 && sameDiagnostic(e, list[i-1]) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// sameDiagnostic compares what a diagnostic says and where, not what it
// is about (two statements' subjects may differ in order only).
func sameDiagnostic(a, b *schema.Error) bool {
	return a.Code == b.Code && a.File == b.File && a.Pointer == b.Pointer && a.Message == b.Message && a.Severity == b.Severity
}
