package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"truce"
)

var projectionTests = []test{
	one("Agreement", testAgreementRoundTrip),
	one("Members", testMembers),
	one("MemberDuplicate", testMemberDuplicate),
	one("Report", testReportRoundTrip),
	one("ReportDuplicate", testReportDuplicate),
	one("SetReportState", testSetReportState),
	one("Assessments", testAssessments),
}

func testAgreementRoundTrip(t *testing.T, s truce.Store) {
	mustView(t, s, func(tx truce.Tx) error {
		a, err := tx.Agreement()
		if err == nil {
			t.Errorf("Agreement() on an empty store = %v, nil; want ENOTFOUND", a.ID)
		}
		checkCode(t, "Agreement()", err, truce.ENOTFOUND)
		return nil
	})
	want := testAgreement()
	if err := want.Validate(); err != nil {
		t.Fatalf("the suite's agreement is invalid: %v", err)
	}
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.PutAgreement(want, 0) })
	mustView(t, s, func(tx truce.Tx) error {
		got, err := tx.Agreement()
		if err != nil {
			t.Fatalf("Agreement(): %v", err)
		}
		// The agreement is a document: its JSON is what must survive.
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("Agreement() = %s\nwant %s", g, w)
		}
		return nil
	})
}

func testMembers(t *testing.T, s truce.Store) {
	// Inserted out of entry order; ids run against entries.
	ms := []*truce.Member{member(2, 7), member(0, 2), member(4, 30), member(1, 5)}
	mustUpdate(t, s, func(tx truce.Tx) error {
		for _, m := range ms[:2] {
			if err := tx.InsertMember(m); err != nil {
				return err
			}
		}
		return nil
	})
	mustUpdate(t, s, func(tx truce.Tx) error {
		for _, m := range ms[2:] {
			if err := tx.InsertMember(m); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx truce.Tx) error {
		for _, want := range ms {
			got, err := tx.Member(want.ID)
			if err != nil {
				t.Errorf("Member(%s): %v", want.ID, err)
				continue
			}
			checkMember(t, fmt.Sprintf("Member(%s)", want.ID), got, want)
		}
		got, err := tx.Member(memberID(3))
		if err == nil {
			t.Errorf("Member(%s) = %v, nil; want ENOTFOUND", memberID(3), got.ID)
		}
		checkCode(t, "Member(missing)", err, truce.ENOTFOUND)

		all, err := tx.Members()
		if err != nil {
			t.Fatalf("Members(): %v", err)
		}
		want := []*truce.Member{ms[1], ms[3], ms[0], ms[2]} // by entry
		if len(all) != len(want) {
			t.Fatalf("Members() gave %d members, want %d", len(all), len(want))
		}
		for i := range want {
			checkMember(t, fmt.Sprintf("Members()[%d]", i), all[i], want[i])
		}
		return nil
	})
}

func testMemberDuplicate(t *testing.T, s truce.Store) {
	m := member(0, 1)
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.InsertMember(m) })
	dup := member(0, 2)
	dup.Name = "Impostor"
	mustFail(t, s, "InsertMember with a used id", func(tx truce.Tx) error { return tx.InsertMember(dup) })
	mustView(t, s, func(tx truce.Tx) error {
		all, err := tx.Members()
		if err != nil || len(all) != 1 {
			t.Fatalf("Members() = %d members, %v; want 1", len(all), err)
		}
		checkMember(t, "Members()[0]", all[0], m)
		return nil
	})
}

func testReportRoundTrip(t *testing.T, s truce.Store) {
	r0, st0 := report(0, 3) // with a perpetrator
	r1, st1 := report(1, 4) // without one
	st1 = truce.ReportState{Deadline: time.Date(2017, 1, 8, 0, 0, 0, 1, eet), Open: truce.Confirmed, Closed: truce.Contested}
	r2, st2 := report(2, 5)
	r2.Lon, r2.Lat = -179.99999999999997, 89.99999999999999
	r2.Origin = &truce.Origin{Dataset: "acled", ID: "SYR1234", Fields: map[string]string{"assoc_actor_1": "Civilians (Syria)", "#geo+lat": ""}}
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.InsertReport(r0, st0) })
	mustUpdate(t, s, func(tx truce.Tx) error {
		if err := tx.InsertReport(r1, st1); err != nil {
			return err
		}
		return tx.InsertReport(r2, st2)
	})
	mustView(t, s, func(tx truce.Tx) error {
		for _, c := range []struct {
			r  *truce.Report
			st truce.ReportState
		}{{r0, st0}, {r1, st1}, {r2, st2}} {
			got, st, err := tx.Report(c.r.ID)
			if err != nil {
				t.Errorf("Report(%s): %v", c.r.ID, err)
				continue
			}
			what := fmt.Sprintf("Report(%s)", c.r.ID)
			checkReport(t, what, got, c.r)
			checkState(t, what, st, c.st)
		}
		got, _, err := tx.Report(reportID(9))
		if err == nil {
			t.Errorf("Report(%s) = %v, nil; want ENOTFOUND", reportID(9), got.ID)
		}
		checkCode(t, "Report(missing)", err, truce.ENOTFOUND)
		return nil
	})
}

