package geo

import (
	"fmt"
	"math"
	"strconv"

	"truce"
)

// Validate checks a multipolygon as RFC 7946 and OGC simple features want
// it:
//
//   - at most maxVertices vertices in all (a ring of n positions has n-1;
//     maxVertices <= 0 means no limit), checked first;
//   - every polygon has an outer ring, every ring at least 4 positions,
//     finite coordinates with longitude in [-180, 180] and latitude in
//     [-90, 90], its last position equal to its first, and at least 3
//     distinct positions;
//   - no ring crosses, touches or overlaps itself (a repeated consecutive
//     position is allowed);
//   - no two rings of a polygon cross or overlap along a stretch; touching
//     at a point is allowed;
//   - every hole lies inside its outer ring (its vertices and the middles
//     of its edges are covered by it), and no hole inside another.
//
// Ring orientation is not checked (RFC 7946 asks parsers not to reject
// either), nor are the polygons of a multipolygon checked against each
// other: Covers takes them as their union.
//
// An error is a *truce.Error with code EINVALID whose Field is the path of
// the offending part under field, as in GeoJSON's coordinates:
// "field.coordinates[p][r][v]" for vertex v of ring r of polygon p. A
// message names the rule and, for an intersection, where it is: the field
// "geometry.coordinates[0][0][2]" and "ring 0 crosses itself at 0.5, 0.5"
// for a bow-tie, the field being the start of the first edge, in the
// ring's order, that runs into an earlier one.
//
// The intersection test buckets edges into a grid of cells (see pairs), so
// a 20,000-vertex ring like a traced boundary validates in about 30 ms,
// and one of 20,000 long radial spikes, the worst case for a grid, in
// about 0.3 s (BenchmarkValidate).
func Validate(field string, mp MultiPolygon, maxVertices int) error {
	return validate(paths{field, true}, mp, maxVertices)
}

// ValidatePolygon is Validate for a single polygon, whose paths have no
// polygon index: "field.coordinates[r][v]", as in a GeoJSON Polygon.
func ValidatePolygon(field string, p Polygon, maxVertices int) error {
	return validate(paths{field, false}, MultiPolygon{p}, maxVertices)
}

// paths names the parts of a geometry in its GeoJSON coordinates.
type paths struct {
	field string
	multi bool // a MultiPolygon, whose paths start with a polygon index
}

func (ps paths) coords() string {
	if ps.field == "" {
		return "coordinates"
	}
	return ps.field + ".coordinates"
}

func (ps paths) poly(p int) string {
	if ps.multi {
		return fmt.Sprintf("%s[%d]", ps.coords(), p)
	}
	return ps.coords()
}

func (ps paths) ring(p, r int) string      { return fmt.Sprintf("%s[%d]", ps.poly(p), r) }
func (ps paths) vertex(p, r, v int) string { return fmt.Sprintf("%s[%d]", ps.ring(p, r), v) }

func validate(ps paths, mp MultiPolygon, maxVertices int) error {
	total := 0
	for _, poly := range mp {
		for _, ring := range poly {
			total += max(len(ring)-1, 0)
		}
	}
	if maxVertices > 0 && total > maxVertices {
		return truce.Invalidf(ps.coords(), "has %d vertices, more than the limit of %d", total, maxVertices)
	}
	if len(mp) == 0 {
		return truce.Invalidf(ps.coords(), "has no polygons")
	}
	for p, poly := range mp {
		if len(poly) == 0 {
			return truce.Invalidf(ps.poly(p), "a polygon needs an outer ring")
		}
		for r, ring := range poly {
			if err := checkRing(ps, p, r, ring); err != nil {
				return err
			}
		}
	}
	for p, poly := range mp {
		if err := checkCrossings(ps, p, poly); err != nil {
			return err
		}
		if err := checkHoles(ps, p, poly); err != nil {
			return err
		}
	}
	return nil
}

// checkRing checks the rules that concern one ring alone, except that it
// does not cross itself.
func checkRing(ps paths, p, r int, ring Ring) error {
	if len(ring) < 4 {
		return truce.Invalidf(ps.ring(p, r), "a ring needs at least 4 positions, this one has %d", len(ring))
	}
	for v, pt := range ring {
		if fault := positionFault(pt); fault != "" {
			return truce.Invalidf(ps.vertex(p, r, v), "%s", fault)
		}
	}
	first, last := ring[0], ring[len(ring)-1]
	if first != last {
		return truce.Invalidf(ps.ring(p, r), "the ring is not closed: its last position (%s) is not its first (%s)",
			formatInput(last), formatInput(first))
	}
	edges := 0
	for i := range len(ring) - 1 {
		if ring[i] != ring[i+1] {
			edges++
		}
	}
	if edges < 3 {
		return truce.Invalidf(ps.ring(p, r), "a ring needs at least 3 distinct positions")
	}
	return nil
}

// positionFault tells what is wrong with a position: a coordinate that is
// not finite or out of range; "" when nothing is.
func positionFault(pt Point) string {
	for _, c := range [2]struct {
		name   string
		v, lim float64
	}{{"longitude", pt.Lon, 180}, {"latitude", pt.Lat, 90}} {
		if math.IsNaN(c.v) || math.IsInf(c.v, 0) {
			return fmt.Sprintf("%s %v is not a finite number", c.name, c.v)
		}
		if c.v < -c.lim || c.v > c.lim {
			return fmt.Sprintf("%s %s is out of range [%v, %v]", c.name, formatNumber(c.v), -c.lim, c.lim)
		}
	}
	return ""
}

// formatNumber writes a coordinate of the input as it was given.
func formatNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// formatInput writes a position of the input as it was given.
func formatInput(p Point) string { return formatNumber(p.Lon) + ", " + formatNumber(p.Lat) }

// formatAt writes a computed position rounded to 1e-7 degrees (about a
// centimetre), enough to find it on a map.
func formatAt(p Point) string {
	round := func(v float64) string {
		return strconv.FormatFloat(math.Round(v*1e7)/1e7+0, 'f', -1, 64)
	}
	return round(p.Lon) + ", " + round(p.Lat)
}
