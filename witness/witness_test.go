package witness_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	tlog "truce/log"
	"truce/witness"
)

const origin = "truce.test/log"

// testLog is a log in memory: its leaves' hashes and its key.
type testLog struct {
	t      *testing.T
	signer note.Signer
	vkey   string
	hashes []tlog.Hash // stored hashes, by stored-hash index
	size   int64
}

func newTestLog(t *testing.T, skey, vkey string) *testLog {
	t.Helper()
	s, err := tlog.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return &testLog{t: t, signer: s, vkey: vkey}
}

func (l *testLog) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x >= int64(len(l.hashes)) {
			return nil, fmt.Errorf("hash %d missing", x)
		}
		out[i] = l.hashes[x]
	}
	return out, nil
}

// grow appends leaves named prefix+i until the log has n.
func (l *testLog) grow(n int64, prefix string) {
	l.t.Helper()
	for ; l.size < n; l.size++ {
		hs, err := tlog.StoredHashes(l.size, fmt.Appendf(nil, "%s%d", prefix, l.size), l)
		if err != nil {
			l.t.Fatal(err)
		}
		l.hashes = append(l.hashes, hs...)
	}
}

func (l *testLog) root(n int64) tlog.Hash {
	l.t.Helper()
	if n == 0 {
		return sha256.Sum256(nil)
	}
	r, err := tlog.TreeHash(n, l)
	if err != nil {
		l.t.Fatal(err)
	}
	return r
}

// checkpoint returns the signed checkpoint of size n.
func (l *testLog) checkpoint(n int64) []byte {
	l.t.Helper()
	msg, err := tlog.SignCheckpoint(tlog.Checkpoint{Origin: origin, Size: n, Root: l.root(n)}, l.signer)
	if err != nil {
		l.t.Fatal(err)
	}
	return msg
}

func (l *testLog) proof(old, n int64) []tlog.Hash {
	l.t.Helper()
	if old == 0 || old == n {
		return nil
	}
	p, err := tlog.ProveConsistency(old, n, l)
	if err != nil {
		l.t.Fatal(err)
	}
	return p
}

// body is an add-checkpoint request.
func (l *testLog) body(old, n int64) []byte {
	return requestBody(old, l.proof(old, n), l.checkpoint(n))
}

func requestBody(old int64, proof []tlog.Hash, checkpoint []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "old %d\n", old)
	for _, h := range proof {
		b.WriteString(base64.StdEncoding.EncodeToString(h[:]) + "\n")
	}
	b.WriteString("\n")
	b.Write(checkpoint)
	return b.Bytes()
}

var logKeys = func() [2]string {
	skey, vkey, err := tlog.GenerateKey(origin)
	if err != nil {
		panic(err)
	}
	return [2]string{skey, vkey}
}()

// fixture is a witness served over HTTP on loopback, and a log.
type fixture struct {
	dir    string
	signer *witness.Signer
	w      *witness.Witness
	srv    *httptest.Server
	log    *testLog
}

func mustWitness(t *testing.T) *fixture {
	t.Helper()
	skey, _, err := witness.GenerateKey("truce.test/witness/RU")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := witness.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{dir: t.TempDir(), signer: signer, log: newTestLog(t, logKeys[0], logKeys[1])}
	f.open(t)
	t.Cleanup(func() { f.close() })
	return f
}

func (f *fixture) open(t *testing.T) {
	t.Helper()
	lv, err := tlog.NewVerifier(logKeys[1])
	if err != nil {
		t.Fatal(err)
	}
	if f.w, err = witness.Open(f.dir, f.signer, lv); err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(f.w.Handler())
}

func (f *fixture) close() {
	if f.srv != nil {
		f.srv.Close()
		f.w.Close()
		f.srv = nil
	}
}

