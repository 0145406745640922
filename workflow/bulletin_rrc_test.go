package workflow_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/bulletin"
	"truce/places"
	"truce/workflow"
)

// The Russian Reconciliation Centre's daily bulletins
// (../shared/data/ceasefire_bulletins, see its PROVENANCE.md) counted the
// violations "registered by the Russian side" and "by the Turkish side"
// of the joint commission, per province. Entered as reports by an RU and
// a TR guarantor officer, one report per counted violation, truce's
// bulletins must give the published counts, row by row.

const rrcFile = "../../shared/data/ceasefire_bulletins/russian_reconciliation_centre_daily_violations.csv"

// rrcProvince is a province as the bulletins name it: the governorates
// whose counts make it up, and the OCHA community whose point the test
// files its reports at.
type rrcProvince struct {
	name      string
	pcodes    []string
	community string
}

// The bulletins' "Damascus province" is the governorate of Rural
// Damascus with the city (PROVENANCE.md: it includes Rif Dimashq and
// Eastern Ghouta, where the fighting was; the city itself was the
// government's). Reports are filed at Douma, in Eastern Ghouta (SY03),
// and the province's count is compared with Damascus and Rural Damascus
// together. Every other province is one governorate, and reports are
// filed at its capital.
var rrcProvinces = []rrcProvince{
	{"Aleppo", []string{"SY02"}, "C1007"},
	{"Damascus", []string{"SY01", "SY03"}, "C2338"}, // Douma
	{"Daraa", []string{"SY12"}, "C5993"},
	{"Hama", []string{"SY05"}, "C2987"},
	{"Homs", []string{"SY04"}, "C2528"},
	{"Idlib", []string{"SY07"}, "C3871"},
	{"Latakia", []string{"SY06"}, "C3480"},
	{"Quneitra", []string{"SY14"}, "C6268"},
}

// rrcRow is one side's counts in one dated bulletin.
type rrcRow struct {
	published  string // the bulletin's date
	side       truce.ActorID
	counts     map[string]int // by province name; absent is 0
	total      int
	unanswered bool // the other side said it could not confirm them
	source     string
}

// rrcRows reads the dated rows of a reporting side RU (RU_centre
// included) or TR with a per-province breakdown.
func rrcRows(t *testing.T) []rrcRow {
	t.Helper()
	f, err := os.Open(rrcFile)
	if err != nil {
		t.Skipf("Reconciliation Centre data not available: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
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
			// The Russian centre's bulletins of 2016, before the joint
			// commission: the Russian side's counts alone.
			side = "RU"
		}
		// The one row of the commission's combined figure (2017-01-04)
		// does not say which side registered what: it is no side's row.
		if get("bulletin_date") == "" || (side != "RU" && side != "TR") || get("sum_of_province_counts") == "" {
			continue
		}
		r := rrcRow{published: get("bulletin_date"), side: truce.ActorID(side), counts: map[string]int{}, source: get("source_url")}
		sum := 0
		for _, p := range rrcProvinces {
			if v := get(p.name); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					t.Fatalf("%s %s: %s = %q", r.published, side, p.name, v)
				}
				r.counts[p.name] = n
				sum += n
			}
		}
		if r.total, err = strconv.Atoi(get("total_violations")); err != nil || r.total != sum {
			t.Fatalf("%s %s: total %q, provinces sum to %d", r.published, side, get("total_violations"), sum)
		}
		said := strings.ToLower(get("quote") + " " + get("note"))
		r.unanswered = side == "TR" && (strings.Contains(said, "did not confirm") || strings.Contains(said, "not confirmed") ||
			strings.Contains(said, "confirmation to neither"))
		out = append(out, r)
	}
	return out
}

// rrcDay is the day a bulletin published on date counted: a bulletin
// gives the violations of the 24 hours before it was issued, in the
// morning, which are mostly of the day before; truce's bulletin of a day
// counts reports that occurred on it, so the reports are filed on the
// day before publication.
func rrcDay(t *testing.T, published string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, published)
	if err != nil {
		t.Fatal(err)
	}
	return d.AddDate(0, 0, -1)
}

