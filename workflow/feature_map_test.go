package workflow_test

import (
	"encoding/json"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
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

// The map: zones proposed and approved, reports classified against them at
// intake and when the map changes, positions, lines of contact and
// separation. Geometry is small squares around Idlib (SY07), Palmyra (SY04)
// and Hama (SY05), with P-codes from places.DefaultLocator.

// mapFrom is the day the test maps hold from; reports occur after it.
const mapFrom = "2017-01-01"

// mapWorld is a service with the real administrative units, a fixed
// clock, and one officer of each guarantor.
type mapWorld struct {
	svc        *workflow.Service
	op         *truce.Member
	ru, ir, tr *truce.Member
	clock      *ftClock
}

// newMapWorld returns a service over the Astana agreement, changed by edit
// when edit is not nil.
func newMapWorld(tb testing.TB, edit func(*truce.Agreement)) *mapWorld {
	tb.Helper()
	var svc *workflow.Service
	var op *truce.Member
	if edit == nil {
		svc, op = newService(tb)
	} else {
		svc, op = mapServiceWith(tb, edit)
	}
	if svc.Admin == nil {
		svc.Admin = places.DefaultLocator()
	}
	w := &mapWorld{svc: svc, op: op, clock: ftFixClock(svc, time.Now().UTC().Truncate(time.Second))}
	w.ru = mustMember(tb, svc, op, "RU", truce.RoleGuarantor)
	w.ir = mustMember(tb, svc, op, "IR", truce.RoleGuarantor)
	w.tr = mustMember(tb, svc, op, "TR", truce.RoleGuarantor)
	return w
}

// mapServiceWith is newService with the agreement changed by edit.
func mapServiceWith(tb testing.TB, edit func(*truce.Agreement)) (*workflow.Service, *truce.Member) {
	tb.Helper()
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		tb.Fatal(err)
	}
	edit(a)
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "truce.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	skey, vkey, err := tlog.GenerateKey("truce.test/workflow")
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := tlog.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	svc := workflow.New(db, signer)
	op, _, err := svc.Init(ftCtx, workflow.InitOptions{Agreement: a, Origin: "truce.test/workflow", Verifier: vkey})
	if err != nil {
		tb.Fatal(err)
	}
	return svc, op
}

func mapPt(lon, lat float64) geo.Point { return geo.Point{Lon: lon, Lat: lat} }

// mapSquare is the ring of the box [w, e] x [s, n], counter-clockwise.
func mapSquare(w, s, e, n float64) geo.Ring {
	return geo.Ring{mapPt(w, s), mapPt(e, s), mapPt(e, n), mapPt(w, n), mapPt(w, s)}
}

// mapFeature is a zone feature of the given properties and polygons: a
// Polygon geometry for one, a MultiPolygon for more.
func mapFeature(in truce.ZoneInput, polys ...geo.Polygon) *workflow.ZoneFeature {
	return &workflow.ZoneFeature{Type: "Feature", Properties: in, Geometry: geo.PolygonGeometry(geo.MultiPolygon(polys))}
}

// mapControl is a control area of one actor, valid from mapFrom.
func mapControl(controller truce.ActorID, polys ...geo.Polygon) *workflow.ZoneFeature {
	return mapFeature(truce.ZoneInput{Kind: truce.ZoneControl, Controller: controller, ValidFrom: mapFrom}, polys...)
}

// mapContested is a control area contested between actors, valid from
// mapFrom.
func mapContested(between []truce.ActorID, polys ...geo.Polygon) *workflow.ZoneFeature {
	return mapFeature(truce.ZoneInput{Kind: truce.ZoneControl, ContestedBetween: between, ValidFrom: mapFrom}, polys...)
}

// propose records zones by a member and fails on any error.
func (w *mapWorld) propose(tb testing.TB, by *truce.Member, fs ...*workflow.ZoneFeature) []*truce.Zone {
	tb.Helper()
	zs, err := w.svc.ProposeZones(ftCtx, by, fs)
	if err != nil {
		tb.Fatalf("ProposeZones = %v", err)
	}
	if len(zs) != len(fs) {
		tb.Fatalf("ProposeZones gave %d zones for %d features", len(zs), len(fs))
	}
	return zs
}

// approve has the three guarantors approve a zone and returns it on the
// map.
func (w *mapWorld) approve(tb testing.TB, id truce.ZoneID) *truce.Zone {
	tb.Helper()
	var z *truce.Zone
	for _, g := range []*truce.Member{w.ru, w.ir, w.tr} {
		var err error
		if z, err = w.svc.ApproveZone(ftCtx, g, id); err != nil {
			tb.Fatalf("ApproveZone(%s) by %s = %v", id, g.Organisation, err)
		}
	}
	if z.State != truce.ZoneStateApproved || z.ApprovedEntry == 0 {
		tb.Fatalf("zone %s after three approvals: state %s, approved entry %d", id, z.State, z.ApprovedEntry)
	}
	return z
}

// proposeApproved proposes zones by RU and has them approved, in order.
func (w *mapWorld) proposeApproved(tb testing.TB, fs ...*workflow.ZoneFeature) []*truce.Zone {
	tb.Helper()
	zs := w.propose(tb, w.ru, fs...)
	for i, z := range zs {
		zs[i] = w.approve(tb, z.ID)
	}
	return zs
}

// mapReport is a shelling report at a point.
func mapReport(lon, lat float64, occurred string) *truce.ReportInput {
	return &truce.ReportInput{
		OccurredAt: occurred, Lon: &lon, Lat: &lat,
		EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack",
		Perpetrator: "SYG", Description: "Mortar fire on the edge of the village.",
	}
}

// claimConfirmed claims a position by a member and has the guarantors
// that did not claim it confirm it.
func (w *mapWorld) claimConfirmed(tb testing.TB, by *truce.Member, in *truce.PositionInput) *workflow.PositionView {
	tb.Helper()
	v, err := w.svc.ClaimPosition(ftCtx, by, in)
	if err != nil {
		tb.Fatalf("ClaimPosition = %v", err)
	}
	for _, g := range []*truce.Member{w.ru, w.ir, w.tr} {
		if g.Organisation == by.Organisation {
			continue
		}
		if v, err = w.svc.AssessPosition(ftCtx, g, v.ID, &truce.AssessmentInput{Verdict: truce.Confirm}); err != nil {
			tb.Fatalf("AssessPosition by %s = %v", g.Organisation, err)
		}
	}
	if v.Consensus != truce.Confirmed {
		tb.Fatalf("position %s after every guarantor confirmed: %s, want confirmed", v.ID, v.Consensus)
	}
	return v
}

