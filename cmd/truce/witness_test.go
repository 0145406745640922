package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"truce"
	tlog "truce/log"
	"truce/witness"
)

// mustRunWitnesses makes a witness directory for each guarantor with
// `truce witness init` and serves it on loopback for the log whose data
// directory is logDir, until the test ends.
func mustRunWitnesses(t *testing.T, logDir string) []*WitnessMain {
	t.Helper()
	var ms []*WitnessMain
	for _, g := range []string{"RU", "IR", "TR"} {
		dir := filepath.Join(t.TempDir(), "witness-"+g)
		code, out, errOut := truceCLI3("witness", "init", "--data", dir, "--name", "truce.test/witness/"+g)
		if code != 0 {
			t.Fatalf("truce witness init = %d: %s", code, errOut)
		}
		if _, err := witness.NewVerifier(out); err != nil {
			t.Fatalf("truce witness init printed %q, want the vkey: %v", out, err)
		}
		m := &WitnessMain{Dir: dir, LogKey: filepath.Join(logDir, pubFile), Addr: "127.0.0.1:0"}
		if err := m.Run(); err != nil {
			t.Fatalf("WitnessMain.Run: %v", err)
		}
		t.Cleanup(func() { m.Close() })
		ms = append(ms, m)
	}
	return ms
}

