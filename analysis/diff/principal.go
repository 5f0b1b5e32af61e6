package diff

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/translator"
)

// slotPolicies lists the policies that can take part in a decision for
// the principal: its identity policies (its own, its groups' and managed
// ones), its boundary, its account's SCP levels, every account's RCP
// levels and every resource-based policy of the bundle.
func (s *Side) slotPolicies(arn string) []slotPolicy {
	var out []slotPolicy
	p := s.data.Principals[arn]
	if p == nil {
		return nil
	}
	identity, boundary := p.Identity, p.Boundary
	var scps [][]string
	if a := s.data.Accounts[p.Account]; a != nil {
		scps = a.SCPs
	}
	if c := s.data.Callers[arn]; c != nil {
		identity, boundary, scps = c.Policies.Identity, c.Policies.Boundary, c.Policies.SCPs
	}
	out = appendSlot(out, "identity", translator.Identity, identity)
	out = appendSlot(out, "boundary", translator.Boundary, boundary)
	for i, level := range scps {
		out = appendSlot(out, fmt.Sprintf("scp/%d", i), translator.SCP, level)
	}
	return append(out, s.shared()...)
}

// shared lists the policies every principal's requests may meet: every
// account's RCP levels and every resource-based policy, computed once.
func (s *Side) shared() []slotPolicy {
	s.sharedOnce.Do(func() {
		for _, id := range slices.Sorted(maps.Keys(s.data.Accounts)) {
			for i, level := range s.data.Accounts[id].RCPs {
				s.sharedSlots = appendSlot(s.sharedSlots, fmt.Sprintf("rcp/%s/%d", id, i), translator.RCP, level)
			}
		}
		for _, r := range slices.Sorted(maps.Keys(s.data.Resources)) {
			s.sharedSlots = appendSlot(s.sharedSlots, "resource "+r, kernel.ResourceType(r), s.data.Resources[r].Policy)
		}
	})
	return s.sharedSlots
}

func appendSlot(out []slotPolicy, slot string, typ translator.PolicyType, names []string) []slotPolicy {
	for _, n := range names {
		out = append(out, slotPolicy{slot, typ, n})
	}
	return out
}

type slotPolicy struct {
	slot string
	typ  translator.PolicyType
	name string
}

// shape is what decides a principal's requests besides the statements
// and envKey: whether it has a boundary, and how many SCP and RCP levels
// apply (a level with no policy denies as one whose policies do not
// match, so the policies per level need not be counted).
func (s *Side) shape(arn string) string {
	boundary := false
	for _, sp := range s.slotPolicies(arn) {
		boundary = boundary || sp.slot == "boundary"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "boundary=%v", boundary)
	if c := s.data.Callers[arn]; c != nil {
		fmt.Fprintf(&b, ";scp-levels=%d", len(c.Policies.SCPs))
	} else if p := s.data.Principals[arn]; p != nil && s.data.Accounts[p.Account] != nil {
		fmt.Fprintf(&b, ";scp-levels=%d", len(s.data.Accounts[p.Account].SCPs))
	}
	for _, id := range slices.Sorted(maps.Keys(s.data.Accounts)) {
		fmt.Fprintf(&b, ";rcp-levels/%s=%d", id, len(s.data.Accounts[id].RCPs))
	}
	return b.String()
}

// statements parses the principal's policies into statement references.
func (s *Side) statements(arn string) ([]stmtRef, error) {
	var out []stmtRef
	for _, sp := range s.slotPolicies(arn) {
		pol, err := s.policy(sp.name, sp.typ)
		if err != nil {
			return nil, err
		}
		for _, st := range pol.Statements {
			info := s.info(sp.name, sp.typ, st)
			out = append(out, stmtRef{slot: sp.slot, policy: sp.name, st: st, acts: info.acts, key: info.key})
		}
	}
	return out, nil
}

// stmtInfo is what is derived from a statement once: its action set and
// its key (stmtKey).
type stmtInfo struct {
	acts *actionSet
	key  string
}

// info returns the statement's derived forms, computed once per statement.
func (s *Side) info(name string, typ translator.PolicyType, st *translator.Statement) stmtInfo {
	key := fmt.Sprintf("%s\x00%s\x00%d", typ, name, st.Index)
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, ok := s.infos[key]; ok {
		return i
	}
	i := stmtInfo{acts: newActionSet(st), key: stmtKey(st)}
	s.infos[key] = i
	return i
}

// grants reports whether a statement can allow the principal anything on
// its own side of the decision: an Allow in an identity policy, or an
// Allow in a resource-based policy that may apply to it (kernel.MayApplyTo).
func grants(r stmtRef, arn, acct string) bool {
	if r.st.Effect != translator.Allow {
		return false
	}
	if r.slot == "identity" {
		return true
	}
	return strings.HasPrefix(r.slot, "resource ") && kernel.MayApplyTo(r.st, arn, acct)
}
