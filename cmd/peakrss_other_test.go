//go:build !linux

package cmd

// runLauncherIfAsked: peak RSS is measured on Linux only
// (peakrss_linux_test.go).
func runLauncherIfAsked() {}
