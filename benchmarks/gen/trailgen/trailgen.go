package trailgen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/iam2rego/iam2rego/translator/catalog"
	"github.com/iam2rego/iam2rego/translator/managed"
)

// Config says what to write.
type Config struct {
	Seed uint64
	// Records is the number of records to write (0 with Bytes: no bound).
	Records int
	// Bytes stops the stream once at least this many bytes are written
	// (0: no bound). One of Records and Bytes must be set.
	Bytes int64
	// Format is "jsonl" (one event per line, as CloudTrail Lake and Athena
	// export) or "log" (one {"Records": [...]} log file).
	Format string
	// DeniedShare is the share of calls AWS denied (default 0.03);
	// OtherShare the share of records that are not API calls (default
	// 0.01).
	DeniedShare, OtherShare float64
	// Start is the first eventTime (default 2024-06-01T00:00:00Z); events
	// are a second apart on average.
	Start time.Time
	// ResponseBytes gives each API call a responseElements of about this
	// many bytes (a list of items, as Describe and List calls log them);
	// 0 logs none. Large records make a large stream with few decisions.
	ResponseBytes int
}

// caller is one principal with what its Allow statements name.
type caller struct {
	arn, account, name, kind string
	grants                   []call
}

type call struct{ action, resource string }

// Stats says what was written.
type Stats struct {
	Records, Denied, Other int
	Bytes                  int64
}

