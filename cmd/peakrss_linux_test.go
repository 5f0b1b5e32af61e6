//go:build linux

package cmd

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A child's ru_maxrss is not its own peak alone: Go starts children with
// vfork (CLONE_VM), and Linux records the parent's high-water RSS in the
// child when it execs. A 10 ms refusal started from a 260 MiB test process
// reported a 261 MiB peak (a CI run failed on it). So the command under
// measure is started by a launcher: this test binary run again, small
// because it does nothing but start the command, watch it and report.

// Environment of a launcher: where to write its report and the RSS, in
// bytes, above which it kills the command.
const (
	launcherReportEnv = "IAM2REGO_TEST_PEAK_RSS_REPORT"
	launcherBudgetEnv = "IAM2REGO_TEST_PEAK_RSS_BUDGET"
)

// runLauncherIfAsked runs the launcher and exits when this process was
// started as one, and returns otherwise.
func runLauncherIfAsked() {
	report := os.Getenv(launcherReportEnv)
	if report == "" {
		return
	}
	budget, _ := strconv.ParseInt(os.Getenv(launcherBudgetEnv), 10, 64)
	os.Exit(launch(report, budget, os.Args[1:]))
}

// launch runs args, killing it once its RSS passes budget, writes
// "<peak bytes> <killed>" to report and returns the command's exit code.
func launch(report string, budget int64, args []string) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "launcher:", err)
		return 125
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	killed := false
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var err error
wait:
	for {
		select {
		case err = <-done:
			break wait
		case <-tick.C:
			if budget > 0 && rss(cmd.Process.Pid) > budget {
				killed = true
				cmd.Process.Kill()
			}
		}
	}
	var peak int64 = -1
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		peak = ru.Maxrss * 1024
	}
	if werr := os.WriteFile(report, []byte(fmt.Sprintf("%d %t", peak, killed)), 0o600); werr != nil {
		fmt.Fprintln(os.Stderr, "launcher:", werr)
		return 125
	}
	if ee, ok := err.(*exec.ExitError); ok {
		if code := ee.ExitCode(); code >= 0 {
			return code
		}
		return 137
	}
	if err != nil {
		return 125
	}
	return 0
}

// measured is a command run under a launcher.
type measured struct {
	stdout, stderr bytes.Buffer
	err            error // as exec.Cmd.Run reports the launcher's exit
	elapsed        time.Duration
	peak           int64 // the command's own peak RSS in bytes
	killed         bool  // the launcher killed it for passing the budget
}

// runMeasured runs bin with args under a launcher that kills it once its
// RSS passes budget bytes (0: never), and reports its own peak RSS.
func runMeasured(t *testing.T, budget int64, bin string, args ...string) *measured {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	report := t.TempDir() + "/peak"
	cmd := exec.Command(self, append([]string{bin}, args...)...)
	cmd.Env = append(os.Environ(), launcherReportEnv+"="+report, launcherBudgetEnv+"="+strconv.FormatInt(budget, 10))
	m := &measured{}
	cmd.Stdout, cmd.Stderr = &m.stdout, &m.stderr
	start := time.Now()
	m.err = cmd.Run()
	m.elapsed = time.Since(start)
	data, rerr := os.ReadFile(report)
	if rerr != nil {
		t.Fatalf("the launcher wrote no report (%v); exit %v, stderr %s", rerr, m.err, m.stderr.String())
	}
	if _, err := fmt.Sscanf(strings.TrimSpace(string(data)), "%d %t", &m.peak, &m.killed); err != nil {
		t.Fatalf("launcher report %q: %v", data, err)
	}
	return m
}

// TestLauncherMeasuresTheChildAlone: a child started by a launcher reports
// its own peak, not this test process's. The test grows its own heap past
// 256 MiB, then measures a command that needs a few MiB; the direct
// child's ru_maxrss would report this process's size.
func TestLauncherMeasuresTheChildAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 300 MiB")
	}
	ballast := make([]byte, 300<<20)
	for i := range ballast {
		ballast[i] = 1
	}
	direct := exec.Command("/bin/true")
	if err := direct.Run(); err != nil {
		t.Skip("/bin/true:", err)
	}
	m := runMeasured(t, 0, "/bin/true")
	t.Logf("direct child: %d MiB; launched child: %d MiB", maxRSS(direct.ProcessState)>>20, m.peak>>20)
	if m.err != nil || m.peak <= 0 || m.peak > 64<<20 {
		t.Errorf("launched /bin/true: exit %v, peak %d MiB; want 0 and a few MiB", m.err, m.peak>>20)
	}
	if ballast[len(ballast)-1] != 1 {
		t.Fatal("ballast")
	}
}
