package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

// The binary both end-to-end tests serve with, built once.
var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func truceBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "truce-crash-test-"); binErr == nil {
			binPath, binErr = build(context.Background(), binDir, io.Discard)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// TestCrashDurable is the harness's short run: eight kills, and nothing
// acknowledged may be lost.
func TestCrashDurable(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server 8 times (about 30 s)")
	}
	var progress bytes.Buffer
	c := &config{kills: 8, clients: 4, minDelay: 50 * time.Millisecond, maxDelay: 400 * time.Millisecond,
		replays: 8, seed: 7, bin: truceBinary(t)}
	sum, err := crash(context.Background(), c, &progress)
	if err != nil {
		t.Fatalf("crash: %v\n%s", err, progress.Bytes())
	}
	var out bytes.Buffer
	sum.print(&out)
	t.Log(out.String())
	if err := sum.verdict(); err != nil {
		t.Errorf("verdict: %v", err)
	}
	if sum.Kills != 8 || sum.Checks != 9 || sum.VerifyOK != 9 || sum.IntegrityOK != 9 || sum.CheckpointsOK != 8 {
		t.Errorf("kills %d, checks %d, verify ok %d, integrity ok %d, checkpoints ok %d; want 8 kills, 9 of each check ok, 8 checkpoints ok",
			sum.Kills, sum.Checks, sum.VerifyOK, sum.IntegrityOK, sum.CheckpointsOK)
	}
	if sum.Lost != 0 || sum.Duplicated != 0 || sum.Wrong != 0 || sum.ReplayChanged != 0 {
		t.Errorf("lost %d, duplicated %d, stored otherwise %d, answers changed %d; want none",
			sum.Lost, sum.Duplicated, sum.Wrong, sum.ReplayChanged)
	}
	if sum.AckedReports == 0 || sum.AckedAssessments == 0 || sum.InFlight == 0 || sum.Retried != sum.InFlight {
		t.Errorf("acknowledged %d (%d assessments), in flight %d, retried %d: want reports and assessments, and every one in flight answered on retry",
			sum.Acked, sum.AckedAssessments, sum.InFlight, sum.Retried)
	}
}

// TestCrashNegativeControl runs the harness against a server that
// acknowledges before it commits: it must see acknowledged writes lost,
// or it could not be trusted to see them.
func TestCrashNegativeControl(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server 4 times (about 15 s)")
	}
	var progress bytes.Buffer
	c := &config{kills: 4, clients: 4, minDelay: 150 * time.Millisecond, maxDelay: 400 * time.Millisecond,
		replays: 4, seed: 7, bin: truceBinary(t), control: true}
	sum, err := crash(context.Background(), c, &progress)
	if err != nil {
		t.Fatalf("crash: %v\n%s", err, progress.Bytes())
	}
	var out bytes.Buffer
	sum.print(&out)
	t.Log(out.String())
	if sum.Lost == 0 {
		t.Errorf("negative control lost nothing of %d acknowledged writes; want losses", sum.Acked)
	}
	if err := sum.verdict(); err != nil {
		t.Errorf("verdict: %v", err)
	}
	// Losing writes is all the switch does: the log stays sound.
	if sum.VerifyOK != sum.Checks || sum.IntegrityOK != sum.Checks || sum.Duplicated != 0 {
		t.Errorf("verify ok %d, integrity ok %d of %d checks, duplicated %d; want all ok, none duplicated",
			sum.VerifyOK, sum.IntegrityOK, sum.Checks, sum.Duplicated)
	}
}

// TestAudit checks the ledger's accounting on its own: a write missing is
// lost once, however many audits miss it; one on two rows is duplicated;
// one under another id is stored otherwise.
func TestAudit(t *testing.T) {
	l := newLedger()
	ack := func(w *write) {
		l.add(w)
		l.acked = append(l.acked, w)
		w.acked = true
	}
	r1 := &write{tag: "crash-a-c0-1", report: true, id: "R1"}
	r2 := &write{tag: "crash-a-c0-2", report: true, id: "R2"}
	r3 := &write{tag: "crash-a-c0-3", report: true, id: "R3"}
	a1 := &write{tag: "crash-a-c1-1", target: "R1", of: r1.tag}
	for _, w := range []*write{r1, r2, r3, a1} {
		ack(w)
	}
	dup := map[string]bool{}
	f := found{r1.tag: {"R1"}, r3.tag: {"R9"}, a1.tag: {"R1", "R1"}, "crash-a-c2-1": {"R4", "R5"}}
	a := l.audit(f, dup)
	slices.Sort(a.duplicated)
	if a.checked != 4 || !slices.Equal(a.lost, []string{r2.tag}) || !slices.Equal(a.duplicated, []string{a1.tag, "crash-a-c2-1"}) || len(a.wrong) != 1 {
		t.Fatalf("audit = %+v, want 4 checked, %s lost, %s and crash-a-c2-1 duplicated, one stored otherwise", a, r2.tag, a1.tag)
	}
	if !r1.seen || r2.seen || r3.seen || a1.seen || !r2.lost {
		t.Errorf("seen %v %v %v %v, r2 lost %v; want only r1 seen, r2 lost", r1.seen, r2.seen, r3.seen, a1.seen, r2.lost)
	}
	// Again: nothing new to count.
	if a := l.audit(f, dup); len(a.lost) != 0 || len(a.duplicated) != 0 || len(a.wrong) != 1 {
		t.Errorf("second audit = %+v, want no new loss or duplicate, the same one stored otherwise", a)
	}
}

func TestParseFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-kills", "0"}, {"-clients", "0"}, {"-min-delay", "0s"},
		{"-min-delay", "500ms", "-max-delay", "100ms"}, {"-replays", "-1"}, {"extra"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) = nil error, want a usage error", args)
		}
	}
	c, err := parseFlags([]string{"-control", "-kills", "10"}, io.Discard)
	if err != nil || !c.control || c.kills != 10 || c.clients != 8 {
		t.Errorf("parseFlags(-control -kills 10) = %+v, %v", c, err)
	}
}
