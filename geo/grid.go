package geo

import "math"

// seg is a segment, an edge of a ring.
type seg struct{ a, b Point }

func (s seg) box() BBox { return segBBox(s.a, s.b) }

// pairs calls fn(i, j), i < j, for every two segments whose boxes, widened
// by pad, meet — and for some others, some more than once. It buckets the
// segments into a grid of cells, each segment in the cells its line passes
// through, and recurses into crowded cells; below leafSize segments it
// tests every pair. So a ring of n edges costs about O(n log n), unless
// many long edges pile up in the same place (then no grid separates them,
// and the pairs are tested one by one).
func pairs(segs []seg, pad float64, fn func(i, j int32)) {
	ids := make([]int32, len(segs))
	box := emptyBBox
	for i, s := range segs {
		ids[i] = int32(i)
		box = box.Union(s.box())
	}
	subdivide(segs, ids, box.Expand(pad), pad, 0, fn)
}

const leafSize = 24

func subdivide(segs []seg, ids []int32, box BBox, pad float64, depth int, fn func(i, j int32)) {
	n := len(ids)
	if n <= leafSize || depth == 12 {
		allPairs(segs, ids, box, pad, fn)
		return
	}
	// Try square grids and horizontal and vertical strips, of n/2 cells and
	// coarser ones (long edges would fill fine cells past the limit of 4n
	// references), and keep the one that leaves the fewest pairs to test;
	// recurse only when that is well under the n² of testing them all.
	best, bestCost := grid{}, n*n/2
	w, h := box.MaxLon-box.MinLon, box.MaxLat-box.MinLat
	for cells := n / 2; cells >= 4; cells /= 4 {
		shapes := [][2]int{{1, cells}, {cells, 1}}
		if side := math.Sqrt(w * h / float64(cells)); side > 0 {
			shapes = append(shapes, [2]int{int(math.Ceil(w / side)), int(math.Ceil(h / side))})
		}
		for _, s := range shapes {
			g := newGrid(box, min(s[0], cells), min(s[1], cells))
			if cost, ok := g.cost(segs, ids, pad, 4*n); ok && cost < bestCost {
				best, bestCost = g, cost
			}
		}
	}
	if best.nx == 0 {
		allPairs(segs, ids, box, pad, fn)
		return
	}
	start, refs := best.fill(segs, ids, pad)
	for c := range best.nx * best.ny {
		if in := refs[start[c]:start[c+1]]; len(in) >= 2 {
			subdivide(segs, in, best.cell(c), pad, depth+1, fn)
		}
	}
}

// allPairs tests the segments in a cell pair by pair. Only what lies in
// the cell matters — a common point of two segments lies in a cell both
// pass through — so it compares the boxes of the segments clipped to the
// cell, which for long edges are much smaller than their own.
func allPairs(segs []seg, ids []int32, cell BBox, pad float64, fn func(i, j int32)) {
	cell = cell.Expand(pad)
	boxes := make([]BBox, 0, len(ids))
	in := make([]int32, 0, len(ids))
	for _, i := range ids {
		if b, ok := clipBox(segs[i], cell); ok {
			boxes = append(boxes, b.Expand(pad))
			in = append(in, i)
		}
	}
	for x, i := range in {
		for y, j := range in[x+1:] {
			if boxes[x].Intersects(boxes[x+1+y]) {
				fn(min(i, j), max(i, j))
			}
		}
	}
}

// clipBox returns the box of the part of s inside box (Liang–Barsky), or
// false when s misses it.
func clipBox(s seg, box BBox) (BBox, bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := s.b.Lon-s.a.Lon, s.b.Lat-s.a.Lat
	for _, c := range [4][2]float64{
		{-dx, s.a.Lon - box.MinLon}, {dx, box.MaxLon - s.a.Lon},
		{-dy, s.a.Lat - box.MinLat}, {dy, box.MaxLat - s.a.Lat},
	} {
		p, q := c[0], c[1]
		if p == 0 {
			if q < 0 {
				return BBox{}, false
			}
			continue
		}
		r := q / p
		if p < 0 {
			t0 = max(t0, r)
		} else {
			t1 = min(t1, r)
		}
	}
	if t0 > t1 {
		return BBox{}, false
	}
	return segBBox(lerp(s.a, s.b, t0), lerp(s.a, s.b, t1)), true
}

