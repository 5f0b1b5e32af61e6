package trail

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestUnusedExample(t *testing.T) {
	b, eng := example(t)
	rep, err := Unused(context.Background(), eng, b, Source{Paths: []string{corpusLogs}}, UnusedOptions{Since: 90 * 24 * time.Hour, Context: map[string]any{"aws:RequestedRegion": "us-east-1"}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.WindowEnd != "2024-06-01T12:00:05Z" || rep.WindowStart != "2024-03-03T12:00:00Z" {
		t.Errorf("window %s to %s", rep.WindowStart, rep.WindowEnd)
	}
	byARN := map[string]PrincipalUsage{}
	for _, p := range rep.Principals {
		byARN[p.Principal] = p
	}
	inv := byARN[invokeRole]
	if inv.Unused || inv.LastActivity != "2024-06-01T10:00:05Z" {
		t.Errorf("invoke role %+v", inv)
	}
	svc := map[string]ServiceUsage{}
	for _, s := range inv.Services {
		svc[s.Service] = s
	}
	// AWSLambdaBasicExecutionRole grants logs:*; the logs show no call.
	if s := svc["logs"]; !s.Unused || s.LastAccessed != "" || !slices.Contains(s.UnusedActions, "logs:putlogevents") {
		t.Errorf("logs %+v", s)
	}
	// InvokeModel (and Converse) are used; the streaming variant is not.
	if s := svc["bedrock"]; s.Unused || !slices.Contains(s.UnusedActions, "bedrock:invokemodelwithresponsestream") || len(s.UsedActions) != 2 || s.UsedActions[0].Calls != 2 {
		t.Errorf("bedrock %+v", s)
	}
	// ListBucket is granted under s3:prefix, which the grants are not
	// decided with: its use is listed beyond the grants, not dropped.
	if kb := byARN[kbRole]; len(kb.UsedBeyondGrants) != 1 || kb.UsedBeyondGrants[0].Action != "s3:listbucket" || kb.UsedBeyondGrants[0].Calls != 1 {
		t.Errorf("kb role beyond grants: %+v", kb.UsedBeyondGrants)
	}
	// A window after the logs: every principal is unused, last uses kept.
	rep, err = Unused(context.Background(), eng, b, Source{Paths: []string{corpusLogs}}, UnusedOptions{Since: time.Hour, Now: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Principals {
		if !p.Unused {
			t.Errorf("%s is used in a window after the logs", p.Principal)
		}
		if p.Principal == invokeRole && p.LastActivity == "" {
			t.Error("the last activity before the window is lost")
		}
	}
	// Only what AWS did not deny is use: bob's denied GetObject is not.
	for _, s := range byARN["arn:aws:iam::111111111111:user/bob"].Services {
		for _, a := range s.UsedActions {
			if a.Action == "s3:getobject" {
				t.Error("a denied call counts as use")
			}
		}
	}
	if _, err := Unused(context.Background(), eng, b, Source{Paths: []string{corpusLogs}}, UnusedOptions{}); err == nil {
		t.Error("a zero window was accepted")
	}
}
