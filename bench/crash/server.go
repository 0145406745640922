package main

import (
	"bytes"
	"context"
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
	"time"

	"golang.org/x/mod/sumdb/note"

	"truce/bench/internal/api"
	"truce/workflow"
)

// server is a data directory that the harness initialised and the `truce
// serve` process now running on it, if any. It is started and killed again
// and again on the same directory, port and binary.
type server struct {
	bin      string
	data     string
	addr     string
	url      string
	operator string        // the operator's token, printed by truce init
	verifier note.Verifier // the log's public key, from log.pub
	control  bool          // serve with the unsafe switch on (negative control)
	logPath  string        // every server's stdout and stderr, appended
	timeout  time.Duration // how long a start may take

	cmd    *exec.Cmd
	exited chan struct{} // closed once cmd has been waited for
}

// build builds ./cmd/truce of the module the harness runs in into dir.
func build(ctx context.Context, dir string, progress io.Writer) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside the truce module: run from its checkout, or give -bin")
	}
	bin := filepath.Join(dir, "truce")
	fmt.Fprintf(progress, "building %s\n", bin)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/truce")
	cmd.Dir, cmd.Stdout, cmd.Stderr = filepath.Dir(gomod), progress, progress
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/truce: %w", err)
	}
	return bin, nil
}

// newServer runs `truce init` on dir/data and picks a free loopback port;
// start serves it.
func newServer(ctx context.Context, bin, dir string, control bool) (*server, error) {
	s := &server{bin: bin, data: filepath.Join(dir, "data"), control: control,
		logPath: filepath.Join(dir, "serve.log"), timeout: 30 * time.Second}
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "init", "--data", s.data, "--origin", "truce.crash/bench")
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("truce init: %w: %s", err, errOut.Bytes())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	s.operator = strings.TrimSpace(lines[len(lines)-1])
	if !strings.HasPrefix(s.operator, "truce_") {
		return nil, fmt.Errorf("truce init printed %q, want the operator token on its last line", out.String())
	}
	pub, err := os.ReadFile(filepath.Join(s.data, "log.pub"))
	if err != nil {
		return nil, err
	}
	if s.verifier, err = note.NewVerifier(strings.TrimSpace(string(pub))); err != nil {
		return nil, fmt.Errorf("log.pub: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s.addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	s.url = "http://" + s.addr
	return s, nil
}

// start starts `truce serve` on the data directory and returns once
// /healthz answers. A server that cannot start (say, because the killed
// one's writer lock was not released) is an error.
func (s *server) start(ctx context.Context) error {
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	// A short interval, so that checkpoints are signed, and seen, between
	// kills that come a few hundred milliseconds apart.
	s.cmd = exec.Command(s.bin, "serve", "--data", s.data, "--addr", s.addr, "--checkpoint-interval", "100ms")
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.SysProcAttr = serverAttr()
	s.cmd.Env = os.Environ()
	if s.control {
		s.cmd.Env = append(s.cmd.Env, workflow.UnsafeAckBeforeCommitEnv+"="+workflow.UnsafeAckBeforeCommitValue)
	}
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("truce serve: %w", err)
	}
	exited := make(chan struct{})
	s.exited = exited
	cmd := s.cmd
	go func() {
		cmd.Wait()
		logf.Close()
		close(exited)
	}()
	deadline := time.Now().Add(s.timeout)
	c := &http.Client{Timeout: time.Second}
	for {
		resp, err := c.Get(s.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET /healthz: %s", resp.Status)
		}
		if time.Now().After(deadline) {
			s.kill()
			return fmt.Errorf("truce serve did not answer within %v: %v\n%s", s.timeout, err, s.logTail())
		}
		select {
		case <-ctx.Done():
			s.kill()
			return ctx.Err()
		case <-exited:
			return fmt.Errorf("truce serve exited: %v\n%s", cmd.ProcessState, s.logTail())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// kill sends SIGKILL to the server and waits until it is gone.
func (s *server) kill() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
}

// stop shuts the server down in order (SIGTERM: requests in flight finish,
// a last checkpoint is signed, the store closed), killing it after 15 s.
func (s *server) stop() error {
	if s.cmd == nil {
		return nil
	}
	s.cmd.Process.Signal(sigterm)
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		s.kill()
		return errors.New("truce serve did not stop within 15s of SIGTERM; killed")
	}
	st := s.cmd.ProcessState
	s.cmd = nil
	if !st.Success() {
		return fmt.Errorf("truce serve: %v\n%s", st, s.logTail())
	}
	return nil
}

// logTail returns the last lines of the servers' log, for messages.
func (s *server) logTail() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return ""
	}
	lines := strings.SplitAfter(strings.TrimRight(string(b), "\n")+"\n", "\n")
	return strings.Join(lines[max(0, len(lines)-8):], "")
}

// addMember adds a member through the API and returns its bearer token.
func (s *server) addMember(ctx context.Context, org, role string) (string, error) {
	return api.AddMember(ctx, s.url, s.operator, "Crash "+org+" "+role, org, role)
}

// clip shortens a response body for a message.
func clip(b []byte) string { return api.Clip(b) }
