package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"truce"
)

var partsTests = []test{
	one("ReportParts", testReportParts),
}

// testReportParts records assessments, replies, evidence and meeting
// decisions about three reports, interleaved in the log, and requires
// ReportParts to give for each exactly what the one-report reads give,
// in log order: for ids given twice, for a report with nothing recorded,
// for an unknown id, and for none.
func testReportParts(t *testing.T, s truce.Store) {
	for i := range 4 {
		r, st := report(i, int64(10+i))
		mustUpdate(t, s, func(tx truce.Tx) error { return tx.InsertReport(r, st) })
	}
	at := time.Date(2017, 2, 1, 8, 0, 0, 0, time.UTC)
	entry := int64(20)
	next := func() int64 { entry++; return entry }
	mustUpdate(t, s, func(tx truce.Tx) error {
		for round := range 3 {
			for i := range 3 { // report 3 gets nothing
				id := reportID(i)
				if err := tx.InsertAssessment(assessment(id, round, next(), truce.Confirm)); err != nil {
					return err
				}
				if err := tx.InsertReply(&truce.Reply{Report: id, Text: fmt.Sprintf("reply %d", round), Member: memberID(1),
					Organisation: "SYG", MadeAt: at.Add(time.Duration(entry) * time.Minute), Entry: next()}); err != nil {
					return err
				}
				if err := tx.InsertEvidence(&truce.Evidence{Report: id, SHA256: fmt.Sprintf("%064x", entry), Size: entry, MediaType: "text/plain",
					Member: memberID(0), Organisation: "RU", AddedAt: at, Entry: next()}); err != nil {
					return err
				}
			}
		}
		return tx.PutMeeting(&truce.Meeting{
			ID: "mtg_aaaaaaaaaaaaaaaa", RequestedBy: "RU", Date: at, Venue: "Astana", State: truce.MeetingStateMinuted,
			Decisions: []truce.Decision{{Report: reportID(2), Decision: "A patrol."}, {Report: reportID(0), Decision: "None."}, {Report: reportID(2), Decision: "A second."}},
			Entry:     next(), MinutedAt: next(),
		})
	})
	ids := []truce.ReportID{reportID(2), reportID(0), reportID(3), reportID(2), "rpt_unknownunknown1", reportID(1)}
	mustView(t, s, func(tx truce.Tx) error {
		got, err := tx.ReportParts(ids)
		if err != nil {
			return err
		}
		if len(got) != 5 {
			t.Errorf("ReportParts of 5 distinct ids gave %d", len(got))
		}
		for _, id := range ids {
			var want truce.ReportParts
			var err error
			if want.Assessments, err = tx.Assessments(id); err != nil {
				return err
			}
			if want.Replies, err = tx.Replies(id); err != nil {
				return err
			}
			if want.Decisions, err = tx.ReportDecisions(id); err != nil {
				return err
			}
			if want.Evidence, err = tx.Evidence(id); err != nil {
				return err
			}
			p := got[id]
			if p == nil {
				t.Errorf("ReportParts has no entry for %s", id)
				continue
			}
			same := len(p.Assessments) == len(want.Assessments) && len(p.Replies) == len(want.Replies) &&
				len(p.Decisions) == len(want.Decisions) && len(p.Evidence) == len(want.Evidence)
			for i := range min(len(p.Assessments), len(want.Assessments)) {
				same = same && reflect.DeepEqual(p.Assessments[i], want.Assessments[i])
			}
			for i := range min(len(p.Replies), len(want.Replies)) {
				same = same && reflect.DeepEqual(p.Replies[i], want.Replies[i])
			}
			for i := range min(len(p.Decisions), len(want.Decisions)) {
				same = same && reflect.DeepEqual(p.Decisions[i], want.Decisions[i])
			}
			for i := range min(len(p.Evidence), len(want.Evidence)) {
				same = same && reflect.DeepEqual(p.Evidence[i], want.Evidence[i])
			}
			if !same {
				t.Errorf("ReportParts[%s] = %+v, want %+v", id, *p, want)
			}
		}
		if p := got[reportID(2)]; len(p.Assessments) != 3 || len(p.Replies) != 3 || len(p.Evidence) != 3 || len(p.Decisions) != 2 {
			t.Errorf("ReportParts[%s] = %+v, want 3 assessments, replies and evidence and 2 decisions", reportID(2), *p)
		}
		if none, err := tx.ReportParts(nil); err != nil || len(none) != 0 {
			t.Errorf("ReportParts(nil) = %v, %v; want nothing", none, err)
		}
		return nil
	})
}
