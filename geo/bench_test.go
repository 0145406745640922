package geo_test

import (
	"fmt"
	"reflect"
	"testing"

	"truce/geo"
)

func TestSyntheticGrid(t *testing.T) {
	polys, box := geo.SyntheticGrid(50, 300, 1)
	again, _ := geo.SyntheticGrid(50, 300, 1)
	if !reflect.DeepEqual(polys, again) {
		t.Fatalf("SyntheticGrid is not deterministic")
	}
	if other, _ := geo.SyntheticGrid(50, 300, 2); reflect.DeepEqual(polys, other) {
		t.Fatalf("SyntheticGrid(seed 2) = SyntheticGrid(seed 1)")
	}
	if len(polys) != 50 {
		t.Fatalf("len(SyntheticGrid(50, …)) = %d, want 50", len(polys))
	}
	for i, mp := range polys {
		if err := geo.Validate(fmt.Sprintf("polygons[%d]", i), mp, 300); err != nil {
			t.Fatalf("Validate = %v, want nil", err)
		}
		b := mp.BBox()
		if b.MinLon < box.MinLon || b.MaxLon > box.MaxLon || b.MinLat < box.MinLat || b.MaxLat > box.MaxLat {
			t.Errorf("polygon %d's box %v is outside %v", i, b, box)
		}
		for j := range i {
			if b.Intersects(polys[j].BBox()) {
				t.Errorf("polygons %d and %d overlap", j, i)
			}
		}
	}
	pts := geo.SyntheticPoints(1000, box, 3)
	if again := geo.SyntheticPoints(1000, box, 3); !reflect.DeepEqual(pts, again) {
		t.Fatalf("SyntheticPoints is not deterministic")
	}
	for _, p := range pts {
		if !box.Contains(p) {
			t.Fatalf("point %v is outside %v", p, box)
		}
	}
}

// BenchmarkLocate locates a million precomputed random points among 2,000
// polygons on a grid over 10°×10° (SyntheticGrid), and reports the cost
// per point; the index and the points are made before the clock starts.
func BenchmarkLocate(b *testing.B) {
	const points = 1_000_000
	for _, vertices := range []int{200, 2000} {
		b.Run(fmt.Sprintf("polygons=2000/vertices=%d", vertices), func(b *testing.B) {
			polys, box := geo.SyntheticGrid(2000, vertices, 1)
			items := make([]geo.Item, len(polys))
			for i, mp := range polys {
				items[i] = geo.Item{ID: i, Geom: mp}
			}
			ix := geo.NewIndex(items)
			pts := geo.SyntheticPoints(points, box, 2)
			dst := make([]geo.Hit, 0, 8)
			hits, runs := 0, 0
			for b.Loop() {
				for _, p := range pts {
					dst = ix.AppendLocate(dst[:0], p)
					hits += len(dst)
				}
				runs++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(runs*points), "ns/point")
			b.ReportMetric(float64(hits)/float64(runs*points), "hits/point")
		})
	}
}

// BenchmarkPrepare measures preparing one polygon for point queries.
func BenchmarkPrepare(b *testing.B) {
	for _, vertices := range []int{200, 2000, 20000} {
		b.Run(fmt.Sprintf("vertices=%d", vertices), func(b *testing.B) {
			polys, _ := geo.SyntheticGrid(1, vertices, 1)
			for b.Loop() {
				geo.Prepare(polys[0])
			}
		})
	}
}