// refs are the zone versions of approved zones, sorted by zone id as a
// classification lists them.
func refs(zs ...*truce.Zone) []truce.ZoneRef {
	var out []truce.ZoneRef
	for _, z := range zs {
		out = append(out, truce.ZoneRef{Zone: z.ID, Entry: z.ApprovedEntry})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Zone < out[j].Zone })
	return out
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestMapZoneValidationNamesTheField proposes broken zones: each error is
// EINVALID about the exact path of the fault, and nothing is recorded,
// even when the other features of the batch are good.
func TestMapZoneValidationNamesTheField(t *testing.T) {
	w := newMapWorld(t, nil)
	good := mapSquare(36.5, 35.5, 36.6, 35.6)
	ring := func(pts ...geo.Point) geo.Polygon { return geo.Polygon{geo.Ring(pts)} }
	// one is a batch of one SYG area whose polygon is the ring of pts.
	one := func(pts ...geo.Point) []*workflow.ZoneFeature {
		return []*workflow.ZoneFeature{mapControl("SYG", ring(pts...))}
	}
	control := func(g geo.Geometry) *workflow.ZoneFeature {
		f := mapControl("SYG")
		f.Geometry = g
		return f
	}
	props := func(edit func(*truce.ZoneInput)) *workflow.ZoneFeature {
		f := mapControl("SYG", geo.Polygon{good})
		edit(&f.Properties)
		return f
	}
	// A ring of 50,001 vertices around Idlib, one over the limit.
	var big geo.Ring
	for i := 0; i <= truce.MaxZoneVertices; i++ {
		a := 2 * math.Pi * float64(i) / float64(truce.MaxZoneVertices+1)
		big = append(big, mapPt(36.6+0.1*math.Cos(a), 35.9+0.1*math.Sin(a)))
	}
	big = append(big, big[0])

	cases := []struct {
		name    string
		fs      []*workflow.ZoneFeature
		field   string
		message string // a part of the message, when it matters
	}{
		{"unclosed ring", one(mapPt(36.5, 35.5), mapPt(36.6, 35.5), mapPt(36.6, 35.6), mapPt(36.5, 35.6)),
			"features[0].geometry.coordinates[0]", "not closed"},
		{"ring of 3 positions", one(mapPt(36.5, 35.5), mapPt(36.6, 35.5), mapPt(36.5, 35.5)),
			"features[0].geometry.coordinates[0]", "at least 4 positions"},
		{"longitude out of range", one(mapPt(36.5, 35.5), mapPt(36.6, 35.5), mapPt(181, 35.6), mapPt(36.5, 35.6), mapPt(36.5, 35.5)),
			"features[0].geometry.coordinates[0][2]", "out of range"},
		{"latitude out of range", one(mapPt(36.5, 35.5), mapPt(36.6, -90.5), mapPt(36.6, 35.6), mapPt(36.5, 35.6), mapPt(36.5, 35.5)),
			"features[0].geometry.coordinates[0][1]", "out of range"},
		{"latitude not a number", one(mapPt(36.5, 35.5), mapPt(36.6, math.NaN()), mapPt(36.6, 35.6), mapPt(36.5, 35.6), mapPt(36.5, 35.5)),
			"features[0].geometry.coordinates[0][1]", "not a finite number"},
		{"longitude infinite", one(mapPt(36.5, 35.5), mapPt(36.6, 35.5), mapPt(36.6, 35.6), mapPt(math.Inf(1), 35.6), mapPt(36.5, 35.5)),
			"features[0].geometry.coordinates[0][3]", "not a finite number"},
		{"bow-tie crossing itself", one(mapPt(36.5, 35.5), mapPt(36.6, 35.6), mapPt(36.6, 35.5), mapPt(36.5, 35.6), mapPt(36.5, 35.5)),
			"features[0].geometry.coordinates[0][2]", "ring 0 crosses itself at 36.55, 35.55"},
		{"unclosed hole of a MultiPolygon's second polygon", []*workflow.ZoneFeature{control(geo.PolygonGeometry(geo.MultiPolygon{
			{good},
			{mapSquare(36.7, 35.5, 36.8, 35.6), geo.Ring{mapPt(36.72, 35.52), mapPt(36.74, 35.52), mapPt(36.74, 35.54), mapPt(36.72, 35.54)}},
		}))}, "features[0].geometry.coordinates[1][1]", "not closed"},
		{"too many vertices", []*workflow.ZoneFeature{control(geo.PolygonGeometry(geo.MultiPolygon{{big}}))},
			"features[0].geometry.coordinates", "more than the limit of 50000"},
		{"a point for a zone", []*workflow.ZoneFeature{control(geo.PointGeometry(mapPt(36.6, 35.9)))},
			"features[0].geometry.type", ""},
		{"not a Feature", []*workflow.ZoneFeature{func() *workflow.ZoneFeature {
			f := mapControl("SYG", geo.Polygon{good})
			f.Type = "Polygon"
			return f
		}()}, "features[0].type", ""},
		{"unknown kind", []*workflow.ZoneFeature{props(func(in *truce.ZoneInput) { in.Kind = "buffer" })},
			"features[0].properties.kind", ""},
		{"controller not an actor", []*workflow.ZoneFeature{props(func(in *truce.ZoneInput) { in.Controller = "WAGNER" })},
			"features[0].properties.controller", "not an actor"},
		{"contestant not an actor", []*workflow.ZoneFeature{props(func(in *truce.ZoneInput) {
			in.Controller, in.ContestedBetween = "", []truce.ActorID{"SYG", "WAGNER"}
		})}, "features[0].properties.contested_between[1]", "not an actor"},
		{"control area without a controller", []*workflow.ZoneFeature{props(func(in *truce.ZoneInput) { in.Controller = "" })},
			"features[0].properties.controller", ""},
		{"controller of a de-escalation area", []*workflow.ZoneFeature{props(func(in *truce.ZoneInput) { in.Kind = truce.ZoneDeescalation })},
			"features[0].properties.controller", ""},
		{"valid_to before valid_from", []*workflow.ZoneFeature{props(func(in *truce.ZoneInput) { in.ValidFrom, in.ValidTo = "2017-02-01", "2017-01-15" })},
			"features[0].properties.valid_to", "after valid_from"},
		{"valid_to equal to valid_from", []*workflow.ZoneFeature{props(func(in *truce.ZoneInput) { in.ValidTo = mapFrom })},
			"features[0].properties.valid_to", "after valid_from"},
		{"valid_from not a date", []*workflow.ZoneFeature{props(func(in *truce.ZoneInput) { in.ValidFrom = "1 January 2017" })},
			"features[0].properties.valid_from", ""},
		{"second feature of a batch unclosed", []*workflow.ZoneFeature{
			mapControl("SYG", geo.Polygon{good}),
			control(geo.PolygonGeometry(geo.MultiPolygon{ring(mapPt(36.7, 35.5), mapPt(36.8, 35.5), mapPt(36.8, 35.6), mapPt(36.7, 35.6))})),
		}, "features[1].geometry.coordinates[0]", "not closed"},
		{"second feature of a batch of an unknown kind", []*workflow.ZoneFeature{
			mapControl("SYG", geo.Polygon{good}),
			func() *workflow.ZoneFeature {
				f := mapControl("OPP", geo.Polygon{mapSquare(36.7, 35.5, 36.8, 35.6)})
				f.Properties.Kind = "frontline"
				return f
			}(),
		}, "features[1].properties.kind", ""},
		{"no features", nil, "features", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := ftLogSize(t, w.svc)
			_, err := w.svc.ProposeZones(ftCtx, w.ru, c.fs)
			ftWantField(t, "ProposeZones", err, c.field)
			if msg := truce.ErrorMessage(err); !strings.Contains(msg, c.message) {
				t.Errorf("ProposeZones: message %q, want it to say %q", msg, c.message)
			}
			ftWantGrowth(t, w.svc, "refused proposal", before, 0)
		})
	}
	all, err := w.svc.Zones(ftCtx, w.ru, "", "")
	if err != nil || len(all.Features) != 0 {
		t.Errorf("Zones after refused proposals = %d zones, %v; want none", len(all.Features), err)
	}
	mustVerify(t, w.svc)
}

// TestMapContestedBetweenNamesDistinctActors: a contested area needs two
// or more actors; one actor named twice is one actor, and such a zone
// would classify its reports as held by nobody and contested by nobody.
func TestMapContestedBetweenNamesDistinctActors(t *testing.T) {
	w := newMapWorld(t, nil)
	before := ftLogSize(t, w.svc)
	_, err := w.svc.ProposeZones(ftCtx, w.ru, []*workflow.ZoneFeature{
		mapContested([]truce.ActorID{"SYG", "SYG"}, geo.Polygon{mapSquare(36.5, 35.5, 36.6, 35.6)}),
	})
	if truce.ErrorCode(err) != truce.EINVALID || !strings.HasPrefix(truce.ErrorField(err), "features[0].properties.contested_between") {
		t.Errorf("ProposeZones(contested_between [SYG SYG]) = %v (field %q), want %s about features[0].properties.contested_between",
			err, truce.ErrorField(err), truce.EINVALID)
	}
	ftWantGrowth(t, w.svc, "refused proposal", before, 0)
}

// TestMapZoneProposalRights: guarantor officers propose any zone, a
// party's liaison only areas it holds or contests, in all-or-nothing
// batches; monitors, observers and operators propose none.
func TestMapZoneProposalRights(t *testing.T) {
	w := newMapWorld(t, nil)
	svc := w.svc
	syg := mustMember(t, svc, w.op, "SYG", truce.RoleParty)
	opp := mustMember(t, svc, w.op, "OPP", truce.RoleParty)
	ruMon := mustMember(t, svc, w.op, "RU", truce.RoleMonitor)
	un := mustMember(t, svc, w.op, "UN", truce.RoleObserver)
	sq := geo.Polygon{mapSquare(36.5, 35.5, 36.6, 35.6)}
	sq2 := geo.Polygon{mapSquare(36.7, 35.5, 36.8, 35.6)}
	deesc := mapFeature(truce.ZoneInput{Kind: truce.ZoneDeescalation, Name: "Idlib", ValidFrom: mapFrom}, sq)

	cases := []struct {
		name string
		by   *truce.Member
		fs   []*workflow.ZoneFeature
		code string
	}{
		{"guarantor proposes an opposition area", w.ru, []*workflow.ZoneFeature{mapControl("OPP", sq)}, ""},
		{"guarantor proposes a de-escalation area", w.tr, []*workflow.ZoneFeature{deesc}, ""},
		{"party proposes its own area", syg, []*workflow.ZoneFeature{mapControl("SYG", sq)}, ""},
		{"party proposes an area it contests", opp, []*workflow.ZoneFeature{mapContested([]truce.ActorID{"SYG", "OPP"}, sq)}, ""},
		{"party proposes another party's area", syg, []*workflow.ZoneFeature{mapControl("OPP", sq)}, truce.EFORBIDDEN},
		{"party proposes a designated group's area", opp, []*workflow.ZoneFeature{mapControl("JFS", sq)}, truce.EFORBIDDEN},
		{"party proposes an area others contest", opp, []*workflow.ZoneFeature{mapContested([]truce.ActorID{"SYG", "ISIL"}, sq)}, truce.EFORBIDDEN},
		{"party proposes a de-escalation area", opp, []*workflow.ZoneFeature{deesc}, truce.EFORBIDDEN},
		{"party's batch with another's area second", opp, []*workflow.ZoneFeature{mapControl("OPP", sq), mapControl("SYG", sq2)}, truce.EFORBIDDEN},
		{"monitor", ruMon, []*workflow.ZoneFeature{mapControl("OPP", sq)}, truce.EFORBIDDEN},
		{"observer", un, []*workflow.ZoneFeature{mapControl("OPP", sq)}, truce.EFORBIDDEN},
		{"operator", w.op, []*workflow.ZoneFeature{mapControl("OPP", sq)}, truce.EFORBIDDEN},
		{"no member", nil, []*workflow.ZoneFeature{mapControl("OPP", sq)}, truce.EUNAUTHORIZED},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := ftLogSize(t, svc)
			zs, err := svc.ProposeZones(ftCtx, c.by, c.fs)
			ftWantCode(t, "ProposeZones", err, c.code)
			if c.code != "" {
				ftWantGrowth(t, svc, "refused proposal", before, 0)
				return
			}
			ftWantGrowth(t, svc, "proposal", before, int64(len(c.fs)))
			for i, z := range zs {
				if z.State != truce.ZoneStateProposed || z.Claimant != c.by.Organisation || z.ProposedBy != c.by.ID || z.Entry != before+int64(i) {
					t.Errorf("zone %d: state %s, claimant %s, proposed by %s, entry %d; want proposed, %s, %s, %d",
						i, z.State, z.Claimant, z.ProposedBy, z.Entry, c.by.Organisation, c.by.ID, before+int64(i))
				}
				if len(z.Approvals) != 0 {
					t.Errorf("zone %d has approvals %v at proposal", i, z.Approvals)
				}
			}
		})
	}
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}

