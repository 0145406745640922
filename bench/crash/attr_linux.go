package main

import "syscall"

// serverAttr puts the server in its own process group, so that a Ctrl-C at
// the terminal reaches only the harness, which then stops the server; and
// has the kernel kill the server should the harness die first.
func serverAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

const sigterm = syscall.SIGTERM
