package mapgen

import (
	"fmt"
	"math"
	"slices"
)

// The overlay turns the Voronoi diagram into areas in three steps, all on
// one set of points so that neighbours meet exactly:
//
//  1. boundaries: keep only the Voronoi edges between sites of different
//     classes (the merge: cells of one class lose the edges between them),
//     each as a segment that knows the class on its left and on its right.
//     A Voronoi vertex is a triangle's circumcentre, computed once and
//     shared by all the edges that meet there.
//  2. clip: cut those segments and the outline where they cross (each
//     crossing point computed once and used by both), keep the segment
//     pieces inside the outline, and give each outline piece the class of
//     the cell it runs through (read from the crossings: at each one the
//     class changes from the segment's one side to its other).
//  3. stitch: every piece is a directed edge with its class on the left;
//     per class, follow edges head to tail into rings. Outer rings come out
//     counter-clockwise and holes clockwise.

// snapGrid is the grid (in degrees, 1e-9 ≈ 0.1 mm) every computed point is
// snapped to, so that points that are equal in exact arithmetic but were
// rounded differently become one point, and edges shorter than that vanish.
const snapGrid = 1e9

func snap(p pt) pt {
	return pt{math.Round(p.X*snapGrid) / snapGrid, math.Round(p.Y*snapGrid) / snapGrid}
}

// segment is a Voronoi edge between two classes, from p to q, with class
// left on its left and right on its right.
type segment struct {
	p, q        pt
	left, right int
}

// boundaries returns the Voronoi edges between real sites of different
// classes (class[i] is site i's class index). For the Delaunay edge u→v of
// a triangle L (so L is on its left) and its twin in triangle R, the
// Voronoi edge runs from R's circumcentre to L's, with u on its left.
func boundaries(tr *triangulation, class []int) []segment {
	centre := make([]pt, len(tr.tris))
	for t, v := range tr.tris {
		centre[t] = snap(circumcentre(tr.pts[v[0]], tr.pts[v[1]], tr.pts[v[2]]))
	}
	type edge struct{ a, b int }
	owner := make(map[edge]int, 3*len(tr.tris))
	for t, v := range tr.tris {
		for k := range 3 {
			owner[edge{v[k], v[(k+1)%3]}] = t
		}
	}
	var segs []segment
	for t, v := range tr.tris {
		for k := range 3 {
			u, w := v[k], v[(k+1)%3]
			if u > w || u >= tr.n || w >= tr.n || class[u] == class[w] {
				continue // each edge once; corners' cells never reach the map
			}
			r, ok := owner[edge{w, u}]
			if !ok || centre[r] == centre[t] {
				continue
			}
			segs = append(segs, segment{p: centre[r], q: centre[t], left: class[u], right: class[w]})
		}
	}
	return segs
}

// dirEdge is a piece of an area's boundary, with the area on its left.
type dirEdge struct {
	from, to pt
	class    int
}

type crossing struct {
	seg, edge     int
	t, u          float64 // where along the segment and along the outline edge
	at            pt
	before, after int // the class on the outline before and after it
}