func TestBulletinReconciliationCentre(t *testing.T) {
	rows := rrcRows(t)
	if len(rows) < 25 {
		t.Fatalf("%d dated RU or TR rows with a breakdown, want the 25 the file holds", len(rows))
	}
	svc, op := newService(t)
	svc.Admin = places.DefaultLocator()
	officers := map[truce.ActorID]*truce.Member{
		"RU": mustMember(t, svc, op, "RU", truce.RoleGuarantor),
		"TR": mustMember(t, svc, op, "TR", truce.RoleGuarantor),
	}
	for _, p := range rrcProvinces {
		c, ok := places.CommunityByPCode(p.community)
		if adm1, _, _ := svc.Admin.Locate(c.Lon, c.Lat); !ok || adm1 != p.pcodes[len(p.pcodes)-1] {
			t.Fatalf("%s: community %s is in %q, want %s", p.name, p.community, adm1, p.pcodes)
		}
	}
	disputed := 0
	for _, r := range rows {
		day := rrcDay(t, r.published)
		var ins []*truce.ReportInput
		for _, p := range rrcProvinces {
			c, _ := places.CommunityByPCode(p.community)
			for i := range r.counts[p.name] {
				lon, lat := c.Lon, c.Lat
				ins = append(ins, &truce.ReportInput{
					// Spread over the day, none at its edges.
					OccurredAt: day.Add(time.Duration(1+len(ins)) * 24 * time.Hour / time.Duration(r.total+1)).Format(time.RFC3339Nano),
					Lon:        &lon, Lat: &lat,
					EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack",
					Description: fmt.Sprintf("Ceasefire violation %d of %d in %s registered by the %s side (Reconciliation Centre bulletin of %s).",
						i+1, r.counts[p.name], p.name, r.side, r.published),
					Sources: []string{r.source},
				})
			}
		}
		ids, err := svc.FileReports(ftCtx, officers[r.side], ins)
		if err != nil {
			t.Fatalf("%s %s: FileReports = %v", r.published, r.side, err)
		}
		if r.unanswered {
			disputed++
			for _, id := range ids {
				in := &truce.AssessmentInput{Verdict: truce.Dispute, Reason: "The Russian side found no confirmation."}
				if _, err := svc.Assess(ftCtx, officers["RU"], id, in); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if _, err := svc.IssueCheckpoint(ftCtx); err != nil {
		t.Fatal(err)
	}

	bulletins := map[string]*bulletin.Bulletin{}
	for _, r := range rows {
		day := rrcDay(t, r.published).Format(time.DateOnly)
		b := bulletins[day]
		if b == nil {
			b = mustBulletin(t, svc, day, workflow.BulletinOptions{})
			bulletins[day] = b
		}
		side := string(r.side)
		for _, p := range rrcProvinces {
			got, contested := 0, 0
			for _, code := range p.pcodes {
				row := rowOf(t, b, code)
				got += row.ReportedBy[side]
				contested += row.Contested
			}
			if want := r.counts[p.name]; got != want {
				t.Errorf("bulletin of %s (published %s): %s registered by %s = %d, want %d", day, r.published, p.name, side, got, want)
			}
			if r.unanswered && contested != r.counts[p.name] {
				t.Errorf("bulletin of %s: %s contested = %d, want the %d %s reports RU disputed", day, p.name, contested, r.counts[p.name], side)
			}
		}
		if got := b.Total.ReportedBy[side]; got != r.total {
			t.Errorf("bulletin of %s: registered by %s in all = %d, want %d", day, side, got, r.total)
		}
	}
	t.Logf("%d published rows checked in %d bulletins; %d rows of the Turkish side disputed by the Russian", len(rows), len(bulletins), disputed)
}