// post sends an add-checkpoint body and returns the status, content type
// and body of the answer.
func (f *fixture) post(t *testing.T, body []byte) (int, string, string) {
	t.Helper()
	resp, err := http.Post(f.srv.URL+"/add-checkpoint", "text/plain", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// mustCosign submits the log's checkpoint of size n from old and checks
// the cosignature it gets.
func (f *fixture) mustCosign(t *testing.T, old, n int64) {
	t.Helper()
	cp := f.log.checkpoint(n)
	status, _, body := f.post(t, requestBody(old, f.log.proof(old, n), cp))
	if status != 200 {
		t.Fatalf("add-checkpoint old %d size %d: %d %s", old, n, status, body)
	}
	if !strings.HasPrefix(body, "— truce.test/witness/RU ") || strings.Count(body, "\n") != 1 {
		t.Fatalf("add-checkpoint old %d size %d answered %q, want one signature line", old, n, body)
	}
	nt, err := note.Open(append(cp, body...), note.VerifierList(f.signer.Verifier()))
	if err != nil {
		t.Fatalf("the cosignature of size %d does not verify: %v", n, err)
	}
	if len(nt.Sigs) != 1 {
		t.Fatalf("verified %d signatures, want the witness's", len(nt.Sigs))
	}
	if ts, ok := f.signer.Verifier().Timestamp(body); !ok || ts.IsZero() || time.Since(ts) > time.Minute {
		t.Errorf("cosignature timestamp %v, %v; want now", ts, ok)
	}
}

func TestAddCheckpoint(t *testing.T) {
	f := mustWitness(t)
	f.log.grow(10, "a")
	f.mustCosign(t, 0, 3)
	f.mustCosign(t, 3, 7)
	f.mustCosign(t, 7, 7) // the same checkpoint again
	f.mustCosign(t, 7, 10)

	// Monitoring: the latest checkpoint with both signatures.
	sum := sha256.Sum256([]byte(origin))
	resp, err := http.Get(f.srv.URL + "/" + hex.EncodeToString(sum[:]) + "/checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lv, _ := tlog.NewVerifier(logKeys[1])
	n, err := note.Open(b, note.VerifierList(lv, f.signer.Verifier()))
	if resp.StatusCode != 200 || err != nil || len(n.Sigs) != 2 || !strings.HasPrefix(n.Text, origin+"\n10\n") {
		t.Fatalf("GET checkpoint: %d %q (%v), want size 10 signed by the log and the witness", resp.StatusCode, b, err)
	}
	if resp, _ := http.Get(f.srv.URL + "/" + strings.Repeat("0", 64) + "/checkpoint"); resp.StatusCode != 404 {
		t.Errorf("GET checkpoint of another origin: %d, want 404", resp.StatusCode)
	}

	// The history on disk says what was cosigned, before any close.
	hs, err := witness.ReadHistory(f.dir, lv)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int64
	for _, h := range hs {
		sizes = append(sizes, h.Size)
		if h.Root != f.log.root(h.Size) {
			t.Errorf("history: size %d root %x, want %x", h.Size, h.Root[:], f.log.root(h.Size))
		}
	}
	if fmt.Sprint(sizes) != "[3 7 10]" {
		t.Errorf("history sizes %v, want [3 7 10]", sizes)
	}

	// Restarted, the witness remembers size 10.
	f.close()
	f.open(t)
	f.log.grow(12, "a")
	if status, ctype, body := f.post(t, f.log.body(7, 12)); status != 409 || ctype != "text/x.tlog.size" || body != "10\n" {
		t.Errorf("after restart, old 7: %d %q %q; want 409 text/x.tlog.size \"10\\n\"", status, ctype, body)
	}
	f.mustCosign(t, 10, 12)
}

func TestAddCheckpointRefused(t *testing.T) {
	f := mustWitness(t)
	f.log.grow(9, "a")
	f.mustCosign(t, 0, 4)

	otherSkey, otherVkey, _ := tlog.GenerateKey("other.test/log")
	other := newTestLog(t, otherSkey, otherVkey)
	other.grow(5, "a")
	impostorSkey, impostorVkey, _ := tlog.GenerateKey(origin) // the log's name, another key
	impostor := newTestLog(t, impostorSkey, impostorVkey)
	impostor.grow(5, "a")
	otherCheckpoint := func() []byte {
		msg, err := tlog.SignCheckpoint(tlog.Checkpoint{Origin: "other.test/log", Size: 5, Root: other.root(5)}, other.signer)
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}()
	badSig := func() []byte {
		cp := f.log.checkpoint(5)
		i := bytes.LastIndex(cp, []byte(" ")) + 10
		cp[i] ^= 'A' ^ 'B'
		if cp[i] == '\n' || cp[i] == ' ' {
			t.Fatal("mangled the wrong byte")
		}
		return cp
	}()
	wrongProof := f.log.proof(4, 9)
	wrongProof[0][0] ^= 1
	tooMany := make([]tlog.Hash, 64)

	for _, tc := range []struct {
		name   string
		body   []byte
		status int
	}{
		{"NoOldLine", []byte("\n" + string(f.log.checkpoint(5))), 400},
		{"OldLeadingZero", []byte("old 04\n\n" + string(f.log.checkpoint(5))), 400},
		{"OldNegative", []byte("old -1\n\n" + string(f.log.checkpoint(5))), 400},
		{"ProofNotBase64", []byte("old 4\nnot*base64\n\n" + string(f.log.checkpoint(5))), 400},
		{"ProofTooLong", requestBody(4, tooMany, f.log.checkpoint(5)), 400},
		{"NoEmptyLine", []byte("old 4\n"), 400},
		{"NotANote", []byte("old 4\n\n" + origin + "\n5\n"), 400},
		{"UnknownOrigin", requestBody(0, nil, otherCheckpoint), 404},
		{"NoLogSignature", requestBody(4, impostor.proof(4, 5), impostor.checkpoint(5)), 403},
		{"BadLogSignature", requestBody(4, f.log.proof(4, 5), badSig), 403},
		{"OldAboveSize", requestBody(5, nil, f.log.checkpoint(4)), 400},
		{"OldNotLatest", f.log.body(3, 5), 409},
		{"OldZeroNotLatest", f.log.body(0, 5), 409},
		{"WrongProof", requestBody(4, wrongProof, f.log.checkpoint(9)), 422},
		{"ProofForEqualSizes", requestBody(4, f.log.proof(3, 4), f.log.checkpoint(4)), 422},
		{"TooLarge", append([]byte("old 4\n"), bytes.Repeat([]byte("A"), 70<<10)...), 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, ctype, body := f.post(t, tc.body)
			if status != tc.status {
				t.Fatalf("status %d (%s), want %d", status, strings.TrimSpace(body), tc.status)
			}
			if status == 409 {
				if ctype != "text/x.tlog.size" || body != "4\n" {
					t.Errorf("409 answered %q %q, want text/x.tlog.size \"4\\n\"", ctype, body)
				}
			} else if len(strings.TrimSpace(body)) < 10 {
				t.Errorf("refusal %q says too little", body)
			}
		})
	}
	// Nothing refused changed what the witness holds.
	f.mustCosign(t, 4, 9)
}

func TestEmptyTree(t *testing.T) {
	f := mustWitness(t)
	bad, err := tlog.SignCheckpoint(tlog.Checkpoint{Origin: origin, Size: 0, Root: tlog.Hash{1}}, f.log.signer)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, body := f.post(t, requestBody(0, nil, bad)); status != 422 {
		t.Errorf("size 0 with another root: %d %s, want 422", status, body)
	}
	f.log.grow(2, "a")
	if status, _, body := f.post(t, requestBody(0, []tlog.Hash{{}}, f.log.checkpoint(2))); status != 422 {
		t.Errorf("old 0 with a proof: %d %s, want 422", status, body)
	}
	f.mustCosign(t, 0, 0)
	f.mustCosign(t, 0, 2)
}

// TestFork shows a log, with its own key, presenting another history: a
// tree of the size cosigned with another root, a larger tree that does not
// extend the cosigned one, and a smaller one. Each is refused with the
// specification's status, and the witness keeps both signed checkpoints.
func TestFork(t *testing.T) {
	f := mustWitness(t)
	f.log.grow(9, "a")
	f.mustCosign(t, 0, 4)
	f.mustCosign(t, 4, 7)
	forked := newTestLog(t, logKeys[0], logKeys[1])
	forked.grow(12, "b") // every leaf rewritten, signed with the log's key
	lv, _ := tlog.NewVerifier(logKeys[1])

	for _, tc := range []struct {
		name   string
		body   []byte
		status int
		kind   string
	}{
		{"SameSize", forked.body(7, 7), 422, "fork"},
		{"Larger", requestBody(7, forked.proof(7, 12), forked.checkpoint(12)), 422, "inconsistent"},
		{"CosignedSizeAgain", forked.body(4, 4), 409, "fork"},
		{"Smaller", forked.body(5, 5), 409, "smaller"},
		{"SmallerSaysOld", requestBody(7, nil, forked.checkpoint(6)), 400, "smaller"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := f.post(t, tc.body)
			if status != tc.status {
				t.Fatalf("status %d (%s), want %d", status, strings.TrimSpace(body), tc.status)
			}
			evs, err := witness.ReadEvidence(f.dir)
			if err != nil {
				t.Fatal(err)
			}
			var ev *witness.Evidence
			for i := range evs {
				if evs[i].Request == string(tc.body) {
					ev = &evs[i]
				}
			}
			if ev == nil {
				t.Fatalf("no evidence kept of the request (%d files)", len(evs))
			}
			if ev.Kind != tc.kind {
				t.Errorf("evidence kind %q, want %q", ev.Kind, tc.kind)
			}
			// Both checkpoints in the evidence are signed by the log key.
			w, _, err := tlog.OpenCheckpoint([]byte(ev.Witnessed), lv)
			if err != nil {
				t.Fatalf("witnessed checkpoint: %v", err)
			}
			if w.Root != f.log.root(w.Size) {
				t.Errorf("witnessed checkpoint of size %d is not the cosigned tree", w.Size)
			}
			_, cp, _ := strings.Cut(ev.Request, "\n\n")
			if _, _, err := tlog.OpenCheckpoint([]byte(cp), lv); err != nil {
				t.Errorf("the conflicting checkpoint in the evidence: %v", err)
			}
		})
	}
	// The same request again keeps no second file.
	before, _ := witness.ReadEvidence(f.dir)
	f.post(t, forked.body(7, 7))
	if after, _ := witness.ReadEvidence(f.dir); len(after) != len(before) {
		t.Errorf("%d evidence files after a repeated request, want %d", len(after), len(before))
	}
	// A checkpoint the witness cosigned, sent again, is no evidence.
	f.post(t, f.log.body(4, 4))
	if after, _ := witness.ReadEvidence(f.dir); len(after) != len(before) {
		t.Errorf("%d evidence files after a stale checkpoint, want %d", len(after), len(before))
	}
	// The witness still follows the true log, and only it.
	f.mustCosign(t, 7, 9)
	hs, _ := witness.ReadHistory(f.dir, lv)
	for _, h := range hs {
		if h.Root != f.log.root(h.Size) {
			t.Errorf("history holds size %d root %x, not the log's", h.Size, h.Root[:])
		}
	}
}

// TestTornHistory: a line cut short by a crash before the answer went out
// is dropped when the witness opens its directory again.
func TestTornHistory(t *testing.T) {
	f := mustWitness(t)
	f.log.grow(6, "a")
	f.mustCosign(t, 0, 3)
	f.close()
	path := filepath.Join(f.dir, witness.HistoryFile)
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fh.WriteString(`{"note":"truce.test/log\n6\n`)
	fh.Close()
	f.open(t)
	if c, ok := f.w.Latest(); !ok || c.Size != 3 {
		t.Fatalf("Latest after a torn line = %d, %v; want 3", c.Size, ok)
	}
	f.mustCosign(t, 3, 6)
	lv, _ := tlog.NewVerifier(logKeys[1])
	hs, err := witness.ReadHistory(f.dir, lv)
	if err != nil || len(hs) != 2 {
		t.Fatalf("ReadHistory = %d records, %v; want 2", len(hs), err)
	}
}

// TestHistoryEdited: a history whose checkpoint is not signed by the log
// key is refused at open, naming the line.
func TestHistoryEdited(t *testing.T) {
	f := mustWitness(t)
	f.log.grow(3, "a")
	f.mustCosign(t, 0, 3)
	f.close()
	path := filepath.Join(f.dir, witness.HistoryFile)
	b, _ := os.ReadFile(path)
	os.WriteFile(path, bytes.Replace(b, []byte(`\n3\n`), []byte(`\n2\n`), 1), 0o644)
	lv, _ := tlog.NewVerifier(logKeys[1])
	if _, err := witness.Open(f.dir, f.signer, lv); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("Open of an edited history: %v, want an error naming line 1", err)
	}
}

