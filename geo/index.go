package geo

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// Item is a polygon to index, with the caller's id for it.
type Item struct {
	ID   int
	Geom MultiPolygon
}

// Hit is an item covering a point, and whether the point is on the item's
// boundary.
type Hit struct {
	ID         int
	OnBoundary bool
}

// Index is an R-tree over many prepared polygons — the zones of a map, the
// administrative boundaries — for locating points: bulk-loaded by
// Sort-Tile-Recursive with 16 children a node, descended with the
// children's boxes in float32 and without branches, then each candidate
// asked Prepared.Covers. It is immutable and safe for concurrent use.
type Index struct {
	tree  rtree
	ids   []int
	preps []Prepared // values, not pointers: one cache miss less per query
}

// NewIndex prepares every item and bulk-loads them into an R-tree.
func NewIndex(items []Item) *Index {
	ix := &Index{ids: make([]int, len(items)), preps: make([]Prepared, len(items))}
	boxes := make([]BBox, len(items))
	for i, it := range items {
		ix.ids[i] = it.ID
		ix.preps[i] = *Prepare(it.Geom)
		boxes[i] = ix.preps[i].box
	}
	ix.tree = newRtree(boxes)
	return ix
}

// Len returns the number of items.
func (ix *Index) Len() int { return len(ix.ids) }

// Locate returns every item covering pt, in ascending ID order, with the
// boundary flag.
func (ix *Index) Locate(pt Point) []Hit { return ix.AppendLocate(nil, pt) }

// AppendLocate is Locate appending to dst: with room in dst it does not
// allocate.
func (ix *Index) AppendLocate(dst []Hit, pt Point) []Hit {
	if len(ix.tree.nodes) == 0 {
		return dst
	}
	start := len(dst)
	dst = ix.locate(dst, len(ix.tree.nodes)-1, pt)
	hits := dst[start:]
	// Insertion sort: a point is in few items, and slices.SortFunc would
	// cost more than it saves.
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].ID < hits[j-1].ID; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	return dst
}

func (ix *Index) locate(dst []Hit, n int, pt Point) []Hit {
	t := &ix.tree
	node := &t.nodes[n]
	boxes := t.nbox
	if node.leaf {
		boxes = t.ebox
	}
	var mask uint32 // which children may hold pt
	for k, b := range boxes[node.first : node.first+node.n] {
		mask |= b.holds(pt) << k
	}
	for ; mask != 0; mask &= mask - 1 {
		i := node.first + int32(bits.TrailingZeros32(mask))
		if !node.leaf {
			dst = ix.locate(dst, int(i), pt)
			continue
		}
		id := t.ents[i].id
		if c, on := ix.preps[id].Covers(pt); c {
			dst = append(dst, Hit{ix.ids[id], on})
		}
	}
	return dst
}

// Nearest returns the IDs of up to k items by planar distance in degrees
// from pt to their geometry (0 for the items covering pt), nearest first,
// ties in ascending ID order; items with an empty geometry are never
// returned. It searches best-first, so it measures only the items whose
// boxes are nearer than the k-th nearest item.
func (ix *Index) Nearest(pt Point, k int) []int {
	if k <= 0 {
		return nil
	}
	type near struct {
		id int
		d  float64
	}
	var out []near
	var limit float64 // the distance of the k-th item found, once found
	ix.tree.nearest(pt, 1, func(i int32) float64 {
		d, _, _ := ix.preps[i].distance(pt, 1)
		return d
	}, func(i int32, d float64) bool {
		if len(out) >= k && d > limit || math.IsInf(d, 1) { // +Inf: an empty geometry
			return false
		}
		out = append(out, near{ix.ids[i], d})
		if len(out) == k {
			limit = d
		}
		return true
	})
	// Entries at the same distance come out in index order; order them by
	// the caller's ID.
	slices.SortStableFunc(out, func(a, b near) int {
		return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.id, b.id))
	})
	ids := make([]int, min(k, len(out)))
	for i := range ids {
		ids[i] = out[i].id
	}
	return ids
}
