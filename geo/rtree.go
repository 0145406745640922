package geo

import (
	"cmp"
	"math"
	"slices"
)

// rtree is a static R-tree over boxes, bulk-loaded by Sort-Tile-Recursive
// (Leutenegger et al., 1997) with nodeSize children per node. It indexes
// polygons in Index and edges in segIndex.
type rtree struct {
	nodes []rnode // children before parents; the root is last
	ents  []rent  // the boxes in leaf order

	// The boxes of nodes and ents again, widened to float32: a point
	// query reads a node's children in 4 cache lines instead of 10, which
	// matters when the polygons' own data crowd the tree out of the cache.
	nbox, ebox []box32
}

// box32 is a BBox rounded outwards to float32.
type box32 struct{ minLon, minLat, maxLon, maxLat float32 }

func newBox32(b BBox) box32 {
	down := func(v float64) float32 {
		f := float32(v)
		if float64(f) > v {
			f = math.Nextafter32(f, float32(math.Inf(-1)))
		}
		return f
	}
	up := func(v float64) float32 {
		f := float32(v)
		if float64(f) < v {
			f = math.Nextafter32(f, float32(math.Inf(1)))
		}
		return f
	}
	return box32{down(b.MinLon), down(b.MinLat), up(b.MaxLon), up(b.MaxLat)}
}

// holds is 1 when b holds p, else 0, computed without branches: random
// points make a descent's branches unpredictable, and mispredictions cost
// more than the comparisons.
func (b *box32) holds(p Point) uint32 {
	return bit(p.Lon >= float64(b.minLon)) & bit(p.Lon <= float64(b.maxLon)) &
		bit(p.Lat >= float64(b.minLat)) & bit(p.Lat <= float64(b.maxLat))
}

func bit(b bool) uint32 {
	var u uint32
	if b {
		u = 1
	}
	return u
}

const nodeSize = 16

type rnode struct {
	box   BBox
	first int32 // index of the first child, in nodes or (leaf) in ents
	n     int32
	leaf  bool
}

type rent struct {
	box BBox
	id  int32
}

// newRtree indexes boxes; entry i of boxes has id i.
func newRtree(boxes []BBox) rtree {
	var t rtree
	if len(boxes) == 0 {
		return t
	}
	t.ents = make([]rent, len(boxes))
	for i, b := range boxes {
		t.ents[i] = rent{b, int32(i)}
	}
	strSort(t.ents, func(e rent) BBox { return e.box })
	level := make([]rnode, 0, (len(t.ents)+nodeSize-1)/nodeSize)
	for i := 0; i < len(t.ents); i += nodeSize {
		n := min(nodeSize, len(t.ents)-i)
		box := emptyBBox
		for _, e := range t.ents[i : i+n] {
			box = box.Union(e.box)
		}
		level = append(level, rnode{box, int32(i), int32(n), true})
	}
	for len(level) > 1 {
		strSort(level, func(n rnode) BBox { return n.box })
		base := len(t.nodes)
		t.nodes = append(t.nodes, level...)
		var up []rnode
		for i := 0; i < len(level); i += nodeSize {
			n := min(nodeSize, len(level)-i)
			box := emptyBBox
			for _, c := range level[i : i+n] {
				box = box.Union(c.box)
			}
			up = append(up, rnode{box, int32(base + i), int32(n), false})
		}
		level = up
	}
	t.nodes = append(t.nodes, level[0])
	t.nbox = make([]box32, len(t.nodes))
	for i, n := range t.nodes {
		t.nbox[i] = newBox32(n.box)
	}
	t.ebox = make([]box32, len(t.ents))
	for i, e := range t.ents {
		t.ebox[i] = newBox32(e.box)
	}
	return t
}

// strSort orders xs by tiles: vertical slices by the centres' longitude,
// each slice sorted by the centres' latitude, so that every run of
// nodeSize is compact.
func strSort[T any](xs []T, box func(T) BBox) {
	cx := func(a, b T) int { return cmp.Compare(box(a).MinLon+box(a).MaxLon, box(b).MinLon+box(b).MaxLon) }
	cy := func(a, b T) int { return cmp.Compare(box(a).MinLat+box(a).MaxLat, box(b).MinLat+box(b).MaxLat) }
	slices.SortStableFunc(xs, cx)
	leaves := (len(xs) + nodeSize - 1) / nodeSize
	slice := nodeSize * int(math.Ceil(math.Sqrt(float64(leaves))))
	for i := 0; i < len(xs); i += slice {
		slices.SortStableFunc(xs[i:min(i+slice, len(xs))], cy)
	}
}

// search calls fn with the id of every box that meets q, until fn returns
// false.
func (t *rtree) search(q BBox, fn func(id int32) bool) {
	if len(t.nodes) > 0 {
		t.searchNode(len(t.nodes)-1, q, fn)
	}
}

func (t *rtree) searchNode(n int, q BBox, fn func(id int32) bool) bool {
	node := &t.nodes[n]
	if !node.box.Intersects(q) {
		return true
	}
	for i := node.first; i < node.first+node.n; i++ {
		if node.leaf {
			if t.ents[i].box.Intersects(q) && !fn(t.ents[i].id) {
				return false
			}
		} else if !t.searchNode(int(i), q, fn) {
			return false
		}
	}
	return true
}

// nearest visits entries in ascending order of exact(id), the distance
// from pt to entry id, until visit returns false. exact must be at least
// the distance from pt to the entry's box, longitudes scaled by cx. Ties go
// to the lower id.
func (t *rtree) nearest(pt Point, cx float64, exact func(id int32) float64, visit func(id int32, d float64) bool) {
	if len(t.nodes) == 0 {
		return
	}
	var q queue
	root := len(t.nodes) - 1
	q.push(qitem{t.nodes[root].box.distance(pt, cx), int32(root), true})
	for len(q) > 0 {
		it := q.pop()
		if !it.node {
			if !visit(it.ref, it.d) {
				return
			}
			continue
		}
		node := &t.nodes[it.ref]
		for i := node.first; i < node.first+node.n; i++ {
			if node.leaf {
				q.push(qitem{exact(t.ents[i].id), t.ents[i].id, false})
			} else {
				q.push(qitem{t.nodes[i].box.distance(pt, cx), i, true})
			}
		}
	}
}

// qitem is a node or an entry waiting in the best-first queue.
type qitem struct {
	d    float64
	ref  int32 // node index or entry id
	node bool
}

// before orders the queue: nearer first; at the same distance nodes first,
// so that every entry at that distance is queued before any is visited,
// then lower ids.
func (a qitem) before(b qitem) bool {
	if a.d != b.d {
		return a.d < b.d
	}
	if a.node != b.node {
		return a.node
	}
	return a.ref < b.ref
}

// queue is a binary min-heap of qitems.
type queue []qitem

func (q *queue) push(it qitem) {
	*q = append(*q, it)
	h := *q
	for i := len(h) - 1; i > 0; {
		up := (i - 1) / 2
		if !h[i].before(h[up]) {
			break
		}
		h[i], h[up] = h[up], h[i]
		i = up
	}
}

func (q *queue) pop() qitem {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, small := 2*i+1, i
		if l < len(h) && h[l].before(h[small]) {
			small = l
		}
		if l+1 < len(h) && h[l+1].before(h[small]) {
			small = l + 1
		}
		if small == i {
			break
		}
		h[i], h[small] = h[small], h[i]
		i = small
	}
	*q = h
	return top
}
