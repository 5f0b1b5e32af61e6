package trail

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/iam2rego/iam2rego/analysis/access"
	"github.com/iam2rego/iam2rego/analysis/cloudtrail"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// UnusedOptions say which window and principals Unused reports on.
type UnusedOptions struct {
	// Since is the window's length (Access Analyzer's tracking period).
	Since time.Duration
	// Now ends the window; zero means the newest eventTime of the logs,
	// so that old logs are judged as of their own time.
	Now time.Time
	// Principals limits the report to these users and roles; empty means
	// every user and role of the bundle.
	Principals []string
	// Context is the request context assumed when deciding what each
	// principal is granted (as `iam2rego can --context` takes it).
	Context map[string]any
}

// UnusedReport is, per principal, its granted access against its use.
type UnusedReport struct {
	WindowStart string           `json:"window_start"`
	WindowEnd   string           `json:"window_end"`
	Principals  []PrincipalUsage `json:"principals"`
	// Summary counts the logs read (no decisions: Agree and the others
	// are 0).
	Summary *Summary `json:"logs"`
}

// PrincipalUsage is one user or role, as Access Analyzer's unused-access
// findings describe it: unused (no call in the window: an unused role or
// user), and the granted services and actions it did not use.
type PrincipalUsage struct {
	Principal string `json:"principal"`
	Kind      string `json:"kind"`
	// LastActivity is the principal's newest call in the logs, "" for none.
	LastActivity string `json:"last_activity,omitempty"`
	Unused       bool   `json:"unused"`
	// Granted counts the actions the bundle allows it; Services lists
	// them by service.
	Granted  int            `json:"granted_actions"`
	Services []ServiceUsage `json:"services"`
	// Truncated says that access.Can's probe bound cut the granted
	// actions short.
	Truncated bool `json:"truncated,omitempty"`
	// UsedBeyondGrants lists actions the principal used that are not
	// among the grants decided (a grant under a condition on a key the
	// --context values do not give, or on a resource a witness does not
	// show, such as one with a policy variable).
	UsedBeyondGrants []ActionUse `json:"used_beyond_grants,omitempty"`
}

// ServiceUsage is one granted service of a principal.
type ServiceUsage struct {
	Service string `json:"service"`
	// Unused: no action of the service was used in the window.
	Unused bool `json:"unused"`
	// LastAccessed is the newest use of any of its actions, also before
	// the window.
	LastAccessed  string      `json:"last_accessed,omitempty"`
	UnusedActions []string    `json:"unused_actions"`
	UsedActions   []ActionUse `json:"used_actions"`
}

// ActionUse is a granted action with its last use.
type ActionUse struct {
	Action       string `json:"action"`
	LastAccessed string `json:"last_accessed"`
	// Calls counts its calls in the window.
	Calls int `json:"calls"`
}

// use is what the logs say of one (principal, action): its last use, its
// calls by the hour (the window is known only at the end of the logs),
// and then its calls in the window.
type use struct {
	last   time.Time
	byHour map[int64]int
	n      int
}

