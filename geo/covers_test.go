package geo_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"truce/geo"
)

// rect is the counter-clockwise ring of a rectangle.
func rect(x0, y0, x1, y1 float64) geo.Ring {
	return geo.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// reversed is the ring run the other way round.
func reversed(r geo.Ring) geo.Ring {
	out := slices.Clone(r)
	slices.Reverse(out)
	return out
}

func mid(a, b geo.Point) geo.Point { return geo.Point{(a.Lon + b.Lon) / 2, (a.Lat + b.Lat) / 2} }

func TestCovers(t *testing.T) {
	holed := geo.MultiPolygon{{rect(0, 0, 10, 10), reversed(rect(4, 4, 6, 6))}}
	diamond := geo.MultiPolygon{{{{0, 5}, {5, 0}, {10, 5}, {5, 10}, {0, 5}}}}
	step := geo.MultiPolygon{{{{0, 0}, {10, 0}, {10, 5}, {15, 5}, {15, 10}, {0, 10}, {0, 0}}}}
	collinear := geo.MultiPolygon{{{{0, 0}, {5, 0}, {10, 0}, {10, 5}, {10, 10}, {0, 10}, {0, 5}, {0, 0}}}}
	clockwise := geo.MultiPolygon{{reversed(rect(0, 0, 10, 10))}}
	slanted := geo.MultiPolygon{{{{0, 0}, {0.3, 0.1}, {0, 1}, {0, 0}}}}
	a, b := geo.Point{36.123, 35.456}, geo.Point{36.789, 35.999}
	syria := geo.MultiPolygon{{{a, b, {36.2, 36.5}, a}}}
	two := geo.MultiPolygon{{rect(0, 0, 1, 1)}, {rect(2, 0, 3, 1)}}
	lerp := func(a, b geo.Point, t float64) geo.Point {
		return geo.Point{a.Lon + t*(b.Lon-a.Lon), a.Lat + t*(b.Lat-a.Lat)}
	}
	for _, tt := range []struct {
		name        string
		mp          geo.MultiPolygon
		pt          geo.Point
		covered, on bool
	}{
		{"inside", holed, geo.Point{2, 2}, true, false},
		{"outside right", holed, geo.Point{11, 5}, false, false},
		{"outside left", holed, geo.Point{-1, 5}, false, false},
		{"outside above", holed, geo.Point{5, 10.5}, false, false},
		{"on horizontal edge", holed, geo.Point{5, 0}, true, true},
		{"on top edge", holed, geo.Point{5, 10}, true, true},
		{"on vertical edge", holed, geo.Point{10, 3}, true, true},
		{"on left edge", holed, geo.Point{0, 7}, true, true},
		{"on vertex", holed, geo.Point{10, 10}, true, true},
		{"on first vertex", holed, geo.Point{0, 0}, true, true},
		{"in hole", holed, geo.Point{5, 5}, false, false},
		{"on hole edge", holed, geo.Point{4, 5}, true, true},
		{"on hole vertex", holed, geo.Point{6, 6}, true, true},
		{"between hole and shell", holed, geo.Point{5, 2}, true, false},
		{"ray through far vertex", diamond, geo.Point{1, 5}, true, false},
		{"ray through both side vertices", diamond, geo.Point{-1, 5}, false, false},
		{"ray through bottom vertex's line", diamond, geo.Point{-1, 0}, false, false},
		{"ray along horizontal edge, inside", step, geo.Point{2, 5}, true, false},
		{"on horizontal edge of step", step, geo.Point{12, 5}, true, true},
		{"ray along horizontal edge, outside", step, geo.Point{17, 5}, false, false},
		{"below step", step, geo.Point{12, 4}, false, false},
		{"above step", step, geo.Point{12, 6}, true, false},
		{"ray through top vertex of step", step, geo.Point{-3, 10}, false, false},
		{"collinear vertices, inside", collinear, geo.Point{5, 5}, true, false},
		{"collinear vertices, on middle vertex", collinear, geo.Point{5, 0}, true, true},
		{"collinear vertices, ray through middle vertex", collinear, geo.Point{-2, 5}, false, false},
		{"collinear vertices, on edge", collinear, geo.Point{10, 7}, true, true},
		{"clockwise, inside", clockwise, geo.Point{3, 3}, true, false},
		{"clockwise, outside", clockwise, geo.Point{13, 3}, false, false},
		{"clockwise, on edge", clockwise, geo.Point{10, 3}, true, true},
		{"midpoint of slanted edge", slanted, mid(geo.Point{0, 0}, geo.Point{0.3, 0.1}), true, true},
		{"third of slanted edge", slanted, geo.Point{0.1, 0.1 / 3}, true, true},
		{"just inside slanted edge", slanted, geo.Point{0.15, 0.05 + 1e-9}, true, false},
		{"just outside slanted edge", slanted, geo.Point{0.15, 0.05 - 1e-9}, false, false},
		{"on slanted edge at Syria", syria, lerp(a, b, 0.37), true, true},
		{"on slanted edge at Syria, near end", syria, lerp(a, b, 0.999), true, true},
		{"off slanted edge at Syria by 1e-9", syria, geo.Point{lerp(a, b, 0.37).Lon + 1e-9, lerp(a, b, 0.37).Lat}, false, false},
		{"multipolygon, second", two, geo.Point{2.5, 0.5}, true, false},
		{"multipolygon, between", two, geo.Point{1.5, 0.5}, false, false},
		{"multipolygon, edge of second", two, geo.Point{3, 0.5}, true, true},
		{"empty", nil, geo.Point{0, 0}, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			covered, on := geo.Prepare(tt.mp).Covers(tt.pt)
			if covered != tt.covered || on != tt.on {
				t.Errorf("Covers(%v) = %v, %v, want %v, %v", tt.pt, covered, on, tt.covered, tt.on)
			}
		})
	}
}

