package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile is the file whose lock a process holds while it writes to a
// data directory: the server, the demo's seeding, rebuild and import. The
// service keeps the log's tip in memory, so two writers at once would
// fork the log.
const lockFile = "truce.lock"

// lock takes the data directory's writer lock, or says who may hold it.
// The lock goes with the process: release it, or exit.
//
// On PostgreSQL there is no file lock: several processes may write to one
// database, and its writers' advisory lock (package postgres) keeps them
// in one sequence.
func (d *dataDir) lock() (release func(), err error) {
	if d.dsn != "" {
		return func() {}, nil
	}
	f, err := os.OpenFile(d.file(lockFile), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s is in use by another truce process that writes to it (a running server?): stop it first, or send the commands to the server", d.path)
		}
		return nil, fmt.Errorf("%s: %w", d.file(lockFile), err)
	}
	return func() { f.Close() }, nil
}
