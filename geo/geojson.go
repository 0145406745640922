package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"truce"
)

// Feature is a GeoJSON (RFC 7946) feature.
type Feature struct {
	ID         any            `json:"id,omitempty"` // a string or a number (float64 when parsed)
	Type       string         `json:"type"`         // "Feature"
	Properties map[string]any `json:"properties"`
	Geometry   Geometry       `json:"geometry"`
}

// FeatureCollection is a GeoJSON (RFC 7946) feature collection.
type FeatureCollection struct {
	Type     string    `json:"type"` // "FeatureCollection"
	Features []Feature `json:"features"`
}

// MarshalJSON writes the feature with its type "Feature" even when Type
// was left empty.
func (f Feature) MarshalJSON() ([]byte, error) {
	type plain Feature
	f.Type = "Feature"
	return json.Marshal(plain(f))
}

// MarshalJSON writes the collection with its type and with "features": []
// even when it has none.
func (fc FeatureCollection) MarshalJSON() ([]byte, error) {
	type plain FeatureCollection
	fc.Type = "FeatureCollection"
	if fc.Features == nil {
		fc.Features = []Feature{}
	}
	return json.Marshal(plain(fc))
}

// Geometry is a GeoJSON geometry of a type truce uses. The zero Geometry,
// of Type "", is the null geometry of an unlocated feature.
type Geometry struct {
	Type     string          // "Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon" or ""
	Point    Point           // of a Point
	Lines    MultiLineString // of a LineString (exactly one line) or a MultiLineString
	Polygons MultiPolygon    // of a Polygon (exactly one polygon) or a MultiPolygon
}

// PointGeometry returns a Point geometry.
func PointGeometry(p Point) Geometry { return Geometry{Type: "Point", Point: p} }

// PolygonGeometry returns a Polygon geometry when mp has one polygon, else
// a MultiPolygon geometry.
func PolygonGeometry(mp MultiPolygon) Geometry {
	if len(mp) == 1 {
		return Geometry{Type: "Polygon", Polygons: mp}
	}
	return Geometry{Type: "MultiPolygon", Polygons: mp}
}

// LinesGeometry returns a LineString geometry when ml has one line, else
// a MultiLineString geometry.
func LinesGeometry(ml MultiLineString) Geometry {
	if len(ml) == 1 {
		return Geometry{Type: "LineString", Lines: ml}
	}
	return Geometry{Type: "MultiLineString", Lines: ml}
}

// MultiPolygon returns the polygons of a Polygon or MultiPolygon geometry,
// and for any other type an EINVALID error on the field "geometry.type"
// naming the type.
func (g Geometry) MultiPolygon() (MultiPolygon, error) {
	switch g.Type {
	case "Polygon", "MultiPolygon":
		return g.Polygons, nil
	case "":
		return nil, truce.Invalidf("geometry.type", "is null, not Polygon or MultiPolygon")
	}
	return nil, truce.Invalidf("geometry.type", "is %s, not Polygon or MultiPolygon", g.Type)
}

// Validate checks the geometry by the rules of its type, with paths under
// field as in its GeoJSON: a Polygon with ValidatePolygon
// ("field.coordinates[r][v]"), a MultiPolygon with Validate
// ("field.coordinates[p][r][v]"); a line needs at least 2 positions, and
// every position finite coordinates in range. maxVertices limits the
// positions of lines as it limits the vertices of polygons. The null
// geometry is valid; the caller decides whether it may be null.
func (g Geometry) Validate(field string, maxVertices int) error {
	ps := paths{field, false}
	switch g.Type {
	case "":
		return nil
	case "Point":
		if fault := positionFault(g.Point); fault != "" {
			return truce.Invalidf(ps.coords(), "%s", fault)
		}
		return nil
	case "LineString", "MultiLineString":
		ps.multi = g.Type == "MultiLineString"
		return validateLines(ps, g.Lines, maxVertices)
	case "Polygon":
		if len(g.Polygons) == 1 {
			return ValidatePolygon(field, g.Polygons[0], maxVertices)
		}
	case "MultiPolygon":
		return Validate(field, g.Polygons, maxVertices)
	}
	return truce.Invalidf(ps.field+".type", "%q is not a geometry type truce reads, or has the wrong number of parts", clip(g.Type))
}

