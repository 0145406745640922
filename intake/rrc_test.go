package intake_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"truce"
	"truce/agreements"
	"truce/intake"
	"truce/internal/trucetest"
)

// The Russian Reconciliation Centre's daily bulletins (trucetest.RRCRows):
// read by Read, each row's quote must give the row's numbers.

func astana(tb testing.TB) *truce.Agreement {
	tb.Helper()
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// rrcOptions are how the bulletins are read: the counts a bulletin gives
// before it names a side are the Russian centre's own (its 2016 bulletins
// name no side; so does the first sentence of 1 May 2017's).
func rrcOptions(a *truce.Agreement) intake.Options {
	return intake.Options{Agreement: a, Side: "RU"}
}

// rrcCheck compares what Read made of a row's quote with the row: "" when
// they agree, else why not.
func rrcCheck(r trucetest.RRCRow, doc *intake.Document) string {
	i := slices.IndexFunc(doc.Sides, func(s intake.Side) bool { return s.Side == r.Side })
	if i < 0 {
		return fmt.Sprintf("no %s side read (sides %v)", r.Side, doc.Sides)
	}
	s := doc.Sides[i]
	var why []string
	if s.Total != r.Total {
		why = append(why, fmt.Sprintf("total %d, want %d", s.Total, r.Total))
	}
	known := map[string]bool{}
	for _, p := range trucetest.RRCProvinces {
		got := 0
		for _, pc := range p.PCodes {
			got += s.Governorates[pc]
			known[pc] = true
		}
		if got != r.Counts[p.Column] {
			why = append(why, fmt.Sprintf("%s %d, want %d", p.Column, got, r.Counts[p.Column]))
		}
	}
	for pc, n := range s.Governorates {
		if !known[pc] {
			why = append(why, fmt.Sprintf("%s %d, want none", pc, n))
		}
	}
	return strings.Join(why, "; ")
}

// TestReconciliationCentreBulletins reads every row's quote and wants the
// row's total and per-province counts for at least 90% of the rows; it
// logs the accuracy by language and every miss.
func TestReconciliationCentreBulletins(t *testing.T) {
	rows := trucetest.RRCRows(t, false)
	if len(rows) < 25 {
		t.Fatalf("%d dated rows with a breakdown, want the 25 the file holds", len(rows))
	}
	opt := rrcOptions(astana(t))
	ok, byLang, okByLang := 0, map[string]int{}, map[string]int{}
	for _, r := range rows {
		doc, err := intake.Read(r.Quote, opt)
		if err != nil {
			t.Fatalf("%s %s: Read = %v", r.Date, r.Side, err)
		}
		byLang[r.Lang]++
		if why := rrcCheck(r, doc); why != "" {
			t.Logf("miss %s %s (%s): %s", r.Date, r.Side, r.Lang, why)
			continue
		}
		ok++
		okByLang[r.Lang]++
	}
	for _, l := range slices.Sorted(maps.Keys(byLang)) {
		t.Logf("%s: %d of %d rows (%.0f%%)", l, okByLang[l], byLang[l], 100*float64(okByLang[l])/float64(byLang[l]))
	}
	t.Logf("all: %d of %d rows (%.1f%%)", ok, len(rows), 100*float64(ok)/float64(len(rows)))
	if 10*ok < 9*len(rows) {
		t.Errorf("%d of %d rows read right, want at least 90%%", ok, len(rows))
	}
}

// TestReconciliationCentreUndated: the rows without a date, which the
// accuracy figure leaves out, read right too.
func TestReconciliationCentreUndated(t *testing.T) {
	rows := trucetest.RRCRows(t, true)
	if len(rows) != 4 {
		t.Fatalf("%d undated rows, want 4", len(rows))
	}
	opt := rrcOptions(astana(t))
	for _, r := range rows {
		doc, err := intake.Read(r.Quote, opt)
		if err != nil {
			t.Fatal(err)
		}
		if why := rrcCheck(r, doc); why != "" {
			t.Errorf("undated %s: %s", r.Side, why)
		}
	}
}
