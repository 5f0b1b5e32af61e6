package kernel

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"
)

// SARIF 2.1.0 (OASIS), the subset GitHub code scanning reads, which lint
// and diff write: one run, the rule table as tool.driver.rules, one
// result per finding, located by file and JSON pointer.

// SARIFSchema is the schema every log declares; testdata/sarif holds it.
const SARIFSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// InformationURI is the tool's home.
const InformationURI = "https://github.com/iam2rego/iam2rego"

type SARIFLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []SARIFRun `json:"runs"`
}

type SARIFRun struct {
	Tool        SARIFTool         `json:"tool"`
	Invocations []SARIFInvocation `json:"invocations,omitempty"`
	Results     []SARIFResult     `json:"results"`
}

type SARIFTool struct {
	Driver SARIFDriver `json:"driver"`
}

type SARIFDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []SARIFRule `json:"rules"`
}

type SARIFText struct {
	Text string `json:"text"`
}

type SARIFRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     SARIFText      `json:"shortDescription"`
	FullDescription      *SARIFText     `json:"fullDescription,omitempty"`
	Help                 *SARIFText     `json:"help,omitempty"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration,omitempty"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type SARIFInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []SARIFNotification `json:"toolExecutionNotifications,omitempty"`
}

type SARIFNotification struct {
	Level     string          `json:"level"`
	Message   SARIFText       `json:"message"`
	Locations []SARIFLocation `json:"locations,omitempty"`
}

type SARIFResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   SARIFText       `json:"message"`
	Locations []SARIFLocation `json:"locations"`
	// PartialFingerprints identify the result across runs (§3.27.17).
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	// BaselineState is "new" or "unchanged" when a baseline was given
	// (§3.27.24).
	BaselineState string `json:"baselineState,omitempty"`
	// Suppressions is nil when suppressions were not evaluated, an empty
	// list for a result that is not suppressed (§3.27.23).
	Suppressions *[]SARIFSuppression `json:"suppressions,omitempty"`
	Properties   map[string]any      `json:"properties,omitempty"`
}

// SARIFSuppression is one suppression of a result (§3.35): kind
// "external" for one kept outside the analysed files.
type SARIFSuppression struct {
	Kind          string         `json:"kind"`
	Status        string         `json:"status,omitempty"`
	Justification string         `json:"justification,omitempty"`
	Location      *SARIFLocation `json:"location,omitempty"`
}

type SARIFLocation struct {
	PhysicalLocation *SARIFPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []SARIFLogical `json:"logicalLocations,omitempty"`
	Message          *SARIFText     `json:"message,omitempty"`
}

type SARIFPhysical struct {
	ArtifactLocation SARIFArtifact `json:"artifactLocation"`
	Region           *SARIFRegion  `json:"region,omitempty"`
}

type SARIFRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

type SARIFArtifact struct {
	URI string `json:"uri"`
}

type SARIFLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// Locate is a location by file (a path, or an ARN for an AWS managed
// policy) and JSON pointer, with an optional region and message.
func Locate(file, pointer, kind string, region *SARIFRegion, message string) SARIFLocation {
	if pointer == "" {
		pointer = "/"
	}
	loc := SARIFLocation{LogicalLocations: []SARIFLogical{{FullyQualifiedName: pointer, Kind: kind}}}
	if file != "" {
		loc.PhysicalLocation = &SARIFPhysical{ArtifactLocation: SARIFArtifact{URI: FileURI(file)}, Region: region}
	}
	if message != "" {
		loc.Message = &SARIFText{message}
	}
	return loc
}

// WriteSARIF writes one run as a SARIF 2.1.0 log.
func WriteSARIF(w io.Writer, run SARIFRun) error {
	if run.Results == nil {
		run.Results = []SARIFResult{}
	}
	if run.Tool.Driver.InformationURI == "" {
		run.Tool.Driver.InformationURI = InformationURI
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(SARIFLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []SARIFRun{run}})
}

// FileURI writes a file name as a relative URI reference (forward slashes,
// spaces and other reserved characters escaped); an ARN stays as it is.
func FileURI(file string) string {
	if strings.HasPrefix(file, "arn:") {
		return file
	}
	return (&url.URL{Path: filepath.ToSlash(file)}).EscapedPath()
}

// RuleName is a rule code in PascalCase, as SARIF rule names are
// ("new_access" → "NewAccess").
func RuleName(code string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(code, func(r rune) bool { return r == '_' || r == '-' || r == '/' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
