package storetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"truce"
	"truce/log"
)

var dumpTests = []test{
	one("Empty", testDumpEmpty),
	one("Order", testDumpOrder),
	one("Deterministic", testDumpDeterministic),
	{"SameCallsSameDump", testDumpTwoStores},
	one("Reset", testReset),
}

// projectionTables are the projection tables, in name order.
var projectionTables = []string{"agreement", "assessments", "members", "reports"}

// fillProjections writes rows into every projection table, out of
// primary-key order, as replaying a log would: an agreement, members,
// reports and assessments. The primary keys are the natural ones: a
// member's id, a report's id, an assessment's entry.
func fillProjections(t *testing.T, s truce.Store) {
	t.Helper()
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.PutAgreement(testAgreement(), 0) })
	for i := range 4 {
		mustUpdate(t, s, func(tx truce.Tx) error { return tx.InsertMember(member(i, int64(1+i))) })
	}
	for i := range 3 {
		r, st := report(i, int64(5+i))
		mustUpdate(t, s, func(tx truce.Tx) error { return tx.InsertReport(r, st) })
	}
	for _, e := range []int64{12, 9, 10, 8} {
		a := assessment(reportID(int(e%3)), int(e%3), e, truce.Dispute)
		mustUpdate(t, s, func(tx truce.Tx) error { return tx.InsertAssessment(a) })
	}
	mustUpdate(t, s, func(tx truce.Tx) error {
		return tx.SetReportState(reportID(1), truce.ReportState{Deadline: t0, Open: truce.Contested, Closed: truce.Rejected})
	})
}

// dumpRow is one row of DumpProjections.
type dumpRow struct {
	table string
	row   []byte
}

func (r dumpRow) String() string { return r.table + "\t" + string(r.row) }

// dump returns every row of DumpProjections, in the order given.
func dump(t *testing.T, s truce.Store) []dumpRow {
	t.Helper()
	var rows []dumpRow
	mustView(t, s, func(tx truce.Tx) error {
		return tx.DumpProjections(func(table string, row []byte) error {
			rows = append(rows, dumpRow{table, bytes.Clone(row)})
			return nil
		})
	})
	return rows
}

// checkSameDump requires two dumps to be identical, row by row.
func checkSameDump(t *testing.T, what string, got, want []dumpRow) {
	t.Helper()
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("%s: row %d missing, want %s", what, i, want[i])
		case i >= len(want):
			t.Errorf("%s: row %d is %s, want none", what, i, got[i])
		case got[i].table != want[i].table || !bytes.Equal(got[i].row, want[i].row):
			t.Errorf("%s: row %d is\n%s\nwant\n%s", what, i, got[i], want[i])
		}
	}
}

func testDumpEmpty(t *testing.T, s truce.Store) {
	if rows := dump(t, s); len(rows) != 0 {
		t.Errorf("DumpProjections of an empty store gave %d rows, first %s", len(rows), rows[0])
	}
}

// keyOf finds which of keys a dumped row holds as a column value.
func keyOf(t *testing.T, row map[string]any, keys []string) string {
	t.Helper()
	for _, v := range row {
		if s, ok := v.(string); ok && slices.Contains(keys, s) {
			return s
		}
	}
	t.Errorf("dumped row %v holds none of %q", row, keys)
	return ""
}

func testDumpOrder(t *testing.T, s truce.Store) {
	fillProjections(t, s)
	rows := dump(t, s)
	var tables []string
	keys := map[string][]string{} // table → row keys, in dump order
	var memberIDs, reportIDs, reasons []string
	for i := range 4 {
		memberIDs = append(memberIDs, string(memberID(i)))
	}
	for i := range 3 {
		reportIDs = append(reportIDs, string(reportID(i)))
	}
	for _, e := range []int64{8, 9, 10, 12} { // the assessments, by entry
		reasons = append(reasons, assessment("", 0, e, "").Reason)
	}
	for _, r := range rows {
		if len(tables) == 0 || tables[len(tables)-1] != r.table {
			tables = append(tables, r.table)
		}
		if canon, err := log.Canonicalize(r.row); err != nil {
			t.Errorf("row %s is not JSON: %v", r, err)
			continue
		} else if !bytes.Equal(canon, r.row) {
			t.Errorf("row %s is not canonical JSON, which is\n%s", r, canon)
		}
		var m map[string]any
		if err := json.Unmarshal(r.row, &m); err != nil {
			t.Errorf("row %s is not a JSON object: %v", r, err)
			continue
		}
		switch r.table {
		case "agreement":
			keys[r.table] = append(keys[r.table], "agreement")
		case "assessments":
			keys[r.table] = append(keys[r.table], keyOf(t, m, reasons))
		case "members":
			keys[r.table] = append(keys[r.table], keyOf(t, m, memberIDs))
		case "reports":
			keys[r.table] = append(keys[r.table], keyOf(t, m, reportIDs))
		}
	}
	if !slices.Equal(tables, projectionTables) {
		t.Errorf("DumpProjections gave tables in the order %q, want %q, each once", tables, projectionTables)
	}
	memberOrder, reportOrder := slices.Clone(memberIDs), slices.Clone(reportIDs)
	slices.Sort(memberOrder)
	slices.Sort(reportOrder)
	for table, want := range map[string][]string{
		"agreement":   {"agreement"},
		"assessments": reasons,
		"members":     memberOrder,
		"reports":     reportOrder,
	} {
		if got := keys[table]; !slices.Equal(got, want) {
			t.Errorf("DumpProjections gave %s rows %q, want %q (primary-key order)", table, got, want)
		}
	}

	// An error from fn stops the dump and is returned.
	calls := 0
	err := s.View(t.Context(), func(tx truce.Tx) error {
		return tx.DumpProjections(func(string, []byte) error { calls++; return errStop })
	})
	if !errors.Is(err, errStop) || calls != 1 {
		t.Errorf("DumpProjections with fn failing: %d calls, error %v; want 1 call, %v", calls, err, errStop)
	}
}

