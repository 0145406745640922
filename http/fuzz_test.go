package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/agreements"
	"truce/geo"
	tlog "truce/log"
	"truce/workflow"
)

// fuzzNow is the clock of the fuzzed commands.
var fuzzNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func fuzzAgreement(tb testing.TB) *truce.Agreement {
	tb.Helper()
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// checkInvalid fails unless err is a client's error about one field: a
// *truce.Error EINVALID whose message begins with the field it names and
// shows nothing of Go's own error formatting.
func checkInvalid(t *testing.T, what string, input []byte, err error) {
	t.Helper()
	var e *truce.Error
	if !errors.As(err, &e) || e.Code != truce.EINVALID || e.Field == "" ||
		!strings.HasPrefix(e.Message, e.Field+": ") || strings.Contains(e.Message, "truce error") {
		t.Fatalf("%s(%q) = %#v, want EINVALID naming a field", what, input, err)
	}
}

// checkBody fails when a body that decodes has anything but white space
// after its JSON object.
func checkBody(t *testing.T, body []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decodeJSONBody(%q) accepted what encoding/json refuses: %v", body, err)
	}
	if rest := body[dec.InputOffset():]; len(bytes.Trim(rest, " \t\r\n")) > 0 {
		t.Fatalf("decodeJSONBody(%q) accepted %q after the object", body, rest)
	}
}

// FuzzReportInput checks a report's JSON as the API reads it: any body
// either decodes and validates, or is refused with an EINVALID error
// naming a field — never a panic, never an internal error. A report that
// validates can be appended to the log, and the entry read back gives the
// same report.
func FuzzReportInput(f *testing.F) {
	f.Add([]byte(`{"occurred_at": "2017-01-05T14:30:00+02:00", "lon": 36.5667, "lat": 35.4397,
  "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
  "perpetrator": "Syrian Arab Army", "description": "Shelling of the eastern edge of Kafr Nabl."}`))
	f.Add([]byte(`{"occurred_at":"2017-01-05T14:30:00.5Z","lon":-0,"lat":35,"event_type":"Battles","sub_event_type":"Armed clash",` +
		`"perpetrator":"JFS","target":"Jabhat Fatah al-Sham","description":"x\u2028y","time_precision":2,"geo_precision":3,` +
		`"uncertainty_m":500,"place":"Kafr Nabl","casualties":{"killed":{"low":1,"best":2,"high":3},"killed_civilians":{"low":0,"best":1,"high":1}},` +
		`"fire":{"explosions":{"impact":3,"outgoing":1},"projectiles":2,"bursts":1,"bearing_deg":-0,"distance_band":"1-2km","observation_post":"OP-7"},` +
		`"sources":["https://example.org/a"],"source_identity":"a shepherd","origin":{"dataset":"acled","id":"SYR1","fields":{"iso":"760"}}}`))
	f.Add([]byte(`{"occurred_at":"1999-12-31T23:59:59Z"}`))
	f.Add([]byte(`{"lon":"36"}`))
	f.Add([]byte(`{"casualties":{"killed":{"low":3,"best":2}}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"description":"a"} {}`))
	if data, err := os.ReadFile("../demo/fixture.json"); err == nil {
		var fx struct {
			Reports []struct {
				Report json.RawMessage `json:"report"`
			} `json:"reports"`
		}
		if err := json.Unmarshal(data, &fx); err != nil {
			f.Fatal(err)
		}
		for _, r := range fx.Reports[:min(8, len(fx.Reports))] {
			f.Add([]byte(r.Report))
		}
	}
	a := fuzzAgreement(f)
	author := &truce.Author{Attestation: "server", Member: "mem_bbbbbbbbbbbbbbbb", Organisation: "RU", Role: truce.RoleGuarantor}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in truce.ReportInput
		if err := decodeJSONBody(body, &in); err != nil {
			checkInvalid(t, "decodeJSONBody", body, err)
			return
		}
		checkBody(t, body)
		r, err := in.Validate(a, fuzzNow)
		if err != nil {
			checkInvalid(t, "ReportInput.Validate", body, err)
			return
		}
		// As workflow's buildReport makes the entry (the source identity is
		// sealed in the sidecar, and left out here).
		p := &truce.ReportFiled{
			ID: "rpt_dddddddddddddddd", OccurredAt: r.OccurredAt.UTC(), Lon: r.Lon, Lat: r.Lat,
			EventType: r.EventType, SubEventType: r.SubEventType,
			Perpetrator: r.Perpetrator, PerpetratorAsGiven: r.PerpetratorAsGiven, Description: r.Description,
			TimePrecision: r.TimePrecision, GeoPrecision: r.GeoPrecision, UncertaintyM: r.UncertaintyM,
			Place: r.Place, Target: r.Target, TargetAsGiven: r.TargetAsGiven,
			Casualties: r.Casualties, Fire: r.Fire, Sources: r.Sources, Origin: r.Origin,
		}
		_, b, err := tlog.BuildEntry(1, truce.EntryReportFiled, fuzzNow, author, p)
		if err != nil {
			t.Fatalf("report %q validates but cannot be logged: %v", body, err)
		}
		e, err := tlog.DecodeEntry(b)
		if err != nil {
			t.Fatalf("report %q is logged as %q, which does not decode: %v", body, b, err)
		}
		var q truce.ReportFiled
		if err := tlog.DecodePayload(e, &q); err != nil {
			t.Fatalf("report %q: payload %q: %v", body, e.Payload, err)
		}
		if !reflect.DeepEqual(&q, p) {
			t.Fatalf("report %q is logged as\n%+v\nand replayed as\n%+v", body, p, &q)
		}
	})
}

