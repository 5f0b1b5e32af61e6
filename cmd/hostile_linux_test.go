//go:build linux

package cmd

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/iam2rego/iam2rego/internal/testexport"
)

// These tests run the real binary: they kill it, limit it, and measure its
// memory, which an in-process run() cannot show.

// hostileBinary builds iam2rego into the test's temporary directory.
func hostileBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "iam2rego")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeLargeExport writes an account export of n roles, each with its own
// inline policy of stmts statements (testexport.WriteRoles), and returns
// the file's size.
func writeLargeExport(t *testing.T, path string, n, stmts int) int64 {
	t.Helper()
	size, err := testexport.WriteRoles(path, n, stmts)
	if err != nil {
		t.Fatal(err)
	}
	return size
}

// previousBundle builds the example account into dir/bundle.tar.gz with
// the binary and returns its bytes: the "last good bundle".
func previousBundle(t *testing.T, bin, dir string) (string, []byte) {
	t.Helper()
	out := filepath.Join(dir, "bundle.tar.gz")
	cmd := exec.Command(bin, "build", "--account-details", "testdata/example/account-details.json",
		"--org", "testdata/example/organization.json", "--resource-policies", "testdata/example/resource-policies.json", "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the previous bundle: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return out, data
}

// requirePrevious checks that path still holds want and that dir holds
// nothing else (no temporary file).
func requirePrevious(t *testing.T, dir, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the previous bundle is gone: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the previous bundle changed: %d bytes, was %d", len(got), len(want))
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if e.Name() != filepath.Base(path) {
			names = append(names, e.Name())
		}
	}
	if len(names) > 0 {
		t.Errorf("the directory holds %v besides the bundle: a temporary file was left behind", names)
	}
}

// TestKilledBuildKeepsThePreviousBundle: `iam2rego build` killed with
// SIGKILL while it compiles a large export leaves the previous bundle at
// -o byte-identical and no temporary file. The kill is synchronised on
// an event, not a sleep: the moment the build closes the export it has
// read (inotify IN_CLOSE_NOWRITE), before it has compiled anything.
func TestKilledBuildKeepsThePreviousBundle(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large export")
	}
	bin := hostileBinary(t)
	work := t.TempDir()
	export := filepath.Join(work, "large.json")
	writeLargeExport(t, export, 3000, 8)
	outDir := t.TempDir()
	path, want := previousBundle(t, bin, outDir)

	cmd := exec.Command(bin, "build", "--account-details", export, "-o", path)
	if name := killOn(t, cmd, work, syscall.IN_CLOSE_NOWRITE); name != filepath.Base(export) {
		t.Fatalf("the first file the build closed in %s is %q, not the export", work, name)
	}
	requirePrevious(t, outDir, path, want)
}

// killOn starts cmd and kills it (SIGKILL) at the first inotify event of
// mask in dir, and returns the name of the file of that event. The test
// fails if the process ends on its own first, or no event comes within
// two minutes.
func killOn(t *testing.T, cmd *exec.Cmd, dir string, mask uint32) string {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if err != nil {
		t.Fatalf("inotify: %v", err)
	}
	defer syscall.Close(fd)
	if _, err := syscall.InotifyAddWatch(fd, dir, mask); err != nil {
		t.Fatalf("inotify: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	event := make(chan string, 1)
	go func() {
		buf := make([]byte, 4096)
		n, err := syscall.Read(fd, buf)
		if err != nil || n < syscall.SizeofInotifyEvent {
			event <- ""
			return
		}
		ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[0]))
		name := string(bytes.TrimRight(buf[syscall.SizeofInotifyEvent:syscall.SizeofInotifyEvent+int(ev.Len)], "\x00"))
		cmd.Process.Signal(syscall.SIGKILL)
		event <- name
	}()
	var name string
	select {
	case name = <-event:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("no inotify event in %s within 2 minutes", dir)
	}
	cmd.Wait()
	if ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the build ended on its own (%v) before it was killed at %q", cmd.ProcessState, name)
	}
	t.Logf("killed the build at %q", name)
	return name
}

// TestBuildKilledWhileWritingKeepsThePreviousBundle kills the build the
// moment it creates its temporary file in the output directory (inotify):
// the previous bundle is byte-identical. The temporary file it was
// writing cannot be removed by a killed process; it must be hidden
// (a dot file, never taken for a bundle), and the next build to the same
// output removes it.
func TestBuildKilledWhileWritingKeepsThePreviousBundle(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large export")
	}
	bin := hostileBinary(t)
	work := t.TempDir()
	export := filepath.Join(work, "large.json")
	writeLargeExport(t, export, 1500, 8)
	outDir := t.TempDir()
	path, want := previousBundle(t, bin, outDir)

	cmd := exec.Command(bin, "build", "--account-details", export, "-o", path)
	killOn(t, cmd, outDir, syscall.IN_CREATE|syscall.IN_MOVED_TO)
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("the previous bundle changed or is gone (%v)", err)
	}
	entries, _ := os.ReadDir(outDir)
	for _, e := range entries {
		if e.Name() != filepath.Base(path) && !strings.HasPrefix(e.Name(), ".") {
			t.Errorf("the killed build left %q, which is not a hidden temporary file", e.Name())
		}
	}
	// The next build to the same output replaces the bundle and leaves
	// nothing else behind.
	small := filepath.Join(work, "small.json")
	writeLargeExport(t, small, 2, 1)
	if b, err := exec.Command(bin, "build", "--account-details", small, "-o", path).CombinedOutput(); err != nil {
		t.Fatalf("the next build: %v\n%s", err, b)
	}
	entries, _ = os.ReadDir(outDir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 1 {
		t.Errorf("after the next build the output directory holds %v; the temporary file of the killed build was not cleaned up (bundles.WriteFile could remove stale .%s.tmp-* files)", names, filepath.Base(path))
	}
}

