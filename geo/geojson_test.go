package geo_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"truce/geo"
)

func TestGeometryJSON(t *testing.T) {
	for _, tt := range []struct {
		name string
		g    geo.Geometry
		json string
	}{
		{"point", geo.PointGeometry(geo.Point{36.2765, 33.5138}),
			`{"type":"Point","coordinates":[36.2765,33.5138]}`},
		{"line", geo.LinesGeometry(geo.MultiLineString{{{0, 0}, {1, 1e-7}}}),
			`{"type":"LineString","coordinates":[[0,0],[1,1e-7]]}`},
		{"lines", geo.LinesGeometry(geo.MultiLineString{{{0, 0}, {1, 1}}, {{2, 2}, {3, -3.5}}}),
			`{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,-3.5]]]}`},
		{"no lines", geo.LinesGeometry(geo.MultiLineString{}),
			`{"type":"MultiLineString","coordinates":[]}`},
		{"polygon", geo.PolygonGeometry(geo.MultiPolygon{{rect(0, 0, 1, 1), reversed(rect(0.25, 0.25, 0.5, 0.5))}}),
			`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0.25,0.25],[0.25,0.5],[0.5,0.5],[0.5,0.25],[0.25,0.25]]]}`},
		{"multipolygon", geo.PolygonGeometry(geo.MultiPolygon{{rect(0, 0, 1, 1)}, {rect(2, 2, 3, 3)}}),
			`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,3],[2,2]]]]}`},
		{"null", geo.Geometry{}, `null`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.g)
			if err != nil || string(b) != tt.json {
				t.Fatalf("Marshal = %s, %v, want %s", b, err, tt.json)
			}
			var back geo.Geometry
			if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, tt.g) {
				t.Errorf("Unmarshal(%s) = %+v, %v, want %+v", b, back, err, tt.g)
			}
		})
	}
	if _, err := json.Marshal(geo.Geometry{Type: "Polygon"}); err == nil {
		t.Errorf("Marshal(Polygon of no polygons) = nil error, want one")
	}
	if _, err := json.Marshal(geo.PointGeometry(geo.Point{Lon: 1 / zero()})); err == nil {
		t.Errorf("Marshal(infinite point) = nil error, want one")
	}
}

func zero() float64 { return 0 }

func TestGeometryMultiPolygon(t *testing.T) {
	mp := geo.MultiPolygon{{rect(0, 0, 1, 1)}}
	if got, err := geo.PolygonGeometry(mp).MultiPolygon(); err != nil || !reflect.DeepEqual(got, mp) {
		t.Errorf("MultiPolygon() = %v, %v, want %v", got, err, mp)
	}
	_, err := geo.PointGeometry(geo.Point{}).MultiPolygon()
	checkInvalid(t, err, "geometry.type", "geometry.type: is Point, not Polygon or MultiPolygon")
}

