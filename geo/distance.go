package geo

import "math"

// DistanceToM returns the geodesic distance in metres from pt to the
// nearest point of the (multi)polygon's boundary, 0 when the polygon covers
// pt, and +Inf for an empty multipolygon. The nearest boundary point is
// found planar-ly in an equirectangular projection centred on pt
// (longitudes scaled by the cosine of pt's latitude), then measured
// geodesically.
func DistanceToM(pt Point, mp MultiPolygon) float64 {
	d, _ := NearestM(pt, mp)
	return d
}

// NearestM is DistanceToM with the polygon's point nearest pt: pt itself
// when the polygon covers it, the zero Point when the polygon is empty.
func NearestM(pt Point, mp MultiPolygon) (metres float64, at Point) {
	p := Prepare(mp)
	if p.bbox.Empty() {
		return math.Inf(1), Point{}
	}
	_, at, covered := p.distance(pt, cosScale(pt.Lat))
	if covered {
		return 0, pt
	}
	return DistanceM(pt, at), at
}

// DistanceBetweenM returns the least geodesic distance in metres between
// two (multi)polygons, with the nearest points pa of a and pb of b. It is
// 0 when they intersect or touch, with pa = pb a common point; +Inf when
// either is empty. The nearest points are found planar-ly in an
// equirectangular projection centred on the pair's bounding box, each
// vertex of one against an R-tree of the other's edges.
func DistanceBetweenM(a, b MultiPolygon) (metres float64, pa, pb Point) {
	sa, sb := edgesOf(a), edgesOf(b)
	if len(sa) == 0 || len(sb) == 0 {
		return math.Inf(1), Point{}, Point{}
	}
	ia, ib := newSegIndex(sa), newSegIndex(sb)
	// Boundaries that meet.
	pad := 2 * Eps * max(maxAbs(a), maxAbs(b))
	for _, s := range sa {
		var at Point
		found := false
		ib.tree.search(s.box().Expand(pad), func(id int32) bool {
			f := ib.segs[id]
			var kind contact
			kind, at = meet(s.a, s.b, f.a, f.b)
			found = kind != apart
			return !found
		})
		if found {
			return 0, at, at
		}
	}
	// Boundaries apart: either one polygon holds the other, which then
	// holds a vertex of it, or they are apart.
	if at, ok := holdsVertex(Prepare(b), a); ok {
		return 0, at, at
	}
	if at, ok := holdsVertex(Prepare(a), b); ok {
		return 0, at, at
	}
	box := a.BBox().Union(b.BBox())
	cx := cosScale((box.MinLat + box.MaxLat) / 2)
	best := math.Inf(1)
	near := func(from []seg, to segIndex, swap bool) {
		for _, s := range from {
			v := s.a
			to.tree.nearest(v, cx, func(id int32) float64 {
				_, d2 := closest(to.segs[id].a, to.segs[id].b, v, cx)
				return math.Sqrt(d2)
			}, func(id int32, d float64) bool {
				if d < best {
					f := to.segs[id]
					t, _ := closest(f.a, f.b, v, cx)
					best, pa, pb = d, v, lerp(f.a, f.b, t)
					if swap {
						pa, pb = pb, pa
					}
				}
				return false
			})
		}
	}
	near(sa, ib, false)
	near(sb, ia, true)
	return DistanceM(pa, pb), pa, pb
}

// holdsVertex returns the first vertex of an outer ring of mp that p
// covers.
func holdsVertex(p *Prepared, mp MultiPolygon) (Point, bool) {
	for _, poly := range mp {
		if len(poly) > 0 && len(poly[0]) > 0 {
			if c, _ := p.Covers(poly[0][0]); c {
				return poly[0][0], true
			}
		}
	}
	return Point{}, false
}

// cosScale is the scale of longitudes in an equirectangular projection
// centred at latitude lat, kept above zero at the poles.
func cosScale(lat float64) float64 { return max(math.Cos(lat*rad), 1e-9) }

// segIndex is an R-tree over segments.
type segIndex struct {
	segs []seg
	tree rtree
}

func newSegIndex(segs []seg) segIndex {
	boxes := make([]BBox, len(segs))
	for i, s := range segs {
		boxes[i] = s.box()
	}
	return segIndex{segs, newRtree(boxes)}
}

// edgesOf returns the edges of every ring, without zero-length ones; an
// unclosed ring is taken as closed.
func edgesOf(mp MultiPolygon) []seg {
	var segs []seg
	for _, poly := range mp {
		for _, ring := range poly {
			for i := range ring {
				a, b := ring[i], ring[(i+1)%len(ring)]
				if a != b {
					segs = append(segs, seg{a, b})
				}
			}
		}
	}
	return segs
}
