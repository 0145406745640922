package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"truce"
)

// What a bulletin reads: a checkpoint by size, and reports as they stood
// at a tree size.
var asOfTests = []test{
	one("CheckpointAt", testCheckpointAt),
	one("ReportsAsOf", testReportsAsOf),
	one("ReportsAsOfRange", testReportsAsOfRange),
	one("ReportsAsOfAfterReset", testReportsAsOfAfterReset),
}

func testCheckpointAt(t *testing.T, s truce.Store) {
	for _, n := range []int64{3, 7} {
		mustUpdate(t, s, func(tx truce.Tx) error { return tx.AddCheckpoint(checkpoint(n)) })
	}
	mustView(t, s, func(tx truce.Tx) error {
		for _, n := range []int64{3, 7} {
			c, err := tx.CheckpointAt(n)
			if err != nil {
				t.Errorf("CheckpointAt(%d): %v", n, err)
				continue
			}
			checkCheckpoint(t, fmt.Sprintf("CheckpointAt(%d)", n), c, checkpoint(n))
		}
		for _, n := range []int64{0, 5, 8} {
			c, err := tx.CheckpointAt(n)
			if err == nil {
				t.Errorf("CheckpointAt(%d) = size %d, nil; want ENOTFOUND", n, c.Size)
			}
			checkCode(t, fmt.Sprintf("CheckpointAt(%d)", n), err, truce.ENOTFOUND)
		}
		return nil
	})
}

// classified returns a classification in governorate adm1 of the scope.
func classified(adm1, scope string, controller truce.ActorID) *truce.Classification {
	return &truce.Classification{ADM1: adm1, ADM2: adm1 + "01", Scope: scope, Controller: controller}
}

