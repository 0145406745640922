//go:build !linux

package main

import (
	"os"
	"syscall"
)

// serverAttr: elsewhere the server stays in the harness's process group.
func serverAttr() *syscall.SysProcAttr { return nil }

// sigterm: os.Interrupt is what every system can send a child.
var sigterm = os.Interrupt
