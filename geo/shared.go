package geo

import (
	"cmp"
	"math"
	"slices"
)

// SharedBoundary returns the parts of a's boundary that lie on b's
// boundary, within tol degrees: where two control areas meet, a line of
// contact. The parts are taken on a's edges, in a's ring order, and merged
// into maximal line strings; a ring shared all round comes back closed.
// A line's end segments no longer than 2*tol in all are trimmed: they are
// the stubs of a's edges that leave b's boundary at a corner, within tol
// of it only near the corner. Lines no longer than 4*tol are dropped:
// there the boundaries only touch at a corner or cross, which is no line
// of contact. tol is raised to the
// tolerance of the package documentation, so exactly shared edges are
// found with tol 0.
//
// Each edge of a is matched against an R-tree of b's edges, so the cost is
// about O((n + m) log m), not O(n*m).
func SharedBoundary(a, b MultiPolygon, tol float64) MultiLineString {
	sb := edgesOf(b)
	if len(sb) == 0 {
		return nil
	}
	ib := newSegIndex(sb)
	tol = max(tol, 2*Eps*max(maxAbs(a), maxAbs(b)))
	var out MultiLineString
	for _, poly := range a {
		for _, ring := range poly {
			for _, line := range sharedRing(ring, ib, tol) {
				if line = trim(line, 2*tol); planarLength(line) > 4*tol {
					out = append(out, line)
				}
			}
		}
	}
	return out
}

// span is a part [lo, hi] of an edge, in its parameter from 0 to 1.
type span struct{ lo, hi float64 }

// sharedRing returns the parts of a ring within tol of the indexed edges.
func sharedRing(ring Ring, ib segIndex, tol float64) []LineString {
	var pts []Point // the ring without repeated points, closed
	for _, p := range ring {
		if len(pts) == 0 || p != pts[len(pts)-1] {
			pts = append(pts, p)
		}
	}
	if len(pts) < 2 {
		return nil
	}
	if pts[0] != pts[len(pts)-1] {
		pts = append(pts, pts[0])
	}
	var lines []LineString
	var cur LineString // the line being drawn, while it reaches an edge's end
	open, firstAtStart := false, false
	for i := 0; i+1 < len(pts); i++ {
		p, q := pts[i], pts[i+1]
		var spans []span
		ib.tree.search(segBBox(p, q).Expand(tol), func(id int32) bool {
			if s, ok := capsule(p, q, ib.segs[id], tol); ok {
				spans = append(spans, s)
			}
			return true
		})
		for _, s := range merge(spans) {
			if open && s.lo == 0 {
				cur = append(cur, lerp(p, q, s.hi))
			} else {
				if open {
					lines = append(lines, cur)
				}
				if i == 0 && s.lo == 0 {
					firstAtStart = true
				}
				cur = LineString{lerp(p, q, s.lo), lerp(p, q, s.hi)}
			}
			open = s.hi == 1
			if !open {
				lines = append(lines, cur)
				cur = nil
			}
		}
		if len(spans) == 0 && open {
			lines = append(lines, cur)
			cur, open = nil, false
		}
	}
	if open {
		switch {
		case len(lines) == 0 && firstAtStart:
			// Shared all round: cur is the closed ring.
		case firstAtStart:
			// The last line runs on into the first across the ring's start.
			lines[0] = append(cur, lines[0][1:]...)
			return lines
		}
		lines = append(lines, cur)
	}
	return lines
}

// merge returns the union of the spans, sorted.
func merge(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
	out := spans[:0]
	for _, s := range spans {
		if n := len(out); n > 0 && s.lo <= out[n-1].hi {
			out[n-1].hi = max(out[n-1].hi, s.hi)
		} else {
			out = append(out, s)
		}
	}
	return out
}

// capsule returns the part of the segment pq within tol of the segment f: the
// line through p and q cut by the capsule of radius tol around f, which
// is convex, so the cut is one interval, the hull of its cuts by the two
// end discs and by the band along f.
func capsule(p, q Point, f seg, tol float64) (span, bool) {
	dx, dy := q.Lon-p.Lon, q.Lat-p.Lat
	lo, hi := math.Inf(1), math.Inf(-1)
	hull := func(a, b float64) {
		if a <= b {
			lo, hi = min(lo, a), max(hi, b)
		}
	}
	for _, c := range [2]Point{f.a, f.b} { // |p + s d - c|² <= tol²
		ex, ey := p.Lon-c.Lon, p.Lat-c.Lat
		A, B, C := dx*dx+dy*dy, 2*(ex*dx+ey*dy), ex*ex+ey*ey-tol*tol
		if disc := B*B - 4*A*C; disc >= 0 {
			r := math.Sqrt(disc)
			hull((-B-r)/(2*A), (-B+r)/(2*A))
		}
	}
	gx, gy := f.b.Lon-f.a.Lon, f.b.Lat-f.a.Lat
	g := math.Hypot(gx, gy)
	ex, ey := p.Lon-f.a.Lon, p.Lat-f.a.Lat
	// Along f: (e + s d)·g/|g|² in [0, 1]; across: (g × (e + s d))/|g| in [-tol, tol].
	a0, a1 := solve((ex*gx+ey*gy)/(g*g), (dx*gx+dy*gy)/(g*g), 0, 1)
	c0, c1 := solve((gx*ey-gy*ex)/g, (gx*dy-gy*dx)/g, -tol, tol)
	hull(max(a0, c0), min(a1, c1))
	lo, hi = max(lo, 0), min(hi, 1)
	return span{lo, hi}, lo <= hi
}

// solve returns the interval of s where lo <= v0 + s*dv <= hi, empty
// (first > second) when there is none.
func solve(v0, dv, lo, hi float64) (float64, float64) {
	if dv == 0 {
		if v0 >= lo && v0 <= hi {
			return math.Inf(-1), math.Inf(1)
		}
		return 1, 0
	}
	s0, s1 := (lo-v0)/dv, (hi-v0)/dv
	return min(s0, s1), max(s0, s1)
}

// trim drops the end segments of an open line while they add up to no
// more than limit, keeping at least one segment.
func trim(l LineString, limit float64) LineString {
	if l[0] == l[len(l)-1] {
		return l
	}
	seg := func(i int) float64 { return math.Hypot(l[i+1].Lon-l[i].Lon, l[i+1].Lat-l[i].Lat) }
	for cut := 0.0; len(l) > 2 && cut+seg(0) <= limit; l = l[1:] {
		cut += seg(0)
	}
	for cut := 0.0; len(l) > 2 && cut+seg(len(l)-2) <= limit; l = l[:len(l)-1] {
		cut += seg(len(l) - 2)
	}
	return l
}

// planarLength is the length of a line in degrees.
func planarLength(l LineString) float64 {
	var sum float64
	for i := 1; i < len(l); i++ {
		sum += math.Hypot(l[i].Lon-l[i-1].Lon, l[i].Lat-l[i-1].Lat)
	}
	return sum
}

// LengthM returns the geodesic length of the line strings in metres: the
// sum of the geodesic distances between consecutive points.
func LengthM(ml MultiLineString) float64 {
	var sum float64
	for _, l := range ml {
		for i := 1; i < len(l); i++ {
			sum += DistanceM(l[i-1], l[i])
		}
	}
	return sum
}
