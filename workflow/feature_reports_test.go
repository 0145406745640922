package workflow_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"truce"
	tlog "truce/log"
	"truce/sqlite"
	"truce/workflow"
)

const ftIdentity = "Dr. Hamid, field hospital of Kafr Nabl, +963 944 000 000"

func ftF64(f float64) *float64 { return &f }

// ftFullInput is a report input with every field set.
func ftFullInput() *truce.ReportInput {
	return &truce.ReportInput{
		OccurredAt: "2017-01-05T14:30:00+02:00", Lon: ftF64(36.5667), Lat: ftF64(35.4397),
		EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack",
		Perpetrator: "Syrian Arab Army", Description: "Shelling of the eastern edge of Kafr Nabl.",
		TimePrecision: 2, GeoPrecision: 2, UncertaintyM: 2500,
		Place:  "Kafr Nabl",
		Target: "Free Syrian Army",
		Casualties: &truce.Casualties{
			Killed:           &truce.Estimate{Low: 2, Best: 3, High: 5},
			KilledCivilians:  &truce.Estimate{Low: 1, Best: 2, High: 2},
			Injured:          &truce.Estimate{Low: 4, Best: 6, High: 10},
			InjuredCivilians: &truce.Estimate{Low: 0, Best: 0, High: 3},
		},
		Fire: &truce.Fire{
			Explosions:  truce.Explosions{Impact: 14, Outgoing: 2, Airburst: 1, Undetermined: 3},
			Projectiles: 6, Bursts: 11, BearingDeg: ftF64(135.25), DistanceBand: "5_10km",
			ObservationPost: "OP Maarat al-Numan 3",
		},
		Sources:        []string{"https://example.org/sitrep/2017-01-05", "SANA statement of 5 January 2017"},
		SourceIdentity: ftIdentity,
	}
}

