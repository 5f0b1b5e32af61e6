// Package lint is iam2rego's least-privilege linter (`iam2rego lint`). It
// belongs to the translator stage: it reads policies as the translator
// compiles them (the typed, normalised statements of translator.Policy),
// with the action catalogue (translator/catalog: access levels, wildcard
// expansion, condition keys per action) and, for a build's inputs, the
// account model (translator/account: attachments, groups, boundaries).
//
// Findings are schema.Error diagnostics, as `iam2rego validate` prints
// them: a code, a severity, the file and a JSON pointer into it. The rule
// table (Rules, rules.go) is the one place that lists every code with its
// severity and help text; README.md repeats it.
//
// # Rules in short
//
//   - Identity policies, Allow statements only: "Action": "*", service
//     wildcards, NotAction and NotResource, write, tagging and
//     permissions-management actions and iam:PassRole on "Resource": "*",
//     cloudsplaining's data exfiltration actions on "*", bedrock:InvokeModel*
//     on every model. Wildcard action patterns (iam:*, s3:Put*) are expanded
//     against the catalogue; NotAction grants every other catalogued action.
//   - Resource and trust policies: Principal "*" without a condition; trust
//     policies that let a whole account assume the role without an
//     sts:ExternalId or aws:PrincipalArn condition.
//   - Every policy type, per action from the catalogue: unknown actions
//     (validate's warning), condition keys the catalogue does not know or
//     that some or all of the statement's actions never carry, resource
//     patterns that fit none of an action's resource types, and conditions
//     no request can meet.
//
// # Decided by the engine
//
// Escalation methods and credentials exposure (methods.go, each with its
// published source) are not read from the policies: they are requests the
// engine decides (decide.go), as eval, can and who-can decide them. A
// build's bundle is built in memory and every user and role is a holder;
// the identity policies linted on their own are each held by a synthetic
// user in one more bundle (singles.go), tagged as the policy's grants ask
// (holdertags.go). A holding's statements say cheaply
// which methods cannot apply (paths.go, mayTake); every step of the others
// is decided on witness resources of the action's catalogue resource
// types (a method's target types, when it has some) and in the request
// contexts of the holder's conditions (kernel.KeyValues), each key only
// where the action's requests carry it (keyreach.go), with the context
// the method needs pinned. Holders
// are decided on every core, and holders with the same policies for a
// step's action share its outcome (share.go), an allow being decided
// again for each. Found
// methods are Report.Escalations, with their requests and the statements
// the decisions cite; the findings summarise them per cited statement.
//
// # Output
//
// Write prints pretty, json, SARIF 2.1.0 (WriteSARIF: one run, the rule
// table as tool.driver.rules, a result per finding with the file as
// physical location and the JSON pointer as logical location) or Markdown
// (WriteMarkdown). Fails compares findings with a --fail-on threshold.
//
// # Configuration and baselines
//
//	Run(Inputs{Enable}) → Apply(Config) → Baseline.Mark → Write / Fails
//
// Inputs.Enable turns on optional rules (read_on_any_resource).
// LoadConfig reads a configuration (config.go; schema/lintconfig.schema.json);
// Apply overrides severities and moves the findings a suppression selects
// to Report.Suppressed, reporting expired and stale suppressions as
// findings about the configuration file (suppress.go). A Baseline
// (baseline.go) matches findings by Fingerprint and count and sets
// Report.Baseline; suppressed and baseline findings are reported but do
// not fail the run.
package lint
