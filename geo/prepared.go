package geo

import "math"

// Prepared is a (multi)polygon made ready for many point queries. Its
// edges are bucketed into horizontal bands: a query looks at the one band
// holding the point's latitude, so it costs O(k), k the number of edges in
// the band — about twice the number of times a horizontal line crosses the
// boundary, not the number of edges. The bands hold copies of their edges,
// so that a query reads one run of memory; they are chosen so that they
// hold about twice the number of edges in all, some 64 bytes an edge.
//
// A Prepared is immutable and safe for concurrent use.
type Prepared struct {
	// What Covers reads first, together in two cache lines.
	box             BBox    // bbox widened by pad: no point outside it is covered
	pad             float64 // at least the tolerance of any point near an edge
	minLat, perBand float64 // band of latitude y is (y-minLat)*perBand
	start           []int32 // band b holds edge[start[b]:start[b+1]]
	edge            []seg   // from the lower end (lower, as in orient) to the upper
	poly            []int32 // the polygon of each edge, for multipolygons; nil for one polygon

	bbox BBox // of every ring
}

// Prepare indexes mp for Covers. It does not validate mp; an unclosed ring
// is taken as closed. Polygons of a multipolygon are taken as their union,
// so a point is covered when any polygon covers it.
func Prepare(mp MultiPolygon) *Prepared {
	p := &Prepared{bbox: mp.BBox()}
	p.pad = 2 * Eps * maxAbs(mp)
	p.box = p.bbox.Expand(p.pad)
	var edges []seg
	var polys []int32
	for i, poly := range mp {
		for _, e := range edgesOf(MultiPolygon{poly}) {
			if !lower(e.a, e.b) {
				e.a, e.b = e.b, e.a
			}
			edges = append(edges, e)
			polys = append(polys, int32(i))
		}
	}
	p.band(edges, polys, len(mp) > 1)
	return p
}

// band buckets the edges, in order. The number of bands nb is the number
// of edges, lowered so that the buckets hold about 2n edges: an edge of
// height h is in about 1 + h*nb/H bands, H the height of the polygon.
func (p *Prepared) band(edges []seg, polys []int32, multi bool) {
	n := len(edges)
	nb := 1
	height := p.bbox.MaxLat - p.bbox.MinLat
	if n > 0 && height > 0 {
		var sum float64
		for _, e := range edges {
			sum += e.b.Lat - e.a.Lat + 2*p.pad
		}
		nb = max(int(min(float64(n), float64(n)*height/sum, 1<<22)), 1)
		p.minLat, p.perBand = p.bbox.MinLat, float64(nb)/height
	}
	p.start = make([]int32, nb+1)
	for _, e := range edges {
		for b := p.bandOf(e.a.Lat - p.pad); b <= p.bandOf(e.b.Lat+p.pad); b++ {
			p.start[b+1]++
		}
	}
	for b := range nb {
		p.start[b+1] += p.start[b]
	}
	p.edge = make([]seg, p.start[nb])
	if multi {
		p.poly = make([]int32, p.start[nb])
	}
	next := append([]int32(nil), p.start[:nb]...)
	for i, e := range edges {
		for b := p.bandOf(e.a.Lat - p.pad); b <= p.bandOf(e.b.Lat+p.pad); b++ {
			p.edge[next[b]] = e
			if multi {
				p.poly[next[b]] = polys[i]
			}
			next[b]++
		}
	}
}

func (p *Prepared) bandOf(lat float64) int {
	b := int((lat - p.minLat) * p.perBand)
	return min(max(b, 0), len(p.start)-2)
}

// BBox returns the bounding box of the polygon.
func (p *Prepared) BBox() BBox { return p.bbox }

// Covers reports whether pt is in the polygon or on its boundary
// (ST_Covers), and whether it is on the boundary: on an edge or a vertex of
// any ring, holes included, within the tolerance of the package
// documentation. A point in a hole is not covered.
//
// Points off the boundary are decided by counting the edges crossed by a
// ray from pt towards +longitude, per polygon; an edge counts when it
// spans pt's latitude half-open (lower end included, upper end excluded),
// so a ray through a vertex or along a horizontal edge counts right.
func (p *Prepared) Covers(pt Point) (covered, onBoundary bool) {
	if !p.box.Contains(pt) {
		return false, false
	}
	band := p.bandOf(pt.Lat)
	lo, hi := p.start[band], p.start[band+1]
	edges := p.edge[lo:hi]
	var polys []int32
	if p.poly != nil {
		polys = p.poly[lo:hi] // edges are in order, so polygon by polygon
	}
	cur, odd := int32(0), false
	for k := range edges {
		a, b := edges[k].a, edges[k].b
		if pt.Lat < a.Lat-p.pad || pt.Lat > b.Lat+p.pad {
			continue
		}
		if polys != nil && polys[k] != cur {
			covered = covered || odd
			cur, odd = polys[k], false
		}
		// The same computation as orient and onSegment, inlined.
		dx, dy := b.Lon-a.Lon, b.Lat-a.Lat
		cross := dx*(pt.Lat-a.Lat) - dy*(pt.Lon-a.Lon)
		t := Eps * magnitude(a, b, pt)
		if math.Abs(cross) <= t*(math.Abs(dx)+math.Abs(dy)) &&
			pt.Lon >= min(a.Lon, b.Lon)-t && pt.Lon <= max(a.Lon, b.Lon)+t &&
			pt.Lat >= a.Lat-t && pt.Lat <= b.Lat+t {
			return true, true
		}
		if a.Lat <= pt.Lat && pt.Lat < b.Lat && cross > 0 {
			odd = !odd
		}
	}
	return covered || odd, false
}

// distance returns the planar distance in degrees, longitudes scaled by
// cx, from pt to the nearest boundary point, that point, and whether the
// polygon covers pt (then the distance is 0 and the point is pt).
func (p *Prepared) distance(pt Point, cx float64) (float64, Point, bool) {
	if c, _ := p.Covers(pt); c {
		return 0, pt, true
	}
	best, at := math.Inf(1), pt
	for _, e := range p.edge { // an edge in several bands is measured again: no matter
		if t, d2 := closest(e.a, e.b, pt, cx); d2 < best {
			best, at = d2, lerp(e.a, e.b, t)
		}
	}
	return math.Sqrt(best), at, false
}
