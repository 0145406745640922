package geo_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"truce/geo"
)

// randomItems returns n overlapping star polygons over 10°×10° of Syria,
// with shuffled ids, some with a second polygon or a hole.
func randomItems(rng *rand.Rand, n int) []geo.Item {
	ids := rng.Perm(n)
	items := make([]geo.Item, n)
	for i := range items {
		c := geo.Point{35 + 10*rng.Float64(), 31 + 10*rng.Float64()}
		r := 0.1 + 0.9*rng.Float64()
		poly := geo.Polygon{star(rng, c, r, 5+rng.IntN(200))}
		if i%3 == 0 {
			poly = append(poly, reversed(star(rng, c, r/6, 8)))
		}
		mp := geo.MultiPolygon{poly}
		if i%5 == 0 {
			mp = append(mp, geo.Polygon{rect(c.Lon+r+0.1, c.Lat, c.Lon+r+0.3, c.Lat+0.2)})
		}
		items[i] = geo.Item{ID: 1000 + ids[i], Geom: mp}
	}
	return items
}

func TestLocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	items := randomItems(rng, 500)
	ix := geo.NewIndex(items)
	preps := make([]*geo.Prepared, len(items))
	for i, it := range items {
		preps[i] = geo.Prepare(it.Geom)
	}
	points := 10000
	if testing.Short() {
		points = 1000
	}
	var hits int
	for range points {
		pt := geo.Point{34.5 + 11*rng.Float64(), 30.5 + 11*rng.Float64()}
		var want []geo.Hit
		for i, p := range preps {
			if c, on := p.Covers(pt); c {
				want = append(want, geo.Hit{ID: items[i].ID, OnBoundary: on})
			}
		}
		slices.SortFunc(want, func(a, b geo.Hit) int { return a.ID - b.ID })
		got := ix.Locate(pt)
		if !slices.Equal(got, want) {
			t.Fatalf("Locate(%v) = %v, want %v", pt, got, want)
		}
		hits += len(got)
	}
	if hits < points/2 {
		t.Errorf("only %d hits for %d points: the test polygons miss the points", hits, points)
	}
	// On a vertex: a hit on the boundary.
	v := items[0].Geom[0][0][3]
	if got := ix.Locate(v); !slices.Contains(got, geo.Hit{ID: items[0].ID, OnBoundary: true}) {
		t.Errorf("Locate(vertex %v) = %v, want a boundary hit on %d", v, got, items[0].ID)
	}
}

func TestAppendLocateAllocates(t *testing.T) {
	ix := geo.NewIndex(randomItems(rand.New(rand.NewPCG(5, 6)), 200))
	dst := make([]geo.Hit, 0, 64)
	pt := geo.Point{40, 36}
	if n := testing.AllocsPerRun(100, func() { dst = ix.AppendLocate(dst[:0], pt) }); n != 0 {
		t.Errorf("AppendLocate allocates %v times, want 0", n)
	}
}

// planarDistance is the reference distance from pt to an item: 0 when
// covered, else the distance to the nearest ring.
func planarDistance(mp geo.MultiPolygon, pt geo.Point) float64 {
	if c, _ := geo.Prepare(mp).Covers(pt); c {
		return 0
	}
	d := math.Inf(1)
	for _, poly := range mp {
		for _, r := range poly {
			d = min(d, refDistance(r, pt))
		}
	}
	return d
}

func TestNearest(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	items := randomItems(rng, 300)
	ix := geo.NewIndex(items)
	for _, k := range []int{1, 5, 20} {
		for range 50 {
			pt := geo.Point{33 + 14*rng.Float64(), 29 + 14*rng.Float64()}
			got := ix.Nearest(pt, k)
			if len(got) != k {
				t.Fatalf("len(Nearest(%v, %d)) = %d, want %d", pt, k, len(got), k)
			}
			dist := map[int]float64{}
			var all []float64
			for _, it := range items {
				dist[it.ID] = planarDistance(it.Geom, pt)
				all = append(all, dist[it.ID])
			}
			slices.Sort(all)
			for i, id := range got {
				if i > 0 && dist[id] < dist[got[i-1]]-1e-12 {
					t.Fatalf("Nearest(%v, %d) = %v: item %d at %g after one at %g", pt, k, got, id, dist[id], dist[got[i-1]])
				}
				if math.Abs(dist[id]-all[i]) > 1e-12 {
					t.Fatalf("Nearest(%v, %d)[%d] = %d at %g, want one at %g", pt, k, i, id, dist[id], all[i])
				}
			}
		}
	}
	if got := ix.Nearest(geo.Point{40, 35}, 0); got != nil {
		t.Errorf("Nearest(k=0) = %v, want nil", got)
	}
	if got := geo.NewIndex(nil).Nearest(geo.Point{40, 35}, 3); len(got) != 0 {
		t.Errorf("Nearest on an empty index = %v, want none", got)
	}
	if got := geo.NewIndex(nil).Locate(geo.Point{40, 35}); len(got) != 0 {
		t.Errorf("Locate on an empty index = %v, want none", got)
	}
}

func TestNearestTiesByID(t *testing.T) {
	ix := geo.NewIndex([]geo.Item{
		{ID: 7, Geom: geo.MultiPolygon{{rect(0, 0, 2, 2)}}},
		{ID: 3, Geom: geo.MultiPolygon{{rect(0, 0, 1, 1)}}},
		{ID: 5, Geom: geo.MultiPolygon{{rect(5, 5, 6, 6)}}},
		{ID: 4, Geom: geo.MultiPolygon{{rect(0.5, 0.5, 3, 3)}}},
		{ID: 1, Geom: nil},
	})
	if got, want := ix.Nearest(geo.Point{0.75, 0.75}, 9), []int{3, 4, 7, 5}; !slices.Equal(got, want) {
		t.Errorf("Nearest = %v, want %v", got, want)
	}
	if got, want := ix.Locate(geo.Point{1, 1}), []geo.Hit{{3, true}, {4, false}, {7, false}}; !slices.Equal(got, want) {
		t.Errorf("Locate = %v, want %v", got, want)
	}
}
