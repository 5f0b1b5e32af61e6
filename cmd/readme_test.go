package cmd

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeCommand is one `$ ` command of a README.md sh block, with the
// output the README shows after it.
type readmeCommand struct {
	line    int    // of README.md, where the command starts
	command string // continuation lines joined
	output  []string
}

// readmeBlock is a ```sh block of README.md: either commands with their
// output ($ lines), or make targets (no prompt).
type readmeBlock struct {
	line     int
	commands []readmeCommand
	targets  []string // make targets, for a block without prompts
	excerpt  []string // a plain ``` block right after it: part of its output
}

// readmeBlocks reads the sh blocks of README.md.
func readmeBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	f, err := os.Open("README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []readmeBlock
	var cur *readmeBlock
	plain := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && line == "```sh":
			blocks = append(blocks, readmeBlock{line: n})
			cur, plain = &blocks[len(blocks)-1], false
		case cur == nil && line == "```" && len(blocks) > 0 && len(blocks[len(blocks)-1].targets) > 0 && blocks[len(blocks)-1].excerpt == nil:
			// The first plain block after the make targets: an excerpt
			// of what they print.
			cur, plain = &blocks[len(blocks)-1], true
			cur.excerpt = []string{}
		case cur == nil:
		case line == "```":
			cur = nil
		case plain:
			cur.excerpt = append(cur.excerpt, line)
		case strings.HasPrefix(line, "$ "):
			cur.commands = append(cur.commands, readmeCommand{line: n, command: strings.TrimPrefix(line, "$ ")})
		case len(cur.commands) > 0 && strings.HasSuffix(cur.commands[len(cur.commands)-1].command, "\\"):
			c := &cur.commands[len(cur.commands)-1]
			c.command = strings.TrimSuffix(c.command, "\\") + " " + strings.TrimSpace(line)
		case len(cur.commands) > 0:
			c := &cur.commands[len(cur.commands)-1]
			c.output = append(c.output, line)
		default:
			target, _, _ := strings.Cut(line, "#")
			if f := strings.Fields(target); len(f) == 2 && f[0] == "make" {
				cur.targets = append(cur.targets, f[1])
			} else if strings.TrimSpace(line) != "" {
				t.Fatalf("README.md:%d: a line in a sh block that is neither a $ command, its output nor a make target: %q", n, line)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return blocks
}

// outputPattern turns the output the README shows into a regular
// expression: "…" stands for any text within a line.
func outputPattern(lines []string) *regexp.Regexp {
	parts := make([]string, len(lines))
	for i, l := range lines {
		quoted := strings.Split(strings.TrimRight(l, " "), "…")
		for j := range quoted {
			quoted[j] = regexp.QuoteMeta(quoted[j])
		}
		parts[i] = strings.Join(quoted, ".*")
	}
	return regexp.MustCompile(`\A` + strings.Join(parts, "\n") + `\n?\z`)
}

// stanzas splits an excerpt of output at its unindented lines (one
// decision and its explanation each): the README may leave lines out
// between them, not within them.
func stanzas(lines []string) []string {
	var out []string
	for _, l := range lines {
		if len(out) == 0 || !strings.HasPrefix(l, " ") {
			out = append(out, l)
		} else {
			out[len(out)-1] += "\n" + l
		}
	}
	return out
}

// readmeBinary builds the binary the README's commands run, in a work
// folder laid out like the repository for them: bin/iam2rego and
// testdata (a link to the repository's).
func readmeBinary(t *testing.T) string {
	t.Helper()
	work := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(work, "bin", "iam2rego"), ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "testdata"), filepath.Join(work, "testdata")); err != nil {
		t.Fatal(err)
	}
	return work
}

// skippedTargets are the make targets of README.md that TestREADME does
// not run, and why.
var skippedTargets = map[string]string{
	"test": "make test runs this test itself",
}

// TestREADME runs every command example of README.md, in order, against
// the real binary and checks the output shown (stdout and stderr as a
// terminal interleaves them) line by line; a command must exit 0 unless
// the example shows its status ($?). The make targets of the Quick start
// run too (make demo, whose output must hold the excerpt shown after it).
func TestREADME(t *testing.T) {
	blocks := readmeBlocks(t)
	work := readmeBinary(t)
	commands := 0
	for _, b := range blocks {
		for _, target := range b.targets {
			if why, ok := skippedTargets[target]; ok {
				t.Logf("README.md:%d: make %s is not run: %s", b.line, target, why)
				continue
			}
			out, err := exec.Command("make", "--no-print-directory", target).CombinedOutput()
			if err != nil {
				t.Errorf("README.md:%d: make %s: %v\n%s", b.line, target, err, out)
				continue
			}
			for _, want := range stanzas(b.excerpt) {
				if !strings.Contains(string(out), want) {
					t.Errorf("README.md:%d: make %s does not print what the README shows:\n%s\n--- got ---\n%s", b.line, target, want, out)
				}
			}
		}
		for _, c := range b.commands {
			commands++
			cmd := exec.Command("sh", "-c", "{ "+c.command+"\n} 2>&1")
			cmd.Dir = work
			out, err := cmd.Output()
			if err != nil && !strings.Contains(c.command, "$?") {
				t.Errorf("README.md:%d: %s\n%v (the README does not show a failure)\n%s", c.line, c.command, err, out)
				continue
			}
			if !outputPattern(c.output).Match(out) {
				t.Errorf("README.md:%d: %s\n--- the README shows ---\n%s\n--- got ---\n%s", c.line, c.command, strings.Join(c.output, "\n"), out)
			}
		}
	}
	// The README has one example of every command at least.
	for _, name := range []string{"validate", "compile", "eval", "test", "build", "inspect", "who-can", "can", "lint", "diff", "replay", "unused", "generate"} {
		found := false
		for _, b := range blocks {
			for _, c := range b.commands {
				found = found || strings.Contains(c.command, "bin/iam2rego "+name+" ")
			}
		}
		if !found {
			t.Errorf("README.md has no example of %s", name)
		}
	}
	if commands < 10 {
		t.Errorf("found %d README commands; the block parser missed some", commands)
	}
}