// clip cuts the class boundaries by the outline (counter-clockwise, not
// closed) and returns the directed edges of every area. classAt names the
// class at a point; it is asked only if no boundary crosses the outline.
func clip(segs []segment, outline []pt, classAt func(pt) int) ([]dirEdge, error) {
	n := len(outline)
	type box struct{ minX, minY, maxX, maxY float64 }
	boxes := make([]box, n)
	for i := range n {
		a, b := outline[i], outline[(i+1)%n]
		boxes[i] = box{min(a.X, b.X), min(a.Y, b.Y), max(a.X, b.X), max(a.Y, b.Y)}
	}
	inside := map[pt]bool{}
	isInside := func(p pt) (bool, error) {
		if in, ok := inside[p]; ok {
			return in, nil
		}
		in, err := inRing(p, outline)
		inside[p] = in
		return in, err
	}

	var crossings []crossing
	bySeg := make([][]int, len(segs))
	byEdge := make([][]int, n)
	for s, sg := range segs {
		p, q := sg.p, sg.q
		sb := box{min(p.X, q.X), min(p.Y, q.Y), max(p.X, q.X), max(p.Y, q.Y)}
		for e := range n {
			eb := boxes[e]
			if sb.maxX < eb.minX || eb.maxX < sb.minX || sb.maxY < eb.minY || eb.maxY < sb.minY {
				continue
			}
			a, b := outline[e], outline[(e+1)%n]
			o1, o2 := orient(a, b, p), orient(a, b, q)
			o3, o4 := orient(p, q, a), orient(p, q, b)
			if o1*o2 >= 0 || o3*o4 >= 0 {
				if segmentsMeet(p, q, a, b) {
					return nil, fmt.Errorf("mapgen: boundary %v–%v touches outline edge %v–%v without crossing it", p, q, a, b)
				}
				continue
			}
			rx, ry := q.X-p.X, q.Y-p.Y
			sx, sy := b.X-a.X, b.Y-a.Y
			den := float64(rx*sy) - float64(ry*sx)
			apx, apy := a.X-p.X, a.Y-p.Y
			t := clamp01((float64(apx*sy) - float64(apy*sx)) / den)
			u := clamp01((float64(apx*ry) - float64(apy*rx)) / den)
			c := crossing{seg: s, edge: e, t: t, u: u, at: snap(pt{p.X + float64(t*rx), p.Y + float64(t*ry)})}
			if o3 < 0 { // the outline comes from the segment's right side
				c.before, c.after = sg.right, sg.left
			} else {
				c.before, c.after = sg.left, sg.right
			}
			bySeg[s] = append(bySeg[s], len(crossings))
			byEdge[e] = append(byEdge[e], len(crossings))
			crossings = append(crossings, c)
		}
	}

	var out []dirEdge
	add := func(a, b pt, class int) {
		if a != b {
			out = append(out, dirEdge{a, b, class})
		}
	}

	// Segment pieces inside the outline: they alternate in and out from p.
	for s, sg := range segs {
		cs := bySeg[s]
		slices.SortFunc(cs, func(i, j int) int {
			if d := cmpF(crossings[i].t, crossings[j].t); d != 0 {
				return d
			}
			return crossings[i].edge - crossings[j].edge
		})
		in, err := isInside(sg.p)
		if err != nil {
			return nil, err
		}
		from := sg.p
		for _, c := range cs {
			if in {
				add(from, crossings[c].at, sg.left)
				add(crossings[c].at, from, sg.right)
			}
			from, in = crossings[c].at, !in
		}
		if in {
			add(from, sg.q, sg.left)
			add(sg.q, from, sg.right)
		}
		inQ, err := isInside(sg.q)
		if err != nil {
			return nil, err
		}
		if in != inQ {
			return nil, fmt.Errorf("mapgen: boundary %v–%v: %d crossings but ends inside=%v", sg.p, sg.q, len(cs), inQ)
		}
	}

	// Outline pieces: walk the outline, changing class at each crossing.
	cur, first := -1, -1
	for e := range n {
		cs := byEdge[e]
		slices.SortFunc(cs, func(i, j int) int {
			if d := cmpF(crossings[i].u, crossings[j].u); d != 0 {
				return d
			}
			return crossings[i].seg - crossings[j].seg
		})
		if first < 0 && len(cs) > 0 {
			first = crossings[cs[0]].before
		}
	}
	if first < 0 {
		first = classAt(outline[0])
	}
	cur = first
	for e := range n {
		from := outline[e]
		for _, c := range byEdge[e] {
			x := crossings[c]
			if x.before != cur {
				return nil, fmt.Errorf("mapgen: outline at %v: reached as class %d, the boundary says %d", x.at, cur, x.before)
			}
			add(from, x.at, cur)
			from, cur = x.at, x.after
		}
		add(from, outline[(e+1)%n], cur)
	}
	if cur != first {
		return nil, fmt.Errorf("mapgen: the outline walk ends in class %d, began in %d", cur, first)
	}
	return out, nil
}

func clamp01(x float64) float64 { return min(max(x, 0), 1) }

// inRing reports whether p is inside the ring (not closed), by the
// crossings of a ray towards +x, decided with exact orientations. A point
// on the ring is an error: the overlay has no rule for it.
func inRing(p pt, ring []pt) (bool, error) {
	in := false
	n := len(ring)
	for i := range n {
		a, b := ring[i], ring[(i+1)%n]
		if (a.Y > p.Y) == (b.Y > p.Y) {
			continue
		}
		o := orient(a, b, p)
		if o == 0 {
			return false, fmt.Errorf("mapgen: point %v is on the outline", p)
		}
		if (o > 0) == (b.Y > a.Y) {
			in = !in
		}
	}
	return in, nil
}

// stitch follows the directed edges into rings, per class. Where several
// edges of one class leave a vertex (two cells of a class touching at a
// corner), an edge continues with the one that turns most to the right, so
// that the two wedges become two rings rather than one ring that touches
// itself.
func stitch(edges []dirEdge, nClasses int) ([][][]pt, error) {
	type key struct {
		class int
		p     pt
	}
	out := map[key][]int{}
	for i, e := range edges {
		k := key{e.class, e.from}
		out[k] = append(out[k], i)
	}
	next := make([]int, len(edges))
	for i, e := range edges {
		cs := out[key{e.class, e.to}]
		if len(cs) == 0 {
			return nil, fmt.Errorf("mapgen: class %d: no edge leaves %v", e.class, e.to)
		}
		back := math.Atan2(e.from.Y-e.to.Y, e.from.X-e.to.X)
		best, bestTurn := -1, 0.0
		for _, c := range cs {
			d := edges[c]
			turn := back - math.Atan2(d.to.Y-d.from.Y, d.to.X-d.from.X) // clockwise angle from back
			for turn <= 0 {
				turn += 2 * math.Pi
			}
			for turn > 2*math.Pi {
				turn -= 2 * math.Pi
			}
			if best < 0 || turn < bestTurn {
				best, bestTurn = c, turn
			}
		}
		next[i] = best
	}
	// next must be a permutation: every edge followed by exactly one.
	seen := make([]bool, len(edges))
	for _, j := range next {
		if seen[j] {
			return nil, fmt.Errorf("mapgen: edge %v→%v follows two edges", edges[j].from, edges[j].to)
		}
		seen[j] = true
	}
	rings := make([][][]pt, nClasses)
	done := make([]bool, len(edges))
	for i := range edges {
		if done[i] {
			continue
		}
		var ring []pt
		for j := i; !done[j]; j = next[j] {
			done[j] = true
			ring = append(ring, edges[j].from)
		}
		c := edges[i].class
		rings[c] = append(rings[c], ring)
	}
	return rings, nil
}