func testReportDuplicate(t *testing.T, s truce.Store) {
	r, st := report(0, 3)
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.InsertReport(r, st) })
	dup, dst := report(0, 4)
	dup.Description = "forged"
	mustFail(t, s, "InsertReport with a used id", func(tx truce.Tx) error { return tx.InsertReport(dup, dst) })
	mustView(t, s, func(tx truce.Tx) error {
		got, gst, err := tx.Report(r.ID)
		if err != nil {
			t.Fatalf("Report(): %v", err)
		}
		checkReport(t, "Report()", got, r)
		checkState(t, "Report()", gst, st)
		return nil
	})
}

func testSetReportState(t *testing.T, s truce.Store) {
	r0, st0 := report(0, 3)
	r1, st1 := report(1, 4)
	mustUpdate(t, s, func(tx truce.Tx) error {
		if err := tx.InsertReport(r0, st0); err != nil {
			return err
		}
		return tx.InsertReport(r1, st1)
	})
	next := truce.ReportState{Deadline: st0.Deadline.Add(-time.Hour), Open: truce.Contested, Closed: truce.Confirmed}
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.SetReportState(r0.ID, next) })
	err := mustFail(t, s, "SetReportState(missing)", func(tx truce.Tx) error {
		return tx.SetReportState(reportID(9), next)
	})
	checkCode(t, "SetReportState(missing)", err, truce.ENOTFOUND)
	mustView(t, s, func(tx truce.Tx) error {
		got, st, err := tx.Report(r0.ID)
		if err != nil {
			t.Fatalf("Report(): %v", err)
		}
		checkReport(t, "Report() after SetReportState", got, r0)
		checkState(t, "Report() after SetReportState", st, next)
		_, st, err = tx.Report(r1.ID)
		if err != nil {
			t.Fatalf("Report(): %v", err)
		}
		checkState(t, "other Report() after SetReportState", st, st1)
		return nil
	})
}

func testAssessments(t *testing.T, s truce.Store) {
	ra, sta := report(0, 3)
	rb, stb := report(1, 4)
	rc, stc := report(2, 5)
	a9 := assessment(ra.ID, 0, 9, truce.Dispute)
	a6 := assessment(ra.ID, 1, 6, truce.Confirm)
	a6.Reason = ""
	a7 := assessment(rb.ID, 2, 7, truce.CannotVerify)
	a12 := assessment(ra.ID, 0, 12, truce.Confirm)
	mustUpdate(t, s, func(tx truce.Tx) error {
		for _, c := range []struct {
			r  *truce.Report
			st truce.ReportState
		}{{ra, sta}, {rb, stb}, {rc, stc}} {
			if err := tx.InsertReport(c.r, c.st); err != nil {
				return err
			}
		}
		return nil
	})
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.InsertAssessment(a9) }) // out of entry order
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.InsertAssessment(a6) })
	mustUpdate(t, s, func(tx truce.Tx) error {
		if err := tx.InsertAssessment(a7); err != nil {
			return err
		}
		return tx.InsertAssessment(a12)
	})
	mustView(t, s, func(tx truce.Tx) error {
		for _, c := range []struct {
			id   truce.ReportID
			want []*truce.Assessment
		}{
			{ra.ID, []*truce.Assessment{a6, a9, a12}},
			{rb.ID, []*truce.Assessment{a7}},
			{rc.ID, nil},
		} {
			got, err := tx.Assessments(c.id)
			if err != nil {
				t.Errorf("Assessments(%s): %v", c.id, err)
				continue
			}
			if len(got) != len(c.want) {
				t.Errorf("Assessments(%s) gave %d, want %d", c.id, len(got), len(c.want))
				continue
			}
			for i := range got {
				checkAssessment(t, fmt.Sprintf("Assessments(%s)[%d]", c.id, i), &got[i], c.want[i])
			}
		}
		return nil
	})
}