// TestFailedBuildKeepsThePreviousBundle: builds that fail (bad input, a
// signing key that cannot be read, a write that fails because the file
// size limit is reached) exit 2 and leave the previous bundle
// byte-identical and no temporary file.
func TestFailedBuildKeepsThePreviousBundle(t *testing.T) {
	bin := hostileBinary(t)
	work := t.TempDir()
	export := filepath.Join(work, "export.json")
	writeLargeExport(t, export, 200, 4)
	fifo := filepath.Join(work, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"bad input":      {"build", "--account-details", "testdata/invalid/gaad-two-accounts.json"},
		"missing key":    {"build", "--account-details", export, "--signing-key", filepath.Join(work, "no-such-key.pem")},
		"missing secret": {"build", "--account-details", export, "--signing-alg", "HS256", "--signing-key", filepath.Join(work, "no-such-secret")},
		"FIFO as key":    {"build", "--account-details", export, "--signing-alg", "HS256", "--signing-key", fifo},
		"write too long": {"build", "--account-details", export},
	} {
		t.Run(name, func(t *testing.T) {
			outDir := t.TempDir()
			path, want := previousBundle(t, bin, outDir)
			cmd := exec.Command(bin, append(args, "-o", path)...)
			if name == "write too long" {
				// RLIMIT_FSIZE below the bundle's size: the write of the
				// temporary file fails with EFBIG (Go ignores SIGXFSZ).
				cmd = exec.Command("bash", "-c", `ulimit -f 8 && exec "$@"`, "bash")
				cmd.Args = append(cmd.Args, append([]string{bin}, append(args, "-o", path)...)...)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != exitBadData {
				t.Fatalf("exit %v, want 2; stderr %s", err, stderr.String())
			}
			t.Logf("stderr: %s", strings.TrimSpace(stderr.String()))
			if strings.Contains(stderr.String(), "goroutine ") {
				t.Errorf("stack trace on stderr:\n%s", stderr.String())
			}
			requirePrevious(t, outDir, path, want)
		})
	}
}

// maxRSS is a finished child's peak resident set size in bytes.
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024
	}
	return -1
}

// rss reads a running process's resident set size from /proc.
func rss(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// TestLargeExportIsRefusedInBoundedMemory: a 100 MB account export (over
// the 64 MiB input limit) is refused with exit 2 and one diagnostic line
// naming the file and input_too_large, quickly and without reading it
// into memory; or, should the limit ever go, processed in bounded memory.
// The child is killed as soon as it uses more than 2 GiB, so that a
// regression fails the test instead of bringing the machine down.
func TestLargeExportIsRefusedInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 100 MB export")
	}
	bin := hostileBinary(t)
	dir := t.TempDir()
	export := filepath.Join(dir, "export-100mb.json")
	size := writeLargeExport(t, export, 72000, 8)
	if size < 100_000_000 {
		t.Fatalf("the generated export has only %d bytes", size)
	}
	const budget = 2 << 30
	m := runMeasured(t, budget, bin, "build", "--account-details", export, "-o", filepath.Join(dir, "bundle.tar.gz"))
	err, elapsed, peak := m.err, m.elapsed, m.peak
	t.Logf("%d-byte export: exit %v after %v, peak RSS %d MiB; stderr %q", size, err, elapsed.Round(time.Millisecond), peak>>20, m.stderr.String())
	if m.killed {
		t.Fatalf("BUG: iam2rego build used more than %d MiB on a %d-byte export and was killed; it must refuse inputs over the 64 MiB limit before reading them", budget>>20, size)
	}
	if err == nil {
		if peak > budget {
			t.Errorf("the export was built with a peak RSS of %d MiB", peak>>20)
		}
		return
	}
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitBadData {
		t.Fatalf("exit %v, want 2 (refused) or 0 (built in bounded memory)", err)
	}
	lines := strings.Split(strings.TrimSpace(m.stderr.String()), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], export+": ") || !strings.HasSuffix(lines[0], "(input_too_large)") {
		t.Errorf("want one line `%s: /: … (input_too_large)`, got:\n%s", export, m.stderr.String())
	}
	// Memory is the bar (it holds on any machine); the time is logged.
	if peak > 256<<20 {
		t.Errorf("refusing the export took %d MiB after %v; it should not read the file", peak>>20, elapsed)
	}
}