func validateLines(ps paths, ml MultiLineString, maxVertices int) error {
	total := 0
	for _, l := range ml {
		total += len(l)
	}
	if maxVertices > 0 && total > maxVertices {
		return truce.Invalidf(ps.coords(), "has %d positions, more than the limit of %d", total, maxVertices)
	}
	if !ps.multi && len(ml) != 1 {
		return truce.Invalidf(ps.coords(), "a LineString is one line")
	}
	for i, l := range ml {
		if len(l) < 2 {
			return truce.Invalidf(ps.poly(i), "a line needs at least 2 positions, this one has %d", len(l))
		}
		for v, p := range l {
			if fault := positionFault(p); fault != "" {
				return truce.Invalidf(fmt.Sprintf("%s[%d]", ps.poly(i), v), "%s", fault)
			}
		}
	}
	return nil
}

// MarshalJSON writes the geometry as GeoJSON: null for the null geometry,
// numbers in the shortest form that reads back to the same float64.
func (g Geometry) MarshalJSON() ([]byte, error) {
	b := []byte(`{"type":"` + g.Type + `","coordinates":`)
	one := func(n int) error {
		if n != 1 {
			return errors.New("geo: a " + g.Type + " geometry holds " + strconv.Itoa(n) + " parts, not 1")
		}
		return nil
	}
	var err error
	switch g.Type {
	case "":
		return []byte("null"), nil
	case "Point":
		b = appendPosition(b, g.Point)
	case "LineString":
		if err = one(len(g.Lines)); err == nil {
			b = appendLine(b, g.Lines[0])
		}
	case "MultiLineString":
		b = appendList(b, len(g.Lines), func(b []byte, i int) []byte { return appendLine(b, g.Lines[i]) })
	case "Polygon":
		if err = one(len(g.Polygons)); err == nil {
			b = appendPolygon(b, g.Polygons[0])
		}
	case "MultiPolygon":
		b = appendList(b, len(g.Polygons), func(b []byte, i int) []byte { return appendPolygon(b, g.Polygons[i]) })
	default:
		err = errors.New("geo: unknown geometry type " + strconv.Quote(g.Type))
	}
	if err == nil && !g.finite() {
		err = errors.New("geo: a " + g.Type + " geometry has a coordinate that is not a finite number")
	}
	if err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// finite reports whether every coordinate is a finite number.
func (g Geometry) finite() bool {
	ok := func(p Point) bool { return math.Abs(p.Lon) <= math.MaxFloat64 && math.Abs(p.Lat) <= math.MaxFloat64 }
	if !ok(g.Point) {
		return false
	}
	for _, l := range g.Lines {
		for _, p := range l {
			if !ok(p) {
				return false
			}
		}
	}
	for _, poly := range g.Polygons {
		for _, r := range poly {
			for _, p := range r {
				if !ok(p) {
					return false
				}
			}
		}
	}
	return true
}

// UnmarshalJSON reads a GeoJSON geometry of a type truce uses, or null. It
// checks the structure; Validate checks the rules.
func (g *Geometry) UnmarshalJSON(data []byte) error {
	parsed, err := parseGeometry("geometry", data)
	if err != nil {
		return err
	}
	*g = parsed
	return nil
}

func appendList(b []byte, n int, item func([]byte, int) []byte) []byte {
	b = append(b, '[')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = item(b, i)
	}
	return append(b, ']')
}

func appendPolygon(b []byte, p Polygon) []byte {
	return appendList(b, len(p), func(b []byte, i int) []byte { return appendLine(b, LineString(p[i])) })
}

func appendLine(b []byte, l LineString) []byte {
	return appendList(b, len(l), func(b []byte, i int) []byte { return appendPosition(b, l[i]) })
}

func appendPosition(b []byte, p Point) []byte {
	b = appendNumber(append(b, '['), p.Lon)
	return append(appendNumber(append(b, ','), p.Lat), ']')
}

// appendNumber writes a finite f as encoding/json does.
func appendNumber(b []byte, f float64) []byte {
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // 1e-07 as 1e-7
		b = b[:n-1]
	}
	return b
}