// TestMapZoneApproval: only guarantor officers approve, each guarantor
// once; the zone is on the map only once all three have; its history
// names the proposer and every approval with its log entry.
func TestMapZoneApproval(t *testing.T) {
	w := newMapWorld(t, nil)
	svc := w.svc
	syg := mustMember(t, svc, w.op, "SYG", truce.RoleParty)
	opp := mustMember(t, svc, w.op, "OPP", truce.RoleParty)
	ruMon := mustMember(t, svc, w.op, "RU", truce.RoleMonitor)
	z := w.propose(t, syg, mapControl("SYG", geo.Polygon{mapSquare(36.55, 35.90, 36.60, 35.95)}))[0]

	onMap := func(stage string, want int) {
		t.Helper()
		fc, err := svc.Zones(ftCtx, opp, "2017-01-05", "")
		if err != nil {
			t.Fatalf("%s: Zones(at) = %v", stage, err)
		}
		if len(fc.Features) != want {
			t.Errorf("%s: %d zones on the map of 2017-01-05, want %d", stage, len(fc.Features), want)
		}
	}
	refused := []struct {
		name string
		by   *truce.Member
		id   truce.ZoneID
		code string
	}{
		{"party", opp, z.ID, truce.EFORBIDDEN},
		{"claimant party", syg, z.ID, truce.EFORBIDDEN},
		{"guarantor's monitor", ruMon, z.ID, truce.EFORBIDDEN},
		{"operator", w.op, z.ID, truce.EFORBIDDEN},
		{"unknown zone", w.ru, "zon_aaaaaaaaaaaaaaaa", truce.ENOTFOUND},
	}
	for _, c := range refused {
		before := ftLogSize(t, svc)
		_, err := svc.ApproveZone(ftCtx, c.by, c.id)
		ftWantCode(t, "ApproveZone by "+c.name, err, c.code)
		ftWantGrowth(t, svc, "refused approval by "+c.name, before, 0)
	}
	onMap("proposed", 0)

	steps := []struct {
		by        *truce.Member
		code      string
		state     string
		approvals int
	}{
		{w.ru, "", truce.ZoneStateProposed, 1},
		{w.ru, truce.ECONFLICT, "", 0},
		{w.ir, "", truce.ZoneStateProposed, 2},
		{w.ir, truce.ECONFLICT, "", 0},
		{w.tr, "", truce.ZoneStateApproved, 3},
		{w.ru, truce.ECONFLICT, "", 0},
	}
	var entries []int64
	for i, s := range steps {
		before := ftLogSize(t, svc)
		got, err := svc.ApproveZone(ftCtx, s.by, z.ID)
		ftWantCode(t, "ApproveZone by "+string(s.by.Organisation), err, s.code)
		if s.code != "" {
			ftWantGrowth(t, svc, "second approval", before, 0)
			continue
		}
		ftWantGrowth(t, svc, "approval", before, 1)
		entries = append(entries, before)
		if got.State != s.state || len(got.Approvals) != s.approvals {
			t.Errorf("step %d: state %s with %d approvals, want %s with %d", i, got.State, len(got.Approvals), s.state, s.approvals)
		}
		if s.state == truce.ZoneStateProposed {
			onMap("after "+string(s.by.Organisation), 0)
		} else if got.ApprovedEntry != before {
			t.Errorf("approved entry %d, want %d (TR's approval)", got.ApprovedEntry, before)
		}
	}
	onMap("approved by all three", 1)
	if fc, _ := svc.Zones(ftCtx, opp, "", truce.ZoneStateProposed); len(fc.Features) != 0 {
		t.Errorf("%d proposed zones once approved, want 0", len(fc.Features))
	}

	f, err := svc.Zone(ftCtx, opp, z.ID)
	if err != nil {
		t.Fatalf("Zone = %v", err)
	}
	p := f.Properties
	if f.ID != string(z.ID) || p["state"] != truce.ZoneStateApproved || p["claimant"] != truce.ActorID("SYG") ||
		p["proposed_by"] != syg.ID || p["entry"] != z.Entry || p["approved_entry"] != entries[2] || p["controller"] != truce.ActorID("SYG") {
		t.Errorf("Zone properties = %s; want approved SYG area proposed by %s at entry %d, approved at %d", jsonOf(p), syg.ID, z.Entry, entries[2])
	}
	aps, _ := p["approvals"].([]truce.ZoneApproval)
	wantBy := []*truce.Member{w.ru, w.ir, w.tr}
	if len(aps) != 3 {
		t.Fatalf("approvals = %v, want 3", p["approvals"])
	}
	for i, ap := range aps {
		if ap.Guarantor != wantBy[i].Organisation || ap.Member != wantBy[i].ID || ap.Entry != entries[i] {
			t.Errorf("approval %d = %+v, want %s by %s at entry %d", i, ap, wantBy[i].Organisation, wantBy[i].ID, entries[i])
		}
		e, _ := ftEntry(t, svc, w.ru, ap.Entry)
		var pl truce.ZoneApproved
		if err := tlog.DecodePayload(e, &pl); err != nil {
			t.Fatal(err)
		}
		if e.Kind != truce.EntryZoneApproved || e.Author == nil || e.Author.Member != wantBy[i].ID || pl.Zone != z.ID || !e.Time.Equal(ap.At) {
			t.Errorf("entry %d = %s by %+v for %s at %v, want %s by %s for %s at %v",
				ap.Entry, e.Kind, e.Author, pl.Zone, e.Time, truce.EntryZoneApproved, wantBy[i].ID, z.ID, ap.At)
		}
	}
	e, _ := ftEntry(t, svc, w.ru, z.Entry)
	var pl truce.ZoneProposed
	if err := tlog.DecodePayload(e, &pl); err != nil {
		t.Fatal(err)
	}
	if e.Kind != truce.EntryZoneProposed || e.Author == nil || e.Author.Member != syg.ID || e.Author.Organisation != "SYG" || pl.ID != z.ID || pl.Controller != "SYG" {
		t.Errorf("proposal entry %d = %s by %+v for %s of %s; want %s by %s for %s of SYG", z.Entry, e.Kind, e.Author, pl.ID, pl.Controller, truce.EntryZoneProposed, syg.ID, z.ID)
	}
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}

// TestMapZonesAtRespectsValidity: the map at t holds the approved zones
// valid at t, from valid_from (inclusive) to valid_to (exclusive).
func TestMapZonesAtRespectsValidity(t *testing.T) {
	w := newMapWorld(t, nil)
	f := mapControl("OPP", geo.Polygon{mapSquare(36.60, 35.90, 36.65, 35.95)})
	f.Properties.ValidTo = "2017-03-01"
	z := w.proposeApproved(t, f)[0]
	pending := w.propose(t, w.ru, mapControl("SYG", geo.Polygon{mapSquare(36.55, 35.90, 36.60, 35.95)}))[0]

	cases := []struct {
		at, state string
		want      []truce.ZoneID
	}{
		{"2016-12-31", "", nil},
		{"2016-12-31T23:59:59Z", "", nil},
		{"2017-01-01", "", []truce.ZoneID{z.ID}},
		{"2017-01-01T02:00:00+02:00", "", []truce.ZoneID{z.ID}},
		{"2017-02-28T23:59:59Z", "", []truce.ZoneID{z.ID}},
		{"2017-03-01", "", nil},
		{"2017-02-28T23:59:59-02:00", "", nil}, // 01:59:59 UTC on 1 March
		{"2017-01-05", truce.ZoneStateProposed, []truce.ZoneID{pending.ID}},
		{"", "", []truce.ZoneID{z.ID, pending.ID}},
		{"", truce.ZoneStateApproved, []truce.ZoneID{z.ID}},
	}
	for _, c := range cases {
		fc, err := w.svc.Zones(ftCtx, w.ru, c.at, c.state)
		if err != nil {
			t.Fatalf("Zones(%q, %q) = %v", c.at, c.state, err)
		}
		var got []truce.ZoneID
		for _, f := range fc.Features {
			got = append(got, truce.ZoneID(f.ID.(string)))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Zones(%q, %q) = %v, want %v", c.at, c.state, got, c.want)
		}
	}
	_, err := w.svc.Zones(ftCtx, w.ru, "yesterday", "")
	ftWantField(t, "Zones(at yesterday)", err, "at")
	_, err = w.svc.Zones(ftCtx, w.ru, "", "rejected")
	ftWantField(t, "Zones(state rejected)", err, "state")
	_, err = w.svc.Zones(ftCtx, nil, "", "")
	ftWantCode(t, "Zones without a member", err, truce.EUNAUTHORIZED)
}

// mapScene is the Idlib map of the classification tests: an SYG area and
// an OPP area sharing an edge, the OPP area a MultiPolygon with a hole and
// an enclave, a JFS area, an area SYG and OPP contest south of the SYG
// one, an SDF area near Raqqa, and a confirmed JFS position inside the OPP
// area; and one report filed at each place of interest.
type mapScene struct {
	*mapWorld
	syg, opp, jfs, contested, sdf *truce.Zone
	pos                           truce.PositionID
	reports                       map[string]*workflow.ReportView
	cases                         []mapCase
}

// mapCase is a report at a place and the classification it must get.
type mapCase struct {
	name     string
	lon, lat float64
	occurred string
	want     truce.Classification
}

const (
	idlib  = "SY07"
	aleppo = "SY02"
)