// TestFtFullReportRoundTrip files a report with every field set and reads
// it back: each field as filed, resolved where it names an actor; the
// source identity only for the filer's organisation and the guarantors'
// staff; the log entry holding a commitment to it and never the identity.
func TestFtFullReportRoundTrip(t *testing.T) {
	svc, op := newService(t)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	opp2 := mustMember(t, svc, op, "OPP", truce.RoleParty)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	ruMon := mustMember(t, svc, op, "RU", truce.RoleMonitor)
	syg := mustMember(t, svc, op, "SYG", truce.RoleParty)
	un := mustMember(t, svc, op, "UN", truce.RoleObserver)
	unMon := mustMember(t, svc, op, "UN", truce.RoleMonitor)

	in := ftFullInput()
	filed, err := svc.FileReport(ftCtx, opp, in)
	if err != nil {
		t.Fatalf("FileReport(full) = %v", err)
	}
	check := func(who string, v *workflow.ReportView, wantIdentity bool) {
		t.Helper()
		if v.TimePrecision != 2 || v.GeoPrecision != 2 || v.UncertaintyM != 2500 {
			t.Errorf("%s: precision %d, %d, %d m; want 2, 2, 2500 m", who, v.TimePrecision, v.GeoPrecision, v.UncertaintyM)
		}
		if v.Place != "Kafr Nabl" {
			t.Errorf("%s: place %q, want Kafr Nabl", who, v.Place)
		}
		if v.Perpetrator != "SYG" || v.PerpetratorAsGiven != "Syrian Arab Army" {
			t.Errorf("%s: perpetrator %q as %q, want SYG as Syrian Arab Army", who, v.Perpetrator, v.PerpetratorAsGiven)
		}
		if v.Target != "OPP" || v.TargetAsGiven != "Free Syrian Army" {
			t.Errorf("%s: target %q as %q, want OPP as Free Syrian Army", who, v.Target, v.TargetAsGiven)
		}
		if !reflect.DeepEqual(v.Casualties, in.Casualties) {
			t.Errorf("%s: casualties %+v, want %+v", who, v.Casualties, in.Casualties)
		}
		if !reflect.DeepEqual(v.Fire, in.Fire) {
			t.Errorf("%s: fire %+v, want %+v", who, v.Fire, in.Fire)
		}
		if !reflect.DeepEqual(v.Sources, in.Sources) {
			t.Errorf("%s: sources %q, want %q", who, v.Sources, in.Sources)
		}
		want := ""
		if wantIdentity {
			want = ftIdentity
		}
		if v.SourceIdentity != want {
			t.Errorf("%s: source identity %q, want %q", who, v.SourceIdentity, want)
		}
		if b, _ := json.Marshal(v); wantIdentity != bytes.Contains(b, []byte(ftIdentity)) {
			t.Errorf("%s: JSON of the view %s the identity, want it %s", who,
				map[bool]string{true: "holds", false: "lacks"}[!wantIdentity], map[bool]string{true: "shown", false: "hidden"}[wantIdentity])
		}
	}
	check("filer's answer", filed, true)

	viewers := []struct {
		who      string
		m        *truce.Member
		identity bool
	}{
		{"filer", opp, true},
		{"filer's colleague", opp2, true},
		{"guarantor officer", ru, true},
		{"guarantor's monitor", ruMon, true},
		{"party of another organisation", syg, false},
		{"observer", un, false},
		{"UN monitor", unMon, false},
		{"operator", op, false},
	}
	readAll := func(stage string) {
		t.Helper()
		for _, vw := range viewers {
			v, err := svc.Report(ftCtx, vw.m, filed.ID)
			if err != nil {
				t.Fatalf("%s: Report as %s = %v", stage, vw.who, err)
			}
			check(stage+": "+vw.who, v, vw.identity)
			page, err := svc.ListReports(ftCtx, vw.m, workflow.ReportQuery{})
			if err != nil || len(page.Reports) != 1 {
				t.Fatalf("%s: ListReports as %s = %v, %v; want one report", stage, vw.who, page, err)
			}
			check(stage+": listing as "+vw.who, page.Reports[0], vw.identity)
		}
	}
	readAll("live")

	// The entry commits to the identity and does not hold it.
	e, data := ftEntry(t, svc, ru, filed.Entry)
	if e.Kind != truce.EntryReportFiled {
		t.Fatalf("entry %d is %s, want %s", filed.Entry, e.Kind, truce.EntryReportFiled)
	}
	if bytes.Contains(data, []byte(ftIdentity)) || bytes.Contains(data, []byte("Hamid")) {
		t.Errorf("entry bytes hold the source identity: %s", data)
	}
	if !bytes.Contains(data, []byte(`"source_identity":{"sealed":"sha256:`)) {
		t.Errorf("entry bytes %s lack a source_identity commitment", data)
	}
	var p truce.ReportFiled
	if err := tlog.DecodePayload(e, &p); err != nil {
		t.Fatal(err)
	}
	if !p.SourceIdentity.Valid() {
		t.Errorf("payload source_identity = %+v, want a valid commitment", p.SourceIdentity)
	}
	if p.Target != "OPP" || p.TargetAsGiven != "Free Syrian Army" || p.Fire == nil || p.Casualties == nil || len(p.Sources) != 2 {
		t.Errorf("payload = %+v, want every detail recorded", p)
	}

	mustVerify(t, svc)
	ftRebuildSame(t, svc)
	readAll("after rebuild")
	mustVerify(t, svc)
}

