package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"truce"
	"truce/agreements"
	tlog "truce/log"
	"truce/sqlite"
	"truce/workflow"
)

// newService returns a service over a new SQLite store, initialised with the
// Astana agreement, and its operator.
func newService(tb testing.TB) (*workflow.Service, *truce.Member) {
	tb.Helper()
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		tb.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "truce.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	skey, vkey, err := tlog.GenerateKey("truce.test/workflow")
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := tlog.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	svc := workflow.New(db, signer)
	op, _, err := svc.Init(context.Background(), workflow.InitOptions{Agreement: a, Origin: "truce.test/workflow", Verifier: vkey})
	if err != nil {
		tb.Fatal(err)
	}
	return svc, op
}

func mustMember(tb testing.TB, svc *workflow.Service, op *truce.Member, org truce.ActorID, role truce.Role) *truce.Member {
	tb.Helper()
	m, _, err := svc.AddMember(context.Background(), op, fmt.Sprintf("%s %s", org, role), org, role)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func report(i int) *truce.ReportInput {
	lon, lat := 36.6+float64(i)*0.001, 35.9
	return &truce.ReportInput{
		OccurredAt: "2017-01-05T14:30:00+02:00", Lon: &lon, Lat: &lat,
		EventType: "Battles", SubEventType: "Armed clash", Perpetrator: "JFS",
		Description: fmt.Sprintf("Clash number %d near Kafr Nabl.", i),
	}
}

// mustVerify runs Verify against a scratch store and fails on any fault.
func mustVerify(tb testing.TB, svc *workflow.Service) *workflow.VerifyReport {
	tb.Helper()
	if _, err := svc.IssueCheckpoint(context.Background()); err != nil {
		tb.Fatal(err)
	}
	scratch, err := sqlite.Open(filepath.Join(tb.TempDir(), "scratch.db"))
	if err != nil {
		tb.Fatal(err)
	}
	defer scratch.Close()
	rep, err := svc.Verify(context.Background(), scratch, nil)
	if err != nil {
		tb.Fatalf("Verify: %v", err)
	}
	return rep
}

// TestClockGoingBack checks that entry times never decrease, even when the
// clock does.
func TestClockGoingBack(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	t0 := time.Now()
	for i, at := range []time.Time{t0, t0.Add(-time.Hour), t0.Add(time.Minute)} {
		svc.Now = func() time.Time { return at }
		v, err := svc.FileReport(context.Background(), ru, report(i))
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 && !v.FiledAt.Equal(t0.UTC()) {
			t.Errorf("report filed with the clock an hour back: filed_at %v, want the previous entry's %v", v.FiledAt, t0.UTC())
		}
	}
	mustVerify(t, svc)
}

// TestNegativeZero files a report at longitude -0: the log writes it as 0,
// and the replayed projection must equal the one built at filing.
func TestNegativeZero(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	in := report(0)
	negZero := math.Copysign(0, -1)
	in.Lon, in.Lat = &negZero, &negZero
	if _, err := svc.FileReport(context.Background(), ru, in); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, svc)
}

// TestBatchIsAllOrNothing files a batch with one bad report: nothing is
// stored, the error names the report, and the log goes on correctly.
func TestBatchIsAllOrNothing(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	ctx := context.Background()
	before, _ := svc.LogSize(ctx)
	bad := report(2)
	bad.EventType = "Skirmish"
	_, err := svc.FileReports(ctx, ru, []*truce.ReportInput{report(0), report(1), bad})
	if truce.ErrorField(err) != "reports[2].event_type" {
		t.Fatalf("FileReports(bad batch) = %v, want an error about reports[2].event_type", err)
	}
	if after, _ := svc.LogSize(ctx); after != before {
		t.Errorf("log grew from %d to %d on a refused batch", before, after)
	}
	ids, err := svc.FileReports(ctx, ru, []*truce.ReportInput{report(0), report(1)})
	if err != nil || len(ids) != 2 {
		t.Fatalf("FileReports = %v, %v", ids, err)
	}
	if rep := mustVerify(t, svc); rep.Entries != before+2 {
		t.Errorf("log of %d entries, want %d", rep.Entries, before+2)
	}
}

