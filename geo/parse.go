package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"truce"
)

// ParseFeatureCollection parses and validates a GeoJSON FeatureCollection;
// the caller limits the size of data. It checks the type members, refuses
// geometry types other than Point, LineString, MultiLineString, Polygon
// and MultiPolygon, and validates every geometry with Geometry.Validate
// (so polygons with Validate) under the field "features[i].geometry", with
// maxVertices a limit per geometry. A null geometry is accepted, as RFC
// 7946 allows. Errors are *truce.Error EINVALID naming the field, such as
// "features[3].geometry.type" or "features[0].geometry.coordinates[1][4]".
func ParseFeatureCollection(data []byte, maxVertices int) (*FeatureCollection, error) {
	top, err := members("", data, "a GeoJSON FeatureCollection")
	if err != nil {
		return nil, err
	}
	if err := wantType(top, "", "FeatureCollection"); err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	if raw, ok := top["features"]; !ok || string(raw) == "null" {
		return nil, truce.Invalidf("features", "is required")
	} else if err := json.Unmarshal(raw, &raws); err != nil {
		return nil, truce.Invalidf("features", "must be an array of features")
	}
	fc := &FeatureCollection{Type: "FeatureCollection", Features: make([]Feature, len(raws))}
	for i, raw := range raws {
		if fc.Features[i], err = parseFeature(fmt.Sprintf("features[%d]", i), raw, maxVertices); err != nil {
			return nil, err
		}
	}
	return fc, nil
}

func parseFeature(field string, data []byte, maxVertices int) (Feature, error) {
	f := Feature{Type: "Feature"}
	m, err := members(field, data, "a GeoJSON Feature")
	if err != nil {
		return f, err
	}
	if err := wantType(m, field+".", "Feature"); err != nil {
		return f, err
	}
	if raw, ok := m["id"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &f.ID); err != nil {
			return f, err
		}
		switch f.ID.(type) {
		case string, float64:
		default:
			return f, truce.Invalidf(field+".id", "must be a string or a number")
		}
	}
	if raw, ok := m["properties"]; ok {
		if err := json.Unmarshal(raw, &f.Properties); err != nil {
			return f, truce.Invalidf(field+".properties", "must be an object or null")
		}
	}
	raw, ok := m["geometry"]
	if !ok {
		return f, truce.Invalidf(field+".geometry", "is required (null for an unlocated feature)")
	}
	if f.Geometry, err = parseGeometry(field+".geometry", raw); err != nil {
		return f, err
	}
	return f, f.Geometry.Validate(field+".geometry", maxVertices)
}

// members reads a JSON object.
func members(field string, data []byte, what string) (map[string]json.RawMessage, error) {
	if field == "" {
		field = "body"
	}
	var m map[string]json.RawMessage
	err := json.Unmarshal(data, &m)
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return nil, truce.Invalidf(field, "invalid JSON at byte %d: %v", syntax.Offset, syntax)
	}
	if err != nil || m == nil {
		return nil, truce.Invalidf(field, "must be %s object", what)
	}
	return m, nil
}

// wantType checks the object's "type" member.
func wantType(m map[string]json.RawMessage, prefix, want string) error {
	var t string
	if raw, ok := m["type"]; !ok {
		return truce.Invalidf(prefix+"type", "is required")
	} else if json.Unmarshal(raw, &t) != nil || t != want {
		return truce.Invalidf(prefix+"type", "must be %q", want)
	}
	return nil
}

