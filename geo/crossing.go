package geo

import "truce"

// vedge is an edge of a polygon under validation.
type vedge struct {
	ring int // index of its ring in the polygon
	k, n int // its index among its ring's edges, and their number
	v    int // index of its start among the ring's positions as given
}

// fault is an intersection that breaks a rule: edge j runs into edge i.
type fault struct {
	i, j int32
	kind contact
	at   Point
}

// checkCrossings checks that no ring of the polygon crosses, touches or
// overlaps itself and no two rings cross or overlap. Of all the faults it
// reports the one whose later edge comes first in the rings' order, so the
// answer does not depend on how the edges were bucketed.
func checkCrossings(ps paths, p int, poly Polygon) error {
	var segs []seg
	var meta []vedge
	for r, ring := range poly {
		first := len(meta)
		for i := range len(ring) - 1 {
			if ring[i] != ring[i+1] {
				segs = append(segs, seg{ring[i], ring[i+1]})
				meta = append(meta, vedge{ring: r, k: len(meta) - first, v: i})
			}
		}
		for x := first; x < len(meta); x++ {
			meta[x].n = len(meta) - first
		}
	}
	var worst fault
	found := false
	m := maxAbs(MultiPolygon{poly})
	pairs(segs, 2*Eps*m, func(i, j int32) {
		if found && (j > worst.j || j == worst.j && i >= worst.i) {
			return
		}
		a, b := segs[i], segs[j]
		if clearlyApart(a.a, a.b, b.a, b.b, m) || clearlyApart(b.a, b.b, a.a, a.b, m) {
			return // neither meet nor, for neighbours, fold back
		}
		if f, bad := judge(segs, meta, i, j); bad {
			worst, found = f, true
		}
	})
	if !found {
		return nil
	}
	ei, ej := meta[worst.i], meta[worst.j]
	field := ps.vertex(p, ej.ring, ej.v)
	verb := map[contact]string{crosses: "crosses", touches: "touches", overlaps: "overlaps"}[worst.kind]
	if ei.ring == ej.ring {
		return truce.Invalidf(field, "ring %d %s itself at %s", ej.ring, verb, formatAt(worst.at))
	}
	return truce.Invalidf(field, "ring %d %s ring %d at %s", ej.ring, verb, ei.ring, formatAt(worst.at))
}

// judge tells whether edges i < j meet in a way the rules forbid.
func judge(segs []seg, meta []vedge, i, j int32) (fault, bool) {
	a, b := segs[i], segs[j]
	mi, mj := meta[i], meta[j]
	if mi.ring == mj.ring {
		// Neighbours share a vertex; they may not fold back over each other.
		var u, v, w Point
		switch {
		case mj.k == mi.k+1:
			u, v, w = a.a, a.b, b.b
		case mi.k == 0 && mj.k == mi.n-1:
			u, v, w = b.a, b.b, a.b
		default:
			if kind, at := meet(a.a, a.b, b.a, b.b); kind != apart {
				return fault{i, j, kind, at}, true
			}
			return fault{}, false
		}
		back := (u.Lon-v.Lon)*(w.Lon-v.Lon)+(u.Lat-v.Lat)*(w.Lat-v.Lat) > 0
		if orient(u, v, w) == 0 && back {
			return fault{i, j, overlaps, v}, true
		}
		return fault{}, false
	}
	if kind, at := meet(a.a, a.b, b.a, b.b); kind == crosses || kind == overlaps {
		return fault{i, j, kind, at}, true
	}
	return fault{}, false
}

// checkHoles checks that every hole lies inside the outer ring and none
// inside another hole. Once no rings cross, a hole is inside the outer
// ring when its vertices and the middles of its edges are covered by it.
func checkHoles(ps paths, p int, poly Polygon) error {
	if len(poly) < 2 {
		return nil
	}
	shell := Prepare(MultiPolygon{{poly[0]}})
	for r, hole := range poly[1:] {
		r++
		for v := range len(hole) - 1 {
			for _, pt := range []Point{hole[v], lerp(hole[v], hole[v+1], 0.5)} {
				if c, _ := shell.Covers(pt); !c {
					return truce.Invalidf(ps.vertex(p, r, v), "ring %d, a hole, is outside the outer ring at %s", r, formatAt(pt))
				}
			}
		}
	}
	// A hole is inside another when one of its vertices off the other's
	// boundary is covered by it; no rings cross, so one vertex tells.
	holes := make([]*Prepared, len(poly))
	boxes := make([]BBox, len(poly)-1)
	for r, hole := range poly[1:] {
		boxes[r] = MultiPolygon{{hole}}.BBox()
	}
	tree := newRtree(boxes)
	var err error
	for s := 1; s < len(poly) && err == nil; s++ {
		tree.search(boxes[s-1], func(id int32) bool {
			r := int(id) + 1
			if r == s {
				return true
			}
			if holes[r] == nil {
				holes[r] = Prepare(MultiPolygon{{poly[r]}})
			}
			for _, pt := range poly[s] {
				if c, on := holes[r].Covers(pt); !on {
					if c {
						err = truce.Invalidf(ps.ring(p, s), "ring %d, a hole, is inside ring %d, another hole", s, r)
					}
					break
				}
			}
			return err == nil
		})
	}
	return err
}