// Write writes the stream for exp to w.
func Write(w io.Writer, exp *account.Export, cfg Config) (Stats, error) {
	if cfg.Records <= 0 && cfg.Bytes <= 0 {
		return Stats{}, fmt.Errorf("trailgen: set Records or Bytes")
	}
	if cfg.Format == "" {
		cfg.Format = "jsonl"
	}
	if cfg.Format != "jsonl" && cfg.Format != "log" {
		return Stats{}, fmt.Errorf("trailgen: Format must be jsonl or log, got %q", cfg.Format)
	}
	if cfg.DeniedShare == 0 {
		cfg.DeniedShare = 0.03
	}
	if cfg.OtherShare == 0 {
		cfg.OtherShare = 0.01
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	}
	callers := callersOf(exp)
	if len(callers) == 0 {
		return Stats{}, fmt.Errorf("trailgen: the export has no principal with an Allow statement to call")
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	cw := &countWriter{w: bufio.NewWriterSize(w, 256<<10)}
	var st Stats
	if cfg.Format == "log" {
		io.WriteString(cw, `{"Records":[`)
	}
	now := cfg.Start
	all := catalog.AllActions()
	for i := 0; ; i++ {
		if (cfg.Records > 0 && i >= cfg.Records) || (cfg.Bytes > 0 && cw.n >= cfg.Bytes) {
			break
		}
		now = now.Add(time.Duration(rng.IntN(2000)) * time.Millisecond)
		c := callers[rng.IntN(len(callers))]
		var rec map[string]any
		switch r := rng.Float64(); {
		case r < cfg.OtherShare:
			rec = otherEvent(rng, c, now)
			st.Other++
		case r < cfg.OtherShare+cfg.DeniedShare:
			a := all[rng.IntN(len(all))]
			rec = apiEvent(rng, c, call{action: a, resource: concrete("*", a, c.account, c.name)}, now)
			rec["errorCode"], rec["errorMessage"] = "AccessDenied", "User: "+c.arn+" is not authorized to perform this operation"
			st.Denied++
		default:
			rec = apiEvent(rng, c, c.grants[rng.IntN(len(c.grants))], now)
			if cfg.ResponseBytes > 0 {
				rec["responseElements"] = responseItems(rng, cfg.ResponseBytes)
			}
		}
		if cfg.Format == "log" && i > 0 {
			io.WriteString(cw, ",")
		}
		b, err := json.Marshal(rec)
		if err != nil {
			return st, err
		}
		cw.Write(b)
		if cfg.Format == "jsonl" {
			io.WriteString(cw, "\n")
		}
		st.Records++
	}
	if cfg.Format == "log" {
		io.WriteString(cw, "]}\n")
	}
	st.Bytes = cw.n
	if cw.err != nil {
		return st, cw.err
	}
	return st, cw.w.Flush()
}

type countWriter struct {
	w   *bufio.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

// callersOf lists every user and role with the calls its Allow statements
// name, in a stable order.
func callersOf(exp *account.Export) []*caller {
	var out []*caller
	for _, acct := range exp.Accounts {
		groups := map[string]*account.Group{}
		for _, g := range acct.Groups {
			groups[g.Name] = g
		}
		for _, u := range acct.Users {
			docs := inlineDocs(u.Inline)
			docs = append(docs, managedDocs(exp, u.Managed)...)
			for _, g := range u.Groups {
				if gr := groups[g]; gr != nil {
					docs = append(docs, inlineDocs(gr.Inline)...)
					docs = append(docs, managedDocs(exp, gr.Managed)...)
				}
			}
			if c := newCaller(u.ARN, acct.ID, u.Name, "user", docs); c != nil {
				out = append(out, c)
			}
		}
		for _, r := range acct.Roles {
			docs := append(inlineDocs(r.Inline), managedDocs(exp, r.Managed)...)
			if c := newCaller(r.ARN, acct.ID, r.Name, "role", docs); c != nil {
				out = append(out, c)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].arn < out[j].arn })
	return out
}

func inlineDocs(list []account.NamedDocument) []any {
	out := make([]any, 0, len(list))
	for _, d := range list {
		out = append(out, d.Document.Value)
	}
	return out
}

func managedDocs(exp *account.Export, arns []string) []any {
	var out []any
	for _, arn := range arns {
		if m := exp.Managed[arn]; m != nil {
			out = append(out, m.Document.Value)
		} else if doc, _, ok := managed.Lookup(arn); ok {
			out = append(out, doc)
		}
	}
	return out
}

// maxGrants bounds the calls kept per caller (a statement with "*" names
// every catalogued action).
const maxGrants = 400

func newCaller(arn, acct, name, kind string, docs []any) *caller {
	c := &caller{arn: arn, account: acct, name: name, kind: kind}
	seen := map[call]bool{}
	for _, d := range docs {
		for _, st := range statements(d) {
			// Statements with conditions are left out: the stream does not
			// carry the context they test.
			if st["Effect"] != "Allow" || st["NotAction"] != nil || st["NotResource"] != nil || st["Condition"] != nil {
				continue
			}
			resources := strings1(st["Resource"])
			for _, pattern := range strings1(st["Action"]) {
				for _, a := range expand(pattern) {
					for _, r := range resources {
						k := call{a, concrete(r, a, acct, name)}
						if len(c.grants) < maxGrants && !seen[k] {
							seen[k] = true
							c.grants = append(c.grants, k)
						}
					}
				}
			}
		}
	}
	if len(c.grants) == 0 {
		return nil
	}
	return c
}

// expand lists up to 8 catalogued actions a pattern matches, in their
// API spelling where the pattern gives it.
func expand(pattern string) []string {
	if !strings.ContainsAny(pattern, "*?") {
		return []string{pattern}
	}
	var out []string
	for _, a := range catalog.Expand(pattern) {
		out = append(out, a.Name)
		if len(out) == 8 {
			break
		}
	}
	return out
}

// concrete turns a resource pattern into a resource the pattern matches:
// a "*" region is us-east-1, a "*" account the caller's, ${aws:username}
// the user's name, other wildcards "x"; a "*" resource is a witness of the
// action's service (or "*" for an action that names no resource type).
func concrete(pattern, action, acct, name string) string {
	if pattern == "*" {
		if a, ok := catalog.Lookup(action); ok && !a.ResourceLevel {
			return "*"
		}
		svc, _, _ := strings.Cut(strings.ToLower(action), ":")
		if svc == "s3" {
			return "arn:aws:s3:::bench-bucket-" + acct + "/data/object"
		}
		return "arn:aws:" + svc + ":us-east-1:" + acct + ":bench/x"
	}
	parts := strings.SplitN(pattern, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" {
		if parts[3] == "*" {
			parts[3] = "us-east-1"
		}
		if parts[4] == "*" {
			parts[4] = acct
		}
		pattern = strings.Join(parts, ":")
	}
	r := strings.NewReplacer("${aws:username}", name, "*", "x", "?", "x").Replace(pattern)
	for strings.Contains(r, "${") {
		i := strings.Index(r, "${")
		j := strings.Index(r[i:], "}")
		if j < 0 {
			break
		}
		r = r[:i] + "x" + r[i+j+1:]
	}
	return r
}

func statements(doc any) []map[string]any {
	m, _ := doc.(map[string]any)
	switch s := m["Statement"].(type) {
	case map[string]any:
		return []map[string]any{s}
	case []any:
		var out []map[string]any
		for _, x := range s {
			if st, ok := x.(map[string]any); ok {
				out = append(out, st)
			}
		}
		return out
	}
	return nil
}

func strings1(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, s := range x {
			if s, ok := s.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
