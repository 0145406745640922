package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"truce"
)

var findTests = []test{
	one("Filters", testFindFilters),
	one("Paging", testFindPaging),
}

// findNow is the Now of the FindReports fixtures.
var findNow = t0.Add(100 * time.Hour)

// findFixture is a report for FindReports, as offsets from t0 and findNow.
type findFixture struct {
	entry        int64
	occurred     time.Duration // after t0
	perpetrator  truce.ActorID
	organisation truce.ActorID
	deadline     time.Duration // after findNow
	open, closed truce.State
}

// findFixtures are filed in entry order, with gaps where other entries
// would be. Occurrence order differs from entry order (entry 20 occurred
// first), and deadlines fall on each side of findNow and exactly on it.
var findFixtures = []findFixture{
	{10, 0, "SYG", "RU", time.Hour, truce.Pending, truce.Unilateral},          // Pending at findNow
	{11, time.Hour, "OPP", "TR", 0, truce.Pending, truce.Confirmed},           // Confirmed: closed at its deadline
	{13, 2 * time.Hour, "", "RU", -time.Hour, truce.Pending, truce.Contested}, // Contested
	{14, 3 * time.Hour, "SYG", "TR", 1, truce.Confirmed, truce.Rejected},      // Confirmed: open 1ns more
	{16, 4 * time.Hour, "OPP", "IR", -1, truce.Confirmed, truce.Unilateral},   // Unilateral: closed 1ns ago
	{17, 5 * time.Hour, "SYG", "RU", 10 * time.Hour, truce.Pending, truce.Confirmed},
	{20, -time.Hour, "JFS", "RU", -2 * time.Hour, truce.Pending, truce.Rejected},
}

// insertFindFixtures files the fixtures and returns them by entry.
func insertFindFixtures(t *testing.T, s truce.Store) (map[int64]*truce.Report, map[int64]truce.ReportState) {
	t.Helper()
	rs, sts := map[int64]*truce.Report{}, map[int64]truce.ReportState{}
	for i, f := range findFixtures {
		r, _ := report(i, f.entry)
		r.OccurredAt = t0.Add(f.occurred).In(eet)
		r.Perpetrator, r.Organisation = f.perpetrator, f.organisation
		if f.perpetrator == "" {
			r.PerpetratorAsGiven = ""
		}
		rs[f.entry] = r
		sts[f.entry] = truce.ReportState{Deadline: findNow.Add(f.deadline), Open: f.open, Closed: f.closed}
		mustUpdate(t, s, func(tx truce.Tx) error { return tx.InsertReport(r, sts[f.entry]) })
	}
	return rs, sts
}

// findReports runs FindReports and returns the entries of the reports, after
// checking every report and state against the fixtures.
func findReports(t *testing.T, s truce.Store, f truce.ReportFilter, rs map[int64]*truce.Report, sts map[int64]truce.ReportState) []int64 {
	t.Helper()
	var got []*truce.Report
	var states []truce.ReportState
	mustView(t, s, func(tx truce.Tx) (err error) { got, states, err = tx.FindReports(f); return err })
	if len(states) != len(got) {
		t.Fatalf("FindReports(%+v) gave %d reports and %d states", f, len(got), len(states))
	}
	entries := make([]int64, len(got))
	for i, r := range got {
		entries[i] = r.Entry
		want, ok := rs[r.Entry]
		if !ok {
			t.Errorf("FindReports gave a report of entry %d, which was never filed", r.Entry)
			continue
		}
		what := fmt.Sprintf("FindReports()[%d]", i)
		checkReport(t, what, r, want)
		checkState(t, what, states[i], sts[r.Entry])
	}
	return entries
}

