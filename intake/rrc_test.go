package intake_test

import (
	"encoding/csv"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"truce"
	"truce/agreements"
	"truce/intake"
)

// The Russian Reconciliation Centre's daily bulletins, as news outlets
// quoted them (../shared/data/ceasefire_bulletins, see its PROVENANCE.md):
// each row gives one side's total and counts per province, and the quote
// they were read from. Read by Read, the quote must give the row's
// numbers.

const rrcFile = "../../shared/data/ceasefire_bulletins/russian_reconciliation_centre_daily_violations.csv"

// rrcProvinces are the row's province columns and the governorates each
// is made of: the bulletins' "Damascus province" is Damascus and Rural
// Damascus together (as workflow/bulletin_rrc_test.go compares them).
var rrcProvinces = []struct {
	column string
	pcodes []string
}{
	{"Aleppo", []string{"SY02"}},
	{"Damascus", []string{"SY01", "SY03"}},
	{"Daraa", []string{"SY12"}},
	{"Hama", []string{"SY05"}},
	{"Homs", []string{"SY04"}},
	{"Idlib", []string{"SY07"}},
	{"Latakia", []string{"SY06"}},
	{"Quneitra", []string{"SY14"}},
}

type rrcRow struct {
	date, lang, quote string
	side              truce.ActorID
	total             int
	counts            map[string]int // by column; absent is 0
}

// rrcRows reads every dated row of a side (RU_centre is the Russian
// side's) with a per-province breakdown, or with undated the rows without
// a date; the commission's one combined row names no side and is left
// out, as in package workflow's test.
func rrcRows(tb testing.TB, undated bool) []rrcRow {
	tb.Helper()
	f, err := os.Open(rrcFile)
	if err != nil {
		tb.Skipf("Reconciliation Centre data not available: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var out []rrcRow
	for _, rec := range recs[1:] {
		get := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
		side := get("reporting_side")
		if side == "RU_centre" {
			side = "RU"
		}
		if (get("bulletin_date") == "") != undated || (side != "RU" && side != "TR") || get("sum_of_province_counts") == "" {
			continue
		}
		r := rrcRow{date: get("bulletin_date"), lang: get("language"), quote: get("quote"), side: truce.ActorID(side), counts: map[string]int{}}
		for _, p := range rrcProvinces {
			if v := get(p.column); v != "" {
				if r.counts[p.column], err = strconv.Atoi(v); err != nil {
					tb.Fatalf("%s %s: %s = %q", r.date, side, p.column, v)
				}
			}
		}
		if r.total, err = strconv.Atoi(get("total_violations")); err != nil {
			tb.Fatalf("%s %s: total %q", r.date, side, get("total_violations"))
		}
		out = append(out, r)
	}
	return out
}

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
func rrcCheck(r rrcRow, doc *intake.Document) string {
	i := slices.IndexFunc(doc.Sides, func(s intake.Side) bool { return s.Side == r.side })
	if i < 0 {
		return fmt.Sprintf("no %s side read (sides %v)", r.side, doc.Sides)
	}
	s := doc.Sides[i]
	var why []string
	if s.Total != r.total {
		why = append(why, fmt.Sprintf("total %d, want %d", s.Total, r.total))
	}
	known := map[string]bool{}
	for _, p := range rrcProvinces {
		got := 0
		for _, pc := range p.pcodes {
			got += s.Governorates[pc]
			known[pc] = true
		}
		if got != r.counts[p.column] {
			why = append(why, fmt.Sprintf("%s %d, want %d", p.column, got, r.counts[p.column]))
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
	rows := rrcRows(t, false)
	if len(rows) < 25 {
		t.Fatalf("%d dated rows with a breakdown, want the 25 the file holds", len(rows))
	}
	opt := rrcOptions(astana(t))
	ok, byLang, okByLang := 0, map[string]int{}, map[string]int{}
	for _, r := range rows {
		doc, err := intake.Read(r.quote, opt)
		if err != nil {
			t.Fatalf("%s %s: Read = %v", r.date, r.side, err)
		}
		byLang[r.lang]++
		if why := rrcCheck(r, doc); why != "" {
			t.Logf("miss %s %s (%s): %s", r.date, r.side, r.lang, why)
			continue
		}
		ok++
		okByLang[r.lang]++
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
	rows := rrcRows(t, true)
	if len(rows) != 4 {
		t.Fatalf("%d undated rows, want 4", len(rows))
	}
	opt := rrcOptions(astana(t))
	for _, r := range rows {
		doc, err := intake.Read(r.quote, opt)
		if err != nil {
			t.Fatal(err)
		}
		if why := rrcCheck(r, doc); why != "" {
			t.Errorf("undated %s: %s", r.side, why)
		}
	}
}