// TestCoversSharedEdge checks that two polygons sharing an edge, run in
// opposite directions, agree on every point along it and near it.
func TestCoversSharedEdge(t *testing.T) {
	for _, tt := range []struct {
		name string
		a, b geo.MultiPolygon
		p, q geo.Point // the shared edge
	}{
		{"squares", geo.MultiPolygon{{rect(0, 0, 1, 1)}}, geo.MultiPolygon{{reversed(rect(1, 0, 2, 1))}}, geo.Point{1, 0}, geo.Point{1, 1}},
		{"triangles on a slanted edge",
			geo.MultiPolygon{{{{0, 0}, {0.3, 0.1}, {0, 1}, {0, 0}}}},
			geo.MultiPolygon{{{{0, 0}, {0.3, 0}, {0.3, 0.1}, {0, 0}}}},
			geo.Point{0, 0}, geo.Point{0.3, 0.1}},
		{"triangles at Syria",
			geo.MultiPolygon{{{{36.1, 35.2}, {36.7, 35.9}, {36.1, 35.9}, {36.1, 35.2}}}},
			geo.MultiPolygon{{{{36.7, 35.9}, {36.1, 35.2}, {36.7, 35.2}, {36.7, 35.9}}}},
			geo.Point{36.1, 35.2}, geo.Point{36.7, 35.9}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pa, pb := geo.Prepare(tt.a), geo.Prepare(tt.b)
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range 2000 {
				f := rng.Float64()
				on := geo.Point{tt.p.Lon + f*(tt.q.Lon-tt.p.Lon), tt.p.Lat + f*(tt.q.Lat-tt.p.Lat)}
				if i == 0 {
					on = mid(tt.p, tt.q)
				}
				ca, oa := pa.Covers(on)
				cb, ob := pb.Covers(on)
				if !ca || !oa || !cb || !ob {
					t.Fatalf("Covers(%v) = %v, %v and %v, %v, want true, true for both", on, ca, oa, cb, ob)
				}
				// Nudged off the edge by a few ulps to 1e-6: in exactly one.
				d := math.Pow(10, -6-9*rng.Float64())
				off := geo.Point{on.Lon + d*(rng.Float64()-0.5), on.Lat + d*(rng.Float64()-0.5)}
				ca, oa = pa.Covers(off)
				cb, ob = pb.Covers(off)
				if oa != ob || !oa && ca == cb {
					t.Fatalf("Covers(%v) = %v, %v and %v, %v, want both on the line or in exactly one", off, ca, oa, cb, ob)
				}
			}
		})
	}
}

