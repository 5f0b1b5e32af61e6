package cloudtrail

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

//go:embed mapping.json
var mappingJSON []byte

// tables are mapping.json, indexed. Each entry there names its source.
type tables struct {
	prefixes  map[string]string // eventSource → service prefix ("" : not IAM-authorised)
	actions   map[string]string // eventSource + " " + eventName → action
	versioned struct {
		source string
		re     *regexp.Regexp
	}
	resources map[string][]template // eventSource → ARN templates, most specific first
	denied    map[string]bool       // errorCodes that mean IAM denied
	calledVia map[string]bool       // services that set aws:CalledVia
	condKeys  map[string][]condKey  // eventSource → request parameters that are condition keys
}

// condKey is a request parameter that is a service's condition key.
type condKey struct{ param, key string }

// template is an ARN with {param} placeholders: request parameters, and
// {partition}, {region}, {account} from the record.
type template struct {
	arn    string
	params []string
}

var placeholder = regexp.MustCompile(`\{([A-Za-z]+)\}`)

var (
	tablesOnce sync.Once
	tablesVal  *tables
	tablesErr  error
)

func loadTables() (*tables, error) {
	tablesOnce.Do(func() { tablesVal, tablesErr = parseTables(mappingJSON) })
	return tablesVal, tablesErr
}

func mustTables() *tables {
	t, err := loadTables()
	if err != nil {
		panic(err) // the embedded file is checked by TestTables
	}
	return t
}

func parseTables(data []byte) (*tables, error) {
	var raw struct {
		Services []struct{ EventSource, Prefix, Source string }
		Actions  []struct {
			EventSource, EventName, Action, Source string
		}
		VersionedNames   struct{ EventSource, Pattern, Source string }
		Resources        []struct{ EventSource, ARN, Source string }
		DeniedErrorCodes struct {
			Codes  []string
			Source string
		}
		CalledVia struct {
			Services []string
			Source   string
		}
		ConditionKeys []struct{ EventSource, Parameter, Key, Source string }
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("mapping.json: %w", err)
	}
	t := &tables{prefixes: map[string]string{}, actions: map[string]string{}, resources: map[string][]template{}, denied: map[string]bool{}, calledVia: map[string]bool{}, condKeys: map[string][]condKey{}}
	for _, s := range raw.Services {
		if s.Source == "" {
			return nil, fmt.Errorf("mapping.json: service %s has no source", s.EventSource)
		}
		t.prefixes[s.EventSource] = s.Prefix
	}
	for _, a := range raw.Actions {
		if a.Source == "" {
			return nil, fmt.Errorf("mapping.json: %s %s has no source", a.EventSource, a.EventName)
		}
		t.actions[a.EventSource+" "+a.EventName] = a.Action
	}
	re, err := regexp.Compile(raw.VersionedNames.Pattern)
	if err != nil {
		return nil, fmt.Errorf("mapping.json: versionedNames: %w", err)
	}
	t.versioned.source, t.versioned.re = raw.VersionedNames.EventSource, re
	for _, r := range raw.Resources {
		if r.Source == "" {
			return nil, fmt.Errorf("mapping.json: resource %s has no source", r.ARN)
		}
		tp := template{arn: r.ARN}
		for _, m := range placeholder.FindAllStringSubmatch(r.ARN, -1) {
			switch m[1] {
			case "partition", "region", "account":
			default:
				tp.params = append(tp.params, m[1])
			}
		}
		t.resources[r.EventSource] = append(t.resources[r.EventSource], tp)
	}
	for _, c := range raw.DeniedErrorCodes.Codes {
		t.denied[c] = true
	}
	for _, s := range raw.CalledVia.Services {
		t.calledVia[s] = true
	}
	for _, k := range raw.ConditionKeys {
		if k.Source == "" {
			return nil, fmt.Errorf("mapping.json: condition key %s has no source", k.Key)
		}
		t.condKeys[k.EventSource] = append(t.condKeys[k.EventSource], condKey{k.Parameter, k.Key})
	}
	return t, nil
}

// prefix is the IAM service prefix of an eventSource; ok is false for a
// source whose events IAM does not authorise (console sign-in).
func (t *tables) prefix(eventSource string) (string, bool) {
	if p, ok := t.prefixes[eventSource]; ok {
		return p, p != ""
	}
	p, found := strings.CutSuffix(eventSource, ".amazonaws.com")
	return p, found && p != ""
}

// action maps eventSource + eventName to the IAM action name (without
// checking the catalogue).
func (t *tables) action(eventSource, eventName string) (string, bool) {
	if a, ok := t.actions[eventSource+" "+eventName]; ok {
		return a, true
	}
	prefix, ok := t.prefix(eventSource)
	if !ok {
		return "", false
	}
	name := eventName
	if eventSource == t.versioned.source {
		if m := t.versioned.re.FindStringSubmatch(eventName); m != nil {
			name = m[1]
		}
	}
	return prefix + ":" + name, true
}

// DeniedErrorCode reports whether an errorCode means that IAM denied the
// call (mapping.json, deniedErrorCodes).
func DeniedErrorCode(code string) bool { return mustTables().denied[code] }