// TestFtReportWithoutIdentity checks that a report without a source
// identity carries no commitment, and that FileReports seals each
// report's identity with its own salt.
func TestFtReportWithoutIdentity(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	in := ftFullInput()
	in.SourceIdentity = ""
	v, err := svc.FileReport(ftCtx, ru, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, data := ftEntry(t, svc, ru, v.Entry); bytes.Contains(data, []byte("source_identity")) {
		t.Errorf("entry of a report without identity mentions one: %s", data)
	}

	// Two reports with the same identity: different commitments.
	a, b := ftFullInput(), ftFullInput()
	b.Description += " Second account."
	ids, err := svc.FileReports(ftCtx, ru, []*truce.ReportInput{a, b})
	if err != nil || len(ids) != 2 {
		t.Fatalf("FileReports = %v, %v", ids, err)
	}
	var refs []string
	for _, id := range ids {
		r, err := svc.Report(ftCtx, ru, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.SourceIdentity != ftIdentity {
			t.Errorf("batch report %s: identity %q, want %q", id, r.SourceIdentity, ftIdentity)
		}
		e, _ := ftEntry(t, svc, ru, r.Entry)
		var p truce.ReportFiled
		if err := tlog.DecodePayload(e, &p); err != nil || !p.SourceIdentity.Valid() {
			t.Fatalf("batch entry %d: %v, commitment %+v", r.Entry, err, p.SourceIdentity)
		}
		refs = append(refs, p.SourceIdentity.Sealed)
	}
	if refs[0] == refs[1] {
		t.Errorf("two reports of the same identity have the same commitment %s: the salt is not fresh", refs[0])
	}
	mustVerify(t, svc)
}

// TestFtReportInvalidDetails checks that the service refuses each broken
// detail with the validator's field, and appends nothing.
func TestFtReportInvalidDetails(t *testing.T) {
	svc, op := newService(t)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	before := ftLogSize(t, svc)
	for _, tc := range []struct {
		edit  func(in *truce.ReportInput)
		field string
	}{
		{func(in *truce.ReportInput) { in.TimePrecision = 4 }, "time_precision"},
		{func(in *truce.ReportInput) { in.GeoPrecision = -1 }, "geo_precision"},
		{func(in *truce.ReportInput) { in.UncertaintyM = truce.MaxUncertaintyM + 1 }, "uncertainty_m"},
		{func(in *truce.ReportInput) { in.Place = strings.Repeat("p", truce.MaxPlace+1) }, "place"},
		{func(in *truce.ReportInput) { in.Target = "Martians" }, "target"},
		{func(in *truce.ReportInput) { in.Casualties.Killed.Low = 4 }, "casualties.killed"},
		{func(in *truce.ReportInput) { in.Casualties.InjuredCivilians.High = 11 }, "casualties.injured_civilians"},
		{func(in *truce.ReportInput) { in.Fire.BearingDeg = ftF64(math.NaN()) }, "fire.bearing_deg"},
		{func(in *truce.ReportInput) { in.Fire = &truce.Fire{} }, "fire"},
		{func(in *truce.ReportInput) { in.Fire.DistanceBand = "far" }, "fire.distance_band"},
		{func(in *truce.ReportInput) { in.Sources = append(in.Sources, "file:///etc/passwd") }, "sources[2]"},
		{func(in *truce.ReportInput) { in.SourceIdentity = strings.Repeat("s", truce.MaxIdentity+1) }, "source_identity"},
	} {
		in := ftFullInput()
		tc.edit(in)
		_, err := svc.FileReport(ftCtx, opp, in)
		ftWantField(t, "FileReport", err, tc.field)
		_, err = svc.FileReports(ftCtx, opp, []*truce.ReportInput{ftFullInput(), in})
		ftWantField(t, "FileReports", err, "reports[1]."+tc.field)
	}
	ftWantGrowth(t, svc, "after refused reports", before, 0)
	mustVerify(t, svc)
}

// TestFtFireBearingNegativeZero files fire at bearing -0, which the
// validator allows: the log writes it as 0, and the projection built at
// filing must equal the one a replay builds (as TestNegativeZero does
// for coordinates).
func TestFtFireBearingNegativeZero(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	in := ftFullInput()
	in.Fire.BearingDeg = ftF64(math.Copysign(0, -1))
	if _, err := svc.FileReport(ftCtx, ru, in); err != nil {
		t.Fatalf("FileReport(bearing -0) = %v", err)
	}
	if err := ftVerify(t, svc); err != nil {
		t.Errorf("BUG: Verify after filing fire at bearing -0 = %v; want nil (the live projection keeps -0, the replay 0)", ftClip(err.Error(), 300))
	}
	ftRebuildSame(t, svc)
	mustVerify(t, svc)
}

// ftVerify is mustVerify returning Verify's error instead of failing.
func ftVerify(tb testing.TB, svc *workflow.Service) error {
	tb.Helper()
	if _, err := svc.IssueCheckpoint(ftCtx); err != nil {
		tb.Fatal(err)
	}
	scratch, err := sqlite.Open(filepath.Join(tb.TempDir(), "ftscratch.db"))
	if err != nil {
		tb.Fatal(err)
	}
	defer scratch.Close()
	_, err = svc.Verify(ftCtx, scratch, nil)
	return err
}

// ftClip shortens s for a message.
func ftClip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// ftTamperStore wraps a store and gives its entries' sidecars to readers
// through edit, so that Verify can be shown a sidecar changed on disk.
type ftTamperStore struct {
	truce.Store
	edit func(index int64, sidecar []byte) []byte
}

type ftTamperTx struct {
	truce.Tx
	edit func(index int64, sidecar []byte) []byte
}

func (s ftTamperStore) View(ctx context.Context, fn func(truce.Tx) error) error {
	return s.Store.View(ctx, func(tx truce.Tx) error { return fn(ftTamperTx{tx, s.edit}) })
}

func (tx ftTamperTx) ScanEntries(from, to int64, fn func(int64, []byte, []byte) error) error {
	return tx.Tx.ScanEntries(from, to, func(i int64, data, side []byte) error {
		return fn(i, data, tx.edit(i, side))
	})
}

func (tx ftTamperTx) Sidecar(index int64) ([]byte, error) {
	b, err := tx.Tx.Sidecar(index)
	return tx.edit(index, b), err
}

// TestFtTamperedSidecar shows Verify a sidecar whose sealed value, salt or
// presence has changed: each is caught at the report's entry.
func TestFtTamperedSidecar(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	v, err := svc.FileReport(ftCtx, ru, ftFullInput())
	if err != nil {
		t.Fatal(err)
	}
	mustVerify(t, svc)
	edit := func(fn func(sc *truce.Sidecar)) func(int64, []byte) []byte {
		return func(i int64, b []byte) []byte {
			if i != v.Entry {
				return b
			}
			var sc truce.Sidecar
			if err := json.Unmarshal(b, &sc); err != nil {
				t.Fatalf("sidecar of entry %d: %v", i, err)
			}
			fn(&sc)
			out, _ := json.Marshal(&sc)
			return out
		}
	}
	for _, tc := range []struct {
		name string
		edit func(int64, []byte) []byte
	}{
		{"value", edit(func(sc *truce.Sidecar) {
			sv := sc.Sealed["source_identity"]
			sv.Value = json.RawMessage(`"Someone else"`)
			sc.Sealed["source_identity"] = sv
		})},
		{"salt", edit(func(sc *truce.Sidecar) {
			sv := sc.Sealed["source_identity"]
			sv.Salt = bytes.Clone(sv.Salt)
			sv.Salt[0] ^= 1
			sc.Sealed["source_identity"] = sv
		})},
		{"field", edit(func(sc *truce.Sidecar) {
			sc.Sealed["identity"] = sc.Sealed["source_identity"]
			delete(sc.Sealed, "source_identity")
		})},
		{"sidecar gone", func(i int64, b []byte) []byte {
			if i == v.Entry {
				return nil
			}
			return b
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tampered := workflow.New(ftTamperStore{Store: svc.Store, edit: tc.edit}, nil)
			scratch, err := sqlite.Open(filepath.Join(t.TempDir(), "scratch.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer scratch.Close()
			_, err = tampered.Verify(ftCtx, scratch, nil)
			var ve *workflow.VerifyError
			if !errors.As(err, &ve) || ve.What != "entry" || ve.At != strconv.FormatInt(v.Entry, 10) {
				t.Errorf("Verify with a tampered sidecar (%s) = %v, want a VerifyError at entry %d", tc.name, err, v.Entry)
			}
		})
	}
	mustVerify(t, svc)
}
