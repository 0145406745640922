package interchange_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"

	"truce"
	"truce/interchange"
)

func sampleReports() []*interchange.Report {
	lon, lat := 36.561, 35.6134
	return []*interchange.Report{{
		ID: "rpt_dddddddddddddddd", OccurredAt: time.Date(2017, 1, 5, 12, 30, 0, 0, time.UTC), TimePrecision: 1,
		Lon: &lon, Lat: &lat, Coordinates: truce.DiscloseExact, GeoPrecision: 1, Place: "Kafr Nabl",
		EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack",
		Perpetrator:    interchange.Actor{ID: "SYG", Name: "Syrian Arab Army", Inter: 1},
		Description:    "Shelling of the market <3 shells> & smoke.",
		Casualties:     &truce.Casualties{Killed: &truce.Estimate{Low: 2, Best: 2, High: 2}},
		Sources:        []string{"SOHR"},
		Classification: &truce.Classification{ADM1: "SY07", ADM2: "SY0702", ADM3: "SY070203", Scope: truce.ScopeCovered},
		Organisation:   "TR", FiledAt: time.Date(2017, 1, 6, 8, 0, 0, 0, time.UTC), Consensus: truce.Pending,
	}, {
		// As the public would see it: no point, the governorate only.
		ID: "rpt_eeeeeeeeeeeeeeee", OccurredAt: time.Date(2017, 1, 7, 10, 0, 0, 0, time.UTC), TimePrecision: 2,
		Coordinates: truce.DiscloseGovernorate, GeoPrecision: 2,
		EventType: "Battles", SubEventType: "Armed clash",
		Description:    "Clashes north of Hama.",
		Classification: &truce.Classification{ADM1: "SY05"},
		Organisation:   "UN", FiledAt: time.Date(2017, 1, 8, 8, 0, 0, 0, time.UTC), Consensus: truce.Unilateral,
	}}
}

func ExampleNewWriter() {
	w, _ := interchange.NewWriter(interchange.GeoJSON, os.Stdout, nil)
	for _, r := range sampleReports() {
		w.Write(r)
	}
	w.Close()
	// Output:
	// {"type":"FeatureCollection","features":[
	// {"type":"Feature","id":"rpt_dddddddddddddddd","geometry":{"type":"Point","coordinates":[36.561,35.6134]},"properties":{"occurred_at":"2017-01-05T12:30:00Z","time_precision":1,"event_type":"Explosions/Remote violence","sub_event_type":"Shelling/artillery/missile attack","perpetrator":"SYG","perpetrator_name":"Syrian Arab Army","place":"Kafr Nabl","coordinates":"exact","geo_precision":1,"uncertainty_m":0,"casualties":{"killed":{"low":2,"best":2,"high":2}},"description":"Shelling of the market <3 shells> & smoke.","sources":["SOHR"],"classification":{"adm1":"SY07","adm2":"SY0702","adm3":"SY070203","scope":"covered"},"governorate_name":"Idleb","consensus":"pending","organisation":"TR","filed_at":"2017-01-06T08:00:00Z"}},
	// {"type":"Feature","id":"rpt_eeeeeeeeeeeeeeee","geometry":null,"properties":{"occurred_at":"2017-01-07T10:00:00Z","time_precision":2,"event_type":"Battles","sub_event_type":"Armed clash","coordinates":"governorate","geo_precision":2,"uncertainty_m":0,"description":"Clashes north of Hama.","classification":{"adm1":"SY05","scope":""},"governorate_name":"Hama","consensus":"unilateral","organisation":"UN","filed_at":"2017-01-08T08:00:00Z"}}
	// ]}
}

// TestGeoJSONValid checks the collection against RFC 7946's shape.
func TestGeoJSONValid(t *testing.T) {
	for _, reports := range [][]*interchange.Report{nil, sampleReports()} {
		var b bytes.Buffer
		w, _ := interchange.NewWriter(interchange.GeoJSON, &b, nil)
		for _, r := range reports {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		var fc struct {
			Type     string `json:"type"`
			Features []struct {
				Type     string          `json:"type"`
				ID       string          `json:"id"`
				Geometry json.RawMessage `json:"geometry"`
			} `json:"features"`
		}
		if err := json.Unmarshal(b.Bytes(), &fc); err != nil {
			t.Fatalf("%d reports: %v\n%s", len(reports), err, b.String())
		}
		if fc.Type != "FeatureCollection" || fc.Features == nil || len(fc.Features) != len(reports) {
			t.Errorf("%d reports: %s", len(reports), b.String())
		}
		for i, f := range fc.Features {
			if f.Type != "Feature" || f.ID != string(reports[i].ID) || (reports[i].Lon == nil) != (string(f.Geometry) == "null") {
				t.Errorf("feature %d: %+v", i, f)
			}
		}
	}
}
