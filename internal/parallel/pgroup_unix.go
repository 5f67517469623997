//go:build unix && !linux

package parallel

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup keeps a child out of the terminal's process group: a
// Ctrl-C reaches the parent only, which stops each child once (a second
// SIGINT would make Ginkgo skip its clean-up and reports).
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