func testFindFilters(t *testing.T, s truce.Store) {
	rs, sts := insertFindFixtures(t, s)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	now := findNow
	for _, c := range []struct {
		name string
		f    truce.ReportFilter
		want []int64 // entries, newest first
	}{
		{"none", truce.ReportFilter{}, []int64{20, 17, 16, 14, 13, 11, 10}},
		{"from inclusive", truce.ReportFilter{OccurredFrom: at(2)}, []int64{17, 16, 14, 13}},
		{"from in another zone", truce.ReportFilter{OccurredFrom: at(2).In(eet)}, []int64{17, 16, 14, 13}},
		{"from 1ns later", truce.ReportFilter{OccurredFrom: at(2).Add(1)}, []int64{17, 16, 14}},
		{"to exclusive", truce.ReportFilter{OccurredTo: at(2)}, []int64{20, 11, 10}},
		{"to in another zone", truce.ReportFilter{OccurredTo: at(2).In(eet)}, []int64{20, 11, 10}},
		{"from and to", truce.ReportFilter{OccurredFrom: at(1), OccurredTo: at(4)}, []int64{14, 13, 11}},
		{"from equals to", truce.ReportFilter{OccurredFrom: at(1), OccurredTo: at(1)}, nil},
		{"pending", truce.ReportFilter{Consensus: truce.Pending, Now: now}, []int64{17, 10}},
		{"confirmed", truce.ReportFilter{Consensus: truce.Confirmed, Now: now}, []int64{14, 11}},
		{"contested", truce.ReportFilter{Consensus: truce.Contested, Now: now}, []int64{13}},
		{"unilateral", truce.ReportFilter{Consensus: truce.Unilateral, Now: now}, []int64{16}},
		{"rejected", truce.ReportFilter{Consensus: truce.Rejected, Now: now}, []int64{20}},
		{"pending an hour later", truce.ReportFilter{Consensus: truce.Pending, Now: now.Add(time.Hour)}, []int64{17}},
		{"unilateral an hour later", truce.ReportFilter{Consensus: truce.Unilateral, Now: now.Add(time.Hour).In(eet)}, []int64{16, 10}},
		{"rejected long before", truce.ReportFilter{Consensus: truce.Rejected, Now: t0}, nil},
		{"perpetrator", truce.ReportFilter{Perpetrator: "SYG"}, []int64{17, 14, 10}},
		{"perpetrator unknown", truce.ReportFilter{Perpetrator: "ZZ"}, nil},
		{"organisation", truce.ReportFilter{Organisation: "RU"}, []int64{20, 17, 13, 10}},
		{"before", truce.ReportFilter{Before: 14}, []int64{13, 11, 10}},
		{"before a gap", truce.ReportFilter{Before: 15}, []int64{14, 13, 11, 10}},
		{"before the first", truce.ReportFilter{Before: 10}, nil},
		{"before after the last", truce.ReportFilter{Before: 1000}, []int64{20, 17, 16, 14, 13, 11, 10}},
		{"limit", truce.ReportFilter{Limit: 3}, []int64{20, 17, 16}},
		{"limit over the count", truce.ReportFilter{Limit: 100}, []int64{20, 17, 16, 14, 13, 11, 10}},
		{"organisation, before, limit", truce.ReportFilter{Organisation: "RU", Before: 20, Limit: 2}, []int64{17, 13}},
		{"all filters", truce.ReportFilter{
			OccurredFrom: t0, OccurredTo: at(6), Consensus: truce.Pending, Now: now,
			Perpetrator: "SYG", Organisation: "RU", Before: 17, Limit: 5,
		}, []int64{10}},
		{"all filters, none match", truce.ReportFilter{
			OccurredFrom: at(1), Consensus: truce.Pending, Now: now, Perpetrator: "SYG", Organisation: "RU", Before: 17,
		}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := findReports(t, s, c.f, rs, sts); !slices.Equal(got, c.want) {
				t.Errorf("FindReports(%+v) gave entries %v, want %v", c.f, got, c.want)
			}
		})
	}
}

// testFindPaging pages through the reports with Before and Limit, as the
// API does, and requires each report exactly once, newest first.
func testFindPaging(t *testing.T, s truce.Store) {
	rs, sts := insertFindFixtures(t, s)
	for _, c := range []struct {
		f    truce.ReportFilter
		want []int64
	}{
		{truce.ReportFilter{Limit: 1}, []int64{20, 17, 16, 14, 13, 11, 10}},
		{truce.ReportFilter{Limit: 2}, []int64{20, 17, 16, 14, 13, 11, 10}},
		{truce.ReportFilter{Limit: 3}, []int64{20, 17, 16, 14, 13, 11, 10}},
		{truce.ReportFilter{Limit: 7}, []int64{20, 17, 16, 14, 13, 11, 10}},
		{truce.ReportFilter{Limit: 2, Organisation: "RU"}, []int64{20, 17, 13, 10}},
		{truce.ReportFilter{Limit: 1, Consensus: truce.Confirmed, Now: findNow}, []int64{14, 11}},
	} {
		var all []int64
		f := c.f
		for pages := 0; ; pages++ {
			if pages > len(findFixtures)+1 {
				t.Fatalf("paging with %+v does not end", c.f)
			}
			page := findReports(t, s, f, rs, sts)
			if len(page) > f.Limit {
				t.Errorf("FindReports(%+v) gave %d reports, over the limit", f, len(page))
			}
			if len(page) == 0 {
				break
			}
			all = append(all, page...)
			f.Before = page[len(page)-1]
		}
		if !slices.Equal(all, c.want) {
			t.Errorf("paging with %+v gave entries %v, want %v", c.f, all, c.want)
		}
	}
}