// writeWitnessesFile lists the witnesses in the log's witnesses.txt.
func writeWitnessesFile(t *testing.T, logDir string, ws []*WitnessMain) {
	t.Helper()
	var b strings.Builder
	b.WriteString("# The guarantors' witnesses: verifier key, URL.\n\n")
	for _, w := range ws {
		fmt.Fprintf(&b, "%s %s\n", w.Signer.VerifierKey(), w.URL())
	}
	if err := os.WriteFile(filepath.Join(logDir, witnessesFile), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// initWitnessedLog makes a log data directory with `truce init` and returns it and
// the operator's token.
func initWitnessedLog(t *testing.T) (string, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errOut := truceCLI3("init", "--data", dir, "--origin", "truce.test/witnessed")
	if code != 0 {
		t.Fatalf("truce init = %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return dir, lines[len(lines)-1]
}

// serveWitnessedLog serves a data directory until the test ends.
func serveWitnessedLog(t *testing.T, dir, operator string, demo bool) *testServer {
	t.Helper()
	s := &testServer{Main: &Main{DataDir: dir, Addr: "127.0.0.1:0", CheckpointInterval: 50 * time.Millisecond, Demo: demo}, dir: dir, operator: operator}
	if err := s.Run(context.Background()); err != nil {
		t.Fatalf("Main.Run: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// waitCosigned waits until the server's /log/checkpoint covers the whole
// log and carries a cosignature by every one of keys, and returns it.
func waitCosigned(t *testing.T, s *testServer, keys ...note.Verifier) []byte {
	t.Helper()
	vkey, err := s.Service.VerifierKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	logKey, _ := tlog.NewVerifier(vkey)
	deadline := time.Now().Add(10 * time.Second)
	var last []byte
	for time.Now().Before(deadline) {
		last = fetch(t, s, "/log/checkpoint", "")
		n, _ := s.Service.LogSize(context.Background())
		nt, err := note.Open(last, note.VerifierList(append([]note.Verifier{logKey}, keys...)...))
		if err == nil && len(nt.Sigs) == 1+len(keys) && strings.HasPrefix(nt.Text, fmt.Sprintf("truce.test/witnessed\n%d\n", n)) {
			return last
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no checkpoint of the whole log cosigned by %d witnesses after 10s; the last:\n%s", len(keys), last)
	return nil
}

func witnessVerifiers(ws []*WitnessMain) []note.Verifier {
	var vs []note.Verifier
	for _, w := range ws {
		vs = append(vs, w.Signer.Verifier())
	}
	return vs
}

// TestWitnesses runs a log with three witnesses (RU, IR, TR) over real
// HTTP: each checkpoint is cosigned and published, a bulletin cites the
// cosigned checkpoint and verifies, and the log matches what the witnesses
// saw. Then a copy of the log taken earlier, with the same key, grows
// another history: the witnesses refuse it (keeping both checkpoints), it
// gets no cosignature, and `truce witness check` catches it.
func TestWitnesses(t *testing.T) {
	dir, operator := initWitnessedLog(t)
	fork := copyDir(t, dir) // the same log and key, before it grows
	ws := mustRunWitnesses(t, dir)
	writeWitnessesFile(t, dir, ws)
	writeWitnessesFile(t, fork, ws)

	s := serveWitnessedLog(t, dir, operator, false)
	ru := s.addMember(t, "RU", truce.RoleGuarantor)
	if code := s.do(t, "POST", "/api/v1/reports", ru, sampleReport(), nil); code != http.StatusCreated {
		t.Fatalf("POST /api/v1/reports = %d", code)
	}
	cosigned := waitCosigned(t, s, witnessVerifiers(ws)...)
	// The cosignatures follow the log's signature, by witness name.
	sigs := strings.SplitAfter(string(cosigned[bytes.LastIndex(cosigned, []byte("\n\n"))+2:]), "\n")
	for i, name := range []string{"truce.test/witnessed", "truce.test/witness/IR", "truce.test/witness/RU", "truce.test/witness/TR"} {
		if !strings.HasPrefix(sigs[i], "— "+name+" ") {
			t.Errorf("signature line %d = %q, want %s's", i, sigs[i], name)
		}
	}

	// The bulletin cites the cosigned checkpoint, and verifies.
	body := fetch(t, s, "/api/v1/bulletins/2017-01-05", "")
	var b struct {
		Checkpoint string `json:"checkpoint"`
		TreeSize   int64  `json:"tree_size"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	cp, err := s.Service.CosignedCheckpoint(context.Background(), b.TreeSize)
	if err != nil {
		t.Fatal(err)
	}
	if b.Checkpoint != cp.Note || strings.Count(b.Checkpoint, "— truce.test/witness/") != 3 {
		t.Errorf("the bulletin's checkpoint is\n%s\nwant the cosigned checkpoint of size %d\n%s", b.Checkpoint, b.TreeSize, cp.Note)
	}
	file := filepath.Join(t.TempDir(), "bulletin.json")
	os.WriteFile(file, body, 0o600)
	if code, out, errOut := truceCLI3("bulletin", "verify", "--data", dir, file); code != 0 {
		t.Errorf("truce bulletin verify = %d: %s%s", code, out, errOut)
	}
	// A cosignature line the log does not hold makes it fail.
	forged := strings.Replace(string(body), `— truce.test/witness/IR `, `— truce.test/witness/XX `, 1)
	os.WriteFile(file, []byte(forged), 0o600)
	if code, out, _ := truceCLI3("bulletin", "verify", "--data", dir, file); code == 0 || !strings.Contains(out, "cosignature") {
		t.Errorf("truce bulletin verify of a bulletin with a cosignature the log does not hold = %d: %s", code, out)
	}

	var wdirs []string
	for _, w := range ws {
		wdirs = append(wdirs, "--witness", w.Dir)
	}
	online := func(s *testServer) []string {
		return append([]string{"witness", "check", "--log", s.URL(), "--log-key", filepath.Join(dir, pubFile)}, wdirs...)
	}
	if code, out, errOut := truceCLI3(online(s)...); code != 0 || !strings.HasPrefix(out, "OK: ") {
		t.Errorf("truce witness check --log = %d: %s%s", code, out, errOut)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	check := append([]string{"witness", "check", "--data", dir}, wdirs...)
	if code, out, errOut := truceCLI3(check...); code != 0 || !strings.HasPrefix(out, "OK: ") {
		t.Fatalf("truce witness check = %d: %s%s", code, out, errOut)
	}
	witnessed, _ := ws[0].Witness.Latest()

	// The fork: the copy, signed with the same key, grows another way.
	f := serveWitnessedLog(t, fork, operator, false)
	for _, org := range []truce.ActorID{"IR", "TR", "RU"} {
		f.addMember(t, org, truce.RoleMonitor)
	}
	f.addMember(t, "OPP", truce.RoleParty)
	waitForCheckpoint(t, f)
	latest, _ := f.Service.LatestCheckpoint(context.Background())
	if latest.Size <= witnessed.Size {
		t.Fatalf("the fork has %d entries, want more than the %d witnessed", latest.Size, witnessed.Size)
	}
	logKey, _ := tlog.NewVerifier(strings.TrimSpace(string(readTestFile(t, filepath.Join(dir, pubFile)))))
	deadline := time.Now().Add(10 * time.Second)
	for _, w := range ws {
		for {
			evs, err := witness.ReadEvidence(w.Dir)
			if err != nil {
				t.Fatal(err)
			}
			// The fork's checkpoint came at a size the witness cosigned
			// (a fork by itself) or after it (its proof fails); the
			// evidence holds the checkpoint cosigned. (The fork may first
			// offer an older checkpoint of its own, which the witness
			// keeps as "smaller": not proof by itself, so not waited for.)
			i := slices.IndexFunc(evs, func(e witness.Evidence) bool { return e.Kind == "fork" || e.Kind == "inconsistent" })
			if i >= 0 {
				hs, err := witness.ReadHistory(w.Dir, logKey)
				if err != nil {
					t.Fatal(err)
				}
				c, _, err := tlog.OpenCheckpoint([]byte(evs[i].Witnessed), logKey)
				if err != nil || !slices.ContainsFunc(hs, func(h witness.Cosigned) bool { return h.Checkpoint == c }) {
					t.Errorf("%s kept evidence %q of %q (%v), want a checkpoint it cosigned", w.Signer.Name(), evs[i].Kind, evs[i].Witnessed, err)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s kept no evidence of the fork", w.Signer.Name())
			}
			time.Sleep(20 * time.Millisecond)
		}
		if c, _ := w.Witness.Latest(); c.Size != witnessed.Size || c.Root != witnessed.Root {
			t.Errorf("%s moved to size %d after the fork, want it to stay at %d", w.Signer.Name(), c.Size, witnessed.Size)
		}
	}
	if got := fetch(t, f, "/log/checkpoint", ""); bytes.Contains(got, []byte("— truce.test/witness/")) {
		t.Errorf("the fork's checkpoint carries a cosignature:\n%s", got)
	}
	if code, out, _ := truceCLI3(online(f)...); code != 1 || strings.Count(out, "does not extend it") != 3 {
		t.Errorf("truce witness check --log of the fork = %d: %s; want 1 and each witness's mismatch", code, out)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	check[3] = fork
	code, out, _ := truceCLI3(check...)
	if code != 1 || !strings.Contains(out, fmt.Sprintf("at size %d", witnessed.Size)) {
		t.Errorf("truce witness check of the fork = %d: %s; want 1 and the size %d named", code, out, witnessed.Size)
	}
	// log verify alone does not see it: the fork is a well-formed log.
	if code, out, _ := truceCLI3("log", "verify", "--data", fork, "--quiet"); code != 0 {
		t.Errorf("truce log verify of the fork = %d: %s", code, out)
	}
}

// TestDemoWitnesses: with --demo, the server runs three witnesses of its
// own (RU, IR, TR), from DIR/demo-witnesses, and they cosign.
func TestDemoWitnesses(t *testing.T) {
	dir, operator := initWitnessedLog(t)
	// The log does not grow: the checkpoint init issued is cosigned.
	s := serveWitnessedLog(t, dir, operator, true)
	var keys []note.Verifier
	for _, g := range []string{"RU", "IR", "TR"} {
		b, err := os.ReadFile(filepath.Join(dir, demoWitnessesDir, g, witness.PubFile))
		if err != nil {
			t.Fatal(err)
		}
		v, err := witness.NewVerifier(string(b))
		if err != nil || v.Name() != "truce.demo/witness/"+g {
			t.Fatalf("demo witness %s: key %q, %v", g, b, err)
		}
		keys = append(keys, v)
	}
	waitCosigned(t, s, keys...)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := truceCLI3("witness", "check", "--data", dir,
		"--witness", filepath.Join(dir, demoWitnessesDir, "RU"),
		"--witness", filepath.Join(dir, demoWitnessesDir, "IR"),
		"--witness", filepath.Join(dir, demoWitnessesDir, "TR"))
	if code != 0 {
		t.Errorf("truce witness check of the demo = %d: %s%s", code, out, errOut)
	}
}

func TestWitnessCommandErrors(t *testing.T) {
	dir, _ := initWitnessedLog(t)
	wdir := filepath.Join(t.TempDir(), "w")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"witness", "--help"}, 0, "tlog-witness"},
		{[]string{"witness", "--data", wdir}, 2, "--log-key is required"},
		{[]string{"witness", "--data", wdir, "--log-key", filepath.Join(dir, pubFile)}, 1, "truce witness init"},
		{[]string{"witness", "init", "--data", wdir}, 2, "--name is required"},
		{[]string{"witness", "init", "--data", wdir, "--name", "two words"}, 1, "without spaces"},
		{[]string{"witness", "init", "--data", dir, "--name", "w.test/x"}, 1, "not empty"},
		{[]string{"witness", "check", "--data", dir}, 2, "--witness DIR is required"},
		{[]string{"witness", "check", "--log", "http://127.0.0.1:1", "--witness", wdir}, 2, "--log needs --log-key"},
		{[]string{"witness", "check", "--witness", wdir}, 2, "--data DIR"},
		{[]string{"witness", "--data", wdir, "--log-key", "nothing"}, 1, "--log-key nothing"},
	} {
		code, out, errOut := truceCLI3(tc.args...)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("truce %s = %d %q, want %d and %q", strings.Join(tc.args, " "), code, out+errOut, tc.code, tc.want)
		}
	}
}

func TestWitnessesFile(t *testing.T) {
	_, vkey, _ := witness.GenerateKey("w.test/RU")
	for _, tc := range []struct{ text, want string }{
		{vkey + "\n", "line 1: want the witness's verifier key and its URL"},
		{vkey + " ftp://x\n", "line 1: URL \"ftp://x\": must be an absolute http or https URL"},
		{"# comment\nnot-a-key http://x\n", "line 2: witness verifier key"},
		{vkey + " http://a\n" + vkey + " http://b\n", "line 2: witness w.test/RU is listed twice"},
	} {
		path := filepath.Join(t.TempDir(), witnessesFile)
		os.WriteFile(path, []byte(tc.text), 0o600)
		if _, err := readWitnesses(path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("readWitnesses(%q) = %v, want %q", tc.text, err, tc.want)
		}
	}
	path := filepath.Join(t.TempDir(), witnessesFile)
	os.WriteFile(path, []byte("\n# none yet\n"+vkey+"   https://witness.example/ru \n"), 0o600)
	if ws, err := readWitnesses(path); err != nil || len(ws) != 1 || ws[0].Name() != "w.test/RU" {
		t.Errorf("readWitnesses = %v, %v; want one witness", ws, err)
	}
}

func readTestFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// startWitnessProcess runs `truce witness` as a child process on a
// loopback port and returns it and its URL, read from its first line.
func startWitnessProcess(t *testing.T, bin, dir, logKey string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "witness", "--data", dir, "--log-key", logKey, "--addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	i := strings.LastIndex(line, " on http://")
	if err != nil || i < 0 {
		t.Fatalf("truce witness printed %q (%v), want its URL", line, err)
	}
	go io.Copy(io.Discard, out)
	return cmd, strings.TrimSpace(line[i+len(" on "):])
}

// TestWitnessProcess runs the witness as its own process, kills it
// (SIGKILL) as soon as the log has published its cosignature, and starts
// it again: the checkpoint it answered for is on disk, and it goes on
// cosigning from there.
func TestWitnessProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds truce and runs a witness process: not with -short")
	}
	bin := filepath.Join(t.TempDir(), "truce")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir, operator := initWitnessedLog(t)
	wdir := filepath.Join(t.TempDir(), "witness-TR")
	if code, _, errOut := truceCLI3("witness", "init", "--data", wdir, "--name", "truce.test/witness/TR"); code != 0 {
		t.Fatalf("truce witness init = %d: %s", code, errOut)
	}
	vkey := strings.TrimSpace(string(readTestFile(t, filepath.Join(wdir, witness.PubFile))))
	key, _ := witness.NewVerifier(vkey)
	proc, url := startWitnessProcess(t, bin, wdir, filepath.Join(dir, pubFile))
	os.WriteFile(filepath.Join(dir, witnessesFile), []byte(vkey+" "+url+"\n"), 0o600)

	s := serveWitnessedLog(t, dir, operator, false)
	s.addMember(t, "TR", truce.RoleGuarantor)
	cosigned := waitCosigned(t, s, key)
	proc.Process.Kill()
	proc.Wait()

	// Started again on another port, the witness holds what it answered.
	_, url = startWitnessProcess(t, bin, wdir, filepath.Join(dir, pubFile))
	logKey, _ := tlog.NewVerifier(strings.TrimSpace(string(readTestFile(t, filepath.Join(dir, pubFile)))))
	sum := sha256.Sum256([]byte(logKey.Name()))
	resp, err := http.Get(url + "/" + hex.EncodeToString(sum[:]) + "/checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	held, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := cosigned[:bytes.Index(cosigned, []byte("\n\n"))+1]
	if resp.StatusCode != 200 || !bytes.HasPrefix(held, text) {
		t.Fatalf("after SIGKILL the witness holds %d\n%s\nwant the checkpoint it cosigned\n%s", resp.StatusCode, held, text)
	}

	// The server, told the new URL, goes on from there.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, witnessesFile), []byte(vkey+" "+url+"\n"), 0o600)
	s = serveWitnessedLog(t, dir, operator, false)
	s.addMember(t, "IR", truce.RoleGuarantor)
	waitCosigned(t, s, key)
}
