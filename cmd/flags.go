package cmd

import (
	"encoding/json"
	"fmt"
	"slices"
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

// format is the value of a command's --format flag: one of the formats
// the command can write, checked when the flag is parsed (a bad value is
// a usage error like an unknown flag).
type format struct {
	choices []string
	value   string
}

func (f *format) Set(s string) error {
	if !slices.Contains(f.choices, s) {
		return fmt.Errorf("must be %s, got %q", orList(f.choices), s)
	}
	f.value = s
	return nil
}

func (f *format) String() string { return f.value }

// formatFlag is the --format flag of every command that writes output:
// the first of choices is the default ("pretty" for every command but
// compile, whose output is Rego).
func formatFlag(choices ...string) cli.Flag {
	return &cli.GenericFlag{Name: "format", Value: &format{choices: choices, value: choices[0]},
		Usage: "output format: " + orList(choices)}
}

// formatOf is the --format a command was given (or its default).
func formatOf(c *cli.Context) string {
	return c.Generic("format").(*format).value
}

// orList writes "a, b or c"; andList "a, b and c".
func orList(xs []string) string  { return list(xs, " or ") }
func andList(xs []string) string { return list(xs, " and ") }

func list(xs []string, last string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + last + xs[len(xs)-1]
}

// typeFlag is --type, the policy type of the FILE arguments, with its
// default ("": decided per file).
func typeFlag(def string) cli.Flag {
	usage := "policy type: " + policyTypeList()
	if def == "" {
		usage = "policy type of the FILE arguments: " + policyTypeList() + " (default: decided per file)"
	}
	return &cli.StringFlag{Name: "type", Value: def, Usage: usage}
}

// noRuleIndexingFlag switches OPA's rule index off (decisions must not
// change: `make cases` runs the corpus both ways).
func noRuleIndexingFlag() cli.Flag {
	return &cli.BoolFlag{Name: "no-rule-indexing", Usage: "switch OPA's rule index off (decisions must not change)"}
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

const patternLimitName = "max-pattern-length"

// patternLimitFlag is --max-pattern-length, for the commands that compile
// policies (translator.MaxPatternChars).
func patternLimitFlag() cli.Flag {
	return &cli.IntFlag{Name: patternLimitName, Value: translator.DefaultMaxPatternChars,
		Usage: "the longest wildcard pattern (a policy string with * or ?) in characters; longer ones are input_too_large"}
}

// setPatternLimit applies --max-pattern-length (every run, so that runs in
// one process do not inherit each other's limit).
func setPatternLimit(c *cli.Context) error {
	translator.SetMaxPatternChars(c.Int("max-pattern-length"))
	return nil
}
