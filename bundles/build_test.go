package bundles_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// The GenAI example account of `make demo`, and the shared corpus (beside
// /work/main); tests that need the corpus skip when it is absent.
const (
	exampleDir = "../testdata/example"
	corpusDir  = "../../shared/corpus"
	exampleAcc = "111111111111"
)

func exampleInputs(dir string) account.Inputs {
	return account.Inputs{
		AccountDetails: []string{filepath.Join(dir, "account-details.json")},
		Org:            filepath.Join(dir, "organization.json"),
		Resources:      []string{filepath.Join(dir, "resource-policies.json")},
	}
}

func corpusFile(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(corpusDir, name)
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("corpus file %s not present", p)
	} else if err != nil {
		t.Fatal(err)
	}
	return p
}

func load(t testing.TB, in account.Inputs) *account.Export {
	t.Helper()
	exp, err := account.Load(in)
	if err != nil {
		t.Fatalf("account.Load(%+v): %v", in, err)
	}
	return exp
}

func build(t testing.TB, exp *account.Export) *bundles.Result {
	t.Helper()
	res, err := bundles.Build(exp, bundles.Options{})
	if err != nil {
		t.Fatalf("bundles.Build: %v", err)
	}
	return res
}

func encode(t testing.TB, b *bundle.Bundle) []byte {
	t.Helper()
	data, err := bundles.Encode(b)
	if err != nil {
		t.Fatalf("bundles.Encode: %v", err)
	}
	return data
}

// buildBytes loads, builds and encodes: the bytes `iam2rego build` writes.
func buildBytes(t testing.TB, in account.Inputs) []byte {
	t.Helper()
	return encode(t, build(t, load(t, in)).Bundle)
}

// tarEntry is one file of a bundle archive, with its header.
type tarEntry struct {
	hdr  tar.Header
	data []byte
}

// untar lists the files of a .tar.gz in archive order.
func untar(t testing.TB, data []byte) []tarEntry {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a gzip stream: %v", err)
	}
	tr := tar.NewReader(zr)
	var out []tarEntry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("reading the tar: %v", err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tarEntry{hdr: *h, data: b})
	}
}

// files maps the archive's file names (without a leading /) to contents.
func files(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, e := range untar(t, data) {
		name := strings.TrimPrefix(e.hdr.Name, "/")
		if _, dup := out[name]; dup {
			t.Errorf("archive holds %s twice", name)
		}
		out[name] = e.data
	}
	return out
}

// retar rewrites an archive, passing each file through mutate (which may
// return the data unchanged), keeping the headers.
func retar(t testing.TB, data []byte, mutate func(name string, data []byte) []byte) []byte {
	t.Helper()
	entries := untar(t, data)
	for i := range entries {
		entries[i].data = mutate(strings.TrimPrefix(entries[i].hdr.Name, "/"), entries[i].data)
	}
	return writeEntries(t, entries)
}

