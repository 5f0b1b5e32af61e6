package trail

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/analysis/cloudtrail"
	"github.com/iam2rego/iam2rego/rego"
)

// Verdicts: how the bundle's decision compares with AWS's logged outcome.
const (
	// Agree: both allowed, or both denied.
	Agree = "agree"
	// WouldBreak: AWS allowed the call and the bundle denies it (or cannot
	// decide it, which is a deny).
	WouldBreak = "would-break"
	// FidelityGap: AWS denied the call and the bundle allows it; Missing
	// says what context the log did not carry.
	FidelityGap = "fidelity-gap"
	// NotCompared: AWS logged an error other than a denial (NoSuchKey,
	// ThrottlingException...), which does not say what IAM decided.
	NotCompared = "not-compared"
)

// Decided is the bundle's answer to one call, compared with AWS's.
type Decided struct {
	Decision rego.Decision
	Verdict  string
	// KindDiffers is set when both denied but AWS's message names the
	// other kind of denial (explicit or implicit).
	KindDiffers bool
}

// Summary counts a replay.
type Summary struct {
	Files   int `json:"files"`
	Records int `json:"records"`
	Calls   int `json:"calls"`
	// Skipped counts calls not selected (generate replays one role's).
	Skipped int `json:"skipped,omitempty"`
	// AWS's outcomes of the calls.
	AWSAllowed int `json:"aws_allowed"`
	AWSDenied  int `json:"aws_denied"`
	AWSFailed  int `json:"aws_other_errors"`
	// The comparison.
	Agree        int `json:"agree"`
	WouldBreak   int `json:"would_break"`
	FidelityGaps int `json:"fidelity_gaps"`
	NotCompared  int `json:"not_compared"`
	// Undecided counts calls the bundle could not decide (an unknown
	// principal, malformed context): denies, in WouldBreak when AWS
	// allowed them.
	Undecided int `json:"undecided"`
	// DenialKindDiffers counts calls both denied where AWS's message names
	// the other kind of denial.
	DenialKindDiffers int `json:"denial_kind_differs"`
	// Unmapped counts records that could not be mapped, by reason;
	// Unreadable counts parts of files that could not be read, by code.
	Unmapped   map[string]int `json:"unmapped"`
	Unreadable map[string]int `json:"unreadable"`
	// Examples name the first record of each unmapped reason and
	// unreadable code.
	Examples map[string]string `json:"examples,omitempty"`
	// Breaks and Gaps group the disagreements by principal and action,
	// most frequent first (at most MaxGroups each).
	Breaks []Group `json:"would_break_groups"`
	Gaps   []Group `json:"fidelity_gap_groups"`

	groups map[groupKey]*Group
}

// Group is one (principal, action) with disagreements of one verdict.
type Group struct {
	Principal string `json:"principal"`
	Action    string `json:"action"`
	Count     int    `json:"count"`
	// First is the first call's record, Step and Reason the bundle's
	// decision of it, Missing the context its log lacked.
	First   string   `json:"first"`
	Step    string   `json:"step"`
	Reason  string   `json:"reason"`
	Missing []string `json:"missing,omitempty"`
	verdict string
}

type groupKey struct{ verdict, principal, action string }

// MaxGroups bounds the groups a summary lists per verdict; maxGroupKeys
// bounds the distinct groups counted (the rest are counted in the totals
// only), so that the summary's memory does not grow with the logs.
const (
	MaxGroups    = 20
	maxGroupKeys = 10_000
)

func newSummary() *Summary {
	return &Summary{Unmapped: map[string]int{}, Unreadable: map[string]int{}, Examples: map[string]string{}, groups: map[groupKey]*Group{}}
}

// Replay decides every call of the logs with eng (prepared over the bundle
// with rego.PrepareBundle) on every core, and hands each event to each in
// log order. It returns the summary; an error only when each fails or the
// context ends.
func Replay(ctx context.Context, eng *rego.Engine, src Source, each func(*Event) error) (*Summary, error) {
	sum := newSummary()
	decide := func(ev *Event) {
		ev.Decision = compare(ev.Call, eng.DecideInput(ctx, ev.Call.Input()))
	}
	files, err := scan(ctx, src, decide, func(ev *Event) error {
		sum.add(ev)
		if each != nil {
			return each(ev)
		}
		return nil
	})
	sum.Files = files
	sum.finish()
	return sum, err
}

