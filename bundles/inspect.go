package bundles

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/bundle"
)

// Summary is what `iam2rego inspect` reports about a bundle.
type Summary struct {
	Revision    string   `json:"revision"`
	Roots       []string `json:"roots"`
	RegoVersion int      `json:"rego_version"`
	Stats       Stats    `json:"counts"`
	Modules     int      `json:"modules"`
	// Signature is "unsigned", "signed (not verified)" or "signed and
	// verified".
	Signature string `json:"signature"`
}

// Inspect summarises a bundle read with ReadFile; signed says whether the
// archive carries a signature (HasSignature) and verified whether it was
// checked against a key.
func Inspect(b *bundle.Bundle, signed, verified bool) Summary {
	s := Summary{Revision: b.Manifest.Revision, Modules: len(b.Modules), Signature: "unsigned"}
	if b.Manifest.Roots != nil {
		s.Roots = append([]string(nil), *b.Manifest.Roots...)
	}
	if b.Manifest.RegoVersion != nil {
		s.RegoVersion = *b.Manifest.RegoVersion
	}
	if signed || len(b.Signatures.Signatures) > 0 {
		s.Signature = "signed (not verified: give --verification-key)"
		if verified {
			s.Signature = "signed and verified"
		}
	}
	if root, ok := b.Data[Root].(map[string]any); ok {
		if meta, ok := root["meta"]; ok {
			raw, _ := json.Marshal(meta)
			_ = json.Unmarshal(raw, &s.Stats)
		}
	}
	return s
}

// WriteSummary prints a summary as "pretty" text or "json".
func WriteSummary(w io.Writer, s Summary, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	fmt.Fprintf(w, "revision:     %s\n", s.Revision)
	fmt.Fprintf(w, "roots:        %s\n", strings.Join(s.Roots, ", "))
	fmt.Fprintf(w, "rego version: %d\n", s.RegoVersion)
	fmt.Fprintf(w, "signature:    %s\n", s.Signature)
	fmt.Fprintf(w, "principals:   %d\n", s.Stats.Principals)
	fmt.Fprintf(w, "accounts:     %d (in the organization)\n", s.Stats.Accounts)
	fmt.Fprintf(w, "resources:    %d\n", s.Stats.Resources)
	fmt.Fprintf(w, "policies:     %d distinct documents, %d statements\n", s.Stats.Policies, s.Stats.Statements)
	fmt.Fprintf(w, "not indexed:  %d statements\n", s.Stats.Unindexed)
	type pat struct {
		p string
		n int
	}
	var pats []pat
	for p, n := range s.Stats.UnindexedPatterns {
		pats = append(pats, pat{p, n})
	}
	sort.Slice(pats, func(i, j int) bool {
		if pats[i].n != pats[j].n {
			return pats[i].n > pats[j].n
		}
		return pats[i].p < pats[j].p
	})
	for i, p := range pats {
		if i == 10 {
			fmt.Fprintf(w, "              … and %d more patterns\n", len(pats)-10)
			break
		}
		fmt.Fprintf(w, "              %4d × %s\n", p.n, p.p)
	}
	return nil
}
