package trail

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

func replayTo(t *testing.T, format, calls string, paths ...string) (string, *Summary) {
	t.Helper()
	_, eng := example(t)
	var buf bytes.Buffer
	w, err := NewReplayWriter(&buf, format, calls)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Replay(context.Background(), eng, Source{Paths: paths}, w.Event)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Summary(sum); err != nil {
		t.Fatal(err)
	}
	return buf.String(), sum
}

func TestReplayJSON(t *testing.T) {
	out, _ := replayTo(t, "json", CallsAll, corpusLogs)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 23 { // 22 records and the summary
		t.Fatalf("%d lines", len(lines))
	}
	var first CallLine
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first.Verdict != Agree || first.Action != "sts:AssumeRole" || first.Step == "" {
		t.Errorf("first line %s (%v)", lines[0], err)
	}
	var last struct{ Summary *Summary }
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil || last.Summary == nil || last.Summary.Calls != 20 {
		t.Errorf("summary line %s (%v)", lines[len(lines)-1], err)
	}
	out, _ = replayTo(t, "json", CallsDisagreements, corpusLogs)
	if n := strings.Count(out, "\n"); n != 5 { // 2 disagreements, 2 unmapped, the summary
		t.Errorf("disagreements only: %d lines\n%s", n, out)
	}
	if !strings.Contains(out, `"explanation":"AWS allowed it; the bundle gives ImplicitDeny at step resource-policy`) || !strings.Contains(out, "aws:SourceArn") {
		t.Errorf("the would-break line does not explain itself:\n%s", out)
	}
}

func TestReplaySARIF(t *testing.T) {
	out, _ := replayTo(t, "sarif", CallsAll, corpusLogs)
	var log struct {
		Version string
		Runs    []struct {
			Results []struct {
				RuleID    string
				Level     string
				Locations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
					LogicalLocations []struct{ FullyQualifiedName string }
				}
			}
			Properties struct{ Summary Summary }
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 2 {
		t.Fatalf("sarif %+v", log)
	}
	r := log.Runs[0].Results
	if r[0].RuleID != WouldBreakRule || r[0].Level != "error" || r[1].RuleID != FidelityGapRule ||
		!strings.HasSuffix(r[0].Locations[0].PhysicalLocation.ArtifactLocation.URI, "_kb.json") || r[0].Locations[0].LogicalLocations[0].FullyQualifiedName != "/Records/6" {
		t.Errorf("results %+v", r)
	}
	if log.Runs[0].Properties.Summary.WouldBreak != 1 {
		t.Errorf("properties %+v", log.Runs[0].Properties)
	}
	// The official SARIF 2.1.0 schema (testdata/sarif/ORIGIN.md), as lint
	// and diff are checked.
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	sch, err := c.Compile("../../testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("the replay's SARIF does not validate: %#v", err)
	}
}

func TestReplayPretty(t *testing.T) {
	out, _ := replayTo(t, "pretty", CallsNone, corpusLogs)
	for _, want := range []string{"22 records in 3 files: 20 calls decided, 2 unmapped", "agree 17, would break 1, fidelity gaps 1", "unmapped unmappable_identity: 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if _, err := NewReplayWriter(&bytes.Buffer{}, "xml", CallsAll); err == nil {
		t.Error("an unknown format was accepted")
	}
}

// TestReplayOrderAndCount: many records on many workers come back in log
// order, each decided once, whatever the worker count.
func TestReplayOrderAndCount(t *testing.T) {
	_, eng := example(t)
	dir := t.TempDir()
	var b strings.Builder
	const n = 600
	for i := range n {
		key := fmt.Sprintf("docs/file-%04d", i)
		fmt.Fprintf(&b, `{"eventTime":"2024-06-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.1","requestParameters":{"bucketName":"genai-kb-docs","key":%q},"tlsDetails":{},"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111111111111:assumed-role/genai-kb-role/s","sessionContext":{"sessionIssuer":{"arn":"%s"}}}}`+"\n", key, kbRole)
	}
	p := filepath.Join(dir, "calls.jsonl")
	os.WriteFile(p, []byte(b.String()), 0o644)
	for _, workers := range []int{1, 7} {
		i := 0
		sum, err := Replay(context.Background(), eng, Source{Paths: []string{p}, Workers: workers}, func(ev *Event) error {
			if want := fmt.Sprintf("arn:aws:s3:::genai-kb-docs/docs/file-%04d", i); ev.Call == nil || ev.Call.Resource != want || ev.Decision.Verdict != Agree {
				t.Fatalf("event %d: %+v, want %s", i, ev.Call, want)
			}
			i++
			return nil
		})
		if err != nil || i != n || sum.Agree != n {
			t.Errorf("%d workers: %d events, %+v, %v", workers, i, sum, err)
		}
	}
}

// TestReplayNothingRead: logs of which nothing can be read.
func TestReplayNothingRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.json")
	os.WriteFile(p, []byte(`{"Records":[{"eventName":`), 0o644)
	_, sum := replayTo(t, "json", CallsAll, p)
	if !sum.NothingRead() || sum.Unreadable["truncated"] != 1 {
		t.Errorf("%+v", sum)
	}
}
