package geo_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"truce"
	"truce/geo"
)

// fuzzMaxVertices is low, so that the limit is reached by small inputs.
const fuzzMaxVertices = 1000

// FuzzParseFeatureCollection checks GeoJSON input: a collection is either
// accepted, and then written out and read back as the same collection,
// written out again as the same bytes, every polygon valid; or refused
// with a *truce.Error EINVALID whose message begins with the field it
// names ("features[0].geometry.coordinates[0][5]: …").
func FuzzParseFeatureCollection(f *testing.F) {
	feature := func(props, geometry string) string {
		return `{"type":"Feature","properties":` + props + `,"geometry":` + geometry + `}`
	}
	collection := func(features ...string) string {
		return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
	}
	for _, g := range []string{
		`{"type":"Point","coordinates":[36.2765,33.5138]}`,
		`{"type":"Point","coordinates":[36.2765,33.5138,120.5]}`,
		`{"type":"LineString","coordinates":[[0,0],[1,1e-7]]}`,
		`{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,-3.5]]]}`,
		`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0.25,0.25],[0.25,0.5],[0.5,0.5],[0.5,0.25],[0.25,0.25]]]}`,
		`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,3],[2,2]]]]}`,
		`{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}`,
		`{"type":"GeometryCollection","geometries":[]}`,
		`null`,
	} {
		f.Add([]byte(collection(feature(`{}`, g))))
	}
	// The README's zone, and a feature with an id and nested properties.
	f.Add([]byte(collection(feature(`{"kind": "control", "controller": "JFS", "valid_from": "2017-07-01"}`,
		`{"type": "Polygon", "coordinates": [[[36.60,35.90],[36.68,35.90],[36.68,35.96],[36.60,35.96],[36.60,35.90]]]}`))))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"properties":{"a":[1,{"b":null}]},"geometry":null},` +
		`{"type":"Feature","id":"zon_x","properties":null,"geometry":{"type":"Point","coordinates":[-0,1e-7]}}]}`))
	// The demo's control map of July 2017, as real input.
	if data, err := os.ReadFile("../demo/controlmap/control-2017.geojson"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fc, err := geo.ParseFeatureCollection(data, fuzzMaxVertices)
		if err != nil {
			var e *truce.Error
			if !errors.As(err, &e) || e.Code != truce.EINVALID || e.Field == "" || !strings.HasPrefix(e.Message, e.Field+": ") {
				t.Fatalf("ParseFeatureCollection(%q) = %#v, want EINVALID naming a field", data, err)
			}
			return
		}
		for i, ft := range fc.Features {
			if err := ft.Geometry.Validate("geometry", fuzzMaxVertices); err != nil {
				t.Fatalf("ParseFeatureCollection(%q) accepted feature %d, which does not validate: %v", data, i, err)
			}
		}
		out, err := json.Marshal(fc)
		if err != nil {
			t.Fatalf("ParseFeatureCollection(%q) accepted what does not marshal: %v", data, err)
		}
		again, err := geo.ParseFeatureCollection(out, fuzzMaxVertices)
		if err != nil {
			t.Fatalf("ParseFeatureCollection(%q) refuses its own output %q: %v", data, out, err)
		}
		if !reflect.DeepEqual(again, fc) {
			t.Fatalf("ParseFeatureCollection(%q) = %+v, but read back from %q it is %+v", data, fc, out, again)
		}
		out2, err := json.Marshal(again)
		if err != nil || !bytes.Equal(out2, out) {
			t.Fatalf("ParseFeatureCollection(%q) writes %q, then %q", data, out, out2)
		}
	})
}
