package workflow_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"truce"
	"truce/bulletin"
	tlog "truce/log"
	"truce/witness"
	"truce/workflow"
)

// testWitness is a witness of svc's log served over HTTP on loopback.
type testWitness struct {
	signer *witness.Signer
	w      *witness.Witness
	srv    *httptest.Server
}

func mustTestWitness(t *testing.T, svc *workflow.Service, name string) *testWitness {
	t.Helper()
	skey, _, err := witness.GenerateKey(name)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := witness.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := svc.VerifierKey(ftCtx)
	if err != nil {
		t.Fatal(err)
	}
	lv, err := tlog.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	w, err := witness.Open(t.TempDir(), signer, lv)
	if err != nil {
		t.Fatal(err)
	}
	tw := &testWitness{signer: signer, w: w, srv: httptest.NewServer(w.Handler())}
	t.Cleanup(func() { tw.srv.Close(); w.Close() })
	return tw
}

// client returns what the log knows of the witness: a fresh one, which
// has not heard from it yet.
func (tw *testWitness) client() *workflow.Witness {
	return &workflow.Witness{Key: tw.signer.Verifier(), Client: &witness.Client{URL: tw.srv.URL}}
}

func mustIssue(t *testing.T, svc *workflow.Service) *truce.Checkpoint {
	t.Helper()
	c, err := svc.IssueCheckpoint(ftCtx)
	if err != nil || c == nil {
		t.Fatalf("IssueCheckpoint = %v, %v", c, err)
	}
	return c
}

// checkCosigned requires the cosigned checkpoint of size to carry valid
// signatures by the log and exactly the given witnesses.
func checkCosigned(t *testing.T, svc *workflow.Service, size int64, by ...*testWitness) {
	t.Helper()
	c, err := svc.CosignedCheckpoint(ftCtx, size)
	if err != nil {
		t.Fatal(err)
	}
	vkey, _ := svc.VerifierKey(ftCtx)
	lv, _ := tlog.NewVerifier(vkey)
	keys := []note.Verifier{lv}
	for _, w := range by {
		keys = append(keys, w.signer.Verifier())
	}
	n, err := note.Open([]byte(c.Note), note.VerifierList(keys...))
	if err != nil || len(n.Sigs) != len(keys) || len(n.UnverifiedSigs) != 0 {
		t.Fatalf("cosigned checkpoint of size %d:\n%s\n(%v), want the log's signature and %d cosignatures", size, c.Note, err, len(by))
	}
}

func TestCosign(t *testing.T) {
	svc, op := newService(t)
	ru, ir, tr := mustTestWitness(t, svc, "w.test/RU"), mustTestWitness(t, svc, "w.test/IR"), mustTestWitness(t, svc, "w.test/TR")
	tr.srv.Close() // TR's witness is down
	ws := []*workflow.Witness{ru.client(), ir.client(), tr.client()}

	mustMember(t, svc, op, "RU", truce.RoleMonitor)
	c1 := mustIssue(t, svc)
	got, err := svc.Cosign(ftCtx, c1, ws)
	if len(got) != 2 || err == nil || !strings.Contains(err.Error(), "witness w.test/TR") {
		t.Fatalf("Cosign with TR down = %d cosignatures, %v; want 2 and TR's failure", len(got), err)
	}
	checkCosigned(t, svc, c1.Size, ir, ru)

	// The log grows; the witnesses check the proof from c1.
	mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	c2 := mustIssue(t, svc)
	if got, err := svc.Cosign(ftCtx, c2, ws[:2]); len(got) != 2 || err != nil {
		t.Fatalf("Cosign(c2) = %d, %v; want 2, nil", len(got), err)
	}
	checkCosigned(t, svc, c2.Size, ir, ru)

	// After a restart the log does not know the witnesses' sizes: each
	// answers 409 with its size, and the log proves consistency from it.
	mustMember(t, svc, op, "IR", truce.RoleGuarantor)
	c3 := mustIssue(t, svc)
	if got, err := svc.Cosign(ftCtx, c3, []*workflow.Witness{ru.client(), ir.client()}); len(got) != 2 || err != nil {
		t.Fatalf("Cosign(c3) after a restart = %d, %v; want 2, nil", len(got), err)
	}
	// Asked again, nothing new is stored.
	if got, err := svc.Cosign(ftCtx, c3, ws[:2]); len(got) != 0 || err != nil {
		t.Errorf("Cosign(c3) again = %d, %v; want 0, nil", len(got), err)
	}
	checkCosigned(t, svc, c3.Size, ir, ru)

	// An answer that is not the configured key's is refused.
	impostor := &workflow.Witness{Key: tr.signer.Verifier(), Client: &witness.Client{URL: ru.srv.URL}}
	mustMember(t, svc, op, "TR", truce.RoleGuarantor)
	c4 := mustIssue(t, svc)
	got, err = svc.Cosign(ftCtx, c4, []*workflow.Witness{impostor})
	if len(got) != 0 || err == nil || !strings.Contains(err.Error(), "not a valid cosignature") {
		t.Errorf("Cosign with another key's answer = %d, %v; want 0 and refused", len(got), err)
	}
	checkCosigned(t, svc, c4.Size)
}

