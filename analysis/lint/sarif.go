package lint

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

// SARIF 2.1.0 (OASIS), the subset GitHub code scanning reads: one run, the
// rule table as tool.driver.rules, one result per finding. A result's
// location is the file (a relative path, or the ARN of an AWS managed
// policy) with the JSON pointer as its logical location (kind "element",
// fully qualified name = the pointer) and in the result's properties.
// When the file can be read again, the result also has a region: the line
// and column where the value at the pointer starts (for a document stored
// as a string in an export, where that string starts). Input errors are
// toolExecutionNotifications of the run's invocation.

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	helpURI      = "https://github.com/iam2rego/iam2rego#iam2rego-lint"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID     string          `json:"ruleId"`
	RuleIndex  int             `json:"ruleIndex"`
	Level      string          `json:"level"`
	Message    sarifText       `json:"message"`
	Locations  []sarifLocation `json:"locations"`
	Properties map[string]any  `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// level maps a severity to a SARIF level.
func level(s schema.Severity) string {
	if s == schema.SeverityError {
		return "error"
	}
	return "warning"
}

// WriteSARIF writes the report as a SARIF 2.1.0 log.
func WriteSARIF(w io.Writer, r *Report, version string) error {
	run := sarifRun{
		Tool:        sarifTool{Driver: sarifDriver{Name: "iam2rego lint", Version: version, InformationURI: helpURI}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: len(r.Errors) == 0}},
		Results:     []sarifResult{},
	}
	loc := locator{texts: map[string][]byte{}}
	index := map[string]int{}
	for i, rule := range Rules {
		index[rule.Code] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   rule.Code,
			Name:                 ruleName(rule.Code),
			ShortDescription:     sarifText{rule.Short},
			FullDescription:      sarifText{rule.Help},
			Help:                 sarifText{rule.Help + " Applies to " + rule.Applies + "."},
			HelpURI:              helpURI,
			DefaultConfiguration: map[string]any{"level": level(rule.Severity)},
			Properties:           map[string]any{"tags": []string{"security", "iam", "least-privilege"}},
		})
	}
	for _, f := range r.Findings {
		run.Results = append(run.Results, sarifResult{
			RuleID:     f.Code,
			RuleIndex:  index[f.Code],
			Level:      level(f.Severity),
			Message:    sarifText{f.Message},
			Locations:  []sarifLocation{loc.of(f)},
			Properties: map[string]any{"jsonPointer": pointerOf(f)},
		})
	}
	for _, e := range r.Errors {
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications, sarifNotification{
			Level:     "error",
			Message:   sarifText{e.Message + " (" + e.Code + ")"},
			Locations: []sarifLocation{loc.of(e)},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

func pointerOf(e *schema.Error) string {
	if e.Pointer == "" {
		return "/"
	}
	return e.Pointer
}

// locator reads each file once to find the regions of its findings.
type locator struct {
	texts map[string][]byte // nil for a file that cannot be read
}

func (l *locator) of(e *schema.Error) sarifLocation {
	loc := sarifLocation{LogicalLocations: []sarifLogical{{FullyQualifiedName: pointerOf(e), Kind: "element"}}}
	if e.File == "" {
		return loc
	}
	loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(e.File)}}
	if strings.HasPrefix(e.File, "arn:") {
		return loc
	}
	text, seen := l.texts[e.File]
	if !seen {
		text, _ = schema.ReadFile(e.File)
		l.texts[e.File] = text
	}
	if line, col, ok := locate(text, e.Pointer); ok {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: line, StartColumn: col}
	}
	return loc
}

// fileURI writes a file name as a relative URI reference (forward slashes,
// spaces and other reserved characters escaped); an ARN stays as it is.
func fileURI(file string) string {
	if strings.HasPrefix(file, "arn:") {
		return file
	}
	return (&url.URL{Path: filepath.ToSlash(file)}).EscapedPath()
}

// ruleName is the rule's code in PascalCase, as SARIF rule names are.
func ruleName(code string) string {
	var b strings.Builder
	for _, part := range strings.Split(code, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