// TestConcurrentFiling files from many goroutines at once; the log must
// stay one consistent tree.
func TestConcurrentFiling(t *testing.T) {
	svc, op := newService(t)
	var members []*truce.Member
	for _, org := range []truce.ActorID{"RU", "IR", "TR"} {
		members = append(members, mustMember(t, svc, op, org, truce.RoleGuarantor))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				v, err := svc.FileReport(context.Background(), members[g%3], report(g*10+i))
				if err == nil {
					_, err = svc.Assess(context.Background(), members[(g+1)%3], v.ID, &truce.AssessmentInput{Verdict: truce.Confirm})
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if rep := mustVerify(t, svc); rep.Entries != 2+3+160 {
		t.Errorf("log of %d entries, want %d", rep.Entries, 2+3+160)
	}
}

// TestRebuildIsIdentical replays the log and compares the dump.
func TestRebuildIsIdentical(t *testing.T) {
	svc, op := newService(t)
	ru, tr := mustMember(t, svc, op, "RU", truce.RoleGuarantor), mustMember(t, svc, op, "TR", truce.RoleGuarantor)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		v, err := svc.FileReport(ctx, ru, report(i))
		if err != nil {
			t.Fatal(err)
		}
		svc.Assess(ctx, tr, v.ID, &truce.AssessmentInput{Verdict: truce.Dispute, Reason: "No such fire."})
		svc.Assess(ctx, tr, v.ID, &truce.AssessmentInput{Verdict: truce.Confirm})
	}
	dump := func() string {
		var s string
		if err := svc.Dump(ctx, func(line []byte) error { s += string(line) + "\n"; return nil }); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := dump()
	if err := svc.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if after := dump(); after != before {
		t.Errorf("dump after rebuild differs:\n%s\nvs\n%s", before, after)
	}
}

// TestAssessmentHistory checks that a guarantor's changed answer counts and
// both answers stay on record.
func TestAssessmentHistory(t *testing.T) {
	svc, op := newService(t)
	ctx := context.Background()
	ru, ir, tr := mustMember(t, svc, op, "RU", truce.RoleGuarantor), mustMember(t, svc, op, "IR", truce.RoleGuarantor), mustMember(t, svc, op, "TR", truce.RoleGuarantor)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	v, err := svc.FileReport(ctx, opp, report(0))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		by   *truce.Member
		in   truce.AssessmentInput
		want truce.State
	}{
		{tr, truce.AssessmentInput{Verdict: truce.Confirm}, truce.Pending},
		{ru, truce.AssessmentInput{Verdict: truce.Dispute, Reason: "Our post saw nothing."}, truce.Contested},
		{ru, truce.AssessmentInput{Verdict: truce.Confirm, Reason: "Drone footage reviewed."}, truce.Pending},
		{ir, truce.AssessmentInput{Verdict: truce.Confirm}, truce.Confirmed},
	}
	for i, s := range steps {
		got, err := svc.Assess(ctx, s.by, v.ID, &s.in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Consensus != s.want {
			t.Errorf("after step %d consensus = %s, want %s", i, got.Consensus, s.want)
		}
	}
	got, _ := svc.Report(ctx, opp, v.ID)
	if len(got.Assessments) != 4 || got.Answers["RU"] != truce.Confirm {
		t.Errorf("report has %d assessments and RU answer %s, want 4 and confirm", len(got.Assessments), got.Answers["RU"])
	}

	// The window closes 72 hours after filing.
	svc.Now = func() time.Time { return v.FiledAt.Add(72 * time.Hour) }
	v2, _ := svc.FileReport(ctx, opp, report(1))
	svc.Now = func() time.Time { return v2.FiledAt.Add(72*time.Hour - time.Second) }
	if got, _ := svc.Report(ctx, opp, v2.ID); got.Consensus != truce.Pending {
		t.Errorf("71:59:59 after filing: %s, want pending", got.Consensus)
	}
	page, _ := svc.ListReports(ctx, opp, workflow.ReportQuery{Consensus: "pending"})
	if len(page.Reports) != 1 {
		t.Errorf("pending listing has %d reports, want 1", len(page.Reports))
	}
	svc.Now = func() time.Time { return v2.FiledAt.Add(72 * time.Hour) }
	if got, _ := svc.Report(ctx, opp, v2.ID); got.Consensus != truce.Unilateral {
		t.Errorf("72h after filing: %s, want unilateral", got.Consensus)
	}
	page, _ = svc.ListReports(ctx, opp, workflow.ReportQuery{Consensus: "unilateral"})
	if len(page.Reports) != 1 || page.Reports[0].ID != v2.ID {
		t.Errorf("unilateral listing = %v, want only %s", page.Reports, v2.ID)
	}
}

// TestInitRefusesALog checks that Init only starts an empty store.
func TestInitRefusesALog(t *testing.T) {
	svc, _ := newService(t)
	a, _ := svc.Agreement(context.Background())
	_, _, err := svc.Init(context.Background(), workflow.InitOptions{Agreement: a, Origin: "truce.test/workflow", Verifier: "x"})
	if truce.ErrorCode(err) != truce.ECONFLICT && !errors.Is(err, err) {
		t.Errorf("Init on a log = %v, want a conflict", err)
	}
	if truce.ErrorCode(err) != truce.ECONFLICT {
		t.Errorf("Init on a log = %v, want a conflict", err)
	}
}
