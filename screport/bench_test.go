package screport_test

import (
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"truce"
	"truce/demo/controlmap"
	"truce/geo"
	"truce/i18n"
	"truce/places"
	"truce/screport"
	"truce/workflow"
)

// yearReports is how many reports the one-year benchmark files: about
// 137 a day, the busiest the Syrian ceasefire's daily bulletins knew.
const yearReports = 50_000

// seedYear files n reports of events spread over 2017 at the OCHA
// communities, on the demo's control map of July 2017 (so that lines of
// contact and separation are those of a real map), filed by the
// guarantors' monitors and answered by the other guarantors in every way.
func seedYear(tb testing.TB, n int) *workflow.Service {
	tb.Helper()
	svc, op, clock := newService(tb)
	*clock = time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC)
	guarantors := map[truce.ActorID]*truce.Member{}
	monitors := map[truce.ActorID]*truce.Member{}
	for _, g := range []truce.ActorID{"RU", "IR", "TR"} {
		guarantors[g] = member(tb, svc, op, g, truce.RoleGuarantor)
		monitors[g] = member(tb, svc, op, g, truce.RoleMonitor)
	}
	areas, err := controlmap.Load()
	if err != nil {
		tb.Fatal(err)
	}
	var fs []*workflow.ZoneFeature
	for _, a := range areas {
		in := truce.ZoneInput{Kind: truce.ZoneControl, ValidFrom: controlmap.ValidFrom.Format(time.DateOnly), Controller: truce.ActorID(a.Controller)}
		for _, c := range a.ContestedBetween {
			in.ContestedBetween = append(in.ContestedBetween, truce.ActorID(c))
		}
		fs = append(fs, &workflow.ZoneFeature{Type: "Feature", Properties: in, Geometry: geo.PolygonGeometry(geo.FromCoordinates(a.Polygon))})
	}
	zs, err := svc.ProposeZones(ctx, guarantors["RU"], fs)
	if err != nil {
		tb.Fatal(err)
	}
	for _, g := range []truce.ActorID{"RU", "IR", "TR"} {
		for _, z := range zs {
			if _, err := svc.ApproveZone(ctx, guarantors[g], z.ID); err != nil {
				tb.Fatal(err)
			}
		}
	}

	*clock = time.Date(2018, 1, 10, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(7, 7))
	cs := places.Communities()
	perps := []string{"SYG", "SYG", "SYG", "OPP", "OPP", "ISIL", "JFS", "FLS", "AHS", "JAI", "RU", "TR", ""}
	filers := []truce.ActorID{"RU", "IR", "TR"}
	start := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	type filed struct {
		id    truce.ReportID
		filer truce.ActorID
	}
	var all []filed
	for len(all) < n {
		batch := min(workflow.MaxBatch, n-len(all))
		by := filers[len(all)/workflow.MaxBatch%3]
		ins := make([]*truce.ReportInput, batch)
		for i := range ins {
			c := cs[rng.IntN(len(cs))]
			lon, lat := c.Lon, c.Lat
			at := start.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
			ins[i] = &truce.ReportInput{
				OccurredAt: at.Format(time.RFC3339), Lon: &lon, Lat: &lat,
				EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack",
				Perpetrator: perps[rng.IntN(len(perps))], Description: "Shelling reported near " + c.NameEN + ".",
			}
			if rng.IntN(5) == 0 {
				k := rng.IntN(6)
				ins[i].Casualties = &truce.Casualties{Killed: &truce.Estimate{Low: k, Best: k, High: k + 2}}
			}
		}
		ids, err := svc.FileReports(ctx, monitors[by], ins)
		if err != nil {
			tb.Fatal(err)
		}
		for _, id := range ids {
			all = append(all, filed{id, by})
		}
	}
	// The other guarantors answer most of them, concurrently: the service
	// commits them in groups.
	type answer struct {
		id truce.ReportID
		by *truce.Member
		v  truce.Verdict
	}
	var answers []answer
	for _, f := range all {
		switch k := rng.IntN(10); {
		case k < 5: // confirmed by all
			for _, g := range filers {
				if g != f.filer {
					answers = append(answers, answer{f.id, guarantors[g], truce.Confirm})
				}
			}
		case k < 8: // contested
			other := filers[(slices.Index(filers, f.filer)+1)%3]
			answers = append(answers, answer{f.id, guarantors[other], truce.Dispute})
		}
		// Otherwise unanswered: unilateral once the window closed.
	}
	*clock = clock.Add(time.Hour)
	work := make(chan answer)
	var wg sync.WaitGroup
	var errOnce sync.Once
	var firstErr error
	for range 128 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range work {
				in := truce.AssessmentInput{Verdict: a.v}
				if a.v == truce.Dispute {
					in.Reason = "Not confirmed by our monitors."
				}
				if _, err := svc.Assess(ctx, a.by, a.id, &in); err != nil {
					errOnce.Do(func() { firstErr = err })
				}
			}
		}()
	}
	for _, a := range answers {
		work <- a
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		tb.Fatal(firstErr)
	}
	// Four days on, a report of a later event: the checkpoint's last entry
	// is then after the unanswered reports' window closed.
	*clock = clock.Add(96 * time.Hour)
	lon, lat := 36.63, 35.93
	if _, err := svc.FileReport(ctx, monitors["RU"], &truce.ReportInput{OccurredAt: "2018-01-12T10:00:00Z", Lon: &lon, Lat: &lat,
		EventType: "Battles", SubEventType: "Armed clash", Perpetrator: "JFS", Description: "A clash after the year."}); err != nil {
		tb.Fatal(err)
	}
	if _, err := svc.IssueCheckpoint(ctx); err != nil {
		tb.Fatal(err)
	}
	return svc
}

// BenchmarkYearReport makes the HTML report of a year of 50,000 reports
// (charts, map, lines of contact and separation on the real map of July
// 2017), as `truce report --format html` does. The target is under 2 s;
// median-ms is the median of the runs.
func BenchmarkYearReport(b *testing.B) {
	t0 := time.Now()
	svc := seedYear(b, yearReports)
	b.Logf("seeded %d reports in %s", yearReports, time.Since(t0).Round(time.Second))
	from, to := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2017, 12, 31, 0, 0, 0, 0, time.UTC)
	var times []time.Duration
	var total int
	for b.Loop() {
		start := time.Now()
		r, err := screport.Build(ctx, svc, screport.Options{From: from, To: to, Lang: i18n.EN})
		if err != nil {
			b.Fatal(err)
		}
		if err := r.HTML(io.Discard); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
		total = r.Total()
	}
	if total != yearReports {
		b.Fatalf("the report counts %d reports, want %d", total, yearReports)
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.Logf("%d runs: median %s, fastest %s, slowest %s", len(times), times[len(times)/2], times[0], times[len(times)-1])
}

// BenchmarkAggregate is the counting and drawing alone, without the
// store: where the time goes once the data is read.
func BenchmarkAggregate(b *testing.B) {
	f := newFixture(b)
	for b.Loop() {
		r := yearReport(b, f, i18n.EN)
		if err := r.HTML(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
