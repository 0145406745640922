package mapgen

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Rings are written with coordinates rounded to 6 decimals (≈ 0.1 m), so
// after stitching they are moved to a grid of micro-degrees and cleaned
// there, in exact integer arithmetic: repeated points and spikes left by
// edges shorter than the grid are removed, a ring that comes to touch
// itself is split in two at that point, and points on a straight line
// between their only two neighbours are dropped. Then every edge of every
// ring is checked against every other: they may share end points, never
// cross or touch elsewhere.

// ipt is a point in micro-degrees.
type ipt struct{ X, Y int64 }

const micro = 1e6

func toMicro(p pt) ipt { return ipt{int64(math.Round(p.X * micro)), int64(math.Round(p.Y * micro))} }

// cross is the z component of (b-a)×(c-a): positive if a, b, c turn
// counter-clockwise. Coordinates within Syria's box keep it far from
// overflow (|differences| < 10⁷, products < 10¹⁴).
func cross(a, b, c ipt) int64 { return (b.X-a.X)*(c.Y-a.Y) - (b.Y-a.Y)*(c.X-a.X) }

// area2 is twice the ring's signed area in square micro-degrees.
func area2(r []ipt) int64 {
	var s int64
	for i := 1; i+1 < len(r); i++ {
		s += cross(r[0], r[i], r[i+1])
	}
	return s
}

// clean removes repeated points and spikes (a, b, a) from a ring, wrapping
// around, and splits it where it visits a point twice. Rings left with
// fewer than three points or no area are dropped.
func clean(r []ipt) [][]ipt {
	for changed := true; changed && len(r) > 0; {
		changed = false
		var s []ipt
		for _, p := range r {
			switch {
			case len(s) > 0 && s[len(s)-1] == p:
				changed = true
			case len(s) > 1 && s[len(s)-2] == p:
				s = s[:len(s)-1]
				changed = true
			default:
				s = append(s, p)
			}
		}
		// wrap-around: the end against the start
		for len(s) > 1 && s[len(s)-1] == s[0] {
			s, changed = s[:len(s)-1], true
		}
		for len(s) > 2 && s[len(s)-2] == s[0] {
			s, changed = s[:len(s)-1], true
		}
		for len(s) > 2 && s[len(s)-1] == s[1] {
			s, changed = s[1:], true
		}
		r = s
	}
	if len(r) < 3 {
		return nil
	}
	at := map[ipt]int{}
	for j, p := range r {
		if i, ok := at[p]; ok {
			a := slices.Clone(r[i:j])
			b := append(slices.Clone(r[j:]), r[:i]...)
			return append(clean(a), clean(b)...)
		}
		at[p] = j
	}
	if area2(r) == 0 {
		return nil
	}
	return [][]ipt{r}
}

// dropStraight removes, from every ring, each point that has exactly two
// neighbours over all rings and lies on the straight segment between them:
// such a point is on one line shared by at most two areas, so removing it
// everywhere leaves the areas meeting exactly.
func dropStraight(rings [][]ipt) [][]ipt {
	nb := map[ipt][]ipt{}
	addNb := func(p, q ipt) {
		if !slices.Contains(nb[p], q) {
			nb[p] = append(nb[p], q)
		}
	}
	for _, r := range rings {
		for i, p := range r {
			q := r[(i+1)%len(r)]
			addNb(p, q)
			addNb(q, p)
		}
	}
	straight := func(p ipt) bool {
		n := nb[p]
		if len(n) != 2 || cross(n[0], p, n[1]) != 0 {
			return false
		}
		return (n[0].X-p.X)*(n[1].X-p.X)+(n[0].Y-p.Y)*(n[1].Y-p.Y) < 0
	}
	out := make([][]ipt, 0, len(rings))
	for _, r := range rings {
		var s []ipt
		for _, p := range r {
			if !straight(p) {
				s = append(s, p)
			}
		}
		out = append(out, s)
	}
	return out
}

// startAtMin rotates a ring to begin at its least point (by X, then Y), so
// that the output does not depend on where stitching began.
func startAtMin(r []ipt) []ipt {
	k := 0
	for i, p := range r {
		if cmpIpt(p, r[k]) < 0 {
			k = i
		}
	}
	return append(slices.Clone(r[k:]), r[:k]...)
}

func cmpIpt(a, b ipt) int {
	if c := cmp.Compare(a.X, b.X); c != 0 {
		return c
	}
	return cmp.Compare(a.Y, b.Y)
}

// where a point is against a ring.
const (
	outside = iota
	inside
	onBoundary
)

