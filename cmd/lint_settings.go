package cmd

import (
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/iam2rego/iam2rego/analysis/lint"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/urfave/cli/v2"
)

// lintSettings are what lint's --config, --enable, --baseline and
// --write-baseline ask for, read before linting so that a bad file stops
// the run at once.
type lintSettings struct {
	config        *lint.Config
	enable        []string
	baseline      *lint.Baseline
	writeBaseline string
}

// loadLintSettings reads the configuration and the baseline; their
// problems are printed as FILE: /pointer: message (code) and exit 2.
func loadLintSettings(c *cli.Context) (*lintSettings, error) {
	s := &lintSettings{writeBaseline: c.String("write-baseline")}
	if s.writeBaseline != "" && c.String("baseline") != "" {
		return nil, failed(exitBadData, "--baseline and --write-baseline go separately: --write-baseline FILE writes FILE and judges the run against it")
	}
	if file := c.String("config"); file != "" {
		cfg, err := lint.LoadConfig(file)
		if err != nil {
			return nil, badFile(c, file, err)
		}
		s.config, s.enable = cfg, cfg.Enable
	}
	for _, code := range c.StringSlice("enable") {
		if !slices.ContainsFunc(lint.Rules, func(r lint.Rule) bool { return r.Code == code && r.Optional() }) {
			return nil, failed(exitBadData, "--enable %q: not an optional rule (lint --help lists the rules; the optional ones say so)", code)
		}
		s.enable = append(s.enable, code)
	}
	if file := c.String("baseline"); file != "" {
		b, err := lint.LoadBaseline(file)
		if err != nil {
			return nil, badFile(c, file, err)
		}
		s.baseline = b
	}
	return s, nil
}

// badFile prints the diagnostics of a file lint could not use.
func badFile(c *cli.Context, file string, err error) error {
	list := schema.List(err)
	if len(list) == 0 {
		list = []*schema.Error{schema.Errorf(schema.CodeInternal, file, "", "%v", err)}
	}
	for _, e := range list {
		fmt.Fprintln(c.App.ErrWriter, e.Error())
	}
	return failed(exitBadData, "")
}

// apply applies the configuration (today's date decides which
// suppressions have expired), then writes or marks the baseline.
func (s *lintSettings) apply(rep *lint.Report) error {
	if s.config != nil {
		lint.Apply(rep, s.config, time.Now().UTC())
	}
	b := s.baseline
	if s.writeBaseline != "" {
		b = lint.NewBaseline(rep)
		f, err := os.Create(s.writeBaseline)
		if err != nil {
			return failed(exitBadData, "--write-baseline: %v", err)
		}
		werr := b.Write(f)
		if err := f.Close(); werr == nil {
			werr = err
		}
		if werr != nil {
			return failed(exitBadData, "--write-baseline: %v", werr)
		}
	}
	if b != nil {
		b.Mark(rep)
	}
	return nil
}
