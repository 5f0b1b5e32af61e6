package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

// Baseline is the set of findings a project has accepted (lint
// --write-baseline FILE writes it, --baseline FILE reads it;
// schema/lintbaseline.schema.json). Findings are matched by fingerprint
// and counted: a run with more findings of one fingerprint than the
// baseline holds has new ones.
type Baseline struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one fingerprint with how many findings have it. Code,
// File, Pointer and Message are for the reader; only Fingerprint and Count
// are matched.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Count       int    `json:"count,omitempty"`
	Code        string `json:"code,omitempty"`
	File        string `json:"file,omitempty"`
	Pointer     string `json:"pointer,omitempty"`
	Message     string `json:"message,omitempty"`
}

// Fingerprint identifies a finding across runs: a SHA-256 of its code,
// file (with forward slashes), JSON pointer and subject (policy,
// principal, sorted actions and resources). The message is left out, so
// rewording it keeps the fingerprint; a pointer is a path, not a line, so
// moving text keeps it too. For a finding with a subject, the array
// indices of the pointer are left out as well (/Statement/3 and
// /Statement/4 are one): adding a statement, a user or a policy before
// another does not renumber the rest.
func Fingerprint(f *schema.Error) string {
	ptr := f.Pointer
	parts := []string{f.Code, filepath.ToSlash(f.File)}
	if s := f.Subject; s != nil {
		ptr = withoutIndices(ptr)
		actions, resources := slices.Clone(s.Actions), slices.Clone(s.Resources)
		slices.Sort(actions)
		slices.Sort(resources)
		parts = append(parts, s.Policy, s.Principal, strings.Join(actions, "\x01"), strings.Join(resources, "\x01"))
	}
	parts = append(parts, ptr)
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

// withoutIndices replaces the array indices of a JSON pointer with "#".
func withoutIndices(ptr string) string {
	toks := strings.Split(ptr, "/")
	for i, t := range toks {
		if t != "" && strings.Trim(t, "0123456789") == "" {
			toks[i] = "#"
		}
	}
	return strings.Join(toks, "/")
}

// NewBaseline is the baseline of a report: its findings, not the
// suppressed ones (a suppression that expires makes them count again).
func NewBaseline(r *Report) *Baseline {
	b := &Baseline{Version: 1, Findings: []BaselineEntry{}}
	at := map[string]int{}
	for _, f := range r.Findings {
		fp := Fingerprint(f)
		if i, ok := at[fp]; ok {
			b.Findings[i].Count++
			continue
		}
		at[fp] = len(b.Findings)
		b.Findings = append(b.Findings, BaselineEntry{Fingerprint: fp, Count: 1, Code: f.Code, File: f.File, Pointer: f.Pointer, Message: f.Message})
	}
	return b
}

// Write writes the baseline as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// LoadBaseline reads a baseline file; problems are diagnostics naming the
// file and the JSON pointer.
func LoadBaseline(file string) (*Baseline, error) {
	data, err := schema.ReadFile(file)
	if err != nil {
		return nil, err
	}
	doc, err := schema.DecodeAndValidate(schema.KindLintBaseline, file, data)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, schema.Errorf(schema.CodeInternal, file, "", "%v", err)
	}
	b := &Baseline{}
	if err := json.Unmarshal(raw, b); err != nil {
		return nil, schema.Errorf(schema.CodeInternal, file, "", "%v", err)
	}
	return b, nil
}

// Mark sets r.Baseline: each finding, in report order, takes one of the
// baseline's count for its fingerprint; what is left over is new.
// Suppressed findings are marked after the others.
func (b *Baseline) Mark(r *Report) {
	left := map[string]int{}
	for _, e := range b.Findings {
		left[e.Fingerprint] += max(e.Count, 1)
	}
	r.Baseline = map[*schema.Error]bool{}
	mark := func(f *schema.Error) {
		fp := Fingerprint(f)
		r.Baseline[f] = left[fp] > 0
		left[fp]--
	}
	for _, f := range r.Findings {
		mark(f)
	}
	for _, s := range r.Suppressed {
		mark(s.Finding)
	}
}

// isNew reports whether a finding counts: no baseline, or not in it.
func (r *Report) isNew(f *schema.Error) bool {
	return r.Baseline == nil || !r.Baseline[f]
}
