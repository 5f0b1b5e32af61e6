package trail

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/bundle"
)

const (
	exampleDir = "../../testdata/example"
	corpusDir  = "../../testdata/cloudtrail/example"
	corpusLogs = corpusDir + "/logs"
)

func exampleInputs() account.Inputs {
	return account.Inputs{
		AccountDetails: []string{filepath.Join(exampleDir, "account-details.json")},
		Org:            filepath.Join(exampleDir, "organization.json"),
		Resources:      []string{filepath.Join(exampleDir, "resource-policies.json")},
	}
}

var (
	exampleOnce   sync.Once
	exampleBundle *bundle.Bundle
	exampleEngine *rego.Engine
	exampleErr    error
)

// example builds the example account's bundle and prepares it once.
func example(t *testing.T) (*bundle.Bundle, *rego.Engine) {
	t.Helper()
	exampleOnce.Do(func() {
		exp, err := account.Load(exampleInputs())
		if err != nil {
			exampleErr = err
			return
		}
		res, err := bundles.Build(exp, bundles.Options{})
		if err != nil {
			exampleErr = err
			return
		}
		exampleBundle = res.Bundle
		exampleEngine, exampleErr = rego.PrepareBundle(context.Background(), res.Bundle)
	})
	if exampleErr != nil {
		t.Fatal(exampleErr)
	}
	return exampleBundle, exampleEngine
}
