package access_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/analysis/access"
)

func TestCanExample(t *testing.T) {
	b, eng := example(t)
	ctx := context.Background()
	inRegion := map[string]any{"aws:RequestedRegion": "us-east-1"}
	res, err := access.Can(ctx, eng, b, agent, inRegion, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range res.Allowed {
		got = append(got, a.Action+" "+a.Resource)
	}
	want := []string{
		"bedrock:retrieve arn:aws:bedrock:us-east-1:111111111111:knowledge-base/KBGENAI001",
		"bedrock:invokemodel " + haiku,
		"lambda:invokefunction " + weather,
	}
	if !slices.Equal(got, want) {
		t.Errorf("the agent role can %v, want %v", got, want)
	}

	// Outside us-east-1 the SCP denies every Bedrock action.
	res, err = access.Can(ctx, eng, b, agent, map[string]any{"aws:RequestedRegion": "eu-west-1"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Allowed {
		if strings.HasPrefix(a.Action, "bedrock:") {
			t.Errorf("in eu-west-1 the agent role can %s on %s, which the SCP denies", a.Action, a.Resource)
		}
	}

	// Alice's AmazonBedrockReadOnly grants bedrock:Get* and List* on "*",
	// none of them a write; her group's home-folder policy grants
	// s3:GetObject and PutObject on genai-kb-docs/home/${aws:username}/*,
	// whose witness takes her own user name.
	res, err = access.Can(ctx, eng, b, alice, inRegion, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Allowed) < 50 {
		t.Errorf("alice can do %d things, want the read-only Bedrock actions", len(res.Allowed))
	}
	home := "arn:aws:s3:::genai-kb-docs/home/alice/x"
	var inHome []string
	for _, a := range res.Allowed {
		if a.Resource == home {
			inHome = append(inHome, a.Action)
			continue
		}
		name := strings.TrimPrefix(a.Action, "bedrock:")
		if !strings.HasPrefix(name, "get") && !strings.HasPrefix(name, "list") || a.Resource != "*" {
			t.Errorf("alice can %s on %s: not a Bedrock Get/List on *, nor her home folder", a.Action, a.Resource)
		}
	}
	if !slices.Equal(inHome, []string{"s3:getobject", "s3:putobject"}) {
		t.Errorf("in her home folder (%s) alice can %v, want s3:getobject and s3:putobject", home, inHome)
	}

	if _, err := access.Can(ctx, eng, b, "arn:aws:iam::111111111111:user/nobody", nil, 0); err == nil {
		t.Error("a principal the bundle does not hold is not an error")
	}
}