func newMapScene(t *testing.T) *mapScene {
	t.Helper()
	s := &mapScene{mapWorld: newMapWorld(t, nil), reports: map[string]*workflow.ReportView{}}
	zs := s.proposeApproved(t,
		mapControl("SYG", geo.Polygon{mapSquare(36.55, 35.90, 36.60, 35.95)}),
		mapControl("OPP",
			geo.Polygon{mapSquare(36.60, 35.90, 36.65, 35.95), mapSquare(36.61, 35.91, 36.62, 35.92)},
			geo.Polygon{mapSquare(36.45, 35.80, 36.50, 35.85)}),
		mapControl("JFS", geo.Polygon{mapSquare(36.70, 35.90, 36.75, 35.95)}),
		mapContested([]truce.ActorID{"SYG", "OPP"}, geo.Polygon{mapSquare(36.55, 35.85, 36.60, 35.90)}),
		mapControl("SDF", geo.Polygon{mapSquare(38.95, 36.60, 39.05, 36.70)}),
	)
	s.syg, s.opp, s.jfs, s.contested, s.sdf = zs[0], zs[1], zs[2], zs[3], zs[4]
	pos := s.claimConfirmed(t, s.ru, &truce.PositionInput{
		Actor: "Jabhat al-Nusra", Lon: ftF64(36.64), Lat: ftF64(35.94), RadiusM: 500,
		ObservedAt: "2017-01-05T10:00:00Z", Description: "Checkpoint at the eastern entrance.",
	})
	s.pos = pos.ID

	const jan5 = "2017-01-05T14:30:00+02:00"
	opp, syg, contested := []truce.ActorID{"OPP", "SYG"}, refs(s.syg), refs(s.contested)
	s.cases = []mapCase{
		{"in the SYG area", 36.57, 35.93, jan5, truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000",
			Controller: "SYG", Scope: truce.ScopeCovered, Zones: syg}},
		{"in Idlib city, in the OPP area", 36.6333, 35.9306, jan5, truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000",
			Controller: "OPP", Scope: truce.ScopeCovered, Zones: refs(s.opp)}},
		{"in the OPP enclave", 36.47, 35.82, jan5, truce.Classification{ADM1: idlib, ADM2: "SY0705", ADM3: "SY070502",
			Controller: "OPP", Scope: truce.ScopeCovered, Zones: refs(s.opp)}},
		{"in the JFS area", 36.72, 35.93, jan5, truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070006",
			Controller: "JFS", Scope: truce.ScopeExcluded, Zones: refs(s.jfs)}},
		{"in the contested area", 36.57, 35.87, jan5, truce.Classification{ADM1: idlib, ADM2: "SY0705", ADM3: "SY070500",
			ContestedBetween: opp, Scope: truce.ScopeDisputed, Zones: contested}},
		{"on the SYG/OPP edge", 36.60, 35.925, jan5, truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000",
			ContestedBetween: opp, Scope: truce.ScopeDisputed, OnLine: true, Zones: refs(s.syg, s.opp)}},
		{"on the vertex of SYG, OPP and contested areas", 36.60, 35.90, jan5, truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000",
			ContestedBetween: opp, Scope: truce.ScopeDisputed, OnLine: true, Zones: refs(s.syg, s.opp, s.contested)}},
		{"on the OPP area's free corner", 36.65, 35.95, jan5, truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000",
			Controller: "OPP", Scope: truce.ScopeCovered, OnLine: true, Zones: refs(s.opp)}},
		{"in the OPP area's hole", 36.615, 35.915, jan5, truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000",
			Scope: truce.ScopeCovered}},
		{"on the OPP area's hole's edge", 36.61, 35.915, jan5, truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000",
			Controller: "OPP", Scope: truce.ScopeCovered, OnLine: true, Zones: refs(s.opp)}},
		{"within the JFS position's radius in the OPP area", 36.642, 35.941, jan5, truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000",
			Controller: "OPP", Scope: truce.ScopeExcluded, Zones: refs(s.opp), Positions: []truce.PositionID{s.pos}}},
		{"in the SYG area before the map holds", 36.57, 35.93, "2016-12-31T12:00:00Z", truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000",
			Scope: truce.ScopeCovered}},
		{"in Aleppo city, off the map", 37.16, 36.20, jan5, truce.Classification{ADM1: aleppo, ADM2: "SY0200", ADM3: "SY020000",
			Scope: truce.ScopeCovered}},
		{"in the SDF area", 39.0, 36.65, jan5, truce.Classification{ADM1: "SY11", ADM2: "SY1102", ADM3: "SY110200",
			Controller: "SDF", Scope: truce.ScopeOutside, Zones: refs(s.sdf)}},
		{"at sea, outside the agreement's area", 35.0, 34.0, jan5, truce.Classification{Scope: truce.ScopeOutside}},
		{"in the area's box, outside Syria", 42.4, 32.3, jan5, truce.Classification{Scope: truce.ScopeOutside}},
	}
	for _, c := range s.cases {
		v, err := s.svc.FileReport(ftCtx, s.ru, mapReport(c.lon, c.lat, c.occurred))
		if err != nil {
			t.Fatalf("FileReport(%s) = %v", c.name, err)
		}
		s.reports[c.name] = v
	}
	return s
}

