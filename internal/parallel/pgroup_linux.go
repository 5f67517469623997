package parallel

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup keeps a child out of the terminal's process group: a
// Ctrl-C reaches the parent only, which stops each child once (a second
// SIGINT would make Ginkgo skip its clean-up and reports). Out of that
// group nothing else stops the child, so the kernel sends it SIGTERM when
// the parent dies without stopping it (SIGKILL, the OOM killer): it then
// ends as on Ctrl-C instead of testing the target on, unseen.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
