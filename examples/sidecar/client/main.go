// Command client asks an iam2rego OPA sidecar for one decision, the way a
// service does before it calls AWS or serves a request:
//
//	go run ./examples/sidecar/client \
//	  -principal arn:aws:sts::111111111111:assumed-role/genai-kb-role/ingest \
//	  -action s3:GetObject -resource arn:aws:s3:::genai-kb-docs/docs/handbook.pdf \
//	  -context aws:SecureTransport=true
//
// It prints the decision, the step that decided, the reason, the
// statements involved and the bundle revision that decided it, and exits
// 0 when the request is allowed, 1 when it is denied and 2 when the
// sidecar could not be asked. Any failure is a deny: the client fails
// closed.
//
// The Client type is the part to copy into a service: one keep-alive
// http.Client, a short timeout, and a deny whenever anything goes wrong.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// Request is the sidecar's input. Principal and Resource may be plain
// ARNs (strings) or objects ({"arn", "tags", ...} and {"arn", "account",
// "tags"}); actions may be in any letter case.
type Request struct {
	Principal any            `json:"principal"`
	Action    string         `json:"action"`
	Resource  any            `json:"resource"`
	Context   map[string]any `json:"context,omitempty"`
}

// Decision is data.iam2rego.authz.decision.
type Decision struct {
	Decision   string      `json:"decision"` // Allow, ImplicitDeny or ExplicitDeny
	Allow      bool        `json:"allow"`
	Step       string      `json:"step"`
	Reason     string      `json:"reason"`
	Statements []Statement `json:"statements"`
	Error      string      `json:"error,omitempty"` // the request could not be decided
	// Revision is the bundle revision that decided (from OPA's
	// provenance), for freshness checks and audit logs.
	Revision string `json:"revision,omitempty"`
}

// Statement is one statement that took part in the decision.
type Statement struct {
	Policy string   `json:"policy"`
	Type   string   `json:"type"`
	Effect string   `json:"effect"`
	Index  int      `json:"index"`
	Sid    string   `json:"sid,omitempty"`
	Names  []string `json:"names,omitempty"` // where the bundle attaches the policy
}

// Client asks one sidecar. It is safe for concurrent use.
type Client struct {
	URL  string // the sidecar, e.g. http://127.0.0.1:8181
	HTTP *http.Client
}

// NewClient returns a client with keep-alive connections and a timeout.
func NewClient(url string, timeout time.Duration) *Client {
	return &Client{URL: strings.TrimSuffix(url, "/"), HTTP: &http.Client{
		Timeout:   timeout,
		Transport: &http.Transport{MaxIdleConnsPerHost: 16, IdleConnTimeout: 90 * time.Second},
	}}
}

// Decide asks for the decision. On any error the returned decision is an
// ImplicitDeny that carries the error: callers may simply test Allow.
func (c *Client) Decide(ctx context.Context, req Request) (Decision, error) {
	d, err := c.decide(ctx, req)
	if err != nil {
		return Decision{Decision: "ImplicitDeny", Step: "error", Reason: err.Error(), Error: err.Error()}, err
	}
	return d, nil
}

func (c *Client) decide(ctx context.Context, req Request) (Decision, error) {
	body, err := json.Marshal(map[string]any{"input": req})
	if err != nil {
		return Decision{}, err
	}
	u := c.URL + "/v1/data/iam2rego/authz/decision?provenance=true"
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return Decision{}, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := c.HTTP.Do(hreq)
	if err != nil {
		return Decision{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return Decision{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return Decision{}, fmt.Errorf("sidecar answered %s: %s", resp.Status, bytes.TrimSpace(raw))
	}
	var out struct {
		Result     *Decision `json:"result"`
		Provenance struct {
			Bundles map[string]struct {
				Revision string `json:"revision"`
			} `json:"bundles"`
		} `json:"provenance"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return Decision{}, fmt.Errorf("reading the sidecar's answer: %w", err)
	}
	// No result: the sidecar has no iam2rego bundle activated yet.
	if out.Result == nil {
		return Decision{}, errors.New("the decision is undefined: is the iam2rego bundle loaded? (GET /health?bundles)")
	}
	d := *out.Result
	if d.Decision != "Allow" {
		d.Allow = false
	}
	d.Revision = out.Provenance.Bundles["iam2rego"].Revision
	return d, nil
}

type contextFlags map[string]any

func (c contextFlags) String() string { return fmt.Sprint(map[string]any(c)) }

// Set reads KEY=VALUE; a VALUE starting with [ is a JSON array (a
// multivalued key).
func (c contextFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want KEY=VALUE, got %q", s)
	}
	if strings.HasPrefix(v, "[") {
		var list []any
		if err := json.Unmarshal([]byte(v), &list); err != nil {
			return fmt.Errorf("%s: %v", k, err)
		}
		c[k] = list
		return nil
	}
	c[k] = v
	return nil
}

func main() {
	ctxFlags := contextFlags{}
	url := flag.String("opa", "http://127.0.0.1:8181", "the sidecar's address")
	principal := flag.String("principal", "", "the caller's ARN (IAM user, role, STS assumed-role session, root, service principal or \"anonymous\")")
	action := flag.String("action", "", "service:Action, in any letter case")
	resource := flag.String("resource", "", "the resource ARN (or *)")
	account := flag.String("resource-account", "", "the account that owns the resource, when neither its ARN nor the bundle says (S3 objects of unknown buckets)")
	timeout := flag.Duration("timeout", 2*time.Second, "give up (and deny) after this long")
	asJSON := flag.Bool("json", false, "print the decision as JSON")
	flag.Var(ctxFlags, "context", "a request context key, KEY=VALUE (repeatable)")
	flag.Parse()
	if *principal == "" || *action == "" || *resource == "" {
		fmt.Fprintln(os.Stderr, "client: -principal, -action and -resource are required")
		flag.Usage()
		os.Exit(2)
	}
	req := Request{Principal: *principal, Action: *action, Resource: *resource}
	if *account != "" {
		req.Resource = map[string]any{"arn": *resource, "account": *account}
	}
	if len(ctxFlags) > 0 {
		req.Context = ctxFlags
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	d, err := NewClient(*url, *timeout).Decide(ctx, req)
	if err != nil {
		fmt.Fprintf(os.Stderr, "client: %v (denying)\n", err)
		os.Exit(2)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(d)
	} else {
		fmt.Printf("%s (step %s, bundle revision %s)\n    %s\n", d.Decision, d.Step, d.Revision, d.Reason)
		for _, s := range d.Statements {
			name := s.Policy
			if len(s.Names) > 0 {
				name = s.Names[0]
			}
			sid := fmt.Sprintf("#%d", s.Index)
			if s.Sid != "" {
				sid = fmt.Sprintf("%q", s.Sid)
			}
			fmt.Printf("    %s %s of %s (%s)\n", s.Effect, sid, name, s.Type)
		}
	}
	if !d.Allow {
		os.Exit(1)
	}
}