func testDumpDeterministic(t *testing.T, s truce.Store) {
	fillProjections(t, s)
	first := dump(t, s)
	if len(first) != 1+4+3+4 {
		t.Errorf("DumpProjections gave %d rows, want %d", len(first), 1+4+3+4)
	}
	checkSameDump(t, "second dump", dump(t, s), first)
}

func testDumpTwoStores(t *testing.T, open func(t *testing.T) truce.Store) {
	a, b := open(t), open(t)
	fillProjections(t, a)
	fillProjections(t, b)
	checkSameDump(t, "dump of a second store", dump(t, b), dump(t, a))
}

// testReset checks that ResetProjections empties the projections and
// nothing else, and that refilling them gives the same dump.
func testReset(t *testing.T, s truce.Store) {
	tok := sha256.Sum256([]byte("tok"))
	appendEntries(t, s, entryData(0), entryData(1))
	mustUpdate(t, s, func(tx truce.Tx) error {
		return errors.Join(
			tx.AddCheckpoint(checkpoint(2)),
			tx.PutSetting("origin", "truce.example/log"),
			tx.AddCredential(tok, memberID(0), t0))
	})
	fillProjections(t, s)
	before := dump(t, s)

	mustUpdate(t, s, func(tx truce.Tx) error { return tx.ResetProjections() })
	if rows := dump(t, s); len(rows) != 0 {
		t.Errorf("DumpProjections after ResetProjections gave %d rows, first %s", len(rows), rows[0])
	}
	mustView(t, s, func(tx truce.Tx) error {
		_, err := tx.Agreement()
		checkCode(t, "Agreement() after reset", err, truce.ENOTFOUND)
		_, err = tx.Member(memberID(0))
		checkCode(t, "Member() after reset", err, truce.ENOTFOUND)
		_, _, err = tx.Report(reportID(0))
		checkCode(t, "Report() after reset", err, truce.ENOTFOUND)
		if ms, err := tx.Members(); len(ms) != 0 || err != nil {
			t.Errorf("Members() after reset = %d members, %v; want none", len(ms), err)
		}
		if as, err := tx.Assessments(reportID(0)); len(as) != 0 || err != nil {
			t.Errorf("Assessments() after reset = %d, %v; want none", len(as), err)
		}
		if rs, _, err := tx.FindReports(truce.ReportFilter{}); len(rs) != 0 || err != nil {
			t.Errorf("FindReports() after reset = %d reports, %v; want none", len(rs), err)
		}
		// The log and what is kept beside it remain.
		if n, err := tx.LogSize(); n != 2 || err != nil {
			t.Errorf("LogSize() after reset = %d, %v; want 2, nil", n, err)
		}
		if d, err := tx.EntryData(1); !bytes.Equal(d, entryData(1)) || err != nil {
			t.Errorf("EntryData(1) after reset = %.20q, %v; want %.20q", d, err, entryData(1))
		}
		if n, err := tx.HashCount(); n != 3 || err != nil { // leaves 0 and 1 add 1 and 2
			t.Errorf("HashCount() after reset = %d, %v; want 3, nil", n, err)
		}
		if c, err := tx.LatestCheckpoint(); err != nil {
			t.Errorf("LatestCheckpoint() after reset: %v", err)
		} else {
			checkCheckpoint(t, "LatestCheckpoint() after reset", c, checkpoint(2))
		}
		if v, err := tx.Setting("origin"); v != "truce.example/log" || err != nil {
			t.Errorf("Setting(origin) after reset = %q, %v", v, err)
		}
		return nil
	})

	fillProjections(t, s)
	checkSameDump(t, "dump after reset and refill", dump(t, s), before)
	// The credential survived the reset: with its member back, it works.
	mustView(t, s, func(tx truce.Tx) error {
		m, err := tx.MemberByCredential(tok)
		if err != nil {
			t.Errorf("MemberByCredential after reset and refill: %v", err)
		} else {
			checkMember(t, "MemberByCredential after reset and refill", m, member(0, 1))
		}
		return nil
	})
}
