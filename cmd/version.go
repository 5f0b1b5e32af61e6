package cmd

import (
	"fmt"
	"runtime"
	"runtime/debug"

	opaversion "github.com/open-policy-agent/opa/v1/version"
)

// version is what `iam2rego --version` prints after "iam2rego version":
// the module version (or "(devel)"), the commit it was built from when
// Go recorded it, and the OPA and Go it runs on.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Sprintf("(unknown), OPA v%s, %s", opaversion.Version, runtime.Version())
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += fmt.Sprintf(" (commit %s%s)", rev, modified)
	}
	return fmt.Sprintf("%s, OPA v%s, %s", v, opaversion.Version, runtime.Version())
}