// compare sets the verdict of a decision against AWS's outcome.
func compare(c *cloudtrail.Call, d rego.Decision) *Decided {
	out := &Decided{Decision: d}
	allowed := d.Allow && d.Error == ""
	switch {
	case c.AWS == cloudtrail.AWSFailed:
		out.Verdict = NotCompared
	case c.AWS == cloudtrail.AWSAllowed && allowed, c.AWS == cloudtrail.AWSDenied && !allowed:
		out.Verdict = Agree
		out.KindDiffers = c.AWS == cloudtrail.AWSDenied && c.AWSDecision != "" && d.Error == "" && c.AWSDecision != d.Decision
	case c.AWS == cloudtrail.AWSAllowed:
		out.Verdict = WouldBreak
	default:
		out.Verdict = FidelityGap
	}
	return out
}

func (s *Summary) add(ev *Event) {
	switch {
	case ev.Skipped:
		s.Records++
		s.Skipped++
		return
	case ev.Problem != nil:
		s.Unreadable[ev.Problem.Code]++
		s.example("unreadable "+ev.Problem.Code, ev.Where+": "+ev.Problem.Message)
		return
	case ev.Unmapped != nil:
		s.Records++
		s.Unmapped[ev.Unmapped.Reason]++
		s.example("unmapped "+ev.Unmapped.Reason, ev.Where+": "+ev.Unmapped.Detail)
		return
	}
	s.Records++
	s.Calls++
	c := ev.Call
	switch c.AWS {
	case cloudtrail.AWSAllowed:
		s.AWSAllowed++
	case cloudtrail.AWSDenied:
		s.AWSDenied++
	default:
		s.AWSFailed++
	}
	d := ev.Decision
	if d == nil {
		return
	}
	if d.Decision.Error != "" {
		s.Undecided++
	}
	if d.KindDiffers {
		s.DenialKindDiffers++
	}
	switch d.Verdict {
	case Agree:
		s.Agree++
	case NotCompared:
		s.NotCompared++
	case WouldBreak:
		s.WouldBreak++
		s.group(ev)
	case FidelityGap:
		s.FidelityGaps++
		s.group(ev)
	}
}

func (s *Summary) example(key, where string) {
	if _, ok := s.Examples[key]; !ok {
		s.Examples[key] = where
	}
}

func (s *Summary) group(ev *Event) {
	c := ev.Call
	k := groupKey{ev.Decision.Verdict, c.Owner, c.Action}
	g := s.groups[k]
	if g == nil {
		if len(s.groups) >= maxGroupKeys {
			return
		}
		g = &Group{Principal: c.Owner, Action: c.Action, First: ev.Where, Step: ev.Decision.Decision.Step, Reason: ev.Decision.Decision.Reason, Missing: c.Missing, verdict: k.verdict}
		s.groups[k] = g
	}
	g.Count++
}

// finish sorts the groups, most frequent first.
func (s *Summary) finish() {
	s.Breaks, s.Gaps = []Group{}, []Group{}
	for _, g := range s.groups {
		if g.verdict == WouldBreak {
			s.Breaks = append(s.Breaks, *g)
		} else {
			s.Gaps = append(s.Gaps, *g)
		}
	}
	for _, list := range []*[]Group{&s.Breaks, &s.Gaps} {
		sort.Slice(*list, func(i, j int) bool {
			a, b := (*list)[i], (*list)[j]
			if a.Count != b.Count {
				return a.Count > b.Count
			}
			if a.Principal != b.Principal {
				return a.Principal < b.Principal
			}
			return a.Action < b.Action
		})
		if len(*list) > MaxGroups {
			*list = (*list)[:MaxGroups]
		}
	}
}

// NothingRead reports whether the logs gave no record at all while some
// part of them could not be read: the replay has nothing to say.
func (s *Summary) NothingRead() bool {
	return s.Records == 0
}

// Explain says, for a disagreement, why the decision may differ from
// AWS's: the deciding step and, for a fidelity gap, the context the log
// lacked.
func Explain(c *cloudtrail.Call, d *Decided) string {
	switch d.Verdict {
	case WouldBreak:
		if d.Decision.Error != "" {
			return "AWS allowed it; the bundle cannot decide it (a deny): " + d.Decision.Error
		}
		return fmt.Sprintf("AWS allowed it; the bundle gives %s at step %s: %s%s", d.Decision.Decision, d.Decision.Step, d.Decision.Reason, missingText(c))
	case FidelityGap:
		return fmt.Sprintf("AWS denied it (%s); the bundle allows it at step %s%s", c.ErrorCode, d.Decision.Step, missingText(c))
	}
	return ""
}

// missingText lists the context AWS had and the log does not carry.
func missingText(c *cloudtrail.Call) string {
	missing := append(append([]string{}, c.Missing...), "request tags and service-specific condition keys other than those mapped")
	return "; context the log does not carry: " + strings.Join(missing, "; ")
}
