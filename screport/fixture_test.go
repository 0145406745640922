package screport_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"truce"
	"truce/agreements"
	"truce/geo"
	tlog "truce/log"
	"truce/places"
	"truce/sqlite"
	"truce/workflow"
)

var ctx = context.Background()

// fixture is a log with a few reports whose figures the tests know: seven
// in the four weeks from Monday 2 January 2017, one of each consensus
// state and more, in five governorates, and a control map with a combat
// line against Jabhat al-Nusra. After its checkpoint, the log grows: a
// report and an assessment the report must not count.
type fixture struct {
	svc   *workflow.Service
	clock *time.Time
	ru    *truce.Member // guarantor officers
	ir    *truce.Member
	tr    *truce.Member
	syg   *truce.Member // party liaisons
	opp   *truce.Member
	ids   []truce.ReportID
}

// The period of the fixture's report.
var (
	fxFrom = time.Date(2017, 1, 2, 0, 0, 0, 0, time.UTC)
	fxTo   = time.Date(2017, 1, 29, 0, 0, 0, 0, time.UTC)
)

// Places inside five governorates.
var fxPlaces = map[string][2]float64{
	"SY07": {36.63, 35.93}, // Idleb city
	"SY02": {37.16, 36.20}, // Aleppo
	"SY04": {36.72, 34.73}, // Homs
	"SY01": {36.29, 33.51}, // Damascus
	"SY12": {36.10, 32.62}, // Dar'a
}

func newService(tb testing.TB) (*workflow.Service, *truce.Member, *time.Time) {
	tb.Helper()
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		tb.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "truce.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	skey, vkey, err := tlog.GenerateKey("truce.test/screport")
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := tlog.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	svc := workflow.New(db, signer)
	svc.Admin = places.DefaultLocator()
	clock := time.Date(2017, 2, 1, 0, 0, 0, 0, time.UTC)
	svc.Now = func() time.Time { return clock }
	op, _, err := svc.Init(ctx, workflow.InitOptions{Agreement: a, Origin: "truce.test/screport", Verifier: vkey})
	if err != nil {
		tb.Fatal(err)
	}
	return svc, op, &clock
}

func member(tb testing.TB, svc *workflow.Service, op *truce.Member, org truce.ActorID, role truce.Role) *truce.Member {
	tb.Helper()
	m, _, err := svc.AddMember(ctx, op, string(org)+" "+string(role), org, role)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	svc, op, clock := newService(tb)
	f := &fixture{svc: svc, clock: clock}
	f.ru = member(tb, svc, op, "RU", truce.RoleGuarantor)
	f.ir = member(tb, svc, op, "IR", truce.RoleGuarantor)
	f.tr = member(tb, svc, op, "TR", truce.RoleGuarantor)
	f.syg = member(tb, svc, op, "SYG", truce.RoleParty)
	f.opp = member(tb, svc, op, "OPP", truce.RoleParty)
	f.mapZones(tb)

	c, d := truce.Confirm, truce.Dispute
	f.file(tb, f.opp, "2017-01-03T10:00:00Z", "SY07", "SYG", &truce.Casualties{Killed: &truce.Estimate{Low: 1, Best: 1, High: 1}}) // confirmed
	f.file(tb, f.opp, "2017-01-04T10:00:00Z", "SY07", "SYG", nil)                                                                  // contested
	f.file(tb, f.syg, "2017-01-10T10:00:00Z", "SY02", "OPP", nil)                                                                  // rejected
	f.file(tb, f.ru, "2017-01-11T10:00:00Z", "SY04", "ISIL", nil)                                                                  // unilateral
	f.file(tb, f.syg, "2017-01-17T10:00:00Z", "SY01", "", nil)                                                                     // confirmed
	f.file(tb, f.opp, "2017-01-25T10:00:00Z", "SY02", "SYG", &truce.Casualties{
		Killed: &truce.Estimate{Low: 2, Best: 3, High: 5}, KilledCivilians: &truce.Estimate{Low: 1, Best: 2, High: 2},
		Injured: &truce.Estimate{Low: 4, Best: 6, High: 9}}) // contested
	f.file(tb, f.ru, "2016-12-30T10:00:00Z", "SY07", "SYG", nil) // before the period
	*clock = clock.Add(time.Hour)
	for _, a := range []struct {
		report int
		by     *truce.Member
		v      truce.Verdict
	}{
		{0, f.ru, c}, {0, f.ir, c}, {0, f.tr, c},
		{1, f.ru, c}, {1, f.tr, d},
		{2, f.ru, d}, {2, f.ir, d}, {2, f.tr, d},
		{4, f.ru, c}, {4, f.ir, c}, {4, f.tr, c},
		{5, f.ru, c}, {5, f.ir, c}, {5, f.tr, d},
	} {
		in := truce.AssessmentInput{Verdict: a.v}
		if a.v == d {
			in.Reason = "Not seen by our monitors."
		}
		if _, err := svc.Assess(ctx, a.by, f.ids[a.report], &in); err != nil {
			tb.Fatal(err)
		}
	}
	// Four days on, one more report: still pending at the checkpoint.
	*clock = clock.Add(100 * time.Hour)
	f.file(tb, f.syg, "2017-01-24T10:00:00Z", "SY12", "OPP", nil) // pending
	if _, err := svc.IssueCheckpoint(ctx); err != nil {
		tb.Fatal(err)
	}
	// After the checkpoint: a report in the period, and Iran disputing
	// the first report. Neither may count.
	*clock = clock.Add(time.Hour)
	f.file(tb, f.opp, "2017-01-05T10:00:00Z", "SY07", "SYG", nil)
	if _, err := svc.Assess(ctx, f.ir, f.ids[0], &truce.AssessmentInput{Verdict: d, Reason: "On reflection, no."}); err != nil {
		tb.Fatal(err)
	}
	return f
}