// FuzzZoneInput checks a zone proposal's GeoJSON as the API reads it:
// refused with an EINVALID error naming a field, or zones whose geometry
// the log records and gives back unchanged.
func FuzzZoneInput(f *testing.F) {
	f.Add([]byte(`{"type": "FeatureCollection", "features": [{"type": "Feature",
    "properties": {"kind": "control", "controller": "JFS", "valid_from": "2017-07-01"},
    "geometry": {"type": "Polygon", "coordinates": [[[36.60,35.90],[36.68,35.90],[36.68,35.96],[36.60,35.96],[36.60,35.90]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"contested","contested_between":["SYG","OPP"],` +
		`"valid_from":"2017-07-01","valid_to":"2017-08-01","name":"x"},"geometry":{"type":"MultiPolygon","coordinates":` +
		`[[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0.25,0.25],[0.25,0.5],[0.5,0.5],[0.5,0.25],[0.25,0.25]]],[[[2,2],[3,2],[3,3],[2,3],[2,2]]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"control","controller":"SYG","valid_from":"2017-07-01"},` +
		`"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,"a"]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,0]}}]}`))
	a := fuzzAgreement(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		var in workflow.ZoneCollectionInput
		if err := decodeJSONBody(body, &in); err != nil {
			checkInvalid(t, "decodeJSONBody", body, err)
			return
		}
		checkBody(t, body)
		for i, ft := range in.Features {
			field := fmt.Sprintf("features[%d]", i)
			if ft == nil {
				continue
			}
			// As workflow's buildZone checks a feature.
			if _, _, err := ft.Properties.Validate(a, field+".properties"); err != nil {
				checkInvalid(t, "ZoneInput.Validate", body, err)
				continue
			}
			if err := ft.Geometry.Validate(field+".geometry", truce.MaxZoneVertices); err != nil {
				checkInvalid(t, "Geometry.Validate", body, err)
				continue
			}
			mp, err := ft.Geometry.MultiPolygon()
			if err != nil {
				continue // a point or a line: refused by buildZone
			}
			coords := mp.Coordinates()
			b, err := tlog.Canonical(&truce.ZoneProposed{ID: "zon_aaaaaaaaaaaaaaaa", Kind: ft.Properties.Kind, Geometry: coords})
			if err != nil {
				t.Fatalf("zone %q validates but cannot be logged: %v", body, err)
			}
			var z truce.ZoneProposed
			if err := json.Unmarshal(b, &z); err != nil {
				t.Fatal(err)
			}
			if back := geo.FromCoordinates(z.Geometry); !reflect.DeepEqual(back, mp) {
				t.Fatalf("zone %q: geometry %v is logged as %s and read back as %v", body, mp, b, back)
			}
			if err := geo.Validate("geometry", geo.FromCoordinates(z.Geometry), truce.MaxZoneVertices); err != nil {
				t.Fatalf("zone %q: the logged geometry no longer validates: %v", body, err)
			}
		}
	})
}
