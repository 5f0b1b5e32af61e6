//go:build !linux

package sidecar

import "os/exec"

// setDeathSignal is Linux-only; elsewhere Stop and context cancellation
// end the process.
func setDeathSignal(*exec.Cmd) {}
