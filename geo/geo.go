// Package geo is truce's geometry: zones and boundaries as (multi)polygons,
// the tests that place a report in them, the lines where control areas meet,
// and the distances between positions and areas.
//
// # Planar semantics
//
// Geometry is planar on longitude/latitude in degrees, with the OGC
// simple-features semantics of a PostGIS geometry column (SRID 4326): an edge
// is the straight segment between two positions in the lon/lat plane, not a
// great-circle arc, and no edge wraps across the antimeridian. A zone decided
// here is the zone PostGIS's ST_Covers decides on the same data.
//
// # The boundary rule
//
// A point on a zone's edge or vertex is covered by the zone and flagged as on
// the boundary (ST_Covers, not ST_Contains): a report on the line between two
// control areas lies in both, and is known to be on the line. A point in a
// hole is not covered; a point on a hole's boundary is covered and on the
// boundary.
//
// # The tolerance
//
// "On the line" is decided with the cross product of the edge and the point,
// computed in float64. It counts as zero when
//
//	|cross| <= Eps * m * (|dx| + |dy|)
//
// where (dx, dy) is the edge, m is the largest absolute coordinate among the
// edge's ends and the point, floored at 1, and Eps = 2⁻⁴⁸ ≈ 3.6e-15. The
// point must also lie within the edge's extent widened by Eps*m. In words: a
// point is on an edge when it is within about Eps*m degrees of it, which is
// at most 6.4e-13 degrees (70 nanometres) anywhere on Earth. That is wide
// enough to absorb the rounding of a point computed on an edge (a midpoint,
// an interpolated position, a value read back from decimal text: a few ulps
// of the coordinates, about 2.8e-14 degrees at 180) and of the cross product
// itself (Shewchuk's bound, 3.3e-16 relative), and narrower than any
// distance that means something on the ground. Every predicate computes an
// edge from its lower end (by latitude, then longitude) to its upper end, so
// two polygons sharing an edge, in either direction, decide every point
// identically: a point on the shared edge is covered by both and on both
// boundaries, and a point off it is in exactly one.
//
// # Distances
//
// Distances are geodesic, in metres on the WGS84 ellipsoid: Vincenty's
// inverse formula, within a millimetre, and for nearly antipodal points,
// where it does not converge, the least sum of two shorter Vincenty legs
// through the plane bisecting the chord (as accurate). Nearest
// points are found planar-ly in a local equirectangular projection and
// then measured geodesically.
//
// # Indexes
//
// Prepared buckets a polygon's edges into horizontal bands, so a point
// query reads a handful of edges whatever the polygon's size; Index is an
// R-tree over many prepared polygons; Validate buckets edges into a grid
// to find self-intersections without testing every pair.
package geo

import "math"

// Eps is the relative tolerance of the on-the-line test; see the package
// documentation.
const Eps = 0x1p-48

// Point is a position: longitude and latitude in degrees.
type Point struct {
	Lon float64 `json:"lon"`
	Lat float64 `json:"lat"`
}

// Ring is a closed line string: its first point equals its last, and it has
// at least 4 points.
type Ring []Point

// Polygon is an outer ring followed by its holes.
type Polygon []Ring

// MultiPolygon is a set of polygons taken as their union.
type MultiPolygon []Polygon

// LineString is a sequence of at least two points.
type LineString []Point

// MultiLineString is a set of line strings.
type MultiLineString []LineString

// BBox is a bounding box in degrees. The empty box has MinLon > MaxLon.
type BBox struct{ MinLon, MinLat, MaxLon, MaxLat float64 }

// emptyBBox is the identity of BBox.extend.
var emptyBBox = BBox{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}

// Empty reports whether the box holds no point.
func (b BBox) Empty() bool { return b.MinLon > b.MaxLon || b.MinLat > b.MaxLat }