func TestFeatureCollectionRoundTrip(t *testing.T) {
	fc := geo.FeatureCollection{Features: []geo.Feature{
		{ID: "zone-1", Properties: map[string]any{"actor": "SAA", "kind": "control"},
			Geometry: geo.PolygonGeometry(geo.MultiPolygon{{rect(36, 35, 36.5, 35.5)}})},
		{ID: 2.0, Properties: map[string]any{"name": "line"},
			Geometry: geo.LinesGeometry(geo.MultiLineString{{{36, 35}, {36.5, 35.5}}})},
		{Properties: nil, Geometry: geo.Geometry{}},
	}}
	b, err := json.Marshal(fc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := geo.ParseFeatureCollection(b, 100)
	if err != nil {
		t.Fatalf("ParseFeatureCollection(%s) = %v", b, err)
	}
	fc.Type = "FeatureCollection"
	for i := range fc.Features {
		fc.Features[i].Type = "Feature"
	}
	if !reflect.DeepEqual(*got, fc) {
		t.Errorf("ParseFeatureCollection(Marshal(fc)) = %+v, want %+v", *got, fc)
	}
	if b, _ := json.Marshal(geo.FeatureCollection{}); string(b) != `{"type":"FeatureCollection","features":[]}` {
		t.Errorf("Marshal(empty collection) = %s", b)
	}
}

func TestParseFeatureCollectionErrors(t *testing.T) {
	feature := func(geometry string) string {
		return `{"type":"Feature","properties":{},"geometry":` + geometry + `}`
	}
	collection := func(features ...string) string {
		return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
	}
	point := feature(`{"type":"Point","coordinates":[36,35]}`)
	for _, tt := range []struct {
		name, json, field, message string
	}{
		{"not JSON", `{"type":`, "body", ""},
		{"not an object", `[1,2]`, "body", "body: must be a GeoJSON FeatureCollection object"},
		{"no type", `{"features":[]}`, "type", "type: is required"},
		{"a Feature", feature(`null`), "type", `type: must be "FeatureCollection"`},
		{"no features", `{"type":"FeatureCollection"}`, "features", "features: is required"},
		{"features not an array", `{"type":"FeatureCollection","features":{}}`, "features", "features: must be an array of features"},
		{"feature of another type", collection(point, `{"type":"Point","coordinates":[1,2]}`), "features[1].type", `features[1].type: must be "Feature"`},
		{"geometry collection", collection(point, point, point, feature(`{"type":"GeometryCollection","geometries":[]}`)),
			"features[3].geometry.type", `features[3].geometry.type: "GeometryCollection" is not a geometry type truce reads: use Point, LineString, MultiLineString, Polygon or MultiPolygon`},
		{"geometry without type", collection(feature(`{"coordinates":[1,2]}`)), "features[0].geometry.type", "features[0].geometry.type: is required"},
		{"no geometry", collection(`{"type":"Feature","properties":{}}`), "features[0].geometry", ""},
		{"no coordinates", collection(feature(`{"type":"Polygon"}`)), "features[0].geometry.coordinates", "features[0].geometry.coordinates: is required"},
		{"coordinates of the wrong shape", collection(feature(`{"type":"Polygon","coordinates":[1,2]}`)),
			"features[0].geometry.coordinates", "features[0].geometry.coordinates: must be an array of rings, each an array of positions"},
		{"a string for a number", collection(feature(`{"type":"Polygon","coordinates":[[[0,0],[1,"x"],[1,1],[0,0]]]}`)),
			"features[0].geometry.coordinates[0][1]", "features[0].geometry.coordinates[0][1]: must hold numbers: [longitude, latitude]"},
		{"null position", collection(feature(`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],null,[0,0]]]]}`)),
			"features[0].geometry.coordinates[0][0][2]", "features[0].geometry.coordinates[0][0][2]: must be a position [longitude, latitude]"},
		{"one number", collection(feature(`{"type":"LineString","coordinates":[[0,0],[1]]}`)),
			"features[0].geometry.coordinates[1]", "features[0].geometry.coordinates[1]: must hold a longitude and a latitude"},
		{"number out of range", collection(feature(`{"type":"Point","coordinates":[1e400,0]}`)),
			"features[0].geometry.coordinates", "features[0].geometry.coordinates: holds a number out of range"},
		{"point longitude 181", collection(feature(`{"type":"Point","coordinates":[181,0]}`)),
			"features[0].geometry.coordinates", "features[0].geometry.coordinates: longitude 181 is out of range [-180, 180]"},
		{"line of one position", collection(feature(`{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[0,0]]]}`)),
			"features[0].geometry.coordinates[1]", "features[0].geometry.coordinates[1]: a line needs at least 2 positions, this one has 1"},
		{"unclosed polygon", collection(point, feature(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}`)),
			"features[1].geometry.coordinates[0]", "features[1].geometry.coordinates[0]: the ring is not closed: its last position (0, 1) is not its first (0, 0)"},
		{"bow-tie multipolygon", collection(point, point, feature(`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,1],[1,0],[0,1],[0,0]]]]}`)),
			"features[2].geometry.coordinates[0][0][2]", "features[2].geometry.coordinates[0][0][2]: ring 0 crosses itself at 0.5, 0.5"},
		{"too many vertices", collection(feature(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0.5,1.5],[0,1],[0,0]]]}`)),
			"features[0].geometry.coordinates", "features[0].geometry.coordinates: has 5 vertices, more than the limit of 4"},
		{"id an object", collection(`{"type":"Feature","id":{},"properties":{},"geometry":null}`), "features[0].id", "features[0].id: must be a string or a number"},
		{"properties an array", collection(`{"type":"Feature","properties":[],"geometry":null}`), "features[0].properties", "features[0].properties: must be an object or null"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fc, err := geo.ParseFeatureCollection([]byte(tt.json), 4)
			if fc != nil {
				t.Errorf("ParseFeatureCollection = %+v, want nil", fc)
			}
			checkInvalid(t, err, tt.field, tt.message)
		})
	}
}

func TestParseFeatureCollectionKeeps(t *testing.T) {
	in := `{"type":"FeatureCollection","name":"zones","features":[
		{"type":"Feature","id":7,"bbox":[0,0,1,1],"properties":{"a":1},
		 "geometry":{"type":"Polygon","coordinates":[[[0,0,120],[1,0,130],[1,1,125],[0,0,120]]]}}]}`
	fc, err := geo.ParseFeatureCollection([]byte(in), 0)
	if err != nil {
		t.Fatal(err)
	}
	f := fc.Features[0]
	want := geo.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}
	if f.ID != 7.0 || f.Properties["a"] != 1.0 || f.Geometry.Type != "Polygon" || !reflect.DeepEqual(f.Geometry.Polygons, want) {
		t.Errorf("feature = %+v, want id 7, a=1 and the polygon without altitudes", f)
	}
}
