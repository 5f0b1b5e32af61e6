package oracle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// Timeout bounds every node process the harness starts.
const Timeout = 3 * time.Minute

// ErrUnavailable wraps every reason the oracle cannot run here (no node,
// not installed); the tests skip on it with that reason.
var ErrUnavailable = errors.New("the oracle is unavailable")

// Oracle is an installed copy of the oracle: Dir holds simulate.mjs,
// gen.mjs and the node_modules that `npm ci` installed from the oracle's
// package-lock.json.
type Oracle struct {
	Dir  string
	Node string // the node executable
}

// DefaultDir is where `make oracle-install` and ../shared/oracle/compare
// install the oracle: $IAM_ORACLE_DIR, else $XDG_CACHE_HOME/iam2rego-oracle,
// else ~/.cache/iam2rego-oracle.
func DefaultDir() string {
	if d := os.Getenv("IAM_ORACLE_DIR"); d != "" {
		return d
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "iam2rego-oracle")
}

// Find checks that node is on PATH and that the oracle is installed in dir.
func Find(dir string) (*Oracle, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("%w: node is not on PATH (install Node 18+; `make oracle-install` then installs the oracle)", ErrUnavailable)
	}
	for _, f := range []string{"simulate.mjs", "gen.mjs", "node_modules/@cloud-copilot/iam-simulate/package.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return nil, fmt.Errorf("%w: %s is missing in %s (run `make oracle-install`)", ErrUnavailable, f, dir)
		}
	}
	return &Oracle{Dir: dir, Node: node}, nil
}

// Answer is one line of simulate.mjs's output.
type Answer struct {
	ID                 any      `json:"id"`
	Decision           string   `json:"decision"`
	Error              string   `json:"error"`
	IgnoredContextKeys []string `json:"ignoredContextKeys"`
}

// Outcome is the oracle's decision, or "error" when it rejected the case.
func (a Answer) Outcome() string {
	if a.Error != "" || a.Decision == "" {
		return "error"
	}
	return a.Decision
}

// Simulate decides JSON Lines cases with the oracle, one answer per
// non-blank input line, in order.
func (o *Oracle) Simulate(ctx context.Context, cases []byte) ([]Answer, error) {
	out, err := o.run(ctx, cases, "simulate.mjs")
	if err != nil {
		return nil, err
	}
	var answers []Answer
	for i, line := range Lines(out) {
		var a Answer
		if err := json.Unmarshal(line, &a); err != nil {
			return nil, fmt.Errorf("simulate.mjs output line %d: %v", i+1, err)
		}
		answers = append(answers, a)
	}
	if want := len(Lines(cases)); len(answers) != want {
		return nil, fmt.Errorf("simulate.mjs answered %d of %d cases", len(answers), want)
	}
	return answers, nil
}

// Set is a fixed-seed set of random cases drawn by the oracle's
// generator (gen.mjs): the same seed, size and profile give the same
// cases byte for byte.
type Set struct {
	Name    string // names the set's cases in the differences list ("edge#s18-3")
	Profile string // safe or edge (../shared/oracle/README.md)
	Seed    int
	N       int
}

func (s Set) String() string {
	return fmt.Sprintf("%s (profile %s, seed %d, %d cases)", s.Name, s.Profile, s.Seed, s.N)
}

// Generate draws the set's cases.
func (o *Oracle) Generate(ctx context.Context, s Set) ([]byte, error) {
	out, err := o.run(ctx, nil, "gen.mjs", "--seed", strconv.Itoa(s.Seed), "--n", strconv.Itoa(s.N), "--profile", s.Profile)
	if err != nil {
		return nil, err
	}
	if got := len(Lines(out)); got != s.N {
		return nil, fmt.Errorf("gen.mjs gave %d cases for %s", got, s)
	}
	return out, nil
}

// run starts one node script of the oracle with stdin, bounded by Timeout.
func (o *Oracle) run(ctx context.Context, stdin []byte, script string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, o.Node, append([]string{filepath.Join(o.Dir, script)}, args...)...)
	cmd.Dir = o.Dir
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("node %s: %v\n%s", script, err, tail(stderr.Bytes()))
	}
	return stdout.Bytes(), nil
}

// Lines splits JSON Lines text into its non-blank lines.
func Lines(b []byte) [][]byte {
	var out [][]byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		if len(bytes.TrimSpace(l)) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// tail keeps the end of a long error output.
func tail(b []byte) []byte {
	const max = 2000
	if len(b) > max {
		return b[len(b)-max:]
	}
	return b
}