// TestConcurrentSubmissions: requests racing for the same witness never
// roll its state back (the check and the write are one step).
func TestConcurrentSubmissions(t *testing.T) {
	f := mustWitness(t)
	f.log.grow(40, "a")
	c := &witness.Client{URL: f.srv.URL}
	var wg sync.WaitGroup
	for n := int64(1); n <= 40; n++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			old := int64(0)
			for range 10 {
				_, err := c.AddCheckpoint(context.Background(), old, f.log.proof(old, n), f.log.checkpoint(n))
				var ce *witness.ConflictError
				if !errors.As(err, &ce) || ce.Size > n {
					return
				}
				old = ce.Size
			}
		}()
	}
	wg.Wait()
	lv, _ := tlog.NewVerifier(logKeys[1])
	hs, err := witness.ReadHistory(f.dir, lv)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(hs); i++ {
		if hs[i].Size <= hs[i-1].Size {
			t.Fatalf("history goes from size %d to %d", hs[i-1].Size, hs[i].Size)
		}
	}
	if c, _ := f.w.Latest(); c.Size != hs[len(hs)-1].Size {
		t.Errorf("Latest %d, history ends at %d", c.Size, hs[len(hs)-1].Size)
	}
}

func TestOneProcessPerDirectory(t *testing.T) {
	f := mustWitness(t)
	lv, _ := tlog.NewVerifier(logKeys[1])
	if w, err := witness.Open(f.dir, f.signer, lv); err == nil {
		w.Close()
		t.Error("a second Open of a directory in use succeeded")
	}
}
