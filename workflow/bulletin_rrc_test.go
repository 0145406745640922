package workflow_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/bulletin"
	"truce/internal/trucetest"
	"truce/places"
	"truce/workflow"
)

// The Russian Reconciliation Centre's daily bulletins
// (../shared/data/ceasefire_bulletins, see its PROVENANCE.md) counted the
// violations "registered by the Russian side" and "by the Turkish side"
// of the joint commission, per province. Entered as reports by an RU and
// a TR guarantor officer, one report per counted violation, truce's
// bulletins must give the published counts, row by row.

// rrcCommunity is, by province column (trucetest.RRCProvinces), the OCHA
// community whose point the test files its reports at: the province's
// capital, and for "Damascus province" (Damascus with Rural Damascus,
// where the fighting was) Douma, in Eastern Ghouta (SY03).
var rrcCommunity = map[string]string{
	"Aleppo": "C1007", "Damascus": "C2338", "Daraa": "C5993", "Hama": "C2987",
	"Homs": "C2528", "Idlib": "C3871", "Latakia": "C3480", "Quneitra": "C6268",
}

// rrcUnanswered reports whether the other side said it could not confirm
// a TR row's violations.
func rrcUnanswered(r trucetest.RRCRow) bool {
	said := strings.ToLower(r.Quote + " " + r.Note)
	return r.Side == "TR" && (strings.Contains(said, "did not confirm") || strings.Contains(said, "not confirmed") ||
		strings.Contains(said, "confirmation to neither"))
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
	rows := trucetest.RRCRows(t, false)
	if len(rows) < 25 {
		t.Fatalf("%d dated RU or TR rows with a breakdown, want the 25 the file holds", len(rows))
	}
	for _, r := range rows {
		sum := 0
		for _, n := range r.Counts {
			sum += n
		}
		if r.Total != sum {
			t.Fatalf("%s %s: total %d, provinces sum to %d", r.Date, r.Side, r.Total, sum)
		}
	}
	svc, op := newService(t)
	svc.Admin = places.DefaultLocator()
	officers := map[truce.ActorID]*truce.Member{
		"RU": mustMember(t, svc, op, "RU", truce.RoleGuarantor),
		"TR": mustMember(t, svc, op, "TR", truce.RoleGuarantor),
	}
	for _, p := range trucetest.RRCProvinces {
		c, ok := places.CommunityByPCode(rrcCommunity[p.Column])
		if adm1, _, _ := svc.Admin.Locate(c.Lon, c.Lat); !ok || adm1 != p.PCodes[len(p.PCodes)-1] {
			t.Fatalf("%s: community %s is in %q, want %s", p.Column, rrcCommunity[p.Column], adm1, p.PCodes)
		}
	}
	disputed := 0
	for _, r := range rows {
		day := rrcDay(t, r.Date)
		var ins []*truce.ReportInput
		for _, p := range trucetest.RRCProvinces {
			c, _ := places.CommunityByPCode(rrcCommunity[p.Column])
			for i := range r.Counts[p.Column] {
				lon, lat := c.Lon, c.Lat
				ins = append(ins, &truce.ReportInput{
					// Spread over the day, none at its edges.
					OccurredAt: day.Add(time.Duration(1+len(ins)) * 24 * time.Hour / time.Duration(r.Total+1)).Format(time.RFC3339Nano),
					Lon:        &lon, Lat: &lat,
					EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack",
					Description: fmt.Sprintf("Ceasefire violation %d of %d in %s registered by the %s side (Reconciliation Centre bulletin of %s).",
						i+1, r.Counts[p.Column], p.Column, r.Side, r.Date),
					Sources: []string{r.Source},
				})
			}
		}
		ids, err := svc.FileReports(ftCtx, officers[r.Side], ins)
		if err != nil {
			t.Fatalf("%s %s: FileReports = %v", r.Date, r.Side, err)
		}
		if rrcUnanswered(r) {
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
		day := rrcDay(t, r.Date).Format(time.DateOnly)
		b := bulletins[day]
		if b == nil {
			b = mustBulletin(t, svc, day, workflow.BulletinOptions{})
			bulletins[day] = b
		}
		side := string(r.Side)
		for _, p := range trucetest.RRCProvinces {
			got, contested := 0, 0
			for _, code := range p.PCodes {
				row := rowOf(t, b, code)
				got += row.ReportedBy[side]
				contested += row.Contested
			}
			if want := r.Counts[p.Column]; got != want {
				t.Errorf("bulletin of %s (published %s): %s registered by %s = %d, want %d", day, r.Date, p.Column, side, got, want)
			}
			if rrcUnanswered(r) && contested != r.Counts[p.Column] {
				t.Errorf("bulletin of %s: %s contested = %d, want the %d %s reports RU disputed", day, p.Column, contested, r.Counts[p.Column], side)
			}
		}
		if got := b.Total.ReportedBy[side]; got != r.Total {
			t.Errorf("bulletin of %s: registered by %s in all = %d, want %d", day, side, got, r.Total)
		}
	}
	t.Logf("%d published rows checked in %d bulletins; %d rows of the Turkish side disputed by the Russian", len(rows), len(bulletins), disputed)
}
