package cases

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

// MaxLineBytes bounds one case line (a case carries its policies inline).
const MaxLineBytes = 16 << 20

// Case is one neutral-format authorization case (shared/oracle/README.md),
// with iam2rego's extensions.
type Case struct {
	File string // "cases.jsonl:3": the file and line it came from
	ID   any    // as written (string or number)

	PrincipalARN string
	PrincipalTag map[string]string
	FederatedBy  string
	RoleARN      string // for a role session: the role ARN with its path
	Canonical    string // the caller's S3 canonical user id
	Action       string
	ResourceARN  string
	ResourceAcct string
	ResourceTags map[string]string
	Context      map[string]any

	// Policies, as decoded JSON values, with their pointers in the case.
	Identity       []Doc
	Boundary       *Doc
	Session        *Doc
	ResourcePolicy *Doc
	SCPs           [][]Doc
	RCPs           [][]Doc

	ManagementAccount string
	Expect            string
	Description       string

	// Err is set when the line could not be read as a valid case.
	Err error
}

// Doc is a policy document inside a case.
type Doc struct {
	Pointer string // e.g. /identityPolicies/0
	Value   any
}

// Load reads JSON Lines cases. A line that is not a valid case gives a
// Case with Err set; only I/O errors stop the load.
func Load(file string, r io.Reader) ([]*Case, error) {
	br := bufio.NewReaderSize(schema.LimitReader(file, r), 64<<10)
	var out []*Case
	for line := 1; ; line++ {
		raw, err := readLine(br)
		if len(bytes.TrimSpace(raw)) > 0 {
			out = append(out, parse(fmt.Sprintf("%s:%d", file, line), raw))
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, lineError(file, line, err)
		}
	}
}

var errLineTooLong = errors.New("line longer than 16 MiB")

// lineError places a read error at its line; a diagnostic (the input
// over its size limit) names its file already.
func lineError(file string, line int, err error) error {
	if len(schema.List(err)) > 0 {
		return err
	}
	return fmt.Errorf("%s:%d: %w", file, line, err)
}

func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > MaxLineBytes {
			return nil, errLineTooLong
		}
		if err != bufio.ErrBufferFull {
			return buf, err
		}
	}
}

func parse(file string, raw []byte) *Case {
	c := &Case{File: file}
	v, err := schema.DecodeAndValidate(schema.KindCase, file, raw)
	if m, ok := v.(map[string]any); ok {
		c.ID = m["id"]
	}
	if err != nil {
		c.Err = err
		// Keep what identifies the case, read leniently, so that a
		// rejected case can still be reported and tested for "error".
		var head struct {
			ID          any    `json:"id"`
			Expect      string `json:"expect"`
			Description string `json:"description"`
		}
		if json.Unmarshal(raw, &head) == nil {
			c.ID, c.Expect, c.Description = head.ID, head.Expect, head.Description
		}
		return c
	}
	m := v.(map[string]any)
	principal, _ := m["principal"].(map[string]any)
	c.PrincipalARN, _ = principal["arn"].(string)
	c.PrincipalTag = stringMap(principal["tags"])
	c.FederatedBy, _ = principal["federatedBy"].(string)
	c.RoleARN, _ = principal["roleArn"].(string)
	c.Canonical, _ = principal["canonicalUser"].(string)
	c.Action, _ = m["action"].(string)
	res, _ := m["resource"].(map[string]any)
	c.ResourceARN, _ = res["arn"].(string)
	c.ResourceAcct, _ = res["account"].(string)
	c.ResourceTags = stringMap(res["tags"])
	if p, ok := res["policy"]; ok {
		c.ResourcePolicy = &Doc{Pointer: "/resource/policy", Value: p}
	}
	c.Context, _ = m["context"].(map[string]any)
	if list, ok := m["identityPolicies"].([]any); ok {
		for i, p := range list {
			c.Identity = append(c.Identity, Doc{Pointer: schema.Pointer("/identityPolicies", i), Value: p})
		}
	}
	if p, ok := m["permissionBoundary"]; ok {
		c.Boundary = &Doc{Pointer: "/permissionBoundary", Value: p}
	}
	if p, ok := m["sessionPolicy"]; ok {
		c.Session = &Doc{Pointer: "/sessionPolicy", Value: p}
	}
	c.SCPs = levels(m["scps"], "/scps")
	c.RCPs = levels(m["rcps"], "/rcps")
	if org, ok := m["organization"].(map[string]any); ok {
		c.ManagementAccount, _ = org["managementAccount"].(string)
	}
	c.Expect, _ = m["expect"].(string)
	c.Description, _ = m["description"].(string)
	return c
}

func levels(v any, base string) [][]Doc {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	out := make([][]Doc, len(list))
	for i, level := range list {
		out[i] = []Doc{}
		pols, _ := level.([]any)
		for j, p := range pols {
			out[i] = append(out[i], Doc{Pointer: schema.Pointer(base, i, j), Value: p})
		}
	}
	return out
}

func stringMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		if s, ok := x.(string); ok {
			out[k] = s
		}
	}
	return out
}

// IDString renders the case id for messages.
func (c *Case) IDString() string {
	if c.ID == nil {
		return "(no id)"
	}
	b, _ := json.Marshal(c.ID)
	return strings.Trim(string(b), `"`)
}
