//go:build !linux

package main

import (
	"syscall"
	"time"
)

// serverAttr: elsewhere the server stays in the generator's process group,
// and is stopped by the generator only.
func serverAttr() *syscall.SysProcAttr { return nil }

// processCPU is not measured outside Linux.
func processCPU(pid int) (time.Duration, bool) { return 0, false }

// selfCPU is not measured outside Linux.
func selfCPU() time.Duration { return 0 }

// machineCPU is not measured outside Linux.
func machineCPU() (time.Duration, bool) { return 0, false }

// processRSS returns a process's resident memory in bytes (VmRSS).
func processRSS(pid int) (int64, bool) { return 0, false }