// parseGeometry reads a GeoJSON geometry or null, checking its type and
// the shape of its coordinates.
func parseGeometry(field string, data []byte) (Geometry, error) {
	if string(bytes.TrimSpace(data)) == "null" {
		return Geometry{}, nil
	}
	m, err := members(field, data, "a GeoJSON geometry")
	if err != nil {
		return Geometry{}, err
	}
	var g Geometry
	if raw, ok := m["type"]; !ok {
		return g, truce.Invalidf(field+".type", "is required")
	} else if json.Unmarshal(raw, &g.Type) != nil {
		return g, truce.Invalidf(field+".type", "must be a string")
	}
	shape, ok := shapes[g.Type]
	if !ok {
		return g, truce.Invalidf(field+".type", "%q is not a geometry type truce reads: use Point, LineString, MultiLineString, Polygon or MultiPolygon", clip(g.Type))
	}
	raw, ok := m["coordinates"]
	if !ok || string(raw) == "null" {
		return g, truce.Invalidf(field+".coordinates", "is required")
	}
	f := field + ".coordinates"
	switch g.Type {
	case "Point":
		var p position
		err = decode(f, raw, &p, shape)
		if err == nil {
			g.Point, err = p.point(f)
		}
	case "LineString":
		var l []position
		if err = decode(f, raw, &l, shape); err == nil {
			var line LineString
			line, err = points(f, l)
			g.Lines = MultiLineString{line}
		}
	case "MultiLineString":
		var ls [][]position
		if err = decode(f, raw, &ls, shape); err == nil {
			g.Lines = make(MultiLineString, len(ls))
			for i, l := range ls {
				if g.Lines[i], err = points(fmt.Sprintf("%s[%d]", f, i), l); err != nil {
					break
				}
			}
		}
	case "Polygon":
		var rs [][]position
		if err = decode(f, raw, &rs, shape); err == nil {
			var poly Polygon
			poly, err = rings(f, rs)
			g.Polygons = MultiPolygon{poly}
		}
	case "MultiPolygon":
		var ps [][][]position
		if err = decode(f, raw, &ps, shape); err == nil {
			g.Polygons = make(MultiPolygon, len(ps))
			for i, rs := range ps {
				if g.Polygons[i], err = rings(fmt.Sprintf("%s[%d]", f, i), rs); err != nil {
					break
				}
			}
		}
	}
	return g, err
}

// shapes describes the coordinates of each geometry type.
var shapes = map[string]string{
	"Point":           "a position [longitude, latitude]",
	"LineString":      "an array of positions",
	"MultiLineString": "an array of arrays of positions",
	"Polygon":         "an array of rings, each an array of positions",
	"MultiPolygon":    "an array of polygons, each an array of rings, each an array of positions",
}

func decode(field string, raw json.RawMessage, v any, shape string) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return truce.Invalidf(field, "must be %s", shape)
	}
	return nil
}

func rings(field string, rs [][]position) (Polygon, error) {
	poly := make(Polygon, len(rs))
	for i, r := range rs {
		line, err := points(fmt.Sprintf("%s[%d]", field, i), r)
		if err != nil {
			return nil, err
		}
		poly[i] = Ring(line)
	}
	return poly, nil
}

func points(field string, ps []position) (LineString, error) {
	line := make(LineString, len(ps))
	for i, p := range ps {
		if p.fault != "" {
			return nil, truce.Invalidf(fmt.Sprintf("%s[%d]", field, i), "%s", p.fault)
		}
		line[i] = p.p
	}
	return line, nil
}

// position is a GeoJSON position as read: a point, or what is wrong with
// it. Reading it never fails, so that the error can name its path.
type position struct {
	p     Point
	fault string
}

func (pos *position) UnmarshalJSON(b []byte) error {
	*pos = position{}
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		pos.fault = "must be a position [longitude, latitude]"
		return nil
	}
	var v [2]float64
	n := 0
	for rest := bytes.TrimSpace(b[1 : len(b)-1]); len(rest) > 0; n++ {
		var part []byte
		part, rest, _ = bytes.Cut(rest, []byte{','})
		if n >= 2 { // an altitude or more: RFC 7946 lets them be, truce ignores them
			continue
		}
		f, err := strconv.ParseFloat(string(bytes.TrimSpace(part)), 64)
		var num *strconv.NumError
		if errors.As(err, &num) && num.Err == strconv.ErrRange {
			pos.fault = "holds a number out of range"
			return nil
		} else if err != nil {
			pos.fault = "must hold numbers: [longitude, latitude]"
			return nil
		}
		v[n] = f
	}
	if n < 2 {
		pos.fault = "must hold a longitude and a latitude"
		return nil
	}
	pos.p = Point{v[0], v[1]}
	return nil
}

func (pos position) point(field string) (Point, error) {
	if pos.fault != "" {
		return Point{}, truce.Invalidf(field, "%s", pos.fault)
	}
	return pos.p, nil
}

// clip shortens a string from the input for a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