// TestMapClassificationAtIntake files reports at places of interest and
// checks every part of the classification: P-codes, controller or
// contestants, scope, the boundary flag, the zone versions and designated
// positions that decided it. A point on a zone's edge or vertex is
// covered by it and on the line; on the shared edge of two actors' areas
// it is disputed; in a hole it is not covered by the zone.
func TestMapClassificationAtIntake(t *testing.T) {
	s := newMapScene(t)
	for _, c := range s.cases {
		t.Run(c.name, func(t *testing.T) {
			filed := s.reports[c.name]
			got, err := s.svc.Report(ftCtx, s.ru, filed.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range []*workflow.ReportView{filed, got} {
				if v.Classification == nil || !v.Classification.Equal(&c.want) {
					t.Errorf("classification (%.4f, %.4f) = %s, want %s", c.lon, c.lat, jsonOf(v.Classification), jsonOf(&c.want))
				}
			}
			e, _ := ftEntry(t, s.svc, s.ru, filed.Entry)
			var p truce.ReportFiled
			if err := tlog.DecodePayload(e, &p); err != nil {
				t.Fatal(err)
			}
			if p.Classification == nil || !p.Classification.Equal(&c.want) {
				t.Errorf("report.filed entry classifies it as %s, want %s", jsonOf(p.Classification), jsonOf(&c.want))
			}
		})
	}
	mustVerify(t, s.svc)
	ftRebuildSame(t, s.svc)
}

// TestMapListReportsByClassification lists the scene's reports by
// governorate, scope and controller, as a guarantor and as a party, whose
// coarse coordinates allow every filter.
func TestMapListReportsByClassification(t *testing.T) {
	s := newMapScene(t)
	opp := mustMember(t, s.svc, s.op, "OPP", truce.RoleParty)
	un := mustMember(t, s.svc, s.op, "UN", truce.RoleObserver)
	names := func(page *workflow.ReportPage) []string {
		byID := map[truce.ReportID]string{}
		for name, v := range s.reports {
			byID[v.ID] = name
		}
		var out []string
		for _, v := range page.Reports {
			out = append(out, byID[v.ID])
		}
		sort.Strings(out)
		return out
	}
	want := func(match func(c truce.Classification) bool) []string {
		var out []string
		for _, c := range s.cases {
			if match(c.want) {
				out = append(out, c.name)
			}
		}
		sort.Strings(out)
		return out
	}
	cases := []struct {
		q    workflow.ReportQuery
		want []string
	}{
		{workflow.ReportQuery{Governorate: aleppo}, []string{"in Aleppo city, off the map"}},
		{workflow.ReportQuery{Governorate: idlib}, want(func(c truce.Classification) bool { return c.ADM1 == idlib })},
		{workflow.ReportQuery{Scope: truce.ScopeExcluded}, []string{"in the JFS area", "within the JFS position's radius in the OPP area"}},
		{workflow.ReportQuery{Scope: truce.ScopeDisputed}, []string{"in the contested area", "on the SYG/OPP edge", "on the vertex of SYG, OPP and contested areas"}},
		{workflow.ReportQuery{Scope: truce.ScopeOutside}, []string{"at sea, outside the agreement's area", "in the SDF area", "in the area's box, outside Syria"}},
		{workflow.ReportQuery{Controller: "OPP"}, []string{"in Idlib city, in the OPP area", "in the OPP enclave", "on the OPP area's free corner",
			"on the OPP area's hole's edge", "within the JFS position's radius in the OPP area"}},
		{workflow.ReportQuery{Controller: "SYG"}, []string{"in the SYG area"}},
		{workflow.ReportQuery{Governorate: idlib, Scope: truce.ScopeCovered, Controller: "OPP"},
			[]string{"in Idlib city, in the OPP area", "in the OPP enclave", "on the OPP area's free corner", "on the OPP area's hole's edge"}},
		{workflow.ReportQuery{Governorate: "SY14"}, nil},
	}
	for _, viewer := range []*truce.Member{s.ru, opp, un} {
		for _, c := range cases {
			c.q.Limit = "200"
			page, err := s.svc.ListReports(ftCtx, viewer, c.q)
			if err != nil {
				t.Fatalf("ListReports(%+v) as %s %s = %v", c.q, viewer.Organisation, viewer.Role, err)
			}
			if got := names(page); !slices.Equal(got, c.want) {
				t.Errorf("ListReports(%+v) as %s %s = %q, want %q", c.q, viewer.Organisation, viewer.Role, got, c.want)
			}
		}
	}
	invalid := []struct {
		q     workflow.ReportQuery
		field string
	}{
		{workflow.ReportQuery{Governorate: "SY7"}, "governorate"},
		{workflow.ReportQuery{Governorate: "Idlib"}, "governorate"},
		{workflow.ReportQuery{Scope: "neutral"}, "scope"},
		{workflow.ReportQuery{Controller: "WAGNER"}, "controller"},
	}
	for _, c := range invalid {
		_, err := s.svc.ListReports(ftCtx, s.ru, c.q)
		ftWantField(t, "ListReports", err, c.field)
	}
}

// TestMapClassificationFilters: filtering by a field reveals it as surely
// as showing it, so a role may filter by what its disclosure shows.
func TestMapClassificationFilters(t *testing.T) {
	cases := []struct {
		d                              truce.Disclosure
		governorate, scope, controller bool
	}{
		{truce.Disclosure{Coordinates: truce.DiscloseExact}, true, true, true},
		{truce.Disclosure{Coordinates: truce.DiscloseCoarse, Grid: 0.01}, true, true, true},
		{truce.Disclosure{Coordinates: truce.DiscloseGovernorate}, true, true, false},
		{truce.Disclosure{Coordinates: truce.DiscloseHidden}, false, false, false},
	}
	for _, c := range cases {
		g, s, ctl := c.d.ClassificationFilters()
		if g != c.governorate || s != c.scope || ctl != c.controller {
			t.Errorf("%s.ClassificationFilters() = %v, %v, %v; want %v, %v, %v", c.d.Coordinates, g, s, ctl, c.governorate, c.scope, c.controller)
		}
	}
}

// TestMapListReportsForbidsUndisclosedFilters runs an agreement whose
// observers see only governorates and whose parties see nothing of other
// organisations' coordinates (Astana gives no member role either): a
// filter the role's disclosure does not allow is EFORBIDDEN, and what the
// listing shows of the classification is what the policy discloses.
func TestMapListReportsForbidsUndisclosedFilters(t *testing.T) {
	w := newMapWorld(t, func(a *truce.Agreement) {
		a.Disclosure[truce.RoleObserver] = truce.Disclosure{Coordinates: truce.DiscloseGovernorate}
		a.Disclosure[truce.RoleParty] = truce.Disclosure{Coordinates: truce.DiscloseHidden}
	})
	svc := w.svc
	un := mustMember(t, svc, w.op, "UN", truce.RoleObserver)
	opp := mustMember(t, svc, w.op, "OPP", truce.RoleParty)
	z := w.proposeApproved(t, mapControl("SYG", geo.Polygon{mapSquare(36.55, 35.90, 36.60, 35.95)}))[0]
	filed, err := svc.FileReport(ftCtx, w.ru, mapReport(36.57, 35.93, "2017-01-05T14:30:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	full := truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000", Controller: "SYG", Scope: truce.ScopeCovered, Zones: refs(z)}

	cases := []struct {
		who    string
		viewer *truce.Member
		q      workflow.ReportQuery
		code   string
	}{
		{"guarantor", w.ru, workflow.ReportQuery{Governorate: idlib}, ""},
		{"guarantor", w.ru, workflow.ReportQuery{Scope: truce.ScopeCovered}, ""},
		{"guarantor", w.ru, workflow.ReportQuery{Controller: "SYG"}, ""},
		{"observer, governorate only", un, workflow.ReportQuery{Governorate: idlib}, ""},
		{"observer, governorate only", un, workflow.ReportQuery{Scope: truce.ScopeCovered}, ""},
		{"observer, governorate only", un, workflow.ReportQuery{Controller: "SYG"}, truce.EFORBIDDEN},
		{"observer, governorate only", un, workflow.ReportQuery{Governorate: idlib, Controller: "SYG"}, truce.EFORBIDDEN},
		{"party, hidden", opp, workflow.ReportQuery{}, ""},
		{"party, hidden", opp, workflow.ReportQuery{Governorate: idlib}, truce.EFORBIDDEN},
		{"party, hidden", opp, workflow.ReportQuery{Scope: truce.ScopeCovered}, truce.EFORBIDDEN},
		{"party, hidden", opp, workflow.ReportQuery{Controller: "SYG"}, truce.EFORBIDDEN},
		{"party, hidden, with a bad value", opp, workflow.ReportQuery{Controller: "WAGNER"}, truce.EFORBIDDEN},
	}
	for _, c := range cases {
		page, err := svc.ListReports(ftCtx, c.viewer, c.q)
		ftWantCode(t, "ListReports("+jsonOf(c.q)+") as "+c.who, err, c.code)
		if c.code == "" && (len(page.Reports) != 1 || page.Reports[0].ID != filed.ID) {
			t.Errorf("ListReports(%s) as %s = %d reports, want the one filed", jsonOf(c.q), c.who, len(page.Reports))
		}
	}
	shown := []struct {
		who    string
		viewer *truce.Member
		want   *truce.Classification
	}{
		{"guarantor", w.ru, &full},
		{"observer, governorate only", un, &truce.Classification{ADM1: idlib, Scope: truce.ScopeCovered}},
		{"party, hidden", opp, nil},
	}
	for _, c := range shown {
		v, err := svc.Report(ftCtx, c.viewer, filed.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(v.Classification, c.want) {
			t.Errorf("classification as %s = %s, want %s", c.who, jsonOf(v.Classification), jsonOf(c.want))
		}
	}
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}

// TestMapReclassificationOnApproval files reports before their zones are
// on the map: the approval that puts a zone on the map appends one
// report.classified entry, by the system, for each report whose
// classification it changes, and none for the others — those off the
// zone, in its hole, or that occurred before it held.
func TestMapReclassificationOnApproval(t *testing.T) {
	w := newMapWorld(t, nil)
	svc := w.svc
	sygZone := w.propose(t, w.ru, mapControl("SYG",
		geo.Polygon{mapSquare(36.55, 35.90, 36.60, 35.95), mapSquare(36.56, 35.91, 36.58, 35.93)}))[0]
	late := mapControl("OPP", geo.Polygon{mapSquare(36.60, 35.90, 36.65, 35.95)})
	late.Properties.ValidFrom = "2017-02-01"
	oppZone := w.propose(t, w.ru, late)[0]

	file := func(lon, lat float64, occurred string) *workflow.ReportView {
		t.Helper()
		v, err := svc.FileReport(ftCtx, w.ru, mapReport(lon, lat, occurred))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	const jan5 = "2017-01-05T14:30:00Z"
	in := file(36.59, 35.94, jan5)
	hole := file(36.57, 35.92, jan5)
	far := file(37.16, 36.20, jan5)
	early := file(36.62, 35.93, jan5) // in the OPP area, a month before it holds
	unzoned := truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000", Scope: truce.ScopeCovered}
	for _, v := range []*workflow.ReportView{in, hole, early} {
		if !v.Classification.Equal(&unzoned) {
			t.Fatalf("classification at intake, before the map = %s, want %s", jsonOf(v.Classification), jsonOf(&unzoned))
		}
	}

	before := ftLogSize(t, svc)
	for _, g := range []*truce.Member{w.ru, w.ir} {
		if _, err := svc.ApproveZone(ftCtx, g, sygZone.ID); err != nil {
			t.Fatal(err)
		}
	}
	ftWantGrowth(t, svc, "two approvals", before, 2)
	z, err := svc.ApproveZone(ftCtx, w.tr, sygZone.ID)
	if err != nil {
		t.Fatal(err)
	}
	ftWantGrowth(t, svc, "the last approval and one reclassification", before, 4)
	if z.ApprovedEntry != before+2 {
		t.Errorf("approved entry %d, want %d", z.ApprovedEntry, before+2)
	}
	want := truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000", Controller: "SYG", Scope: truce.ScopeCovered,
		Zones: []truce.ZoneRef{{Zone: sygZone.ID, Entry: before + 2}}}
	e, _ := ftEntry(t, svc, w.ru, before+3)
	var p truce.ReportClassified
	if err := tlog.DecodePayload(e, &p); err != nil {
		t.Fatal(err)
	}
	if e.Kind != truce.EntryReportClassified || e.Author != nil || p.Report != in.ID || !p.Classification.Equal(&want) {
		t.Errorf("entry %d = %s by %+v: %s as %s; want %s by the system: %s as %s",
			before+3, e.Kind, e.Author, p.Report, jsonOf(p.Classification), truce.EntryReportClassified, in.ID, jsonOf(&want))
	}
	for _, c := range []struct {
		v    *workflow.ReportView
		want truce.Classification
	}{
		{in, want}, {hole, unzoned}, {early, unzoned}, {far, *far.Classification},
	} {
		got, err := svc.Report(ftCtx, w.ru, c.v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Classification.Equal(&c.want) {
			t.Errorf("report %s after approval: %s, want %s", c.v.ID, jsonOf(got.Classification), jsonOf(&c.want))
		}
	}
	page, err := svc.ListReports(ftCtx, w.ru, workflow.ReportQuery{Controller: "SYG"})
	if err != nil || len(page.Reports) != 1 || page.Reports[0].ID != in.ID {
		t.Errorf("ListReports(controller SYG) after approval = %v, %v; want only %s", page, err, in.ID)
	}

	// The OPP area holds from February: the January report in it stays
	// as it was, and its approval reclassifies nothing.
	before = ftLogSize(t, svc)
	oz := w.approve(t, oppZone.ID)
	ftWantGrowth(t, svc, "approvals of a zone changing no report", before, 3)
	if got, _ := svc.Report(ftCtx, w.ru, early.ID); !got.Classification.Equal(&unzoned) {
		t.Errorf("report of 5 January in a zone from 1 February: %s, want %s", jsonOf(got.Classification), jsonOf(&unzoned))
	}
	feb := file(36.62, 35.93, "2017-02-05T09:00:00Z")
	wantFeb := truce.Classification{ADM1: idlib, ADM2: "SY0700", ADM3: "SY070000", Controller: "OPP", Scope: truce.ScopeCovered,
		Zones: []truce.ZoneRef{{Zone: oz.ID, Entry: oz.ApprovedEntry}}}
	if !feb.Classification.Equal(&wantFeb) {
		t.Errorf("report of 5 February in the OPP area: %s, want %s", jsonOf(feb.Classification), jsonOf(&wantFeb))
	}
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}

// mapPosition is a JFS position claim near Idlib.
func mapPosition() *truce.PositionInput {
	return &truce.PositionInput{Actor: "JFS", Lon: ftF64(36.6432), Lat: ftF64(35.9417), RadiusM: 500,
		ObservedAt: "2017-01-05T10:00:00Z", Description: "Two technicals at the crossroads."}
}

// TestMapPositionClaims: guarantors' officers and monitors, UN monitors
// and parties' liaisons claim positions; a claim that breaks a rule names
// its field and records nothing.
func TestMapPositionClaims(t *testing.T) {
	w := newMapWorld(t, nil)
	svc := w.svc
	ruMon := mustMember(t, svc, w.op, "RU", truce.RoleMonitor)
	unMon := mustMember(t, svc, w.op, "UN", truce.RoleMonitor)
	opp := mustMember(t, svc, w.op, "OPP", truce.RoleParty)
	un := mustMember(t, svc, w.op, "UN", truce.RoleObserver)

	who := []struct {
		name string
		by   *truce.Member
		code string
	}{
		{"guarantor officer", w.ru, ""},
		{"guarantor's monitor", ruMon, ""},
		{"UN monitor", unMon, ""},
		{"party liaison", opp, ""},
		{"observer", un, truce.EFORBIDDEN},
		{"operator", w.op, truce.EFORBIDDEN},
		{"no member", nil, truce.EUNAUTHORIZED},
	}
	for _, c := range who {
		before := ftLogSize(t, svc)
		in := mapPosition()
		in.Actor = "Jabhat al-Nusra"
		v, err := svc.ClaimPosition(ftCtx, c.by, in)
		ftWantCode(t, "ClaimPosition by "+c.name, err, c.code)
		if c.code != "" {
			ftWantGrowth(t, svc, "refused claim by "+c.name, before, 0)
			continue
		}
		ftWantGrowth(t, svc, "claim by "+c.name, before, 1)
		if v.Actor != "JFS" || v.Organisation != c.by.Organisation || v.ClaimedBy != c.by.ID || v.Entry != before ||
			v.RadiusM != 500 || !v.ObservedAt.Equal(time.Date(2017, 1, 5, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("claim by %s = %s; want JFS by %s of %s at entry %d", c.name, jsonOf(v), c.by.ID, c.by.Organisation, before)
		}
		e, _ := ftEntry(t, svc, w.ru, v.Entry)
		if e.Kind != truce.EntryPositionClaimed || e.Author == nil || e.Author.Member != c.by.ID {
			t.Errorf("entry %d = %s by %+v, want %s by %s", v.Entry, e.Kind, e.Author, truce.EntryPositionClaimed, c.by.ID)
		}
	}

	now := w.clock.Now()
	invalid := []struct {
		name  string
		edit  func(in *truce.PositionInput)
		field string
	}{
		{"unknown actor", func(in *truce.PositionInput) { in.Actor = "Wagner Group" }, "actor"},
		{"no actor", func(in *truce.PositionInput) { in.Actor = "" }, "actor"},
		{"no longitude", func(in *truce.PositionInput) { in.Lon = nil }, "lon"},
		{"no latitude", func(in *truce.PositionInput) { in.Lat = nil }, "lat"},
		{"longitude 180.5", func(in *truce.PositionInput) { in.Lon = ftF64(180.5) }, "lon"},
		{"longitude NaN", func(in *truce.PositionInput) { in.Lon = ftF64(math.NaN()) }, "lon"},
		{"latitude -90.5", func(in *truce.PositionInput) { in.Lat = ftF64(-90.5) }, "lat"},
		{"latitude infinite", func(in *truce.PositionInput) { in.Lat = ftF64(math.Inf(1)) }, "lat"},
		{"negative radius", func(in *truce.PositionInput) { in.RadiusM = -1 }, "radius_m"},
		{"radius over the limit", func(in *truce.PositionInput) { in.RadiusM = truce.MaxRadiusM + 1 }, "radius_m"},
		{"observed_at not RFC 3339", func(in *truce.PositionInput) { in.ObservedAt = "2017-01-05" }, "observed_at"},
		{"observed_at before 2000", func(in *truce.PositionInput) { in.ObservedAt = "1999-12-31T23:59:59Z" }, "observed_at"},
		{"observed_at in the future", func(in *truce.PositionInput) { in.ObservedAt = now.Add(time.Hour).Format(time.RFC3339) }, "observed_at"},
		{"valid_to before observed_at", func(in *truce.PositionInput) { in.ValidTo = "2017-01-04T10:00:00Z" }, "valid_to"},
		{"valid_to equal to observed_at", func(in *truce.PositionInput) { in.ValidTo = in.ObservedAt }, "valid_to"},
		{"description too long", func(in *truce.PositionInput) { in.Description = strings.Repeat("x", truce.MaxPositionText+1) }, "description"},
	}
	for _, c := range invalid {
		t.Run(c.name, func(t *testing.T) {
			in := mapPosition()
			c.edit(in)
			before := ftLogSize(t, svc)
			_, err := svc.ClaimPosition(ftCtx, w.ru, in)
			ftWantField(t, "ClaimPosition", err, c.field)
			ftWantGrowth(t, svc, "refused claim", before, 0)
		})
	}
	// The limits themselves are allowed.
	for _, r := range []int{0, truce.MaxRadiusM} {
		in := mapPosition()
		in.RadiusM = r
		if _, err := svc.ClaimPosition(ftCtx, w.ru, in); err != nil {
			t.Errorf("ClaimPosition(radius %d m) = %v", r, err)
		}
	}
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}

// TestMapPositionConsensus: only guarantor officers assess positions, and
// a claim's consensus follows the report rules: a guarantor's claim is its
// confirmation; confirmed when all three confirm, contested when one
// disputes.
func TestMapPositionConsensus(t *testing.T) {
	w := newMapWorld(t, nil)
	svc := w.svc
	opp := mustMember(t, svc, w.op, "OPP", truce.RoleParty)
	ruMon := mustMember(t, svc, w.op, "RU", truce.RoleMonitor)
	unMon := mustMember(t, svc, w.op, "UN", truce.RoleMonitor)

	byRU, err := svc.ClaimPosition(ftCtx, w.ru, mapPosition())
	if err != nil {
		t.Fatal(err)
	}
	byUN, err := svc.ClaimPosition(ftCtx, unMon, mapPosition())
	if err != nil {
		t.Fatal(err)
	}
	if byRU.Consensus != truce.Pending || byRU.Answers["RU"] != truce.Confirm {
		t.Errorf("RU's claim: %s with RU answering %q, want pending with RU's confirmation", byRU.Consensus, byRU.Answers["RU"])
	}

	refused := []struct {
		name string
		by   *truce.Member
		id   truce.PositionID
		in   truce.AssessmentInput
		code string
	}{
		{"party", opp, byRU.ID, truce.AssessmentInput{Verdict: truce.Confirm}, truce.EFORBIDDEN},
		{"guarantor's monitor", ruMon, byRU.ID, truce.AssessmentInput{Verdict: truce.Confirm}, truce.EFORBIDDEN},
		{"UN monitor", unMon, byRU.ID, truce.AssessmentInput{Verdict: truce.Confirm}, truce.EFORBIDDEN},
		{"operator", w.op, byRU.ID, truce.AssessmentInput{Verdict: truce.Confirm}, truce.EFORBIDDEN},
		{"unknown position", w.tr, "pos_aaaaaaaaaaaaaaaa", truce.AssessmentInput{Verdict: truce.Confirm}, truce.ENOTFOUND},
		{"unknown verdict", w.tr, byRU.ID, truce.AssessmentInput{Verdict: "agree"}, truce.EINVALID},
		{"dispute without a reason", w.tr, byRU.ID, truce.AssessmentInput{Verdict: truce.Dispute}, truce.EINVALID},
	}
	for _, c := range refused {
		before := ftLogSize(t, svc)
		_, err := svc.AssessPosition(ftCtx, c.by, c.id, &c.in)
		ftWantCode(t, "AssessPosition by "+c.name, err, c.code)
		ftWantGrowth(t, svc, "refused assessment by "+c.name, before, 0)
	}

	steps := []struct {
		by   *truce.Member
		id   truce.PositionID
		in   truce.AssessmentInput
		want truce.State
	}{
		{w.ir, byRU.ID, truce.AssessmentInput{Verdict: truce.Confirm}, truce.Pending},
		{w.tr, byRU.ID, truce.AssessmentInput{Verdict: truce.Confirm}, truce.Confirmed},
		{w.ru, byUN.ID, truce.AssessmentInput{Verdict: truce.Confirm}, truce.Pending},
		{w.ir, byUN.ID, truce.AssessmentInput{Verdict: truce.Confirm}, truce.Pending},
		{w.tr, byUN.ID, truce.AssessmentInput{Verdict: truce.Dispute, Reason: "Our observation post saw no vehicles."}, truce.Contested},
	}
	for i, s := range steps {
		before := ftLogSize(t, svc)
		v, err := svc.AssessPosition(ftCtx, s.by, s.id, &s.in)
		if err != nil {
			t.Fatalf("step %d: AssessPosition = %v", i, err)
		}
		ftWantGrowth(t, svc, "assessment", before, 1)
		if v.Consensus != s.want {
			t.Errorf("step %d: %s %s position %s: consensus %s, want %s", i, s.by.Organisation, s.in.Verdict, s.id, v.Consensus, s.want)
		}
		e, _ := ftEntry(t, svc, w.ru, before)
		if e.Kind != truce.EntryPositionAssessed || e.Author == nil || e.Author.Member != s.by.ID {
			t.Errorf("step %d: entry %d = %s by %+v, want %s by %s", i, before, e.Kind, e.Author, truce.EntryPositionAssessed, s.by.ID)
		}
	}
	for _, c := range []struct {
		id          truce.PositionID
		want        truce.State
		assessments int
	}{{byRU.ID, truce.Confirmed, 2}, {byUN.ID, truce.Contested, 3}} {
		v, err := svc.Position(ftCtx, opp, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Consensus != c.want || len(v.Assessments) != c.assessments {
			t.Errorf("Position(%s) = %s with %d assessments, want %s with %d", c.id, v.Consensus, len(v.Assessments), c.want, c.assessments)
		}
	}
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}

// TestMapPositionDisclosure: a position's coordinates are disclosed as a
// report's: exact to guarantors' staff, the operator and the claiming
// organisation, on a 0.01° grid to other parties, on a 0.1° grid to
// observers.
func TestMapPositionDisclosure(t *testing.T) {
	w := newMapWorld(t, nil)
	svc := w.svc
	opp := mustMember(t, svc, w.op, "OPP", truce.RoleParty)
	syg := mustMember(t, svc, w.op, "SYG", truce.RoleParty)
	un := mustMember(t, svc, w.op, "UN", truce.RoleObserver)
	ruMon := mustMember(t, svc, w.op, "RU", truce.RoleMonitor)
	byRU, err := svc.ClaimPosition(ftCtx, w.ru, mapPosition()) // 36.6432, 35.9417
	if err != nil {
		t.Fatal(err)
	}
	in := mapPosition()
	in.Lon, in.Lat = ftF64(36.4321), ftF64(35.8123)
	byOPP, err := svc.ClaimPosition(ftCtx, opp, in)
	if err != nil {
		t.Fatal(err)
	}
	type seen struct {
		mode     string
		lon, lat float64
	}
	cases := []struct {
		who    string
		viewer *truce.Member
		id     truce.PositionID
		want   seen
	}{
		{"RU officer, RU's claim", w.ru, byRU.ID, seen{truce.DiscloseExact, 36.6432, 35.9417}},
		{"RU officer, OPP's claim", w.ru, byOPP.ID, seen{truce.DiscloseExact, 36.4321, 35.8123}},
		{"RU monitor, OPP's claim", ruMon, byOPP.ID, seen{truce.DiscloseExact, 36.4321, 35.8123}},
		{"operator, RU's claim", w.op, byRU.ID, seen{truce.DiscloseExact, 36.6432, 35.9417}},
		{"OPP liaison, its own claim", opp, byOPP.ID, seen{truce.DiscloseExact, 36.4321, 35.8123}},
		{"OPP liaison, RU's claim", opp, byRU.ID, seen{truce.DiscloseCoarse, 36.645, 35.945}},
		{"SYG liaison, OPP's claim", syg, byOPP.ID, seen{truce.DiscloseCoarse, 36.435, 35.815}},
		{"UN observer, RU's claim", un, byRU.ID, seen{truce.DiscloseCoarse, 36.65, 35.95}},
		{"UN observer, OPP's claim", un, byOPP.ID, seen{truce.DiscloseCoarse, 36.45, 35.85}},
	}
	for _, c := range cases {
		v, err := svc.Position(ftCtx, c.viewer, c.id)
		if err != nil {
			t.Fatalf("Position as %s = %v", c.who, err)
		}
		if v.Lon == nil || v.Lat == nil {
			t.Errorf("Position as %s: no coordinates, want %v", c.who, c.want)
			continue
		}
		if got := (seen{v.Coordinates, *v.Lon, *v.Lat}); got != c.want {
			t.Errorf("Position as %s = %+v, want %+v", c.who, got, c.want)
		}
		fc, err := svc.Positions(ftCtx, c.viewer, "2017-01-06")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fc.Features {
			if f.ID != string(c.id) {
				continue
			}
			if f.Geometry.Type != "Point" || f.Geometry.Point != mapPt(c.want.lon, c.want.lat) || f.Properties["coordinates"] != c.want.mode {
				t.Errorf("Positions as %s: %s at %+v, want %s at %.4f, %.4f", c.who, f.Properties["coordinates"], f.Geometry.Point, c.want.mode, c.want.lon, c.want.lat)
			}
		}
		if b, _ := json.Marshal(v); c.want.mode != truce.DiscloseExact && (strings.Contains(string(b), "36.6432") || strings.Contains(string(b), "36.4321")) {
			t.Errorf("Position as %s gives the exact coordinates away: %s", c.who, b)
		}
	}
	if fc, _ := svc.Positions(ftCtx, w.ru, "2017-01-04"); len(fc.Features) != 0 {
		t.Errorf("Positions the day before they were observed = %d, want 0", len(fc.Features))
	}
}

// lineByZones finds the line between two zones in a LinesResult.
func lineByZones(tb testing.TB, res *workflow.LinesResult, a, b truce.ZoneID) map[string]any {
	tb.Helper()
	for _, f := range res.Features {
		zs, _ := f.Properties["zones"].([2]truce.ZoneRef)
		if zs[0].Zone == a && zs[1].Zone == b {
			return f.Properties
		}
	}
	tb.Fatalf("no line between %s and %s in %s", a, b, jsonOf(res))
	return nil
}

// TestMapLinesOfContact draws an SYG area near Palmyra with an ISIL area
// east of it and an OPP area west of it: two lines, their lengths the
// geodesic lengths of the shared edges, all in Homs (SY04); the designated
// lines are the ISIL one alone; and the lines follow the map's validity.
func TestMapLinesOfContact(t *testing.T) {
	w := newMapWorld(t, nil)
	svc := w.svc
	zs := w.proposeApproved(t,
		mapControl("SYG", geo.Polygon{mapSquare(38.20, 34.50, 38.25, 34.60)}),
		mapControl("ISIL", geo.Polygon{mapSquare(38.25, 34.50, 38.30, 34.60)}),
		mapControl("OPP", geo.Polygon{mapSquare(38.15, 34.50, 38.20, 34.60)}),
	)
	syg, isil, opp := zs[0], zs[1], zs[2]
	// A JFS area north of the SYG one, proposed and never approved: no line.
	w.propose(t, w.ru, mapControl("JFS", geo.Polygon{mapSquare(38.20, 34.60, 38.25, 34.70)}))

	edgeKm := geo.DistanceM(mapPt(38.25, 34.50), mapPt(38.25, 34.60)) / 1000 // ≈ 11.093
	westKm := geo.DistanceM(mapPt(38.20, 34.50), mapPt(38.20, 34.60)) / 1000
	near := func(got any, want float64) bool {
		f, ok := got.(float64)
		return ok && math.Abs(f-want) <= 0.002
	}

	all, err := svc.Lines(ftCtx, w.ru, "2017-03-01", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Features) != 2 {
		t.Fatalf("Lines = %d lines, want 2: %s", len(all.Features), jsonOf(all))
	}
	l := lineByZones(t, all, syg.ID, isil.ID)
	if s := l["sides"]; !reflect.DeepEqual(s, [2][]truce.ActorID{{"SYG"}, {"ISIL"}}) {
		t.Errorf("sides = %v, want [[SYG] [ISIL]]", s)
	}
	if z := l["zones"]; z != [2]truce.ZoneRef{{Zone: syg.ID, Entry: syg.ApprovedEntry}, {Zone: isil.ID, Entry: isil.ApprovedEntry}} {
		t.Errorf("zones = %v, want the two approved versions", z)
	}
	if !near(l["length_km"], edgeKm) {
		t.Errorf("length = %v km, want %.3f km", l["length_km"], edgeKm)
	}
	if d := l["designated"]; !reflect.DeepEqual(d, []truce.ActorID{"ISIL"}) {
		t.Errorf("designated = %v, want [ISIL]", d)
	}
	bg, _ := l["by_governorate"].(map[string]float64)
	if len(bg) != 1 || !near(bg["SY04"], edgeKm) {
		t.Errorf("by governorate = %v, want SY04: %.3f km", bg, edgeKm)
	}
	l = lineByZones(t, all, syg.ID, opp.ID)
	if s := l["sides"]; !reflect.DeepEqual(s, [2][]truce.ActorID{{"SYG"}, {"OPP"}}) {
		t.Errorf("sides = %v, want [[SYG] [OPP]]", s)
	}
	if _, ok := l["designated"]; ok || !near(l["length_km"], westKm) {
		t.Errorf("SYG/OPP line = %s, want %.3f km and no designated group", jsonOf(l), westKm)
	}
	if !near(all.TotalKm, edgeKm+westKm) || len(all.ByGovernorate) != 1 || !near(all.ByGovernorate["SY04"], edgeKm+westKm) {
		t.Errorf("totals %v km, %v; want %.3f km, all in SY04", all.TotalKm, all.ByGovernorate, edgeKm+westKm)
	}

	des, err := svc.Lines(ftCtx, w.ru, "2017-03-01", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(des.Features) != 1 || !near(des.TotalKm, edgeKm) {
		t.Fatalf("designated lines = %s, want the SYG/ISIL line of %.3f km", jsonOf(des), edgeKm)
	}
	lineByZones(t, des, syg.ID, isil.ID)

	for _, at := range []string{"2016-12-31", "2016-12-31T23:59:59Z"} {
		early, err := svc.Lines(ftCtx, w.ru, at, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(early.Features) != 0 || early.TotalKm != 0 || len(early.ByGovernorate) != 0 {
			t.Errorf("Lines(%s), before the map holds = %s, want none", at, jsonOf(early))
		}
	}
	_, err = svc.Lines(ftCtx, w.ru, "last week", false)
	ftWantField(t, "Lines(at last week)", err, "at")
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}

// TestMapNoLineBetweenAreasOfTheSameContestants: two adjacent areas both
// contested between SYG and OPP are held by the same actors, whatever the
// order they were listed in: no line of contact runs between them.
func TestMapNoLineBetweenAreasOfTheSameContestants(t *testing.T) {
	w := newMapWorld(t, nil)
	w.proposeApproved(t,
		mapContested([]truce.ActorID{"SYG", "OPP"}, geo.Polygon{mapSquare(36.55, 35.85, 36.60, 35.90)}),
		mapContested([]truce.ActorID{"OPP", "SYG"}, geo.Polygon{mapSquare(36.60, 35.85, 36.65, 35.90)}),
	)
	res, err := w.svc.Lines(ftCtx, w.ru, "2017-03-01", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Features) != 0 {
		t.Errorf("Lines = %s, want none between two areas contested by SYG and OPP", jsonOf(res))
	}
}

// TestMapSeparation lists the party areas within 2 km of designated
// groups' areas and standing positions, with geodesic distances, and
// discloses nearest points as the viewer may see the position.
func TestMapSeparation(t *testing.T) {
	w := newMapWorld(t, nil)
	svc := w.svc
	opp := mustMember(t, svc, w.op, "OPP", truce.RoleParty)
	syg := mustMember(t, svc, w.op, "SYG", truce.RoleParty)
	un := mustMember(t, svc, w.op, "UN", truce.RoleObserver)
	zs := w.proposeApproved(t,
		mapControl("OPP", geo.Polygon{mapSquare(36.40, 35.50, 36.45, 35.55)}),  // A1
		mapControl("JFS", geo.Polygon{mapSquare(36.40, 35.559, 36.45, 35.60)}), // J1, about 1 km north of A1
		mapControl("OPP", geo.Polygon{mapSquare(36.40, 35.627, 36.45, 35.65)}), // A2, about 3 km north of J1
		mapControl("OPP", geo.Polygon{mapSquare(36.60, 35.50, 36.65, 35.55)}),  // A3
	)
	a1, j1, a3 := zs[0], zs[1], zs[3]
	// P1: confirmed, claimed by RU, about 500 m north of A3. Positions
	// lie off the grids' lines, so that coarse cells are unambiguous.
	p1 := w.claimConfirmed(t, w.ru, &truce.PositionInput{Actor: "JFS", Lon: ftF64(36.6213), Lat: ftF64(35.5545), RadiusM: 100, ObservedAt: "2017-01-05T10:00:00Z"})
	// P2: pending, claimed by OPP, about 500 m south of A3.
	p2, err := svc.ClaimPosition(ftCtx, opp, &truce.PositionInput{Actor: "JFS", Lon: ftF64(36.6213), Lat: ftF64(35.4955), RadiusM: 100, ObservedAt: "2017-01-05T10:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	// P3: confirmed, claimed by OPP, about 500 m south of A1.
	p3 := w.claimConfirmed(t, opp, &truce.PositionInput{Actor: "JFS", Lon: ftF64(36.4213), Lat: ftF64(35.4955), RadiusM: 100, ObservedAt: "2017-01-05T10:00:00Z"})

	dA1J1 := math.Round(geo.DistanceM(mapPt(36.42, 35.55), mapPt(36.42, 35.559)))
	dA3P1 := math.Round(geo.DistanceM(mapPt(36.6213, 35.55), mapPt(36.6213, 35.5545)))
	dA1P3 := math.Round(geo.DistanceM(mapPt(36.4213, 35.50), mapPt(36.4213, 35.4955)))
	if math.Abs(dA1J1-1000) > 5 || math.Abs(dA3P1-500) > 5 {
		t.Fatalf("fixture distances %v m and %v m, want about 1000 m and 500 m", dA1J1, dA3P1)
	}
	key := func(p workflow.SeparationPair) string { return p.Party.ID + "|" + p.Designated.ID }
	type want struct {
		party, designated           string
		partyKind, designatedKind   string
		distance                    float64
		partyNearest, desigNearest  *geo.Point // nil: hidden
		checkPartyNear, checkDesigN bool
	}
	pt := func(lon, lat float64) *geo.Point { p := mapPt(lon, lat); return &p }
	exactA3, exactP1 := pt(36.6213, 35.55), pt(36.6213, 35.5545)
	exactA1, exactP3 := pt(36.4213, 35.50), pt(36.4213, 35.4955)
	viewers := []struct {
		who    string
		viewer *truce.Member
		pairs  []want
	}{
		{"RU officer", w.ru, []want{
			{string(a3.ID), string(p1.ID), "area", "position", dA3P1, exactA3, exactP1, true, true},
			{string(a1.ID), string(p3.ID), "area", "position", dA1P3, exactA1, exactP3, true, true},
			{string(a1.ID), string(j1.ID), "area", "area", dA1J1, nil, nil, false, false},
		}},
		{"OPP liaison", opp, []want{
			{string(a3.ID), string(p1.ID), "area", "position", dA3P1, nil, pt(36.625, 35.555), true, true},
			{string(a1.ID), string(p3.ID), "area", "position", dA1P3, exactA1, exactP3, true, true},
			{string(a1.ID), string(j1.ID), "area", "area", dA1J1, nil, nil, false, false},
		}},
		{"SYG liaison", syg, []want{
			{string(a3.ID), string(p1.ID), "area", "position", dA3P1, nil, pt(36.625, 35.555), true, true},
			{string(a1.ID), string(p3.ID), "area", "position", dA1P3, nil, pt(36.425, 35.495), true, true},
			{string(a1.ID), string(j1.ID), "area", "area", dA1J1, nil, nil, false, false},
		}},
		{"UN observer", un, []want{
			{string(a3.ID), string(p1.ID), "area", "position", dA3P1, nil, pt(36.65, 35.55), true, true},
			{string(a1.ID), string(p3.ID), "area", "position", dA1P3, nil, pt(36.45, 35.45), true, true},
			{string(a1.ID), string(j1.ID), "area", "area", dA1J1, nil, nil, false, false},
		}},
	}
	closeTo := func(got, want *geo.Point) bool {
		if got == nil || want == nil {
			return got == want
		}
		return math.Abs(got.Lon-want.Lon) <= 1e-6 && math.Abs(got.Lat-want.Lat) <= 1e-6
	}
	for _, v := range viewers {
		res, err := svc.Separation(ftCtx, v.viewer, "2017-01-10")
		if err != nil {
			t.Fatalf("Separation as %s = %v", v.who, err)
		}
		if res.ThresholdM != 2000 {
			t.Errorf("threshold %d m, want 2000", res.ThresholdM)
		}
		if len(res.Pairs) != len(v.pairs) {
			t.Errorf("Separation as %s = %d pairs, want %d: %s", v.who, len(res.Pairs), len(v.pairs), jsonOf(res.Pairs))
		}
		got := map[string]workflow.SeparationPair{}
		for i, p := range res.Pairs {
			got[key(p)] = p
			if i > 0 && p.DistanceM < res.Pairs[i-1].DistanceM {
				t.Errorf("pairs not nearest first: %v m after %v m", p.DistanceM, res.Pairs[i-1].DistanceM)
			}
			if p.Designated.ID == string(p2.ID) {
				t.Errorf("Separation as %s lists the pending position %s", v.who, p2.ID)
			}
		}
		for _, wp := range v.pairs {
			p, ok := got[wp.party+"|"+wp.designated]
			if !ok {
				t.Errorf("Separation as %s lacks %s – %s", v.who, wp.party, wp.designated)
				continue
			}
			if p.Party.Kind != wp.partyKind || p.Party.Actor != "OPP" || p.Designated.Kind != wp.designatedKind || p.Designated.Actor != "JFS" {
				t.Errorf("as %s: pair %s, want %s OPP – %s JFS", v.who, jsonOf(p), wp.partyKind, wp.designatedKind)
			}
			if math.Abs(p.DistanceM-wp.distance) > 1 {
				t.Errorf("as %s: %s – %s at %v m, want %v m", v.who, wp.party, wp.designated, p.DistanceM, wp.distance)
			}
			if wp.checkPartyNear && !closeTo(p.Party.Nearest, wp.partyNearest) {
				t.Errorf("as %s: party's nearest point %s, want %s", v.who, jsonOf(p.Party.Nearest), jsonOf(wp.partyNearest))
			}
			if wp.checkDesigN && !closeTo(p.Designated.Nearest, wp.desigNearest) {
				t.Errorf("as %s: designated nearest point %s, want %s", v.who, jsonOf(p.Designated.Nearest), jsonOf(wp.desigNearest))
			}
			if wp.partyKind == "area" && wp.designatedKind == "area" && (p.Party.Nearest == nil || p.Designated.Nearest == nil) {
				t.Errorf("as %s: area–area pair without nearest points: %s", v.who, jsonOf(p))
			}
		}
	}
	// Before the map and the positions hold, nothing is intermingled.
	if res, err := svc.Separation(ftCtx, w.ru, "2016-12-31"); err != nil || len(res.Pairs) != 0 {
		t.Errorf("Separation(2016-12-31) = %v, %v; want no pairs", res, err)
	}
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}
