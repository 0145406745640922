package trucetest

import (
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"

	"truce"
)

// The Russian Reconciliation Centre's daily bulletins, as news outlets
// quoted them (../shared/data/ceasefire_bulletins, see its PROVENANCE.md):
// each row gives one side's total and counts per province, and the quote
// they were read from. The bulletin tests of package workflow and the
// intake tests both check truce against them.

// RRCFile is the file, from the directory of a package of the module's
// top level, where its tests run.
const RRCFile = "../../shared/data/ceasefire_bulletins/russian_reconciliation_centre_daily_violations.csv"

// RRCProvince is a province column of the file and the governorates it is
// made of: the bulletins' "Damascus province" is Damascus and Rural
// Damascus together (PROVENANCE.md: it includes Rif Dimashq and Eastern
// Ghouta); every other province is one governorate.
type RRCProvince struct {
	Column string
	PCodes []string
}

// RRCProvinces are the file's province columns.
var RRCProvinces = []RRCProvince{
	{"Aleppo", []string{"SY02"}},
	{"Damascus", []string{"SY01", "SY03"}},
	{"Daraa", []string{"SY12"}},
	{"Hama", []string{"SY05"}},
	{"Homs", []string{"SY04"}},
	{"Idlib", []string{"SY07"}},
	{"Latakia", []string{"SY06"}},
	{"Quneitra", []string{"SY14"}},
}

// RRCRow is one side's counts in one bulletin.
type RRCRow struct {
	Date         string        // the bulletin's date, "" for an undated row
	Side         truce.ActorID // RU (the Russian centre's 2016 bulletins included) or TR
	Lang, Quote  string
	Note, Source string
	Total        int
	Counts       map[string]int // by province column; absent is 0
}

// RRCRows reads the rows of a side with a per-province breakdown: the
// dated ones, or with undated the ones without a date. The one row of the
// commission's combined figure (2017-01-04) does not say which side
// registered what: it is no side's row and is left out. It skips tb when
// ../shared is not beside the checkout, and fails it on a malformed row.
func RRCRows(tb testing.TB, undated bool) []RRCRow {
	tb.Helper()
	f, err := os.Open(RRCFile)
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
	var out []RRCRow
	for _, rec := range recs[1:] {
		get := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
		side := get("reporting_side")
		if side == "RU_centre" {
			// Before the joint commission: the Russian side's counts alone.
			side = "RU"
		}
		if (get("bulletin_date") == "") != undated || (side != "RU" && side != "TR") || get("sum_of_province_counts") == "" {
			continue
		}
		r := RRCRow{Date: get("bulletin_date"), Side: truce.ActorID(side), Lang: get("language"), Quote: get("quote"),
			Note: get("note"), Source: get("source_url"), Counts: map[string]int{}}
		for _, p := range RRCProvinces {
			if v := get(p.Column); v != "" {
				if r.Counts[p.Column], err = strconv.Atoi(v); err != nil {
					tb.Fatalf("%s %s: %s = %q", r.Date, side, p.Column, v)
				}
			}
		}
		if r.Total, err = strconv.Atoi(get("total_violations")); err != nil {
			tb.Fatalf("%s %s: total %q", r.Date, side, get("total_violations"))
		}
		out = append(out, r)
	}
	return out
}
