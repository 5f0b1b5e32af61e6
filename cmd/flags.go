package cmd

import (
	"encoding/json"
	"strings"

	"github.com/iam2rego/iam2rego/translator"
	"github.com/urfave/cli/v2"
)

// contextFromFlags reads the repeated --context KEY=VALUE flags (nil when
// there are none); a VALUE starting with [ is a JSON array of strings.
func contextFromFlags(c *cli.Context) (map[string]any, error) {
	var out map[string]any
	for _, kv := range c.StringSlice("context") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, failed(exitBadData, "--context %q must be KEY=VALUE", kv)
		}
		if out == nil {
			out = map[string]any{}
		}
		if strings.HasPrefix(v, "[") {
			var list []string
			if err := json.Unmarshal([]byte(v), &list); err != nil {
				return nil, failed(exitBadData, "--context %s: %q is not a JSON array of strings", k, v)
			}
			out[k] = list
		} else {
			out[k] = v
		}
	}
	return out, nil
}

// checkFormat accepts the two output formats every command offers.
func checkFormat(format string) error {
	if format != "pretty" && format != "json" {
		return failed(exitBadData, "--format must be pretty or json, got %q", format)
	}
	return nil
}

func policyTypeList() string {
	names := make([]string, len(translator.PolicyTypes))
	for i, t := range translator.PolicyTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

func parsePolicyType(s string) (translator.PolicyType, error) {
	for _, t := range translator.PolicyTypes {
		if string(t) == s {
			return t, nil
		}
	}
	return "", failed(exitBadData, "--type must be one of %s, got %q", policyTypeList(), s)
}

// patternLimitFlag is --max-pattern-length, for the commands that compile
// policies (translator.MaxPatternChars).
func patternLimitFlag() cli.Flag {
	return &cli.IntFlag{Name: "max-pattern-length", Value: translator.DefaultMaxPatternChars,
		Usage: "the longest wildcard pattern (a policy string with * or ?) in characters; longer ones are input_too_large"}
}

// setPatternLimit applies --max-pattern-length (every run, so that runs in
// one process do not inherit each other's limit).
func setPatternLimit(c *cli.Context) error {
	translator.SetMaxPatternChars(c.Int("max-pattern-length"))
	return nil
}
