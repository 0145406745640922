package bench

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"log/slog"
	mathrand "math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/agreements"
	tlog "truce/log"
	"truce/places"
	"truce/sqlite"
	"truce/workflow"
)

// fixture is a data directory as `truce init` leaves it, with a guarantor
// officer added to file reports, and a pool of inputs to file.
type fixture struct {
	db        *sqlite.DB
	svc       *workflow.Service
	agreement *truce.Agreement // as the service loaded it from the store
	filer     *truce.Member
	state     truce.ReportState // Open and Closed of a report the filer files

	inputs []*truce.ReportInput
	next   int   // the next input to file
	entry  int64 // the next entry number a plain row takes
}

// newFixture initialises a fresh database in tb's temporary directory.
func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	ctx := context.Background()
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		tb.Fatal(err)
	}
	origin := "truce.local/" + a.ID + "/bench"
	skey, vkey, err := tlog.GenerateKey(origin)
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := tlog.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "truce.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })

	svc := workflow.New(db, signer)
	// As truce serve has it: reports are placed in the administrative
	// units at intake.
	svc.Admin = places.DefaultLocator()
	svc.Logger = slog.New(slog.DiscardHandler)
	op, _, err := svc.Init(ctx, workflow.InitOptions{Agreement: a, Origin: origin, Verifier: vkey})
	if err != nil {
		tb.Fatalf("Init: %v", err)
	}
	filer, _, err := svc.AddMember(ctx, op, "Guarantor officer", "RU", truce.RoleGuarantor)
	if err != nil {
		tb.Fatalf("AddMember: %v", err)
	}
	f := &fixture{db: db, svc: svc, filer: filer, inputs: reportInputs(1000)}
	if f.agreement, err = svc.Agreement(ctx); err != nil {
		tb.Fatal(err)
	}
	// What workflow's applier stores for a new report: no assessments yet,
	// the filer's organisation confirming when it is a guarantor.
	g := f.agreement.Guarantors()
	t := truce.Answers(f.agreement, filer.Organisation, nil)
	f.state = truce.ReportState{
		Open:   f.agreement.Rules.Decide(g, t, true),
		Closed: f.agreement.Rules.Decide(g, t, false),
	}
	err = db.View(ctx, func(tx truce.Tx) error {
		f.entry, err = tx.LogSize()
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// take returns the next n inputs of the pool, without allocating.
func (f *fixture) take(n int) []*truce.ReportInput {
	if f.next+n > len(f.inputs) {
		f.next = 0
	}
	ins := f.inputs[f.next : f.next+n]
	f.next += n
	return ins
}

// plainReport builds the row that FileReport would insert for in, filed
// now: validated against the agreement, with a random id, the filing
// fields and the next entry number, but without an entry in the log.
func (f *fixture) plainReport(in *truce.ReportInput, now time.Time) (*truce.Report, truce.ReportState, error) {
	r, err := in.Validate(f.agreement, now)
	if err != nil {
		return nil, truce.ReportState{}, err
	}
	id, err := newReportID()
	if err != nil {
		return nil, truce.ReportState{}, err
	}
	r.ID, r.OccurredAt = id, r.OccurredAt.UTC()
	r.FiledAt, r.FiledBy, r.Organisation = now.UTC(), f.filer.ID, f.filer.Organisation
	r.Entry = f.entry
	f.entry++
	// The same classification the service records: administrative units,
	// and scope, against an empty map.
	c := workflow.ClassifyPoint(f.agreement, f.svc.Admin, nil, r.Lon, r.Lat, r.OccurredAt)
	r.Classification = &c
	s := f.state
	s.Deadline = f.agreement.Rules.Deadline(r.FiledAt)
	return r, s, nil
}

// newReportID draws an id as the service does: "rpt_" and 16 base32
// characters from 10 random bytes.
func newReportID() (truce.ReportID, error) {
	b := make([]byte, 10)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		return "", err
	}
	return truce.ReportID("rpt_" + strings.ToLower(base32.StdEncoding.EncodeToString(b))), nil
}

// Material for report inputs: the kind of thing a monitor files.
var (
	towns = []string{"Khan Shaykhun", "Maarat al-Numan", "Saraqib", "Jisr al-Shughur", "Darayya",
		"Douma", "Harasta", "al-Rastan", "Talbiseh", "Kafr Zita", "Latamneh", "Ariha"}
	landmarks = []string{"grain silos", "main market", "old mosque", "water station", "school",
		"field hospital", "bakery", "bus depot"}
	weapons = []string{"mortar rounds", "rockets", "artillery shells", "heavy machine-gun fire"}
	// Names the agreement resolves to an actor; Jabhat al-Nusra most of all.
	perpetrators = []string{"Jabhat al-Nusra", "Jabhat al-Nusra", "Jabhat al-Nusra", "al-Nusra Front",
		"Hay'at Tahrir al-Sham", "Ahrar ash-Sham", "Jaish al-Islam", "Syrian Arab Army"}
	events = [][2]string{
		{"Explosions/Remote violence", "Shelling/artillery/missile attack"},
		{"Explosions/Remote violence", "Air/drone strike"},
		{"Battles", "Armed clash"},
		{"Violence against civilians", "Attack"},
	}
)

// reportInputs returns n valid, varied inputs: times in 2017, points in
// north-western Syria, descriptions of about 200 characters.
func reportInputs(n int) []*truce.ReportInput {
	rng := mathrand.New(mathrand.NewPCG(2017, 1230))
	start := time.Date(2017, 1, 1, 0, 0, 0, 0, time.FixedZone("", 2*3600))
	ins := make([]*truce.ReportInput, n)
	for i := range ins {
		lon := 35.9 + 1.6*rng.Float64()
		lat := 33.4 + 3.0*rng.Float64()
		ev := events[rng.IntN(len(events))]
		at := start.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Minute)
		desc := fmt.Sprintf("At about %s local time %d %s fell on the eastern edge of %s, near the %s. "+
			"Witnesses counted the impacts over %d minutes; the local council reported %d civilians wounded and damage to houses.",
			at.Format("15:04"), 2+rng.IntN(30), weapons[rng.IntN(len(weapons))], towns[rng.IntN(len(towns))],
			landmarks[rng.IntN(len(landmarks))], 5+rng.IntN(90), rng.IntN(12))
		ins[i] = &truce.ReportInput{
			OccurredAt: at.Format(time.RFC3339), Lon: &lon, Lat: &lat,
			EventType: ev[0], SubEventType: ev[1],
			Perpetrator: perpetrators[rng.IntN(len(perpetrators))], Description: desc,
		}
	}
	return ins
}
