package mapgen

import "fmt"

// triangulation is a Delaunay triangulation of sites plus four corner
// points far outside them. The corners bound every site's Voronoi cell, so
// all cells of real sites are finite polygons; no point of Syria is nearer
// a corner than a marker, so no corner cell reaches the map.
type triangulation struct {
	pts  []pt     // the sites, then the four corners
	n    int      // number of real sites: pts[:n]
	tris [][3]int // counter-clockwise vertex indices
}

// cornerDistance is how far (in degrees) the four bounding corners are
// from the sites' bounding box: far beyond any marker, close enough that
// the in-circle arithmetic stays in range.
const cornerDistance = 100

// delaunay triangulates pts (which must be distinct) by Bowyer–Watson
// insertion: each new point removes the triangles whose circumcircle holds
// it (the "cavity", a star-shaped polygon around it) and is joined to the
// cavity's boundary. The cavity is found by testing every triangle: O(n²),
// a second or so for the map's 5,650 sites, and nothing to get wrong in
// point location. The predicates are exact, so the result is a Delaunay
// triangulation of the float64 coordinates as given.
func delaunay(sites []pt) (*triangulation, error) {
	if len(sites) < 1 {
		return nil, fmt.Errorf("mapgen: no sites to triangulate")
	}
	minX, minY, maxX, maxY := sites[0].X, sites[0].Y, sites[0].X, sites[0].Y
	for _, p := range sites {
		minX, maxX = min(minX, p.X), max(maxX, p.X)
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	tr := &triangulation{n: len(sites)}
	tr.pts = append(append(tr.pts, sites...),
		pt{minX - cornerDistance, minY - cornerDistance}, pt{maxX + cornerDistance, minY - cornerDistance},
		pt{maxX + cornerDistance, maxY + cornerDistance}, pt{minX - cornerDistance, maxY + cornerDistance})
	c := len(sites)
	tr.tris = [][3]int{{c, c + 1, c + 2}, {c, c + 2, c + 3}}

	type edge struct{ a, b int }
	var bad []int
	cavity := map[edge]bool{}
	for i, p := range sites {
		bad = bad[:0]
		for t, v := range tr.tris {
			if inCircle(tr.pts[v[0]], tr.pts[v[1]], tr.pts[v[2]], p) > 0 {
				bad = append(bad, t)
			}
		}
		if len(bad) == 0 {
			return nil, fmt.Errorf("mapgen: site %d (%v) is in no circumcircle: a duplicate?", i, p)
		}
		clear(cavity)
		for _, t := range bad {
			v := tr.tris[t]
			for k := range 3 {
				cavity[edge{v[k], v[(k+1)%3]}] = true
			}
		}
		// The cavity's boundary: edges of removed triangles whose twin is not
		// removed too. New triangles go where the old ones were, in order, so
		// that the result does not depend on map iteration.
		var fresh [][3]int
		for _, t := range bad {
			v := tr.tris[t]
			for k := range 3 {
				a, b := v[k], v[(k+1)%3]
				if !cavity[edge{b, a}] {
					if orient(tr.pts[a], tr.pts[b], p) <= 0 {
						return nil, fmt.Errorf("mapgen: site %d (%v) does not see cavity edge %v–%v", i, p, tr.pts[a], tr.pts[b])
					}
					fresh = append(fresh, [3]int{a, b, i})
				}
			}
		}
		if len(fresh) != len(bad)+2 {
			return nil, fmt.Errorf("mapgen: site %d: cavity of %d triangles has %d boundary edges", i, len(bad), len(fresh))
		}
		for k, t := range bad {
			tr.tris[t] = fresh[k]
		}
		tr.tris = append(tr.tris, fresh[len(bad):]...)
	}
	return tr, nil
}

// circumcentre returns the centre of the circle through the triangle's
// vertices (which turn counter-clockwise, so the divisor is positive).
func circumcentre(a, b, c pt) pt {
	bx, by := b.X-a.X, b.Y-a.Y
	cx, cy := c.X-a.X, c.Y-a.Y
	d := 2 * (float64(bx*cy) - float64(by*cx))
	b2 := float64(bx*bx) + float64(by*by)
	c2 := float64(cx*cx) + float64(cy*cy)
	ux := (float64(cy*b2) - float64(by*c2)) / d
	uy := (float64(bx*c2) - float64(cx*b2)) / d
	return pt{a.X + ux, a.Y + uy}
}

// check verifies the triangulation: every triangle counter-clockwise, every
// interior edge shared by exactly two triangles in opposite directions, and
// no vertex strictly inside a neighbour's circumcircle (the local Delaunay
// property, which implies the global one).
func (tr *triangulation) check() error {
	type edge struct{ a, b int }
	owner := make(map[edge]int, 3*len(tr.tris))
	for t, v := range tr.tris {
		if orient(tr.pts[v[0]], tr.pts[v[1]], tr.pts[v[2]]) <= 0 {
			return fmt.Errorf("mapgen: triangle %v is not counter-clockwise", v)
		}
		for k := range 3 {
			e := edge{v[k], v[(k+1)%3]}
			if _, dup := owner[e]; dup {
				return fmt.Errorf("mapgen: edge %v appears twice", e)
			}
			owner[e] = t
		}
	}
	for t, v := range tr.tris {
		for k := range 3 {
			u, ok := owner[edge{v[(k+1)%3], v[k]}]
			if !ok {
				continue // the outer square
			}
			w := tr.tris[u]
			for _, x := range w {
				if x != v[0] && x != v[1] && x != v[2] && inCircle(tr.pts[v[0]], tr.pts[v[1]], tr.pts[v[2]], tr.pts[x]) > 0 {
					return fmt.Errorf("mapgen: triangles %d and %d are not locally Delaunay", t, u)
				}
			}
		}
	}
	return nil
}
