package screport_test

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/geo"
	"truce/i18n"
	"truce/screport"
	"truce/workflow"
)

func build(tb testing.TB, f *fixture, lang i18n.Lang, from, to time.Time) *screport.Report {
	tb.Helper()
	r, err := screport.Build(ctx, f.svc, screport.Options{From: from, To: to, Lang: lang})
	if err != nil {
		tb.Fatalf("Build: %v", err)
	}
	return r
}

func html(tb testing.TB, r *screport.Report) string {
	tb.Helper()
	var b bytes.Buffer
	if err := r.HTML(&b); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

func markdown(tb testing.TB, r *screport.Report) string {
	tb.Helper()
	var b bytes.Buffer
	if err := r.Markdown(&b); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

// counts is confirmed, contested, unilateral, rejected, pending.
func counts(c ...int) screport.Counts {
	var out screport.Counts
	copy(out[:], c)
	return out
}

// TestFigures checks the report's figures against what the fixture put in
// the log up to its checkpoint.
func TestFigures(t *testing.T) {
	f := newFixture(t)
	r := build(t, f, i18n.EN, fxFrom, fxTo)

	if got, want := r.States, counts(2, 2, 1, 1, 1); got != want {
		t.Errorf("States = %v, want %v (confirmed, contested, unilateral, rejected, pending)", got, want)
	}
	if r.Killed != 4 || r.KilledCivilians != 2 || r.KilledConfirmed != 1 || r.Injured != 6 {
		t.Errorf("casualties = killed %d, civilians %d, in confirmed %d, injured %d; want 4, 2, 1, 6", r.Killed, r.KilledCivilians, r.KilledConfirmed, r.Injured)
	}
	wantWeeks := []screport.Counts{counts(1, 1), counts(0, 0, 1, 1), counts(1), counts(0, 1, 0, 0, 1)}
	if len(r.Weeks) != len(wantWeeks) {
		t.Fatalf("%d weeks, want %d", len(r.Weeks), len(wantWeeks))
	}
	for i, w := range r.Weeks {
		if w.Counts != wantWeeks[i] || w.Days() != 7 || !w.Start.Equal(fxFrom.AddDate(0, 0, 7*i)) {
			t.Errorf("week %d = %v from %s (%d days), want %v from %s (7 days)", i, w.Counts, w.Start, w.Days(), wantWeeks[i], fxFrom.AddDate(0, 0, 7*i))
		}
	}
	wantGov := map[string]screport.Counts{
		"SY07": counts(1, 1), "SY02": counts(0, 1, 0, 1), "SY04": counts(0, 0, 1), "SY01": counts(1), "SY12": counts(0, 0, 0, 0, 1),
	}
	if len(r.Governorates) != 14 {
		t.Errorf("%d governorate rows, want the 14 governorates", len(r.Governorates))
	}
	for _, g := range r.Governorates {
		if g.Counts != wantGov[g.Key] {
			t.Errorf("governorate %s (%s) = %v, want %v", g.Key, g.Name, g.Counts, wantGov[g.Key])
		}
	}
	if got := r.GovernoratesWithReports(); got != 5 {
		t.Errorf("GovernoratesWithReports = %d, want 5", got)
	}
	wantPerp := []struct {
		key string
		c   screport.Counts
	}{{"SYG", counts(1, 2)}, {"OPP", counts(0, 0, 0, 1, 1)}, {"ISIL", counts(0, 0, 1)}, {"", counts(1)}}
	if len(r.Perpetrators) != len(wantPerp) {
		t.Fatalf("perpetrators %+v, want %+v", r.Perpetrators, wantPerp)
	}
	for i, p := range r.Perpetrators {
		if p.Key != wantPerp[i].key || p.Counts != wantPerp[i].c {
			t.Errorf("perpetrator %d = %s %v, want %s %v", i, p.Key, p.Counts, wantPerp[i].key, wantPerp[i].c)
		}
	}
	if r.Map == nil {
		t.Fatal("no map at the end of the period; the fixture approved one from 2017-01-01")
	}
	var combat, all float64
	for _, l := range r.Map.Lines {
		all += l.LengthKm
		if len(l.Designated) > 0 {
			combat += l.LengthKm
		}
	}
	// Two shared edges of 0.3° of latitude: 33.3 km each.
	if math.Abs(all-66.6) > 0.1 || math.Abs(combat-33.3) > 0.1 {
		t.Errorf("lines of contact %.1f km, combat lines %.1f km; want about 66.6 and 33.3", all, combat)
	}
	if len(r.Map.Separation) != 1 || r.Map.Separation[0] != (workflow.SeparationCount{Designated: "JFS", Party: "OPP", Pairs: 1, Touching: 1}) {
		t.Errorf("separation = %+v, want one pair of OPP and JFS areas in contact", r.Map.Separation)
	}

	md := markdown(t, r)
	for _, want := range []string{
		"| **Reports of events in the period** | **7** | 100% |",
		"| Confirmed | 2 | 29% |",
		"| Idleb | 1 | 1 | 0 | 0 | 0 | **2** |",
		"| Aleppo | 0 | 1 | 0 | 1 | 0 | **2** |",
		"| Dar'a | 0 | 0 | 0 | 0 | 1 | **1** |",
		"| **Total** | **2** | **2** | **1** | **1** | **1** | **7** |",
		"| Government of the Syrian Arab Republic | 1 | 2 | 0 | 0 | 0 | **3** |",
		"| Not named | 1 | 0 | 0 | 0 | 0 | **1** |",
		"| Killed | 4 |",
		"| Killed, in confirmed reports | 1 |",
		"| 2017-01-09 | 7 | 0 | 0 | 1 | 1 | 0 | **2** |",
		"| Jabhat Fatah al-Sham | Armed opposition (group not identified) | 1 | 1 |",
		"| Lines of contact, total length (km) | 66.6 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("Markdown:\n%s", md)
	}
	page := html(t, r)
	for _, want := range []string{`<html lang="en" dir="ltr">`, "@media print", "size: A4", `<svg xmlns="http://www.w3.org/2000/svg"`, "<title id=\"map-t\">", r.Checkpoint.Note[:20]} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://"} {
		if strings.Contains(strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("HTML has %q: the page must be self-contained", bad)
		}
	}
}

// TestAsOfCheckpoint checks that the report is a function of the log up
// to its checkpoint: what the log gained since — a report, an assessment,
// a zone of Jabhat al-Nusra approved around Idleb city, which classifies
// the reports there again and adds a combat line — changes nothing until
// a new checkpoint covers it.
func TestAsOfCheckpoint(t *testing.T) {
	f := newFixture(t)
	first := build(t, f, i18n.EN, fxFrom, fxTo)
	before := html(t, first)
	if again := html(t, build(t, f, i18n.EN, fxFrom, fxTo)); again != before {
		t.Fatal("two reports of the same log differ")
	}
	*f.clock = f.clock.Add(time.Hour)
	zs, err := f.svc.ProposeZones(ctx, f.ru, []*workflow.ZoneFeature{{Type: "Feature",
		Properties: truce.ZoneInput{Kind: truce.ZoneControl, Controller: "JFS", ValidFrom: "2017-01-01"},
		Geometry:   geo.PolygonGeometry(geo.MultiPolygon{{{{Lon: 36.5, Lat: 35.3}, {Lon: 36.8, Lat: 35.3}, {Lon: 36.8, Lat: 36.0}, {Lon: 36.5, Lat: 36.0}, {Lon: 36.5, Lat: 35.3}}}}),
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, by := range []*truce.Member{f.ru, f.ir, f.tr} {
		if _, err := f.svc.ApproveZone(ctx, by, zs[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := f.svc.Report(ctx, f.ru, f.ids[0]); err != nil || v.Classification.Scope != truce.ScopeExcluded {
		t.Fatalf("the first report after the zone: %v, %+v; want it excluded now", err, v.Classification)
	}
	if again := html(t, build(t, f, i18n.EN, fxFrom, fxTo)); again != before {
		t.Error("the report changed with entries after its checkpoint")
	}

	if _, err := f.svc.IssueCheckpoint(ctx); err != nil {
		t.Fatal(err)
	}
	r := build(t, f, i18n.EN, fxFrom, fxTo)
	// Now the report filed after the first checkpoint counts (unanswered:
	// pending), Iran's dispute makes the first report contested, the three
	// reports in Idleb city are excluded, and there is one more combat
	// line.
	if got, want := r.States, counts(1, 3, 1, 1, 2); got != want {
		t.Errorf("after a new checkpoint, States = %v, want %v", got, want)
	}
	if got, want := r.Scopes[1]-first.Scopes[1], 3; got != want {
		t.Errorf("after a new checkpoint, %d more reports excluded, want %d", got, want)
	}
	if len(r.Map.Lines) <= len(first.Map.Lines) {
		t.Errorf("after a new checkpoint, %d lines of contact, want more than %d", len(r.Map.Lines), len(first.Map.Lines))
	}
	if html(t, r) == before {
		t.Error("the report did not change with a checkpoint covering more of the log")
	}
}

// TestNoMap: before the map's first day there are no lines to report,
// and the report says so.
func TestNoMap(t *testing.T) {
	f := newFixture(t)
	r := build(t, f, i18n.EN, time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2016, 12, 31, 0, 0, 0, 0, time.UTC))
	if r.Map != nil {
		t.Errorf("Map = %+v on 2016-12-31, before the map's first day", r.Map)
	}
	if r.Total() != 1 {
		t.Errorf("Total = %d in December 2016, want 1", r.Total())
	}
	if md := markdown(t, r); !strings.Contains(md, "No control map agreed by the guarantors was in force on 2016-12-31") {
		t.Errorf("Markdown does not say there was no map:\n%s", md)
	}
	// The last week of December is three days long.
	if last := r.Weeks[len(r.Weeks)-1]; last.Days() != 3 {
		t.Errorf("last week %s has %d days, want 3", last.Start, last.Days())
	}
}

// TestLanguages checks every language's edition: direction, names of
// places and actors in the language, and none of the English fixed text.
func TestLanguages(t *testing.T) {
	f := newFixture(t)
	en := markdown(t, build(t, f, i18n.EN, fxFrom, fxTo))
	for _, tc := range []struct {
		lang  i18n.Lang
		words []string // a governorate, an actor, a fixed text
	}{
		{i18n.AR, []string{"إدلب", "حكومة الجمهورية العربية السورية", "موجز", "غير مسمّاة"}},
		{i18n.RU, []string{"Идлиб", "Правительство Сирийской Арабской Республики", "Основные показатели"}},
		{i18n.TR, []string{"İdlib", "Suriye Arap Cumhuriyeti Hükümeti", "Özet"}},
		{i18n.FA, []string{"ادلب", "دولت جمهوری عربی سوریه", "چکیده"}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			r := build(t, f, tc.lang, fxFrom, fxTo)
			page := html(t, r)
			if want := `<html lang="` + string(tc.lang) + `" dir="` + tc.lang.Dir() + `">`; !strings.Contains(page, want) {
				t.Errorf("HTML lacks %s", want)
			}
			md := markdown(t, r)
			for _, w := range tc.words {
				if !strings.Contains(page, w) || !strings.Contains(md, w) {
					t.Errorf("edition lacks %q", w)
				}
			}
			for _, english := range []string{"Summary", "Reports by governorate", "Confirmed", "Alleged perpetrator", "Method, sources"} {
				if strings.Contains(page, english) {
					t.Errorf("the %s edition has English text %q", tc.lang, english)
				}
			}
			if tc.lang.RTL() && (!strings.Contains(md, `<div dir="rtl"`) || !strings.Contains(page, `direction="rtl"`)) {
				t.Error("a right-to-left edition without rtl in its Markdown or its SVG")
			}
			if md == en {
				t.Error("same Markdown as the English edition")
			}
		})
	}
}

// TestDeterministic: the same log gives the same bytes, in every language
// and format.
func TestDeterministic(t *testing.T) {
	f := newFixture(t)
	for _, l := range i18n.Langs {
		a, b := build(t, f, l, fxFrom, fxTo), build(t, f, l, fxFrom, fxTo)
		if html(t, a) != html(t, b) || markdown(t, a) != markdown(t, b) {
			t.Errorf("%s: two builds differ", l)
		}
	}
}

func TestPeriodErrors(t *testing.T) {
	f := newFixture(t)
	_, err := screport.Build(ctx, f.svc, screport.Options{From: fxTo, To: fxFrom, Lang: i18n.EN})
	if truce.ErrorCode(err) != truce.EINVALID {
		t.Errorf("a period ending before it starts: %v, want %s", err, truce.EINVALID)
	}
}
