package oracle

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Mismatch is one line of the mismatches file that classify.mjs reads
// (the shape ../shared/oracle/compare writes).
type Mismatch struct {
	ID      string          `json:"id"`
	Oracle  string          `json:"oracle"`
	Project string          `json:"project"`
	Case    json.RawMessage `json:"case"`
}

// Classify runs testdata/oracle/classify.mjs over mismatches: for each it
// tries the documented divergences (a rewrite that removes the divergent
// construct, after which both engines agree; or "AWS rejects this policy
// too") and returns the labels that explain each case id. bin is an
// iam2rego executable (classify.mjs runs `eval --cases --explain`).
func (o *Oracle) Classify(ctx context.Context, script, bin string, mismatches []Mismatch) (map[string][]string, error) {
	work, err := os.MkdirTemp("", "iam2rego-classify-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	enc.SetEscapeHTML(false)
	for _, m := range mismatches {
		if err := enc.Encode(m); err != nil {
			return nil, err
		}
	}
	mfile, report := filepath.Join(work, "mismatches.jsonl"), filepath.Join(work, "report.jsonl")
	if err := os.WriteFile(mfile, in.Bytes(), 0o644); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, o.Node, script, "--mismatches", mfile, "--iam2rego", bin, "--oracle", o.Dir, "--report", report)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Exit status 1 means some case stayed unexplained: the report says
	// which, and the caller compares it with the list.
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			return nil, fmt.Errorf("node %s: %v\n%s", script, err, tail(out.Bytes()))
		}
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		return nil, fmt.Errorf("%s wrote no report: %v\n%s", script, err, tail(out.Bytes()))
	}
	labels := map[string][]string{}
	for i, line := range Lines(raw) {
		var r struct {
			ID     string   `json:"id"`
			Labels []string `json:"labels"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, fmt.Errorf("%s report line %d: %v", script, i+1, err)
		}
		labels[r.ID] = r.Labels
	}
	if len(labels) != len(mismatches) {
		return nil, fmt.Errorf("%s classified %d of %d mismatches", script, len(labels), len(mismatches))
	}
	return labels, nil
}