// Unused reads the logs (no decisions: only what AWS allowed counts as
// use), then asks the engine what each user and role of the bundle is
// granted (access.Can: catalogue actions its Allow statements can match,
// decided on the resources they name) and lists the unused part.
func Unused(ctx context.Context, eng *rego.Engine, b *bundle.Bundle, src Source, opts UnusedOptions) (*UnusedReport, error) {
	if opts.Since <= 0 {
		return nil, fmt.Errorf("the window must be positive, got %v", opts.Since)
	}
	sum := newSummary()
	uses := map[string]map[string]*use{} // owner → lower-case action → use
	var newest time.Time
	// The window's end is known only at the end of the logs (the newest
	// event), so calls are counted by the hour first: memory grows with
	// the principals, actions and hours, not with the calls.
	files, err := scan(ctx, src, nil, func(ev *Event) error {
		sum.add(ev)
		c := ev.Call
		if c == nil || c.AWS == cloudtrail.AWSDenied || (!opts.Now.IsZero() && c.Time.After(opts.Now)) {
			return nil
		}
		if c.Time.After(newest) {
			newest = c.Time
		}
		action := strings.ToLower(c.Action)
		m := uses[c.Owner]
		if m == nil {
			m = map[string]*use{}
			uses[c.Owner] = m
		}
		u := m[action]
		if u == nil {
			u = &use{byHour: map[int64]int{}}
			m[action] = u
		}
		if c.Time.After(u.last) {
			u.last = c.Time
		}
		u.byHour[c.Time.Truncate(time.Hour).Unix()]++
		return nil
	})
	sum.Files = files
	sum.finish()
	if err != nil {
		return nil, err
	}
	end := opts.Now
	if end.IsZero() {
		end = newest
	}
	// The window starts on the hour, so that the hourly counts are exact.
	start := end.Add(-opts.Since).Truncate(time.Hour)
	for _, m := range uses {
		for _, u := range m {
			for hour, n := range u.byHour {
				if !time.Unix(hour, 0).Before(start) {
					u.n += n
				}
			}
			u.byHour = nil
		}
	}
	principals := opts.Principals
	if len(principals) == 0 {
		all, err := access.Principals(b)
		if err != nil {
			return nil, err
		}
		for _, p := range all {
			if !strings.HasSuffix(p, ":root") {
				principals = append(principals, p)
			}
		}
	}
	rep := &UnusedReport{WindowStart: start.UTC().Format(time.RFC3339), WindowEnd: end.UTC().Format(time.RFC3339), Principals: []PrincipalUsage{}, Summary: sum}
	for _, p := range principals {
		can, err := access.Can(ctx, eng, b, p, opts.Context, 0)
		if err != nil {
			return nil, err
		}
		rep.Principals = append(rep.Principals, usage(p, can, uses[p]))
	}
	return rep, nil
}

// usage joins one principal's grants with its uses.
func usage(principal string, can *access.CanResult, uses map[string]*use) PrincipalUsage {
	pu := PrincipalUsage{Principal: principal, Kind: kindOf(principal), Unused: true, Services: []ServiceUsage{}, Truncated: can.Truncated}
	var last time.Time
	for _, u := range uses {
		if u.last.After(last) {
			last = u.last
		}
		if u.n > 0 {
			pu.Unused = false
		}
	}
	if !last.IsZero() {
		pu.LastActivity = last.UTC().Format(time.RFC3339)
	}
	granted := map[string]bool{}
	for _, a := range can.Allowed {
		granted[strings.ToLower(a.Action)] = true
	}
	pu.Granted = len(granted)
	bySvc := map[string]*ServiceUsage{}
	svcLast := map[string]time.Time{}
	actions := make([]string, 0, len(granted))
	for a := range granted {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	for _, a := range actions {
		svc, _, _ := strings.Cut(a, ":")
		s := bySvc[svc]
		if s == nil {
			s = &ServiceUsage{Service: svc, Unused: true, UnusedActions: []string{}, UsedActions: []ActionUse{}}
			bySvc[svc] = s
		}
		u := uses[a]
		if u == nil || u.last.IsZero() {
			s.UnusedActions = append(s.UnusedActions, a)
			continue
		}
		if u.last.After(svcLast[svc]) {
			svcLast[svc] = u.last
		}
		if u.n == 0 {
			// Used, but only before the window: unused in it.
			s.UnusedActions = append(s.UnusedActions, a)
		} else {
			s.Unused = false
		}
		s.UsedActions = append(s.UsedActions, ActionUse{Action: a, LastAccessed: u.last.UTC().Format(time.RFC3339), Calls: u.n})
	}
	for _, a := range sortedKeys(uses) {
		if u := uses[a]; !granted[a] && !u.last.IsZero() {
			pu.UsedBeyondGrants = append(pu.UsedBeyondGrants, ActionUse{Action: a, LastAccessed: u.last.UTC().Format(time.RFC3339), Calls: u.n})
		}
	}
	for _, svc := range sortedKeys(bySvc) {
		s := bySvc[svc]
		if t := svcLast[svc]; !t.IsZero() {
			s.LastAccessed = t.UTC().Format(time.RFC3339)
		}
		pu.Services = append(pu.Services, *s)
	}
	return pu
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func kindOf(arn string) string {
	switch {
	case strings.Contains(arn, ":role/"):
		return "role"
	case strings.Contains(arn, ":user/"):
		return "user"
	}
	return "other"
}