// Contains reports whether p is in the closed box.
func (b BBox) Contains(p Point) bool {
	return p.Lon >= b.MinLon && p.Lon <= b.MaxLon && p.Lat >= b.MinLat && p.Lat <= b.MaxLat
}

// Intersects reports whether the closed boxes share a point.
func (b BBox) Intersects(o BBox) bool {
	return b.MinLon <= o.MaxLon && o.MinLon <= b.MaxLon && b.MinLat <= o.MaxLat && o.MinLat <= b.MaxLat
}

// Union returns the smallest box holding both.
func (b BBox) Union(o BBox) BBox {
	return BBox{min(b.MinLon, o.MinLon), min(b.MinLat, o.MinLat), max(b.MaxLon, o.MaxLon), max(b.MaxLat, o.MaxLat)}
}

// Expand returns the box widened by d degrees on every side.
func (b BBox) Expand(d float64) BBox {
	return BBox{b.MinLon - d, b.MinLat - d, b.MaxLon + d, b.MaxLat + d}
}

func (b BBox) extend(p Point) BBox {
	return BBox{min(b.MinLon, p.Lon), min(b.MinLat, p.Lat), max(b.MaxLon, p.Lon), max(b.MaxLat, p.Lat)}
}

// distance returns the planar distance from p to the box, with longitudes
// scaled by cx (1 for plain degrees).
func (b BBox) distance(p Point, cx float64) float64 {
	dx := max(b.MinLon-p.Lon, 0, p.Lon-b.MaxLon) * cx
	dy := max(b.MinLat-p.Lat, 0, p.Lat-b.MaxLat)
	return math.Hypot(dx, dy)
}

// BBox returns the bounding box of every ring; it is empty for an empty
// multipolygon.
func (mp MultiPolygon) BBox() BBox {
	b := emptyBBox
	for _, poly := range mp {
		for _, ring := range poly {
			for _, p := range ring {
				b = b.extend(p)
			}
		}
	}
	return b
}

// segBBox is the bounding box of the segment ab.
func segBBox(a, b Point) BBox {
	return BBox{min(a.Lon, b.Lon), min(a.Lat, b.Lat), max(a.Lon, b.Lon), max(a.Lat, b.Lat)}
}

// magnitude is the largest absolute coordinate of the points, floored at 1:
// the scale m of the tolerance.
func magnitude(a, b, p Point) float64 {
	return max(1, math.Abs(a.Lon), math.Abs(a.Lat), math.Abs(b.Lon), math.Abs(b.Lat), math.Abs(p.Lon), math.Abs(p.Lat))
}

// maxAbs is the largest absolute coordinate of a multipolygon, floored at 1.
func maxAbs(mp MultiPolygon) float64 {
	b := mp.BBox()
	if b.Empty() {
		return 1
	}
	return max(1, -b.MinLon, b.MaxLon, -b.MinLat, b.MaxLat)
}

// FromCoordinates converts GeoJSON MultiPolygon coordinates — polygons of
// rings of [lon, lat] — into a MultiPolygon.
func FromCoordinates(c [][][][2]float64) MultiPolygon {
	mp := make(MultiPolygon, len(c))
	for i, p := range c {
		mp[i] = make(Polygon, len(p))
		for j, r := range p {
			mp[i][j] = make(Ring, len(r))
			for k, pt := range r {
				mp[i][j][k] = Point{Lon: pt[0], Lat: pt[1]}
			}
		}
	}
	return mp
}

// Coordinates returns the multipolygon as GeoJSON MultiPolygon
// coordinates, the inverse of FromCoordinates.
func (mp MultiPolygon) Coordinates() [][][][2]float64 {
	out := make([][][][2]float64, len(mp))
	for i, p := range mp {
		out[i] = make([][][2]float64, len(p))
		for j, r := range p {
			out[i][j] = make([][2]float64, len(r))
			for k, pt := range r {
				out[i][j][k] = [2]float64{pt.Lon, pt.Lat}
			}
		}
	}
	return out
}