// fillHistory files reports 0, 1, 2 in entries 5, 6, 7 (report 0
// classified at intake), classifies them again and assesses them:
//
//	entry 8: report 0 disputed        entry 11: report 0 confirmed
//	entry 9: report 1 classified      entry 12: report 0 classified again
//	entry 10: report 0 classified     entry 13: report 1 disputed
func fillHistory(t *testing.T, s truce.Store) {
	t.Helper()
	for i := range 3 {
		r, st := report(i, int64(5+i))
		if i == 0 {
			r.Classification = classified("SY07", truce.ScopeCovered, "OPP")
		}
		mustUpdate(t, s, func(tx truce.Tx) error { return tx.InsertReport(r, st) })
	}
	mustUpdate(t, s, func(tx truce.Tx) error {
		steps := []func() error{
			func() error { return tx.InsertAssessment(assessment(reportID(0), 0, 8, truce.Dispute)) },
			func() error { return tx.SetClassification(reportID(1), classified("SY05", truce.ScopeDisputed, ""), 9) },
			func() error {
				return tx.SetClassification(reportID(0), classified("SY07", truce.ScopeExcluded, "JFS"), 10)
			},
			func() error { return tx.InsertAssessment(assessment(reportID(0), 0, 11, truce.Confirm)) },
			func() error { return tx.SetClassification(reportID(0), classified("SY05", truce.ScopeCovered, ""), 12) },
			func() error { return tx.InsertAssessment(assessment(reportID(1), 2, 13, truce.Dispute)) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
}

// asOf describes ReportsAsOf's answer in one line a report: id letter,
// entry, classification, assessments' entries and verdicts.
func asOf(rs []truce.ReportAsOf) string {
	var parts []string
	for _, r := range rs {
		var as []string
		for _, a := range r.Assessments {
			as = append(as, fmt.Sprintf("%d:%s", a.Entry, a.Verdict))
		}
		parts = append(parts, fmt.Sprintf("%c@%d %s/%s/%s [%s]", r.ID[4], r.Entry, r.ADM1, r.Scope, r.Controller, strings.Join(as, " ")))
	}
	return strings.Join(parts, "; ")
}

func testReportsAsOf(t *testing.T, s truce.Store) {
	fillHistory(t, s)
	from, to := t0.Add(-time.Hour), t0.Add(24*time.Hour)
	for _, c := range []struct {
		size int64
		want string
	}{
		{5, ""},
		{6, "z@5 SY07/covered/OPP []"},
		{8, "z@5 SY07/covered/OPP []; y@6 // []; x@7 // []"},
		{9, "z@5 SY07/covered/OPP [8:dispute]; y@6 // []; x@7 // []"},
		{10, "z@5 SY07/covered/OPP [8:dispute]; y@6 SY05/disputed/ []; x@7 // []"},
		{11, "z@5 SY07/excluded/JFS [8:dispute]; y@6 SY05/disputed/ []; x@7 // []"},
		{12, "z@5 SY07/excluded/JFS [8:dispute 11:confirm]; y@6 SY05/disputed/ []; x@7 // []"},
		{13, "z@5 SY05/covered/ [8:dispute 11:confirm]; y@6 SY05/disputed/ []; x@7 // []"},
		{100, "z@5 SY05/covered/ [8:dispute 11:confirm]; y@6 SY05/disputed/ [13:dispute]; x@7 // []"},
	} {
		mustView(t, s, func(tx truce.Tx) error {
			rs, err := tx.ReportsAsOf(from, to, c.size)
			if err != nil {
				t.Fatalf("ReportsAsOf(size %d): %v", c.size, err)
			}
			if got := asOf(rs); got != c.want {
				t.Errorf("ReportsAsOf(size %d) = %s\nwant %s", c.size, got, c.want)
			}
			return nil
		})
	}
	// The rest of a report, as filed.
	mustView(t, s, func(tx truce.Tx) error {
		rs, err := tx.ReportsAsOf(from, to, 100)
		if err != nil || len(rs) != 3 {
			t.Fatalf("ReportsAsOf = %d reports, %v; want 3", len(rs), err)
		}
		r, _ := report(0, 5)
		got := rs[0]
		if got.ID != r.ID || !got.OccurredAt.Equal(r.OccurredAt) || !got.FiledAt.Equal(r.FiledAt) ||
			got.Organisation != r.Organisation || got.Lon != r.Lon || got.Lat != r.Lat || got.EventType != r.EventType ||
			got.SubEventType != r.SubEventType || got.Perpetrator != r.Perpetrator || got.Target != r.Target {
			t.Errorf("ReportsAsOf()[0] = %+v\nwant the fields of %+v", got, r)
		}
		a := got.Assessments[1]
		want := assessment(reportID(0), 0, 11, truce.Confirm)
		if a.Report != want.Report || a.Organisation != want.Organisation || a.Verdict != want.Verdict || a.Entry != want.Entry {
			t.Errorf("ReportsAsOf()[0].Assessments[1] = %+v, want the report, organisation, verdict and entry of %+v", a, want)
		}
		return nil
	})
}

func testReportsAsOfRange(t *testing.T, s truce.Store) {
	fillHistory(t, s)
	// Report i occurred at t0 + i hours and 987654321 ns.
	for _, c := range []struct {
		from, to time.Duration
		want     string
	}{
		{time.Hour, 2 * time.Hour, "y"},
		{time.Hour + 987654321, 2*time.Hour + 987654321, "y"}, // from is inclusive, to exclusive
		{time.Hour + 987654322, 3 * time.Hour, "x"},
		{3 * time.Hour, 4 * time.Hour, ""},
	} {
		mustView(t, s, func(tx truce.Tx) error {
			rs, err := tx.ReportsAsOf(t0.Add(c.from).In(eet), t0.Add(c.to), 100)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, r := range rs {
				got += string(r.ID[4])
			}
			if got != c.want {
				t.Errorf("ReportsAsOf(t0+%s, t0+%s) = %q, want %q", c.from, c.to, got, c.want)
			}
			return nil
		})
	}
}

// testReportsAsOfAfterReset: ResetProjections forgets the history of
// classifications with the reports, so that a rebuild writes it afresh.
func testReportsAsOfAfterReset(t *testing.T, s truce.Store) {
	fillHistory(t, s)
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.ResetProjections() })
	r, st := report(0, 5)
	r.Classification = classified("SY02", truce.ScopeCovered, "")
	mustUpdate(t, s, func(tx truce.Tx) error {
		if err := tx.InsertReport(r, st); err != nil {
			return err
		}
		return tx.SetClassification(r.ID, classified("SY02", truce.ScopeOutside, ""), 20)
	})
	mustView(t, s, func(tx truce.Tx) error {
		rs, err := tx.ReportsAsOf(t0.Add(-time.Hour), t0.Add(time.Hour), 15)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := asOf(rs), "z@5 SY02/covered/ []"; got != want {
			t.Errorf("ReportsAsOf after a reset = %s, want %s", got, want)
		}
		return nil
	})
}
