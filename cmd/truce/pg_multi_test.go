package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"truce"
	tlog "truce/log"
	"truce/postgres"
	"truce/postgres/pgtest"
)

// serverProc is a `truce serve` process.
type serverProc struct {
	cmd *exec.Cmd
	url string
}

// startServe starts `truce serve` as a process of its own and waits until
// it listens.
func startServe(t *testing.T, bin, dir, dsn string) *serverProc {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", dir, "--db", dsn, "--addr", "127.0.0.1:0", "--checkpoint-interval", "100ms")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "truce serving ") {
				lines <- sc.Text()
			}
		}
	}()
	select {
	case l := <-lines:
		_, url, _ := strings.Cut(l, " on ")
		return &serverProc{cmd: cmd, url: strings.TrimSpace(url)}
	case <-time.After(60 * time.Second):
		t.Fatalf("truce serve did not start: %s", errOut.String())
		return nil
	}
}

// post sends a JSON POST and decodes the answer; it returns the status, 0
// when no answer came.
func post(c *http.Client, url, token, key string, body, out any) int {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", url, bytes.NewReader(b))
	if err != nil {
		return 0
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

// TestTwoServersOneLog runs two `truce serve` processes on one PostgreSQL
// database and writes through both at once; kills one (SIGKILL) while
// writes are in flight, keeps writing through the other, and then
// requires `truce log verify` to pass and every acknowledged report to be
// in the log exactly once. Both servers append to one sequence: the
// writers' advisory lock, which PostgreSQL releases when its holder dies.
func TestTwoServersOneLog(t *testing.T) {
	if testing.Short() {
		t.Skip("builds truce and runs two servers: not with -short")
	}
	dsn := pgtest.Database(t)
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "truce")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := filepath.Join(tmp, "data")
	code, out, errOut := truceCLI3("init", "--data", dir, "--db", dsn)
	if code != 0 {
		t.Fatalf("truce init --db: %s", errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	operator := lines[len(lines)-1]

	a, b := startServe(t, bin, dir, dsn), startServe(t, bin, dir, dsn)
	client := &http.Client{Timeout: 20 * time.Second}
	// Members added through one server are at once members on the other.
	var tokens []string
	for i, srv := range []*serverProc{a, b, a, b} {
		var m struct{ Token string }
		body := map[string]any{"name": fmt.Sprintf("liaison %d", i), "organisation": "OPP", "role": "party"}
		if code := post(client, srv.url+"/api/v1/members", operator, "", body, &m); code != http.StatusCreated {
			t.Fatalf("POST /api/v1/members on %s = %d", srv.url, code)
		}
		tokens = append(tokens, m.Token)
	}

	var (
		mu     sync.Mutex
		acked  = map[string]string{} // report id → the server that acknowledged it
		killed atomic.Bool
		afterA atomic.Int64 // acknowledged by b after a was killed
		byA    atomic.Int64
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		srv := []*serverProc{a, b}[w%2]
		tok := tokens[w%len(tokens)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var r struct{ ID string }
				key := fmt.Sprintf("w%d-%d", w, i)
				if code := post(client, srv.url+"/api/v1/reports", tok, key, sampleReport(), &r); code != http.StatusCreated {
					if srv == a && killed.Load() {
						return // a is gone
					}
					continue
				}
				mu.Lock()
				if prev, dup := acked[r.ID]; dup {
					t.Errorf("report %s acknowledged twice (by %s and %s)", r.ID, prev, srv.url)
				}
				acked[r.ID] = srv.url
				mu.Unlock()
				if srv == a {
					byA.Add(1)
				} else if killed.Load() {
					afterA.Add(1)
				}
			}
		}()
	}
	time.Sleep(2 * time.Second)
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed.Store(true)
	a.cmd.Wait()
	time.Sleep(2 * time.Second)
	close(stop)
	wg.Wait()
	if err := b.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := b.cmd.Wait(); err != nil {
		t.Errorf("the surviving server did not stop cleanly: %v", err)
	}
	if byA.Load() == 0 || afterA.Load() == 0 {
		t.Fatalf("acknowledged: %d by the killed server, %d by the other after the kill; want both > 0", byA.Load(), afterA.Load())
	}
	t.Logf("acknowledged %d reports: %d by the killed server, %d by the other after the kill", len(acked), byA.Load(), afterA.Load())

	if code, out := truceCLI("log", "verify", "--data", dir, "--quiet"); code != 0 || !strings.HasPrefix(out, "OK:") {
		t.Fatalf("truce log verify after the kill = %d: %s", code, out)
	}
	// Every acknowledged report is filed by exactly one entry.
	filed := map[string]int{}
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(context.Background(), func(tx truce.Tx) error {
		n, err := tx.LogSize()
		if err != nil {
			return err
		}
		return tx.ScanEntries(0, n, func(i int64, data, _ []byte) error {
			e, err := tlog.DecodeEntry(data)
			if err != nil {
				return err
			}
			if e.Kind == "report.filed" {
				var p struct{ ID string }
				if err := json.Unmarshal(e.Payload, &p); err != nil {
					return err
				}
				filed[p.ID]++
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, srv := range acked {
		if filed[id] != 1 {
			t.Errorf("report %s, acknowledged by %s, is filed by %d entries, want 1", id, srv, filed[id])
		}
	}
	if len(filed) < len(acked) {
		t.Errorf("%d reports filed, fewer than the %d acknowledged", len(filed), len(acked))
	}
	os.Remove(bin)
}

// TestTwoServersShareRules checks that what one server decides is obeyed
// by another on the same database at once: once a member registers a
// signing key through one server, the other refuses that member's
// unsigned commands, though it accepted one before.
func TestTwoServersShareRules(t *testing.T) {
	a, _ := mustRunPGServer(t)
	b := &testServer{Main: &Main{DataDir: a.dir, Addr: "127.0.0.1:0", CheckpointInterval: time.Hour}, dir: a.dir, operator: a.operator}
	if err := b.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ru := a.addMember(t, "RU", truce.RoleGuarantor)
	if code := b.do(t, "POST", "/api/v1/reports", ru, sampleReport(), nil); code != http.StatusCreated {
		t.Fatalf("unsigned report through b before any key = %d, want 201", code)
	}
	key := filepath.Join(t.TempDir(), "ru.key")
	if code, out := truceCLI("key", "generate", "--name", string(a.memberID(t, ru)), "--out", key); code != 0 {
		t.Fatalf("truce key generate = %d %s", code, out)
	}
	if code, out := a.cli(t, ru, "key", "register", "--key", key); code != 0 {
		t.Fatalf("truce key register through a = %d %s", code, out)
	}
	if code := b.do(t, "POST", "/api/v1/reports", ru, sampleReport(), nil); code != http.StatusForbidden {
		t.Errorf("unsigned report through b after the key was registered through a = %d, want 403", code)
	}
}