func (f *fixture) file(tb testing.TB, by *truce.Member, at, gov, perpetrator string, cas *truce.Casualties) {
	tb.Helper()
	p := fxPlaces[gov]
	lon, lat := p[0], p[1]
	v, err := f.svc.FileReport(ctx, by, &truce.ReportInput{
		OccurredAt: at, Lon: &lon, Lat: &lat, EventType: "Explosions/Remote violence",
		SubEventType: "Shelling/artillery/missile attack", Perpetrator: perpetrator,
		Description: "Shelling reported by the fixture.", Casualties: cas,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if v.Classification == nil || v.Classification.ADM1 != gov {
		tb.Fatalf("fixture: report at %v classified %+v, want governorate %s", p, v.Classification, gov)
	}
	f.ids = append(f.ids, v.ID)
}

// mapZones puts three control areas on the map from 1 January 2017, side
// by side in Hama: the government's, the opposition's and Jabhat
// al-Nusra's, so that there is a line of contact between the first two
// and a combat line with a designated group between the last two, and
// the opposition's area touches Jabhat al-Nusra's.
func (f *fixture) mapZones(tb testing.TB) {
	tb.Helper()
	box := func(w, s, e, n float64) *geo.Geometry {
		g := geo.PolygonGeometry(geo.MultiPolygon{{{{Lon: w, Lat: s}, {Lon: e, Lat: s}, {Lon: e, Lat: n}, {Lon: w, Lat: n}, {Lon: w, Lat: s}}}})
		return &g
	}
	var fs []*workflow.ZoneFeature
	for _, z := range []struct {
		actor      truce.ActorID
		w, s, e, n float64
	}{
		{"SYG", 36.2, 35.0, 36.5, 35.3},
		{"OPP", 36.5, 35.0, 36.8, 35.3},
		{"JFS", 36.8, 35.0, 37.1, 35.3},
	} {
		fs = append(fs, &workflow.ZoneFeature{Type: "Feature",
			Properties: truce.ZoneInput{Kind: truce.ZoneControl, Controller: z.actor, ValidFrom: "2017-01-01"},
			Geometry:   *box(z.w, z.s, z.e, z.n)})
	}
	zs, err := f.svc.ProposeZones(ctx, f.ru, fs)
	if err != nil {
		tb.Fatal(err)
	}
	for _, by := range []*truce.Member{f.ru, f.ir, f.tr} {
		for _, z := range zs {
			if _, err := f.svc.ApproveZone(ctx, by, z.ID); err != nil {
				tb.Fatal(err)
			}
		}
	}
}
