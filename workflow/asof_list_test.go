package workflow_test

import (
	"testing"
	"time"

	"truce"
	"truce/workflow"
)

// TestListReportsAsOf lists reports as they stood at past times: those
// filed by then, with the assessments made by then, and the consensus
// the service gave at that time, by which Consensus then filters.
func TestListReportsAsOf(t *testing.T) {
	svc, op := newService(t)
	// After the entries newService made with the real clock: entry
	// times never go back.
	t0 := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
	clock := ftFixClock(svc, t0)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	ir := mustMember(t, svc, op, "IR", truce.RoleGuarantor)
	tr := mustMember(t, svc, op, "TR", truce.RoleGuarantor)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	in := report(0)
	in.Perpetrator = "SYG"
	r1, err := svc.FileReport(ftCtx, opp, in)
	if err != nil {
		t.Fatal(err)
	}
	// What the service said at each moment, to compare with later.
	type then struct {
		at          time.Time
		consensus   truce.State
		assessments int
	}
	var seen []then
	look := func() {
		clock.Add(30 * time.Minute)
		v, err := svc.Report(ftCtx, ru, r1.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, then{clock.Now(), v.Consensus, len(v.Assessments)})
		clock.Add(30 * time.Minute)
	}
	look()
	for _, a := range []struct {
		by *truce.Member
		in truce.AssessmentInput
	}{
		{ru, truce.AssessmentInput{Verdict: truce.Confirm}},
		{ir, truce.AssessmentInput{Verdict: truce.Confirm}},
		{tr, truce.AssessmentInput{Verdict: "dispute", Reason: "Our post saw no fire."}},
	} {
		if _, err := svc.Assess(ftCtx, a.by, r1.ID, &a.in); err != nil {
			t.Fatal(err)
		}
		look()
	}
	r2, err := svc.FileReport(ftCtx, opp, report(1))
	if err != nil {
		t.Fatal(err)
	}
	if seen[0].consensus == seen[len(seen)-1].consensus {
		t.Fatalf("the consensus never changed (%s): the test shows nothing", seen[0].consensus)
	}

	for _, s := range seen {
		asOf := s.at.Format(time.RFC3339)
		page, err := svc.ListReports(ftCtx, ru, workflow.ReportQuery{AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Reports) != 1 || page.Reports[0].ID != r1.ID {
			t.Fatalf("as of %s: %d reports, want %s alone (%s was filed later)", asOf, len(page.Reports), r1.ID, r2.ID)
		}
		v := page.Reports[0]
		if v.Consensus != s.consensus || len(v.Assessments) != s.assessments {
			t.Errorf("as of %s: %s with %d assessments, want %s with %d, as the service said then",
				asOf, v.Consensus, len(v.Assessments), s.consensus, s.assessments)
		}
		for _, st := range truce.States {
			page, err := svc.ListReports(ftCtx, ru, workflow.ReportQuery{AsOf: asOf, Consensus: string(st)})
			if err != nil {
				t.Fatal(err)
			}
			if want := st == s.consensus; (len(page.Reports) == 1) != want || len(page.Reports) > 1 {
				t.Errorf("as of %s, consensus %s: %d reports, want %v", asOf, st, len(page.Reports), want)
			}
		}
	}
	// Before anything was filed: nothing. A time to come, or none: now.
	if page, err := svc.ListReports(ftCtx, ru, workflow.ReportQuery{AsOf: "2017-01-01"}); err != nil || len(page.Reports) != 0 {
		t.Errorf("as of 2017-01-01: %v, %v; want no reports", page, err)
	}
	for _, asOf := range []string{"", clock.Now().Add(time.Hour).Format(time.RFC3339)} {
		page, err := svc.ListReports(ftCtx, ru, workflow.ReportQuery{AsOf: asOf})
		if err != nil || len(page.Reports) != 2 || page.Reports[1].Consensus != seen[len(seen)-1].consensus {
			t.Errorf("as of %q: %v, %v; want both reports, as now", asOf, page, err)
		}
	}
	if _, err := svc.ListReports(ftCtx, ru, workflow.ReportQuery{AsOf: "last week"}); truce.ErrorField(err) != "as_of" {
		t.Errorf("as of %q: %v, want an error about as_of", "last week", err)
	}
	// A cursor and as_of together page through what stood then.
	page, err := svc.ListReports(ftCtx, ru, workflow.ReportQuery{AsOf: seen[1].at.Format(time.RFC3339), Limit: "1"})
	if err != nil || len(page.Reports) != 1 || page.Reports[0].ID != r1.ID {
		t.Fatalf("as of, a page of 1: %v, %v", page, err)
	}
}