// locate says whether p is inside ring r, outside or on it, exactly.
func locate(p ipt, r []ipt) int {
	in := false
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		if onSegment(a, b, p) {
			return onBoundary
		}
		if (a.Y > p.Y) == (b.Y > p.Y) {
			continue
		}
		if (cross(a, b, p) > 0) == (b.Y > a.Y) {
			in = !in
		}
	}
	if in {
		return inside
	}
	return outside
}

func onSegment(a, b, p ipt) bool {
	return cross(a, b, p) == 0 && min(a.X, b.X) <= p.X && p.X <= max(a.X, b.X) && min(a.Y, b.Y) <= p.Y && p.Y <= max(a.Y, b.Y)
}

// polygons groups one class's rings into polygons: each counter-clockwise
// ring is a shell, each clockwise ring a hole of the smallest shell that
// holds it. Polygons are ordered by area, largest first; holes by their
// first point.
func polygons(rings [][]ipt) ([][][]ipt, error) {
	type shell struct {
		ring  []ipt
		area  int64
		holes [][]ipt
	}
	var shells []*shell
	var holes [][]ipt
	for _, r := range rings {
		if a := area2(r); a > 0 {
			shells = append(shells, &shell{ring: r, area: a})
		} else {
			holes = append(holes, r)
		}
	}
	for _, h := range holes {
		var best *shell
		for _, s := range shells {
			if best != nil && s.area >= best.area {
				continue
			}
			for _, p := range h {
				if w := locate(p, s.ring); w != onBoundary {
					if w == inside {
						best = s
					}
					break
				}
			}
		}
		if best == nil {
			return nil, fmt.Errorf("mapgen: hole at %v is in no shell", h[0])
		}
		best.holes = append(best.holes, h)
	}
	slices.SortFunc(shells, func(a, b *shell) int {
		if c := cmp.Compare(b.area, a.area); c != 0 {
			return c
		}
		return cmpIpt(a.ring[0], b.ring[0])
	})
	var out [][][]ipt
	for _, s := range shells {
		slices.SortFunc(s.holes, func(a, b []ipt) int { return cmpIpt(a[0], b[0]) })
		out = append(out, append([][]ipt{s.ring}, s.holes...))
	}
	return out, nil
}

// checkNoding checks that no two edges of the rings cross or touch except
// at shared end points: then every ring is simple and no two areas
// overlap. Edges are swept by their least X.
func checkNoding(rings [][]ipt) error {
	type seg struct{ a, b ipt }
	set := map[seg]bool{}
	var segs []seg
	for _, r := range rings {
		for i, a := range r {
			b := r[(i+1)%len(r)]
			if cmpIpt(b, a) < 0 {
				a, b = b, a
			}
			if !set[seg{a, b}] {
				set[seg{a, b}] = true
				segs = append(segs, seg{a, b})
			}
		}
	}
	slices.SortFunc(segs, func(s, t seg) int { return cmpIpt(s.a, t.a) })
	for i, s := range segs {
		for _, t := range segs[i+1:] {
			if t.a.X > s.b.X {
				break
			}
			if max(s.a.Y, s.b.Y) < min(t.a.Y, t.b.Y) || max(t.a.Y, t.b.Y) < min(s.a.Y, s.b.Y) {
				continue
			}
			shared := s.a == t.a || s.a == t.b || s.b == t.a || s.b == t.b
			o1, o2 := cross(s.a, s.b, t.a), cross(s.a, s.b, t.b)
			o3, o4 := cross(t.a, t.b, s.a), cross(t.a, t.b, s.b)
			switch {
			case o1 == 0 && o2 == 0: // collinear: may only meet at one shared end
				if overlapCollinear(s.a, s.b, t.a, t.b) {
					return fmt.Errorf("mapgen: edges %v–%v and %v–%v overlap", s.a, s.b, t.a, t.b)
				}
			case shared:
			case (o1 > 0) != (o2 > 0) && (o3 > 0) != (o4 > 0) && o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0:
				return fmt.Errorf("mapgen: edges %v–%v and %v–%v cross", s.a, s.b, t.a, t.b)
			case onSegment(s.a, s.b, t.a) || onSegment(s.a, s.b, t.b) || onSegment(t.a, t.b, s.a) || onSegment(t.a, t.b, s.b):
				return fmt.Errorf("mapgen: edges %v–%v and %v–%v touch", s.a, s.b, t.a, t.b)
			}
		}
	}
	return nil
}

// overlapCollinear reports whether two collinear segments (each with a ≤ b)
// share more than one end point.
func overlapCollinear(a, b, c, d ipt) bool {
	lo, hi := a, b
	if cmpIpt(c, lo) > 0 {
		lo = c
	}
	if cmpIpt(d, hi) < 0 {
		hi = d
	}
	return cmpIpt(lo, hi) < 0
}
