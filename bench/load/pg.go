package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// startPGServers is startServer on a PostgreSQL database: it builds truce
// (unless bin names a binary), runs `truce init --data DIR --db DSN` (the
// database's log must be empty) and starts n `truce serve` processes on
// the same directory and database, each on a free loopback port, which
// share one log. It returns once every /healthz answers. On error,
// whatever it started has been stopped.
func startPGServers(ctx context.Context, dir, bin, dsn string, n int, progress io.Writer) (_ []*server, err error) {
	if bin == "" {
		bin, err = build(ctx, dir, progress)
	} else {
		bin, err = filepath.Abs(bin)
	}
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	var out bytes.Buffer
	initCmd := exec.CommandContext(ctx, bin, "init", "--data", data, "--db", dsn, "--origin", "truce.load/bench-pg")
	initCmd.Stdout, initCmd.Stderr = &out, progress
	if err := initCmd.Run(); err != nil {
		return nil, fmt.Errorf("truce init --db: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	operator := strings.TrimSpace(lines[len(lines)-1])
	if !strings.HasPrefix(operator, "truce_") {
		return nil, fmt.Errorf("truce init printed %q, want the operator token on its last line", out.String())
	}
	var ss []*server
	defer func() {
		if err != nil {
			for _, s := range ss {
				s.stop(io.Discard)
			}
		}
	}()
	for i := range n {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		s := &server{url: "http://" + addr, operator: operator, exited: make(chan struct{}),
			logPath: filepath.Join(dir, fmt.Sprintf("serve-%d.log", i+1))}
		if s.logFile, err = os.Create(s.logPath); err != nil {
			return nil, err
		}
		// The DSN is in data/db.dsn, written by init.
		s.cmd = exec.Command(bin, "serve", "--data", data, "--addr", addr)
		s.cmd.Stdout, s.cmd.Stderr = s.logFile, s.logFile
		s.cmd.SysProcAttr = serverAttr()
		if err := s.cmd.Start(); err != nil {
			s.logFile.Close()
			return nil, fmt.Errorf("truce serve: %w", err)
		}
		go func() {
			s.cmd.Wait()
			close(s.exited)
		}()
		ss = append(ss, s)
		fmt.Fprintf(progress, "serving %s on PostgreSQL at %s (pid %d, log %s)\n", data, s.url, s.cmd.Process.Pid, s.logPath)
	}
	for _, s := range ss {
		if err := s.waitHealthy(ctx, 30*time.Second); err != nil {
			return nil, err
		}
	}
	return ss, nil
}

// sumCPU adds up the CPU time of several servers.
func sumCPU(ss []*server) func() (time.Duration, bool) {
	return func() (time.Duration, bool) {
		var total time.Duration
		for _, s := range ss {
			d, ok := s.cpu()
			if !ok {
				return 0, false
			}
			total += d
		}
		return total, true
	}
}

// sumRSS adds up the resident memory of several servers.
func sumRSS(ss []*server) func() (int64, bool) {
	return func() (int64, bool) {
		var total int64
		for _, s := range ss {
			n, ok := s.rss()
			if !ok {
				return 0, false
			}
			total += n
		}
		return total, true
	}
}
