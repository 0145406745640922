package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"truce/bench/internal/api"
)

// server is a `truce serve` process that the generator built, initialised
// and started on a temporary directory, and must stop.
type server struct {
	url      string
	operator string // the operator's token, printed by truce init
	cmd      *exec.Cmd
	exited   chan struct{} // closed when the process has been waited for
	logPath  string        // the server's stdout and stderr
	logFile  *os.File
}

// startServer builds the truce binary into dir (unless bin names one),
// initialises dir/data and serves it on a free loopback port, and returns
// once /healthz answers. On error, whatever it started has been stopped.
func startServer(ctx context.Context, dir, bin string, progress io.Writer) (_ *server, err error) {
	if bin == "" {
		bin, err = build(ctx, dir, progress)
	} else {
		bin, err = filepath.Abs(bin) // not looked up in $PATH
	}
	if err != nil {
		return nil, err
	}

	data := filepath.Join(dir, "data")
	var out bytes.Buffer
	initCmd := exec.CommandContext(ctx, bin, "init", "--data", data, "--origin", "truce.load/bench")
	initCmd.Stdout, initCmd.Stderr = &out, progress
	if err := initCmd.Run(); err != nil {
		return nil, fmt.Errorf("truce init: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	operator := strings.TrimSpace(lines[len(lines)-1])
	if !strings.HasPrefix(operator, "truce_") {
		return nil, fmt.Errorf("truce init printed %q, want the operator token on its last line", out.String())
	}

	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	s := &server{url: "http://" + addr, operator: operator, exited: make(chan struct{}),
		logPath: filepath.Join(dir, "serve.log")}
	if s.logFile, err = os.Create(s.logPath); err != nil {
		return nil, err
	}
	// Not CommandContext: the server is stopped by stop, in order, and
	// never left running when the generator returns.
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
	defer func() {
		if err != nil {
			s.stop(io.Discard)
		}
	}()
	fmt.Fprintf(progress, "serving %s on %s (pid %d, log %s)\n", data, s.url, s.cmd.Process.Pid, s.logPath)
	if err := s.waitHealthy(ctx, 30*time.Second); err != nil {
		return nil, err
	}
	return s, nil
}

// build builds ./cmd/truce of the module the generator runs in into dir.
func build(ctx context.Context, dir string, progress io.Writer) (string, error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "truce")
	fmt.Fprintf(progress, "building %s\n", bin)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/truce")
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, progress, progress
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/truce: %w", err)
	}
	return bin, nil
}

// moduleRoot returns the directory of the main module's go.mod, so that the
// generator builds the right binary from any directory of the module.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside the truce module: run from its checkout, or give -addr")
	}
	return filepath.Dir(gomod), nil
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitHealthy polls /healthz until it answers 200, the process exits, or
// the time is up.
func (s *server) waitHealthy(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	c := &http.Client{Timeout: time.Second}
	for {
		if _, err := logSize(ctx, c, s.url); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("truce serve: /healthz did not answer within %v: %v\n%s", limit, err, s.logTail())
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.exited:
			return fmt.Errorf("truce serve exited: %v\n%s", s.cmd.ProcessState, s.logTail())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// filers adds the members that file the load, one per organisation and
// role: a guarantor officer of each guarantor and a liaison of each side.
func (s *server) filers(ctx context.Context) ([]string, error) {
	var tokens []string
	for _, m := range []struct{ org, role string }{
		{"RU", "guarantor"}, {"IR", "guarantor"}, {"TR", "guarantor"}, {"OPP", "party"}, {"SYG", "party"},
	} {
		tok, err := s.addMember(ctx, "Load "+m.org+" "+m.role, m.org, m.role)
		if err != nil {
			return nil, err
		}
		tokens = append(tokens, tok)
	}
	return tokens, nil
}

// cpu returns the server's CPU time so far, when it can be read.
func (s *server) cpu() (time.Duration, bool) {
	return processCPU(s.cmd.Process.Pid)
}

// rss returns the server's resident memory in bytes, when it can be read.
func (s *server) rss() (int64, bool) {
	return processRSS(s.cmd.Process.Pid)
}

// stop asks the server to shut down (it finishes the requests in flight,
// signs a last checkpoint and closes the store), and kills it if it has
// not exited within 15 seconds. It says so when the server failed.
func (s *server) stop(progress io.Writer) {
	defer s.logFile.Close()
	select {
	case <-s.exited:
		fmt.Fprintf(progress, "truce serve exited before it was stopped: %v; its log ends:\n%s", s.cmd.ProcessState, s.logTail())
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		fmt.Fprintln(progress, "truce serve did not stop within 15s; killing it")
		s.cmd.Process.Kill()
		<-s.exited
	}
	if st := s.cmd.ProcessState; !st.Success() {
		fmt.Fprintf(progress, "truce serve: %v; its log ends:\n%s", st, s.logTail())
	}
}

// logTail returns the last lines of the server's log, for messages.
func (s *server) logTail() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return ""
	}
	lines := strings.SplitAfter(strings.TrimRight(string(b), "\n")+"\n", "\n")
	return strings.Join(lines[max(0, len(lines)-6):], "")
}

// logSize asks /healthz for the number of entries in the log.
func logSize(ctx context.Context, c *http.Client, base string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/healthz", nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	var h struct {
		LogSize *int64 `json:"log_size"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(data, &h) != nil || h.LogSize == nil {
		return 0, fmt.Errorf("GET /healthz: %s %s", resp.Status, clip(data))
	}
	return *h.LogSize, nil
}

// checkFiler asks /api/v1/me whether token is a member who may file
// reports (a guarantor officer, a party liaison or a monitor), so that a
// wrong -token fails at once rather than as a run of 403s.
func checkFiler(ctx context.Context, c *http.Client, base, token string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/me", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var m struct {
		Role         string `json:"role"`
		Organisation string `json:"organisation"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(data, &m) != nil {
		return fmt.Errorf("GET /api/v1/me: %s %s", resp.Status, clip(data))
	}
	switch m.Role {
	case "guarantor", "party", "monitor":
		return nil
	}
	return fmt.Errorf("a member of %s with the %s role, who may not file reports", m.Organisation, m.Role)
}

// addMember adds a member through the API and returns its bearer token.
func (s *server) addMember(ctx context.Context, name, org, role string) (string, error) {
	return api.AddMember(ctx, s.url, s.operator, name, org, role)
}

// clip shortens a response body for a message.
func clip(b []byte) string { return api.Clip(b) }