// writeEntries writes a .tar.gz of entries (sizes fixed up).
func writeEntries(t testing.TB, entries []tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		h := e.hdr
		h.Size = int64(len(e.data))
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bundleData mirrors data.iam2rego as rego/lib/bundle.rego reads it.
type bundleData struct {
	Principals map[string]struct {
		Kind     string            `json:"kind"`
		Account  string            `json:"account"`
		Identity []string          `json:"identity"`
		Boundary []string          `json:"boundary"`
		Tags     map[string]string `json:"tags"`
		Groups   []string          `json:"groups"`
	} `json:"principals"`
	RolesByName map[string]map[string]string `json:"roles_by_name"`
	Documents   map[string]string            `json:"documents"`
	Callers     map[string]struct {
		Principal map[string]any `json:"principal"`
		Context   map[string]any `json:"context"`
		Policies  struct {
			Identity []string   `json:"identity"`
			Boundary []string   `json:"boundary"`
			SCPs     [][]string `json:"scps"`
			SCPNames []string   `json:"scp_names"`
		} `json:"policies"`
		Plan struct {
			PIDs []string `json:"pids"`
			Src  map[string][]struct {
				Type  string `json:"type"`
				Level int    `json:"level"`
				Slot  int    `json:"slot"`
			} `json:"src"`
			SCPs      int  `json:"scps"`
			SCPsApply bool `json:"scps_apply"`
		} `json:"plan"`
	} `json:"callers"`
	Plan struct {
		CheckedKeys     map[string]string `json:"checked_keys"`
		FallbackActions map[string]bool   `json:"fallback_actions"`
	} `json:"plan"`
	Accounts map[string]struct {
		Name     string     `json:"name"`
		SCPs     [][]string `json:"scps"`
		SCPNames []string   `json:"scp_names"`
		RCPs     [][]string `json:"rcps"`
		OrgID    string     `json:"org_id"`
		OrgPaths []string   `json:"org_paths"`
	} `json:"accounts"`
	Resources map[string]struct {
		Account string            `json:"account"`
		Tags    map[string]string `json:"tags"`
		Policy  []string          `json:"policy"`
	} `json:"resources"`
	Organization *struct {
		ID                string `json:"id"`
		ManagementAccount string `json:"management_account"`
	} `json:"organization"`
	PolicyNames map[string][]string `json:"policy_names"`
	Meta        bundles.Stats       `json:"meta"`
}

// dataOf decodes data.json of an encoded bundle: what OPA loads.
func dataOf(t testing.TB, archive []byte) *bundleData {
	t.Helper()
	raw, ok := files(t, archive)["data.json"]
	if !ok {
		t.Fatal("the bundle has no data.json")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		t.Fatalf("data.json: %v", err)
	}
	if len(top) != 1 || top[bundles.Root] == nil {
		keys := slices.Sorted(maps.Keys(top))
		t.Fatalf("data.json has top-level keys %v, want only %q (the manifest root)", keys, bundles.Root)
	}
	var d bundleData
	dec := json.NewDecoder(bytes.NewReader(top[bundles.Root]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("data.json %s: %v", bundles.Root, err)
	}
	return &d
}

// name is the package name of a policy document (its content hash).
func name(t testing.TB, doc any) string {
	t.Helper()
	n, err := translator.ContentName(doc)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// rawJSON decodes an input file as the loader does (numbers as json.Number).
func rawJSON(t testing.TB, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// at follows a path of object keys and array indexes through decoded JSON.
func at(t testing.TB, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %v: not an object before %q", path, k)
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("at %v: no index %d", path, k)
			}
			v = a[k]
		}
	}
	return v
}

func sortedSet(ids ...string) []string {
	out := slices.Clone(ids)
	sort.Strings(out)
	return slices.Compact(out)
}

// --- determinism -------------------------------------------------------

func TestBuildExampleIsDeterministic(t *testing.T) {
	first := buildBytes(t, exampleInputs(exampleDir))
	second := buildBytes(t, exampleInputs(exampleDir))
	if !bytes.Equal(first, second) {
		t.Fatalf("two builds of %s differ (%d vs %d bytes)", exampleDir, len(first), len(second))
	}
	// Same inputs elsewhere on disk: file names must not leak into the bytes.
	dir := t.TempDir()
	for _, f := range []string{"account-details.json", "organization.json", "resource-policies.json"} {
		copyFile(t, filepath.Join(exampleDir, f), filepath.Join(dir, f))
	}
	if moved := buildBytes(t, exampleInputs(dir)); !bytes.Equal(first, moved) {
		t.Errorf("the same input files copied to %s give different bytes: the input path leaks into the bundle", dir)
	}
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func shuffle[T any](r *rand.Rand, s []T) {
	if r == nil { // reverse
		slices.Reverse(s)
		return
	}
	r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}

// shuffleExport permutes every list of the export whose order carries no
// meaning (nil r: reverses them).
func shuffleExport(r *rand.Rand, exp *account.Export) {
	shuffle(r, exp.Accounts)
	for _, a := range exp.Accounts {
		shuffle(r, a.Users)
		shuffle(r, a.Groups)
		shuffle(r, a.Roles)
		for _, u := range a.Users {
			shuffle(r, u.Inline)
			shuffle(r, u.Managed)
			shuffle(r, u.Groups)
		}
		for _, g := range a.Groups {
			shuffle(r, g.Inline)
			shuffle(r, g.Managed)
		}
		for _, ro := range a.Roles {
			shuffle(r, ro.Inline)
			shuffle(r, ro.Managed)
		}
	}
	shuffle(r, exp.Resources)
	if exp.Organization != nil && exp.Organization.Root != nil {
		shuffleUnit(r, exp.Organization.Root)
	}
}

func shuffleUnit(r *rand.Rand, u *account.OrgUnit) {
	shuffle(r, u.SCPs)
	shuffle(r, u.RCPs)
	shuffle(r, u.Units)
	shuffle(r, u.Accounts)
	for _, a := range u.Accounts {
		shuffle(r, a.SCPs)
		shuffle(r, a.RCPs)
	}
	for _, c := range u.Units {
		shuffleUnit(r, c)
	}
}

func TestBuildIgnoresInputOrderInTheExport(t *testing.T) {
	for _, tc := range sampleInputs(t) {
		t.Run(tc.name, func(t *testing.T) {
			want := buildBytes(t, tc.in)
			for seed := range uint64(6) {
				exp := load(t, tc.in)
				var r *rand.Rand
				if seed > 0 {
					r = rand.New(rand.NewPCG(seed, 42))
				}
				shuffleExport(r, exp)
				if got := encode(t, build(t, exp).Bundle); !bytes.Equal(got, want) {
					t.Errorf("shuffle %d (0 = reversed) of the export's users, groups, roles, attachments, resources and org tree changes the bundle bytes", seed)
				}
			}
		})
	}
}

// reorderJSON reverses the arrays of an input file whose order carries no
// meaning, leaving policy documents alone; re-encoding also sorts the keys.
func reorderJSON(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			switch k {
			case "PolicyDocument", "Document", "AssumeRolePolicyDocument", "policy", "policies":
				out[k] = e // documents: order inside them is meaning
			default:
				out[k] = reorderJSON(e, k)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[len(x)-1-i] = reorderJSON(e, key)
		}
		return out
	}
	return v
}

func writeJSON(t testing.TB, path string, v any) {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBuildIgnoresOrderInTheInputFiles(t *testing.T) {
	want := buildBytes(t, exampleInputs(exampleDir))
	dir := t.TempDir()
	for _, f := range []string{"account-details.json", "organization.json", "resource-policies.json"} {
		writeJSON(t, filepath.Join(dir, f), reorderJSON(rawJSON(t, filepath.Join(exampleDir, f)), ""))
	}
	if got := buildBytes(t, exampleInputs(dir)); !bytes.Equal(got, want) {
		t.Errorf("reversing the arrays (users, groups, roles, policies, versions, attachments, tags, OUs, accounts, SCP lists, resources) and re-ordering the keys of the input files changes the bundle bytes")
	}

	// The resources split over two files, given in either order.
	res := rawJSON(t, filepath.Join(exampleDir, "resource-policies.json")).(map[string]any)["resources"].([]any)
	if len(res) < 2 {
		t.Fatalf("the example has %d resources; the test needs 2", len(res))
	}
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	writeJSON(t, a, map[string]any{"resources": res[:1]})
	writeJSON(t, b, map[string]any{"resources": res[1:]})
	for _, order := range [][]string{{a, b}, {b, a}} {
		in := exampleInputs(exampleDir)
		in.Resources = order
		if got := buildBytes(t, in); !bytes.Equal(got, want) {
			t.Errorf("--resource-policies %v gives different bytes from one file", order)
		}
	}

	// Two accounts, given in either order.
	other := filepath.Join(dir, "other-account.json")
	src, err := os.ReadFile(filepath.Join(exampleDir, "account-details.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, bytes.ReplaceAll(src, []byte(exampleAcc), []byte("333333333333")), 0o644); err != nil {
		t.Fatal(err)
	}
	var twoAccounts [][]byte
	for _, order := range [][]string{{filepath.Join(exampleDir, "account-details.json"), other}, {other, filepath.Join(exampleDir, "account-details.json")}} {
		in := exampleInputs(exampleDir)
		in.AccountDetails = order
		twoAccounts = append(twoAccounts, buildBytes(t, in))
	}
	if !bytes.Equal(twoAccounts[0], twoAccounts[1]) {
		t.Errorf("--account-details A B and B A give different bytes")
	}
	if bytes.Equal(twoAccounts[0], want) {
		t.Errorf("adding a second account did not change the bundle")
	}
}

// --- manifest and modules ----------------------------------------------

func TestManifest(t *testing.T) {
	res := build(t, load(t, exampleInputs(exampleDir)))
	m := res.Bundle.Manifest
	if !regexp.MustCompile(`^[0-9a-f]{32,64}$`).MatchString(m.Revision) {
		t.Errorf("revision %q is not a hex content hash", m.Revision)
	}
	if m.Roots == nil || !slices.Equal(*m.Roots, []string{"iam2rego"}) {
		t.Errorf("roots %v, want exactly [iam2rego]", m.Roots)
	}
	if m.RegoVersion == nil || *m.RegoVersion != 1 {
		t.Errorf("rego_version %v, want 1", m.RegoVersion)
	}

	// The .manifest file as OPA reads it.
	raw, ok := files(t, encode(t, res.Bundle))[".manifest"]
	if !ok {
		t.Fatal("no .manifest in the archive")
	}
	var mf struct {
		Revision    string    `json:"revision"`
		Roots       *[]string `json:"roots"`
		RegoVersion *int      `json:"rego_version"`
	}
	if err := json.Unmarshal(raw, &mf); err != nil {
		t.Fatalf(".manifest: %v", err)
	}
	if mf.Revision != m.Revision || mf.Roots == nil || !slices.Equal(*mf.Roots, []string{"iam2rego"}) || mf.RegoVersion == nil || *mf.RegoVersion != 1 {
		t.Errorf(".manifest is %s", raw)
	}

	// The revision is a content hash: it changes with the content.
	exp := load(t, exampleInputs(exampleDir))
	exp.Accounts[0].Users = exp.Accounts[0].Users[1:]
	if other := build(t, exp); other.Bundle.Manifest.Revision == m.Revision {
		t.Errorf("dropping a user leaves the revision at %s", m.Revision)
	}
}

func TestModulesAreUnderTheRootAndParseAsRegoV1(t *testing.T) {
	for _, tc := range sampleInputs(t) {
		t.Run(tc.name, func(t *testing.T) {
			res := build(t, load(t, tc.in))
			archive := encode(t, res.Bundle)
			got := files(t, archive)
			want := map[string]bool{".manifest": true, "data.json": true}
			for _, m := range res.Bundle.Modules {
				if !strings.HasPrefix(m.Path, "/iam2rego/") {
					t.Errorf("module %s is not under /iam2rego/", m.Path)
				}
				want[strings.TrimPrefix(m.Path, "/")] = true
			}
			for name := range got {
				if !want[name] {
					t.Errorf("unexpected file %s in the archive", name)
				}
			}
			for name := range want {
				if _, ok := got[name]; !ok {
					t.Errorf("file %s missing from the archive", name)
				}
			}
			policies := 0
			for name, src := range got {
				if !strings.HasSuffix(name, ".rego") {
					continue
				}
				mod, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
				if err != nil {
					t.Errorf("%s does not parse as Rego v1: %v", name, err)
					continue
				}
				pkg := mod.Package.Path.String()
				if !strings.HasPrefix(pkg, "data.iam2rego.") {
					t.Errorf("%s: package %s is outside the root iam2rego", name, pkg)
				}
				if "/"+name == bundles.PoliciesModule {
					if pkg != "data.iam2rego.policies" {
						t.Errorf("%s: package %s, want data.iam2rego.policies", name, pkg)
					}
					for _, r := range mod.Rules {
						if translator.RuleKind(r) == "statements" {
							policies++
						}
					}
				}
			}
			if policies != res.Stats.Policies || policies == 0 {
				t.Errorf("%d policies loaded by the policies module, stats say %d", policies, res.Stats.Policies)
			}
			// The whole bundle compiles (what OPA does on activation).
			b, err := bundles.Read(bytes.NewReader(archive), nil)
			if err != nil {
				t.Fatal(err)
			}
			mods := map[string]*ast.Module{}
			for _, m := range b.Modules {
				mods[m.Path] = m.Parsed
			}
			c := ast.NewCompiler()
			if c.Compile(mods); c.Failed() {
				t.Errorf("the modules do not compile together: %v", c.Errors)
			}
		})
	}
}

// documents lists every policy document of an export, by package name,
// with where it is used.
func documents(t testing.TB, exp *account.Export) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	add := func(d account.Document, where string) {
		n := name(t, d.Value)
		out[n] = append(out[n], where)
	}
	managed := func(arn, where string) {
		mp, err := exp.ResolveManaged(arn)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		add(mp.Document, where)
	}
	for _, a := range exp.Accounts {
		for _, u := range a.Users {
			for _, d := range u.Inline {
				add(d.Document, u.ARN+" inline "+d.Name)
			}
			for _, arn := range u.Managed {
				managed(arn, u.ARN+" "+arn)
			}
			if u.Boundary != "" {
				managed(u.Boundary, u.ARN+" boundary")
			}
		}
		for _, g := range a.Groups {
			for _, d := range g.Inline {
				add(d.Document, g.ARN+" inline "+d.Name)
			}
			for _, arn := range g.Managed {
				managed(arn, g.ARN+" "+arn)
			}
		}
		for _, r := range a.Roles {
			for _, d := range r.Inline {
				add(d.Document, r.ARN+" inline "+d.Name)
			}
			for _, arn := range r.Managed {
				managed(arn, r.ARN+" "+arn)
			}
			if r.Boundary != "" {
				managed(r.Boundary, r.ARN+" boundary")
			}
			if r.Trust != nil {
				add(*r.Trust, r.ARN+" trust")
			}
		}
	}
	for _, r := range exp.Resources {
		if r.Policy != nil {
			add(*r.Policy, r.ARN)
		}
	}
	var walk func(u *account.OrgUnit)
	walk = func(u *account.OrgUnit) {
		for _, d := range append(slices.Clone(u.SCPs), u.RCPs...) {
			add(d.Document, u.ID+" "+d.Name)
		}
		for _, a := range u.Accounts {
			for _, d := range append(slices.Clone(a.SCPs), a.RCPs...) {
				add(d.Document, a.ID+" "+d.Name)
			}
		}
		for _, c := range u.Units {
			walk(c)
		}
	}
	if exp.Organization != nil && exp.Organization.Root != nil {
		walk(exp.Organization.Root)
	}
	return out
}

// policyModules groups the rules of the bundle's policies module by the
// policy they belong to (translator.RulePolicy).
func policyModules(t testing.TB, b *bundle.Bundle) map[string][]*ast.Rule {
	t.Helper()
	out := map[string][]*ast.Rule{}
	for _, m := range b.Modules {
		if m.Path != bundles.PoliciesModule {
			continue
		}
		for _, r := range m.Parsed.Rules {
			n := translator.RulePolicy(r)
			if n == "" {
				t.Errorf("%s: rule %s belongs to no policy", m.Path, r.Head.Ref())
				continue
			}
			out[n] = append(out[n], r)
		}
	}
	return out
}

func TestOnePackagePerDistinctDocument(t *testing.T) {
	for _, tc := range sampleInputs(t) {
		t.Run(tc.name, func(t *testing.T) {
			exp := load(t, tc.in)
			docs := documents(t, exp)
			res := build(t, exp)
			mods := policyModules(t, res.Bundle)
			for n, where := range docs {
				if _, ok := mods[n]; !ok {
					t.Errorf("no package %s for the document used by %v", n, where)
				}
			}
			for n := range mods {
				if _, ok := docs[n]; !ok {
					t.Errorf("package %s matches no document of the export", n)
				}
			}
			if len(mods) != len(docs) || res.Stats.Policies != len(docs) {
				t.Errorf("%d packages (stats %d) for %d distinct documents", len(mods), res.Stats.Policies, len(docs))
			}
			shared := 0
			for _, where := range docs {
				if len(where) > 1 {
					shared++
				}
			}
			if shared == 0 {
				t.Errorf("no document is used twice: the test proves nothing about sharing")
			}
		})
	}
}

// --- data.json ---------------------------------------------------------

func TestExampleData(t *testing.T) {
	exp := load(t, exampleInputs(exampleDir))
	res := build(t, exp)
	d := dataOf(t, encode(t, res.Bundle))
	ad := rawJSON(t, filepath.Join(exampleDir, "account-details.json"))
	managed := func(arn string) string {
		mp, err := exp.ResolveManaged(arn)
		if err != nil {
			t.Fatal(err)
		}
		return name(t, mp.Document.Value)
	}

	const (
		alice   = "arn:aws:iam::111111111111:user/developers/alice"
		bob     = "arn:aws:iam::111111111111:user/bob"
		invoke  = "arn:aws:iam::111111111111:role/service-role/genai-invoke-role"
		kb      = "arn:aws:iam::111111111111:role/service-role/genai-kb-role"
		agent   = "arn:aws:iam::111111111111:role/service-role/genai-agent-role"
		bucket  = "arn:aws:s3:::genai-kb-docs"
		lambda  = "arn:aws:lambda:us-east-1:111111111111:function:weather-tool"
		bedrock = "arn:aws:iam::aws:policy/AmazonBedrockReadOnly"
	)
	// Documents taken straight from the input file, so that the loader is
	// checked too (kb's managed policy: the default version v2, not v1).
	aliceHome := name(t, at(t, ad, "UserDetailList", 0, "UserPolicyList", 0, "PolicyDocument"))
	devsMFA := name(t, at(t, ad, "GroupDetailList", 0, "GroupPolicyList", 0, "PolicyDocument"))
	invokeInline := name(t, at(t, ad, "RoleDetailList", 0, "RolePolicyList", 0, "PolicyDocument"))
	kbDocs := name(t, at(t, ad, "Policies", 0, "PolicyVersionList", 0, "Document"))
	kbDocsV1 := name(t, at(t, ad, "Policies", 0, "PolicyVersionList", 1, "Document"))
	agentInline := name(t, at(t, ad, "RoleDetailList", 2, "RolePolicyList", 0, "PolicyDocument"))
	boundary := name(t, at(t, ad, "Policies", 1, "PolicyVersionList", 0, "Document"))
	bedrockRO := managed(bedrock)
	lambdaBasic := managed("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")

	type want struct {
		kind               string
		identity, boundary []string
		tags               map[string]string
		groups             []string
	}
	for arn, w := range map[string]want{
		alice:  {"user", sortedSet(aliceHome, devsMFA, bedrockRO), nil, map[string]string{"team": "ml"}, []string{"Developers"}},
		bob:    {"user", sortedSet(devsMFA, bedrockRO), []string{boundary}, map[string]string{}, []string{"Developers"}},
		invoke: {"role", sortedSet(invokeInline, lambdaBasic), nil, map[string]string{"app": "genai"}, nil},
		kb:     {"role", []string{kbDocs}, nil, map[string]string{"app": "genai"}, nil},
		agent:  {"role", []string{agentInline}, []string{boundary}, map[string]string{}, nil},
	} {
		p, ok := d.Principals[arn]
		if !ok {
			t.Errorf("principal %s missing", arn)
			continue
		}
		if p.Kind != w.kind || p.Account != exampleAcc {
			t.Errorf("%s: kind %q account %q", arn, p.Kind, p.Account)
		}
		if !slices.Equal(p.Identity, w.identity) {
			t.Errorf("%s: identity %v, want %v (inline, managed and groups' policies, flattened and sorted)", arn, p.Identity, w.identity)
		}
		if len(p.Boundary) != len(w.boundary) || (len(w.boundary) > 0 && !slices.Equal(p.Boundary, w.boundary)) {
			t.Errorf("%s: boundary %v, want %v", arn, p.Boundary, w.boundary)
		}
		if p.Boundary == nil {
			t.Errorf("%s: boundary is null, want a list (the library iterates it)", arn)
		}
		if len(p.Tags) != len(w.tags) {
			t.Errorf("%s: tags %v, want %v", arn, p.Tags, w.tags)
		}
		for k, v := range w.tags {
			if p.Tags[k] != v {
				t.Errorf("%s: tag %s = %q, want %q", arn, k, p.Tags[k], v)
			}
		}
		if !slices.Equal(p.Groups, w.groups) {
			t.Errorf("%s: groups %v, want %v", arn, p.Groups, w.groups)
		}
	}
	if len(d.Principals) != 5 {
		t.Errorf("%d principals, want 5", len(d.Principals))
	}
	if slices.Contains(d.Principals[kb].Identity, kbDocsV1) {
		t.Errorf("kb role carries the non-default version v1 of genai-kb-read-docs")
	}
	// Two users attach AmazonBedrockReadOnly through their group; two
	// principals use genai-boundary: each is one package, named once.
	for _, id := range []string{bedrockRO, boundary, devsMFA} {
		if _, ok := policyModules(t, res.Bundle)[id]; !ok {
			t.Errorf("no package %s", id)
		}
		if len(d.PolicyNames[id]) != 1 {
			t.Errorf("policy_names[%s] = %v, want one name", id, d.PolicyNames[id])
		}
	}

	wantRoles := map[string]string{"genai-invoke-role": invoke, "genai-kb-role": kb, "genai-agent-role": agent}
	if got := d.RolesByName[exampleAcc]; len(got) != len(wantRoles) {
		t.Errorf("roles_by_name[%s] = %v", exampleAcc, got)
	}
	for n, arn := range wantRoles {
		if got := d.RolesByName[exampleAcc][n]; got != arn {
			t.Errorf("roles_by_name[%s][%s] = %q, want %q", exampleAcc, n, got, arn)
		}
	}

	// Organization: levels root, OU, account.
	if d.Organization == nil || d.Organization.ID != "o-genai12345" || d.Organization.ManagementAccount != "999999999999" {
		t.Errorf("organization %+v", d.Organization)
	}
	org := rawJSON(t, filepath.Join(exampleDir, "organization.json"))
	fullAccess := ""
	for _, s := range exp.Organization.Root.SCPs {
		if s.Name == "FullAWSAccess" {
			fullAccess = name(t, s.Document.Value)
		}
	}
	if fullAccess == "" {
		t.Fatalf("the organization root has no FullAWSAccess SCP: %+v", exp.Organization.Root.SCPs)
	}
	regionGuard := name(t, at(t, org, "policies", "DenyBedrockOutsideUsEast1"))
	s3Guard := name(t, at(t, org, "policies", "DenyS3OutsideOrg"))
	prod, ok := d.Accounts[exampleAcc]
	if !ok {
		t.Fatalf("accounts[%s] missing", exampleAcc)
	}
	if prod.OrgID != "o-genai12345" || !slices.Equal(prod.OrgPaths, []string{"o-genai12345/r-gen1/ou-gen1-workload/"}) || prod.Name != "genai-prod" {
		t.Errorf("accounts[%s]: org_id %q, org_paths %v, name %q", exampleAcc, prod.OrgID, prod.OrgPaths, prod.Name)
	}
	if !slices.Equal(prod.SCPNames, []string{"organization root", "OU Workloads", "account 111111111111"}) {
		t.Errorf("scp_names %v", prod.SCPNames)
	}
	wantSCPs := [][]string{{fullAccess}, sortedSet(fullAccess, regionGuard), {fullAccess}}
	if len(prod.SCPs) != 3 {
		t.Fatalf("scps %v: want 3 levels", prod.SCPs)
	}
	for i := range wantSCPs {
		if !slices.Equal(prod.SCPs[i], wantSCPs[i]) {
			t.Errorf("scps level %d = %v, want %v", i, prod.SCPs[i], wantSCPs[i])
		}
	}
	if len(prod.RCPs) != 3 || len(prod.RCPs[0]) != 0 || !slices.Equal(prod.RCPs[1], []string{s3Guard}) || len(prod.RCPs[2]) != 1 {
		t.Errorf("rcps %v: want [[] [DenyS3OutsideOrg] [RCPFullAWSAccess]]", prod.RCPs)
	}
	mgmt, ok := d.Accounts["999999999999"]
	if !ok || !slices.Equal(mgmt.OrgPaths, []string{"o-genai12345/r-gen1/"}) || len(mgmt.SCPs) != 2 {
		t.Errorf("accounts[999999999999] = %+v", mgmt)
	}
	if len(d.Accounts) != 2 {
		t.Errorf("%d accounts, want 2", len(d.Accounts))
	}

	// Resources: the bucket, the Lambda function and the three roles'
	// trust policies.
	rp := rawJSON(t, filepath.Join(exampleDir, "resource-policies.json"))
	wantRes := map[string]struct {
		policy string
		tags   map[string]string
	}{
		bucket: {name(t, at(t, rp, "resources", 0, "policy")), map[string]string{"data-classification": "internal"}},
		lambda: {name(t, at(t, rp, "resources", 1, "policy")), map[string]string{}},
		invoke: {name(t, at(t, ad, "RoleDetailList", 0, "AssumeRolePolicyDocument")), map[string]string{"app": "genai"}},
		kb:     {name(t, at(t, ad, "RoleDetailList", 1, "AssumeRolePolicyDocument")), map[string]string{"app": "genai"}},
		agent:  {name(t, at(t, ad, "RoleDetailList", 2, "AssumeRolePolicyDocument")), map[string]string{}},
	}
	for arn, w := range wantRes {
		r, ok := d.Resources[arn]
		if !ok {
			t.Errorf("resource %s missing", arn)
			continue
		}
		if r.Account != exampleAcc || !slices.Equal(r.Policy, []string{w.policy}) || len(r.Tags) != len(w.tags) {
			t.Errorf("resource %s = %+v, want account %s policy [%s] tags %v", arn, r, exampleAcc, w.policy, w.tags)
		}
		for k, v := range w.tags {
			if r.Tags[k] != v {
				t.Errorf("resource %s: tag %s = %q, want %q", arn, k, r.Tags[k], v)
			}
		}
	}
	if len(d.Resources) != len(wantRes) {
		t.Errorf("%d resources, want %d", len(d.Resources), len(wantRes))
	}

	// meta mirrors the stats.
	if d.Meta.Principals != 5 || d.Meta.Accounts != 2 || d.Meta.Resources != 5 ||
		d.Meta.Policies != len(policyModules(t, res.Bundle)) || d.Meta.Statements != res.Stats.Statements || d.Meta.Unindexed != res.Stats.Unindexed {
		t.Errorf("meta %+v, stats %+v", d.Meta, res.Stats)
	}
}

// TestDataReferencesResolve: every policy id in data names a package of
// the bundle, and every package is used by something.
func TestDataReferencesResolve(t *testing.T) {
	for _, tc := range sampleInputs(t) {
		t.Run(tc.name, func(t *testing.T) {
			res := build(t, load(t, tc.in))
			d := dataOf(t, encode(t, res.Bundle))
			mods := policyModules(t, res.Bundle)
			used := map[string]bool{}
			ref := func(where string, ids []string) {
				for _, id := range ids {
					used[id] = true
					if _, ok := mods[id]; !ok {
						t.Errorf("%s names policy %s, which the bundle does not have", where, id)
					}
				}
			}
			for arn, p := range d.Principals {
				ref(arn+" identity", p.Identity)
				ref(arn+" boundary", p.Boundary)
			}
			for id, a := range d.Accounts {
				for _, l := range a.SCPs {
					ref(id+" scps", l)
				}
				for _, l := range a.RCPs {
					ref(id+" rcps", l)
				}
				if len(a.SCPNames) != len(a.SCPs) {
					t.Errorf("account %s: %d scp_names for %d levels", id, len(a.SCPNames), len(a.SCPs))
				}
			}
			for arn, r := range d.Resources {
				ref(arn+" policy", r.Policy)
			}
			// A caller's plan names exactly its policies, each with a place.
			for arn, c := range d.Callers {
				ref(arn+" plan", c.Plan.PIDs)
				want := map[string]bool{}
				for _, id := range append(append([]string{}, c.Policies.Identity...), c.Policies.Boundary...) {
					want[id] = true
				}
				for _, l := range c.Policies.SCPs {
					for _, id := range l {
						want[id] = true
					}
				}
				if len(c.Plan.PIDs) != len(want) {
					t.Errorf("%s: plan names %v, its policies are %v", arn, c.Plan.PIDs, want)
				}
				for id, places := range c.Plan.Src {
					if !want[id] || len(places) == 0 {
						t.Errorf("%s: plan places %s (%v), which is not one of its policies", arn, id, places)
					}
				}
				if c.Plan.SCPs != len(c.Policies.SCPs) {
					t.Errorf("%s: plan counts %d SCP levels, its policies %d", arn, c.Plan.SCPs, len(c.Policies.SCPs))
				}
			}
			for id := range mods {
				if !used[id] {
					t.Errorf("package %s is used by no principal, account or resource", id)
				}
				if len(d.PolicyNames[id]) == 0 {
					t.Errorf("package %s has no policy_names entry", id)
				}
			}
			for acct, names := range d.RolesByName {
				for n, arn := range names {
					if p, ok := d.Principals[arn]; !ok || p.Kind != "role" || p.Account != acct || n != strings.ToLower(n) {
						t.Errorf("roles_by_name[%s][%s] = %s: not a role principal of that account", acct, n, arn)
					}
				}
			}
		})
	}
}

func TestBuildGAADSmall(t *testing.T) {
	in := account.Inputs{AccountDetails: []string{corpusFile(t, "gaad-small.json")}}
	first, second := buildBytes(t, in), buildBytes(t, in)
	if !bytes.Equal(first, second) {
		t.Fatalf("two builds of gaad-small.json differ")
	}
	exp := load(t, in)
	if len(exp.Accounts) != 1 {
		t.Fatalf("%d accounts in gaad-small.json", len(exp.Accounts))
	}
	a := exp.Accounts[0]
	d := dataOf(t, first)
	if len(d.Principals) != len(a.Users)+len(a.Roles) || len(d.Principals) != 50 {
		t.Errorf("%d principals for %d users and %d roles", len(d.Principals), len(a.Users), len(a.Roles))
	}
	for arn, p := range d.Principals {
		if p.Account != a.ID {
			t.Errorf("%s: account %s, want %s", arn, p.Account, a.ID)
		}
	}
	if len(d.RolesByName[a.ID]) != len(a.Roles) {
		t.Errorf("roles_by_name has %d roles, the export %d", len(d.RolesByName[a.ID]), len(a.Roles))
	}
	// Group policies reach the group's users.
	groups := map[string]*account.Group{}
	for _, g := range a.Groups {
		groups[g.Name] = g
	}
	checked := 0
	for _, u := range a.Users {
		for _, gn := range u.Groups {
			for _, doc := range groups[gn].Inline {
				checked++
				if id := name(t, doc.Document.Value); !slices.Contains(d.Principals[u.ARN].Identity, id) {
					t.Errorf("%s: group %s's inline policy %s is not among its identity policies", u.ARN, gn, doc.Name)
				}
			}
		}
	}
	if checked == 0 {
		t.Log("note: no user of gaad-small.json is in a group with inline policies")
	}
	// A permissions boundary is carried over.
	bounded := 0
	for _, u := range a.Users {
		if u.Boundary != "" {
			bounded++
			mp, err := exp.ResolveManaged(u.Boundary)
			if err != nil {
				t.Fatal(err)
			}
			if want := name(t, mp.Document.Value); !slices.Equal(d.Principals[u.ARN].Boundary, []string{want}) {
				t.Errorf("%s: boundary %v, want [%s]", u.ARN, d.Principals[u.ARN].Boundary, want)
			}
		}
	}
	for _, r := range a.Roles {
		if r.Boundary != "" {
			bounded++
		}
	}
	if bounded == 0 {
		t.Errorf("gaad-small.json has no permissions boundary: expected some")
	}
}

// TestRoleTrustPolicySurvivesResourceTags: a --resource-policies entry
// that only tags a role (no policy) must not drop the role's trust policy,
// which comes from the account details. Dropping it makes sts:AssumeRole
// decided by the caller's identity policy alone (fail open).
func TestRoleTrustPolicySurvivesResourceTags(t *testing.T) {
	const kb = "arn:aws:iam::111111111111:role/service-role/genai-kb-role"
	dir := t.TempDir()
	tagsOnly := filepath.Join(dir, "tags.json")
	writeJSON(t, tagsOnly, map[string]any{"resources": []any{map[string]any{"arn": kb, "account": exampleAcc, "tags": map[string]any{"owner": "ml"}}}})
	in := exampleInputs(exampleDir)
	in.Resources = append(in.Resources, tagsOnly)
	// alice may call sts:AssumeRole on anything; the kb role's trust policy
	// trusts only bedrock.amazonaws.com, so AWS denies her (IAM-SEMANTICS
	// §5.4 identityPathAllowed, §5.7).
	assume := func(exp *account.Export) (*bundles.Result, rego.Decision) {
		for _, u := range exp.Accounts[0].Users {
			if u.Name == "alice" {
				u.Inline = append(u.Inline, account.NamedDocument{Name: "assume-anything", Document: account.Document{File: "test", Value: map[string]any{
					"Version":   "2012-10-17",
					"Statement": []any{map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}},
				}}})
			}
		}
		res, err := bundles.Build(exp, bundles.Options{})
		if err != nil {
			return nil, rego.Decision{}
		}
		eng, err := rego.PrepareBundle(context.Background(), res.Bundle)
		if err != nil {
			t.Fatal(err)
		}
		return res, eng.DecideInput(context.Background(), map[string]any{
			"principal": "arn:aws:iam::111111111111:user/developers/alice", "action": "sts:AssumeRole", "resource": kb,
		})
	}
	if _, control := assume(load(t, exampleInputs(exampleDir))); control.Decision != rego.ImplicitDeny {
		t.Fatalf("control: alice's sts:AssumeRole on %s is %s (%s), want ImplicitDeny (the trust policy does not trust her)", kb, control.Decision, control.Reason)
	}
	exp, err := account.Load(in)
	if err != nil {
		return // rejecting the entry is a fine answer too
	}
	res, dec := assume(exp)
	if res == nil {
		return
	}
	if dec.Decision == rego.Allow {
		t.Errorf("fail open: with a tags-only resource entry for %s, alice's sts:AssumeRole on it is allowed "+
			"although the role's trust policy trusts only bedrock.amazonaws.com (step %s: %s)", kb, dec.Step, dec.Reason)
	}
	d := dataOf(t, encode(t, res.Bundle))
	var trust string
	for _, r := range exp.Accounts[0].Roles {
		if r.ARN == kb {
			trust = name(t, r.Trust.Value)
		}
	}
	if got := d.Resources[kb]; !slices.Equal(got.Policy, []string{trust}) {
		t.Errorf("a tags-only --resource-policies entry for role %s replaces the role's resource entry: "+
			"data.iam2rego.resources[role] = %+v, want policy [%s] (its trust policy). "+
			"The entry should be merged (tags) or rejected, never silently drop the trust policy "+
			"(bundles/entities.go: resource() overwrites b.data.Resources[r.ARN] when either side has no policy)",
			kb, got, trust)
	}
}

// TestBucketPolicyAppliesToTaggedObjects: FORMATS.md lets
// --resource-policies tag an S3 object ("An S3 object ARN cannot carry a
// policy, but it can carry tags") and says a bucket's policy applies to the
// bucket and its objects. Tagging an object must not switch its bucket's
// policy off: the bucket's DenyInsecureTransport still denies plain HTTP.
func TestBucketPolicyAppliesToTaggedObjects(t *testing.T) {
	const (
		kb     = "arn:aws:iam::111111111111:role/service-role/genai-kb-role"
		object = "arn:aws:s3:::genai-kb-docs/docs/handbook.pdf"
	)
	dir := t.TempDir()
	tags := filepath.Join(dir, "object-tags.json")
	writeJSON(t, tags, map[string]any{"resources": []any{map[string]any{"arn": object, "account": exampleAcc, "tags": map[string]any{"class": "secret"}}}})
	in := exampleInputs(exampleDir)
	in.Resources = append(in.Resources, tags)
	res := build(t, load(t, in))
	eng, err := rego.PrepareBundle(context.Background(), res.Bundle)
	if err != nil {
		t.Fatal(err)
	}
	decide := func(obj, secure string) rego.Decision {
		return eng.DecideInput(context.Background(), map[string]any{
			"principal": kb, "action": "s3:GetObject", "resource": obj,
			"context": map[string]any{"aws:SecureTransport": secure},
		})
	}
	if d := decide("arn:aws:s3:::genai-kb-docs/docs/untagged.pdf", "false"); d.Decision != rego.ExplicitDeny {
		t.Fatalf("control: an untagged object over HTTP is %s (%s), want ExplicitDeny by the bucket policy", d.Decision, d.Reason)
	}
	if d := decide(object, "true"); d.Decision != rego.Allow {
		t.Errorf("the tagged object over HTTPS is %s (%s), want Allow", d.Decision, d.Reason)
	}
	if d := decide(object, "false"); d.Decision != rego.ExplicitDeny {
		t.Errorf("BUG (fail open): GetObject on %s over plain HTTP is %s (step %s: %s), want ExplicitDeny by the bucket's "+
			"DenyInsecureTransport. Tagging the object in --resource-policies gives it its own entry in data.iam2rego.resources, "+
			"and rego/lib/bundle.rego falls back to the bucket's entry (and policy) only when the object has none",
			object, d.Decision, d.Step, d.Reason)
	}
}