// star returns a random star-shaped ring of n vertices around c, radii in
// [r/5, r], counter-clockwise.
func star(rng *rand.Rand, c geo.Point, r float64, n int) geo.Ring {
	angles := make([]float64, n)
	for i := range angles {
		angles[i] = rng.Float64() * 2 * math.Pi
	}
	slices.Sort(angles)
	angles = slices.Compact(angles)
	ring := make(geo.Ring, 0, n+1)
	for _, a := range angles {
		rad := r * (0.2 + 0.8*rng.Float64())
		ring = append(ring, geo.Point{c.Lon + rad*math.Cos(a), c.Lat + rad*math.Sin(a)})
	}
	return append(ring, ring[0])
}

// refInside is a plain O(n) winding-number test (Sunday, 2001): a
// reference for points off the boundary.
func refInside(ring geo.Ring, p geo.Point) bool {
	wn := 0
	for i := 0; i+1 < len(ring); i++ {
		a, b := ring[i], ring[i+1]
		isLeft := (b.Lon-a.Lon)*(p.Lat-a.Lat) - (p.Lon-a.Lon)*(b.Lat-a.Lat)
		if a.Lat <= p.Lat {
			if b.Lat > p.Lat && isLeft > 0 {
				wn++
			}
		} else if b.Lat <= p.Lat && isLeft < 0 {
			wn--
		}
	}
	return wn != 0
}

// refDistance is the planar distance from p to the ring.
func refDistance(ring geo.Ring, p geo.Point) float64 {
	best := math.Inf(1)
	for i := 0; i+1 < len(ring); i++ {
		a, b := ring[i], ring[i+1]
		dx, dy := b.Lon-a.Lon, b.Lat-a.Lat
		t := 0.0
		if l2 := dx*dx + dy*dy; l2 > 0 {
			t = min(max(((p.Lon-a.Lon)*dx+(p.Lat-a.Lat)*dy)/l2, 0), 1)
		}
		best = min(best, math.Hypot(a.Lon+t*dx-p.Lon, a.Lat+t*dy-p.Lat))
	}
	return best
}

func TestCoversRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	polygons, points := 300, 300
	if testing.Short() {
		polygons = 50
	}
	for i := range polygons {
		n := 5 + rng.IntN(496)
		c := geo.Point{36 + rng.Float64(), 35 + rng.Float64()}
		shell := star(rng, c, 0.5, n)
		poly := geo.Polygon{shell}
		if i%2 == 1 { // a hole well inside the shell's smallest radius
			poly = append(poly, reversed(star(rng, c, 0.09, 5+rng.IntN(50))))
		}
		p := geo.Prepare(geo.MultiPolygon{poly})
		t.Run(fmt.Sprintf("%d/vertices=%d", i, n), func(t *testing.T) {
			for range points {
				pt := geo.Point{c.Lon + 1.2*(rng.Float64()-0.5), c.Lat + 1.2*(rng.Float64()-0.5)}
				d := refDistance(shell, pt)
				want := refInside(shell, pt)
				if len(poly) == 2 {
					d = min(d, refDistance(poly[1], pt))
					want = want && !refInside(poly[1], pt)
				}
				if d < 1e-12 {
					continue
				}
				if got, on := p.Covers(pt); got != want || on {
					t.Fatalf("Covers(%v) = %v, %v, want %v, false", pt, got, on, want)
				}
			}
			// Points on the edges are on the boundary.
			for range 50 {
				j := rng.IntN(len(shell) - 1)
				a, b := shell[j], shell[j+1]
				f := rng.Float64()
				pt := geo.Point{a.Lon + f*(b.Lon-a.Lon), a.Lat + f*(b.Lat-a.Lat)}
				if got, on := p.Covers(pt); !got || !on {
					t.Fatalf("Covers(%v) on edge %d = %v, %v, want true, true", pt, j, got, on)
				}
			}
		})
	}
}
