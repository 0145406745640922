package geo

import "math"

// The predicates here are the only place where "on the line" is decided;
// see the package documentation for the tolerance and why every edge is
// taken from its lower end to its upper end.

// lower reports whether a comes before b in the canonical order of an
// edge's ends: by latitude, then by longitude.
func lower(a, b Point) bool { return a.Lat < b.Lat || a.Lat == b.Lat && a.Lon <= b.Lon }

// orient returns +1 when p is left of the line from a to b, -1 when it is
// right of it, and 0 when it is on it within the tolerance. It computes on
// the canonical edge, so orient(a, b, p) == -orient(b, a, p) exactly.
func orient(a, b, p Point) int {
	sign := 1
	if !lower(a, b) {
		a, b, sign = b, a, -1
	}
	dx, dy := b.Lon-a.Lon, b.Lat-a.Lat
	cross := dx*(p.Lat-a.Lat) - dy*(p.Lon-a.Lon)
	tol := Eps * magnitude(a, b, p) * (math.Abs(dx) + math.Abs(dy))
	switch {
	case cross > tol:
		return sign
	case cross < -tol:
		return -sign
	}
	return 0
}

// onSegment reports whether p is on the closed segment ab within the
// tolerance: on its line and within its extent widened by the tolerance.
func onSegment(a, b, p Point) bool {
	t := Eps * magnitude(a, b, p)
	if p.Lon < min(a.Lon, b.Lon)-t || p.Lon > max(a.Lon, b.Lon)+t ||
		p.Lat < min(a.Lat, b.Lat)-t || p.Lat > max(a.Lat, b.Lat)+t {
		return false
	}
	return orient(a, b, p) == 0
}

// same reports whether a and b are the same position within the tolerance.
func same(a, b Point) bool {
	t := Eps * magnitude(a, b, a)
	return math.Abs(a.Lon-b.Lon) <= t && math.Abs(a.Lat-b.Lat) <= t
}

// contact is how two segments meet.
type contact uint8

const (
	apart    contact = iota // no common point
	touches                 // one common point, an end of at least one of them
	crosses                 // one common point, inside both
	overlaps                // a common stretch: collinear and overlapping
)

// meet tells how the segments p1p2 and q1q2 meet, and where: the crossing
// point, the touching point, or the first point (in canonical order) of the
// common stretch.
func meet(p1, p2, q1, q2 Point) (contact, Point) {
	m := max(magnitude(p1, p2, q1), math.Abs(q2.Lon), math.Abs(q2.Lat))
	if clearlyApart(p1, p2, q1, q2, m) || clearlyApart(q1, q2, p1, p2, m) {
		return apart, Point{}
	}
	d1, d2 := orient(p1, p2, q1), orient(p1, p2, q2)
	d3, d4 := orient(q1, q2, p1), orient(q1, q2, p2)
	if d1*d2 < 0 && d3*d4 < 0 {
		return crosses, crossing(p1, p2, q1, q2)
	}
	if d1 == 0 && d2 == 0 || d3 == 0 && d4 == 0 {
		// Collinear: the common points are the ends lying on the other
		// segment; two distinct ones make a stretch.
		var on [4]Point
		n := 0
		for _, c := range [4]struct {
			a, b, p Point
		}{{p1, p2, q1}, {p1, p2, q2}, {q1, q2, p1}, {q1, q2, p2}} {
			if onSegment(c.a, c.b, c.p) {
				on[n] = c.p
				n++
			}
		}
		if n == 0 {
			return apart, Point{}
		}
		first, stretch := on[0], false
		for _, p := range on[1:n] {
			if !same(p, on[0]) {
				stretch = true
			}
			if lower(p, first) {
				first = p
			}
		}
		if stretch {
			return overlaps, first
		}
		return touches, on[0]
	}
	switch {
	case d1 == 0 && onSegment(p1, p2, q1):
		return touches, q1
	case d2 == 0 && onSegment(p1, p2, q2):
		return touches, q2
	case d3 == 0 && onSegment(q1, q2, p1):
		return touches, p1
	case d4 == 0 && onSegment(q1, q2, p2):
		return touches, p2
	}
	return apart, Point{}
}

// clearlyApart reports, cheaply, that q1 and q2 are strictly on the same
// side of the line p1p2, beyond a tolerance at least orient's: the common
// case of meet, decided without orient's canonical order. m is at least
// the magnitude of the four points.
func clearlyApart(p1, p2, q1, q2 Point, m float64) bool {
	dx, dy := p2.Lon-p1.Lon, p2.Lat-p1.Lat
	c1 := dx*(q1.Lat-p1.Lat) - dy*(q1.Lon-p1.Lon)
	c2 := dx*(q2.Lat-p1.Lat) - dy*(q2.Lon-p1.Lon)
	if c1 > 0 != (c2 > 0) {
		return false
	}
	// Twice orient's tolerance: the cross product from the other end of
	// the edge differs by rounding.
	tol := 2 * Eps * m * (math.Abs(dx) + math.Abs(dy))
	return math.Abs(c1) > tol && math.Abs(c2) > tol
}

// crossing returns the point where the lines p1p2 and q1q2 cross, clamped
// to the segment p1p2.
func crossing(p1, p2, q1, q2 Point) Point {
	rx, ry := p2.Lon-p1.Lon, p2.Lat-p1.Lat
	sx, sy := q2.Lon-q1.Lon, q2.Lat-q1.Lat
	den := rx*sy - ry*sx
	if den == 0 {
		return p1
	}
	t := ((q1.Lon-p1.Lon)*sy - (q1.Lat-p1.Lat)*sx) / den
	return lerp(p1, p2, min(max(t, 0), 1))
}

// lerp returns the point at parameter t of the segment ab, exactly a at 0
// and exactly b at 1.
func lerp(a, b Point, t float64) Point {
	switch t {
	case 0:
		return a
	case 1:
		return b
	}
	return Point{a.Lon + t*(b.Lon-a.Lon), a.Lat + t*(b.Lat-a.Lat)}
}

// closest returns the parameter t in [0, 1] of the point of segment ab
// nearest p, and the squared planar distance to it, with longitude
// differences scaled by cx (cos of the latitude for a local
// equirectangular projection, 1 for plain degrees).
func closest(a, b, p Point, cx float64) (t, d2 float64) {
	ax, ay := (a.Lon-p.Lon)*cx, a.Lat-p.Lat
	dx, dy := (b.Lon-a.Lon)*cx, b.Lat-a.Lat
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = min(max(-(ax*dx+ay*dy)/l2, 0), 1)
	}
	x, y := ax+t*dx, ay+t*dy
	return t, x*x + y*y
}