// TestRunCosigner: checkpoints handed to the cosigner as the checkpointer
// issues them get cosigned.
func TestRunCosigner(t *testing.T) {
	svc, op := newService(t)
	ru := mustTestWitness(t, svc, "w.test/RU")
	ch := make(chan *truce.Checkpoint, 1)
	ctx, cancel := context.WithCancel(ftCtx)
	done := make(chan struct{})
	go func() { svc.RunCosigner(ctx, []*workflow.Witness{ru.client()}, ch); close(done) }()
	hand := workflow.Latest(ch)
	for _, org := range []truce.ActorID{"RU", "IR", "TR"} {
		mustMember(t, svc, op, org, truce.RoleGuarantor)
		hand(mustIssue(t, svc))
	}
	last, _ := svc.LatestCheckpoint(ftCtx)
	for i := 0; ; i++ {
		if c, ok := ru.w.Latest(); ok && c.Size == last.Size {
			break
		}
		if i == 500 {
			t.Fatal("the witness never cosigned the latest checkpoint")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

// TestBulletinCitesCosigned: a bulletin is computed at the latest
// cosigned checkpoint and carries its cosignatures; it verifies, as does
// one computed before the cosignatures came in; one that carries a
// cosignature the log does not hold does not, even signed by the log key;
// a copy of the log with the same cosignatures gives the same bytes.
func TestBulletinCitesCosigned(t *testing.T) {
	w := newBulletinWorld(t)
	before := mustBulletin(t, w.svc, bulletinDay, workflow.BulletinOptions{})
	ru, ir := mustTestWitness(t, w.svc, "w.test/RU"), mustTestWitness(t, w.svc, "w.test/IR")
	c, err := w.svc.CosignedCheckpoint(ftCtx, w.size)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Cosign(ftCtx, c, []*workflow.Witness{ru.client(), ir.client()}); err != nil {
		t.Fatal(err)
	}
	cosigned, _ := w.svc.CosignedCheckpoint(ftCtx, w.size)
	// The log grows past the cosigned checkpoint.
	mustMember(t, w.svc, w.op, "TR", truce.RoleMonitor)
	mustIssue(t, w.svc)

	b := mustBulletin(t, w.svc, bulletinDay, workflow.BulletinOptions{})
	if b.TreeSize != w.size || b.Checkpoint != cosigned.Note || strings.Count(b.Checkpoint, "— w.test/") != 2 {
		t.Fatalf("bulletin at size %d carries\n%s\nwant the cosigned checkpoint of size %d\n%s", b.TreeSize, b.Checkpoint, w.size, cosigned.Note)
	}
	for what, bb := range map[string]*bulletin.Bulletin{"cosigned": b, "computed before the cosignatures": before} {
		file, err := bulletin.Bytes(bb, bulletin.JSON)
		if err != nil {
			t.Fatal(err)
		}
		verify(t, w.svc, what, file, true)
	}

	forged := *b
	forged.Checkpoint = strings.Replace(b.Checkpoint, "— w.test/IR ", "— w.test/XX ", 1)
	if err := bulletin.Sign(&forged, w.svc.Signer); err != nil {
		t.Fatal(err)
	}
	file, _ := bulletin.Bytes(&forged, bulletin.JSON)
	verify(t, w.svc, "carrying a cosignature the log does not hold", file, false, "carries a cosignature this log does not hold")

	// Another data directory with the same log and cosignatures.
	mirror := copyLog(t, w.svc, 0, true, true)
	err = w.svc.Store.View(ftCtx, func(src truce.Tx) error {
		cs, err := src.Cosignatures(w.size)
		if err != nil {
			return err
		}
		return mirror.Store.Update(ftCtx, func(dst truce.Tx) error {
			for i := range cs {
				if err := dst.AddCosignature(&cs[i]); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	there := mustBulletin(t, mirror, bulletinDay, workflow.BulletinOptions{})
	for _, f := range bulletin.Formats {
		a, _ := bulletin.Bytes(b, f)
		if c, _ := bulletin.Bytes(there, f); !bytes.Equal(a, c) {
			t.Errorf("%s bulletin differs on a copy of the log with the same cosignatures", f)
		}
	}
}

// TestCheckSeen: checkpoints kept outside the log match it only at sizes
// it has, with the roots its entries give.
func TestCheckSeen(t *testing.T) {
	svc, op := newService(t)
	mustMember(t, svc, op, "RU", truce.RoleMonitor)
	c := mustIssue(t, svc)
	good := workflow.Seen{Checkpoint: tlog.Checkpoint{Origin: "truce.test/workflow", Size: c.Size, Root: c.Root}, Source: "good"}
	empty := workflow.Seen{Checkpoint: tlog.Checkpoint{Size: 0, Root: tlog.Hash(emptyRoot())}, Source: "empty"}
	other := good
	other.Root[0] ^= 1
	other.Source = "other root"
	longer := good
	longer.Size = c.Size + 5
	longer.Source = "longer"
	faults, size, err := svc.CheckSeen(ftCtx, []workflow.Seen{longer, good, other, empty})
	if err != nil || size != c.Size {
		t.Fatalf("CheckSeen = %v, %d, %v", faults, size, err)
	}
	if len(faults) != 2 || !strings.HasPrefix(faults[0], "other root: ") || !strings.Contains(faults[0], "rewritten") ||
		!strings.HasPrefix(faults[1], "longer: ") || !strings.Contains(faults[1], "entries were removed") {
		t.Errorf("CheckSeen faults = %q, want the other root's, then the longer one's", faults)
	}
	if faults, _, err := svc.CheckSeen(ftCtx, []workflow.Seen{good, empty}); err != nil || len(faults) != 0 {
		t.Errorf("CheckSeen of the log's own checkpoints = %q, %v; want none", faults, err)
	}
}

func emptyRoot() [32]byte { return sha256.Sum256(nil) }

// TestBulletinWaitsForEveryWitness: with the log's witnesses named, a
// bulletin is computed at the latest checkpoint the most of them
// cosigned. While one witness has not cosigned the newest checkpoint,
// bulletins stay at the last one all three did; once it has, they move on.
func TestBulletinWaitsForEveryWitness(t *testing.T) {
	w := newBulletinWorld(t)
	ws := []*testWitness{mustTestWitness(t, w.svc, "w.test/RU"), mustTestWitness(t, w.svc, "w.test/IR"), mustTestWitness(t, w.svc, "w.test/TR")}
	clients := []*workflow.Witness{ws[0].client(), ws[1].client(), ws[2].client()}
	first, err := w.svc.CosignedCheckpoint(ftCtx, w.size)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Cosign(ftCtx, first, clients); err != nil {
		t.Fatal(err)
	}
	mustMember(t, w.svc, w.op, "TR", truce.RoleMonitor)
	second := mustIssue(t, w.svc)
	if _, err := w.svc.Cosign(ftCtx, second, clients[:2]); err != nil { // TR's witness is down
		t.Fatal(err)
	}
	at := func(names []string) *bulletin.Bulletin {
		w.svc.Witnesses = names
		return mustBulletin(t, w.svc, bulletinDay, workflow.BulletinOptions{})
	}
	all := []string{"w.test/RU", "w.test/IR", "w.test/TR"}
	if b := at(all); b.TreeSize != first.Size || strings.Count(b.Checkpoint, "— w.test/") != 3 {
		t.Errorf("with TR's witness behind, the bulletin is at size %d with %d cosignatures; want %d with 3",
			b.TreeSize, strings.Count(b.Checkpoint, "— w.test/"), first.Size)
	}
	if b := at(nil); b.TreeSize != second.Size {
		t.Errorf("with no witnesses named, the bulletin is at size %d; want the latest cosigned, %d", b.TreeSize, second.Size)
	}
	if b := at(all[:2]); b.TreeSize != second.Size {
		t.Errorf("with RU's and IR's witnesses named, the bulletin is at size %d; want %d", b.TreeSize, second.Size)
	}
	// TR's witness comes back and cosigns: the bulletins move on.
	if _, err := w.svc.Cosign(ftCtx, second, clients[2:]); err != nil {
		t.Fatal(err)
	}
	if b := at(all); b.TreeSize != second.Size || strings.Count(b.Checkpoint, "— w.test/") != 3 {
		t.Errorf("once TR's witness cosigned, the bulletin is at size %d; want %d", b.TreeSize, second.Size)
	}
	// It verifies where no witness is named: verify reads the size the
	// file names.
	file, _ := bulletin.Bytes(at(all), bulletin.JSON)
	w.svc.Witnesses = nil
	verify(t, w.svc, "at the checkpoint all witnesses cosigned", file, true)
}