// grid is nx by ny cells over box; a flat dimension has a single cell.
type grid struct {
	box    BBox
	nx, ny int
	w, h   float64 // cell size
}

func newGrid(box BBox, nx, ny int) grid {
	nx, ny = max(nx, 1), max(ny, 1)
	g := grid{box: box, nx: nx, ny: ny, w: 1, h: 1}
	if w := box.MaxLon - box.MinLon; w > 0 {
		g.w = w / float64(nx)
	} else {
		g.nx = 1
	}
	if h := box.MaxLat - box.MinLat; h > 0 {
		g.h = h / float64(ny)
	} else {
		g.ny = 1
	}
	return g
}

func (g grid) col(x float64) int { return min(max(int((x-g.box.MinLon)/g.w), 0), g.nx-1) }
func (g grid) row(y float64) int { return min(max(int((y-g.box.MinLat)/g.h), 0), g.ny-1) }

func (g grid) cell(c int) BBox {
	x, y := float64(c%g.nx), float64(c/g.nx)
	return BBox{g.box.MinLon + x*g.w, g.box.MinLat + y*g.h, g.box.MinLon + (x+1)*g.w, g.box.MinLat + (y+1)*g.h}
}

// cover calls fn with every cell that the segment, widened by pad, passes
// through: column by column, the rows between the segment's latitudes at
// the column's sides.
func (g grid) cover(s seg, pad float64, fn func(c int)) {
	a, b := s.a, s.b
	if a.Lon > b.Lon {
		a, b = b, a
	}
	loLat, hiLat := min(a.Lat, b.Lat), max(a.Lat, b.Lat)
	latAt := func(x float64) float64 {
		if b.Lon == a.Lon {
			return a.Lat
		}
		x = min(max(x, a.Lon), b.Lon)
		return min(max(a.Lat+(x-a.Lon)*(b.Lat-a.Lat)/(b.Lon-a.Lon), loLat), hiLat)
	}
	c0, c1 := g.col(a.Lon-pad), g.col(b.Lon+pad)
	for c := c0; c <= c1; c++ {
		y0, y1 := loLat, hiLat
		if b.Lon > a.Lon {
			left := g.box.MinLon + float64(c)*g.w
			if c == c0 {
				left = a.Lon
			}
			right := left + g.w
			if c == c1 {
				right = b.Lon
			}
			y0, y1 = latAt(left-pad), latAt(right+pad)
			y0, y1 = min(y0, y1), max(y0, y1)
		}
		for r := g.row(y0 - pad); r <= g.row(y1+pad); r++ {
			fn(r*g.nx + c)
		}
	}
}

// cost returns the number of pairs left in the cells, Σ count², or false
// when the cells would hold more than limit references.
func (g grid) cost(segs []seg, ids []int32, pad float64, limit int) (int, bool) {
	count := make([]int, g.nx*g.ny)
	total := 0
	for _, i := range ids {
		g.cover(segs[i], pad, func(c int) { count[c]++; total++ })
		if total > limit {
			return 0, false
		}
	}
	sum := 0
	for _, k := range count {
		sum += k * k
	}
	return sum, true
}

// fill buckets the segments: cell c holds refs[start[c]:start[c+1]].
func (g grid) fill(segs []seg, ids []int32, pad float64) (start []int, refs []int32) {
	start = make([]int, g.nx*g.ny+1)
	for _, i := range ids {
		g.cover(segs[i], pad, func(c int) { start[c+1]++ })
	}
	for c := range g.nx * g.ny {
		start[c+1] += start[c]
	}
	refs = make([]int32, start[len(start)-1])
	next := append([]int(nil), start...)
	for _, i := range ids {
		g.cover(segs[i], pad, func(c int) { refs[next[c]] = i; next[c]++ })
	}
	return start, refs
}
