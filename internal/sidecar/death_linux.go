package sidecar

import (
	"os/exec"
	"syscall"
)

// setDeathSignal makes the kernel kill the child when this process dies
// (a test binary killed by its timeout must not leave OPA running).
func setDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
