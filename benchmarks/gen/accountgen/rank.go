package accountgen

import (
	"math"
	"sort"

	"github.com/iam2rego/iam2rego/translator/account"
)

// Rank lists the users and roles of any export (generated or not, such as
// testdata/example) with the policies and statements that apply to each,
// counted as for Set.Principals, sorted by statements, then ARN.
func Rank(exp *account.Export) ([]Principal, error) {
	var out []Principal
	stmts := map[string]int{}
	managedCount := func(arn string) (int, error) {
		if n, ok := stmts[arn]; ok {
			return n, nil
		}
		mp, err := exp.ResolveManaged(arn)
		if err != nil {
			return 0, err
		}
		stmts[arn] = len(statementsOf(mp.Document.Value))
		return stmts[arn], nil
	}
	for _, a := range exp.Accounts {
		groups := map[string]*account.Group{}
		for _, g := range a.Groups {
			groups[g.Name] = g
		}
		count := func(c *counter, inline []account.NamedDocument, arns []string) error {
			for _, d := range inline {
				c.add(len(statementsOf(d.Document.Value)))
			}
			for _, arn := range arns {
				n, err := managedCount(arn)
				if err != nil {
					return err
				}
				c.add(n)
			}
			return nil
		}
		for _, u := range a.Users {
			var c counter
			if err := count(&c, u.Inline, u.Managed); err != nil {
				return nil, err
			}
			for _, gn := range u.Groups {
				if g := groups[gn]; g != nil {
					if err := count(&c, g.Inline, g.Managed); err != nil {
						return nil, err
					}
				}
			}
			if u.Boundary != "" {
				if err := count(&c, nil, []string{u.Boundary}); err != nil {
					return nil, err
				}
			}
			out = append(out, Principal{ARN: u.ARN, Name: u.Name, Kind: "user", Account: a.ID, Team: u.Tags["team"], Policies: c.policies, Statements: c.statements})
		}
		for _, r := range a.Roles {
			var c counter
			if err := count(&c, r.Inline, r.Managed); err != nil {
				return nil, err
			}
			if r.Boundary != "" {
				if err := count(&c, nil, []string{r.Boundary}); err != nil {
					return nil, err
				}
			}
			out = append(out, Principal{ARN: r.ARN, Name: r.Name, Kind: "role", Account: a.ID, Team: r.Tags["team"], Policies: c.policies, Statements: c.statements})
		}
	}
	SortByStatements(out)
	return out, nil
}

// SortByStatements orders principals by statements, then ARN.
func SortByStatements(ps []Principal) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Statements != ps[j].Statements {
			return ps[i].Statements < ps[j].Statements
		}
		return ps[i].ARN < ps[j].ARN
	})
}

// Percentile returns the principal at percentile p (0 < p ≤ 100) of a
// list sorted by SortByStatements: the nearest-rank definition, so 50 is
// the median and 99 the 99th-percentile principal.
func Percentile(sorted []Principal, p float64) Principal {
	n := len(sorted)
	i := int(math.Ceil(float64(n)*p/100)) - 1
	return sorted[min(max(i, 0), n-1)]
}
