package cases

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/schema"
)

// BundleRequest is one line of `iam2rego eval --bundle --requests`: a
// question answered from a bundle's data, by principal ARN alone.
type BundleRequest struct {
	ID        any             `json:"id"`
	Principal json.RawMessage `json:"principal"` // an ARN, or {"arn", "tags", ...}
	Action    string          `json:"action"`
	Resource  json.RawMessage `json:"resource"` // an ARN, or {"arn", "account", "tags"}
	Context   map[string]any  `json:"context,omitempty"`
}

// RequestResult is a decided request, or the reason it could not be read.
type RequestResult struct {
	ID       any
	Decision rego.Decision
	Err      error
}

// LoadRequests reads JSON Lines requests. A line that cannot be read is
// kept with its error, so that every line gets an answer.
func LoadRequests(file string, r io.Reader) ([]BundleRequest, []error, error) {
	br := bufio.NewReaderSize(schema.LimitReader(file, r), 64<<10)
	var reqs []BundleRequest
	var errs []error
	for line := 1; ; line++ {
		raw, err := readLine(br)
		if len(bytes.TrimSpace(raw)) > 0 {
			var req BundleRequest
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			dec.DisallowUnknownFields()
			perr := dec.Decode(&req)
			if perr == nil && (req.Action == "" || len(req.Principal) == 0 || len(req.Resource) == 0) {
				perr = fmt.Errorf("a request needs principal, action and resource")
			}
			if perr != nil {
				perr = fmt.Errorf("%s:%d: %v", file, line, perr)
			}
			reqs = append(reqs, req)
			errs = append(errs, perr)
		}
		if err == io.EOF {
			return reqs, errs, nil
		}
		if err != nil {
			return reqs, errs, lineError(file, line, err)
		}
	}
}

// Value turns a request into the raw input of the decision library.
func (r BundleRequest) Value() map[string]any {
	in := map[string]any{"action": r.Action, "principal": raw(r.Principal), "resource": raw(r.Resource)}
	if r.Context != nil {
		in["context"] = r.Context
	}
	return in
}

func raw(m json.RawMessage) any {
	dec := json.NewDecoder(bytes.NewReader(m))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	return v
}

// DecideRequests decides every request that could be read with eng (the
// one decision path, Engine.DecideInput), calling progress after each,
// and counts those that could not be decided and those not allowed.
func DecideRequests(ctx context.Context, eng *rego.Engine, reqs []BundleRequest, errs []error, progress func(done, total int)) (results []RequestResult, bad, denied int) {
	results = make([]RequestResult, len(reqs))
	for i, req := range reqs {
		results[i] = RequestResult{ID: req.ID, Err: errs[i]}
		if errs[i] == nil {
			results[i].Decision = eng.DecideInput(ctx, req.Value())
		}
		switch l := results[i].Line(false); {
		case l.Error != "":
			bad++
		case l.Decision != rego.Allow:
			denied++
		}
		if progress != nil {
			progress(i+1, len(reqs))
		}
	}
	return results, bad, denied
}

// Line builds the output line of a decided request; statements name their
// policy by where the bundle attaches it.
func (r RequestResult) Line(explain bool) EvalLine {
	l := EvalLine{ID: r.ID}
	switch {
	case r.Err != nil:
		l.Error = r.Err.Error()
	case r.Decision.Error != "":
		l.Error = r.Decision.Error
	default:
		l.Decision = r.Decision.Decision
		if explain {
			l.Explain = BundleExplain(r.Decision)
		}
	}
	return l
}

// BundleExplain describes a bundle decision, each statement named by
// where its policy is used (its first use, and how many more).
func BundleExplain(d rego.Decision) *Explanation {
	e := &Explanation{Step: d.Step, Reason: d.Reason, Statements: []ExplainedStmt{}}
	for _, s := range d.Statements {
		name := s.Policy
		if len(s.Names) > 0 {
			name = s.Names[0]
			if len(s.Names) > 1 {
				name += fmt.Sprintf(" (+%d more)", len(s.Names)-1)
			}
		}
		e.Statements = append(e.Statements, ExplainedStmt{Policy: name, Type: s.Type, Effect: s.Effect, Sid: s.Sid, Index: s.Index, Kind: s.Kind, Level: s.Level})
	}
	return e
}

// WriteRequestResults prints one JSON line per request, or with pretty a
// readable block per request.
func WriteRequestResults(w io.Writer, results []RequestResult, explain bool, pretty bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range results {
		l := r.Line(explain || pretty)
		if !pretty {
			if err := enc.Encode(l); err != nil {
				return err
			}
			continue
		}
		id := ""
		if r.ID != nil {
			b, _ := json.Marshal(r.ID)
			id = string(bytes.Trim(b, `"`)) + ": "
		}
		if l.Error != "" {
			fmt.Fprintf(w, "%serror\n    %s\n", id, l.Error)
			continue
		}
		fmt.Fprintf(w, "%s%s\n    %s\n", id, l.Decision, l.Explain.Describe())
	}
	return nil
}
