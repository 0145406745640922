package postgres_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"
	"time"

	"truce"
	"truce/geo"
)

// requireGeometry skips a test when the store keeps no geometry (the server
// has no PostGIS), and fails it when $TRUCE_REQUIRE_POSTGIS is set (set by
// scripts/pg when the server it started has PostGIS).
func requireGeometry(t *testing.T, db interface {
	HasGeometry(context.Context) (bool, error)
}) {
	t.Helper()
	ok, err := db.HasGeometry(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		return
	}
	if os.Getenv("TRUCE_REQUIRE_POSTGIS") != "" {
		t.Fatal("$TRUCE_REQUIRE_POSTGIS is set, but the store keeps no zone geometry: PostGIS is missing")
	}
	t.Skip("the server has no PostGIS: zones are not kept as geometry")
}

// TestZoneGeometryAgrees stores the benchmark's polygons (geo.SyntheticGrid,
// as bench/postgis uses) as zones through the store, and requires truce's
// own classification (geo.Index) to give the same (point, zone) pairs as
// PostGIS ST_Covers on the geometry the database derived from the zones'
// JSON: for random points, and for points on the zones' vertices, where
// both count a point on the boundary as covered. A pair only one side has
// is allowed only within 1e-9° of the boundary, where truce's
// on-the-line tolerance decides (geo.Eps); there must be none elsewhere.
func TestZoneGeometryAgrees(t *testing.T) {
	db := mustOpen(t)
	requireGeometry(t, db)
	polys, box := geo.SyntheticGrid(300, 40, 1)
	pts := geo.SyntheticPoints(20000, box, 2)
	for _, mp := range polys {
		for j := 0; j < len(mp[0][0]); j += 7 {
			pts = append(pts, mp[0][0][j])
		}
	}
	from := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(t.Context(), func(tx truce.Tx) error {
		for i, mp := range polys {
			z := &truce.Zone{ID: truce.ZoneID(fmt.Sprintf("z%04d", i)), Kind: truce.ZoneControl, Controller: "SYG",
				ValidFrom: from, Claimant: "RU", State: truce.ZoneStateApproved, Entry: int64(i + 1)}
			for _, poly := range mp {
				var rings [][][2]float64
				for _, ring := range poly {
					var r [][2]float64
					for _, p := range ring {
						r = append(r, [2]float64{p.Lon, p.Lat})
					}
					rings = append(rings, r)
				}
				z.Geometry = append(z.Geometry, rings)
			}
			if err := tx.PutZone(z); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	type pair struct{ pt, zone int }
	items := make([]geo.Item, len(polys))
	for i, mp := range polys {
		items[i] = geo.Item{ID: i, Geom: mp}
	}
	ix := geo.NewIndex(items)
	var goPairs []pair
	for i, p := range pts {
		for _, h := range ix.Locate(p) {
			goPairs = append(goPairs, pair{i, h.ID})
		}
	}
	xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		xs[i], ys[i] = p.Lon, p.Lat
	}
	rows, err := db.SQL().QueryContext(t.Context(), `SELECT p.i - 1, substr(g.zone, 2)::int
		FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p (x, y, i)
		JOIN zone_geometries g ON ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326))`, xs, ys)
	if err != nil {
		t.Fatal(err)
	}
	var pgPairs []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.pt, &p.zone); err != nil {
			t.Fatal(err)
		}
		pgPairs = append(pgPairs, p)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	cmpPair := func(a, b pair) int {
		if a.pt != b.pt {
			return a.pt - b.pt
		}
		return a.zone - b.zone
	}
	slices.SortFunc(goPairs, cmpPair)
	slices.SortFunc(pgPairs, cmpPair)
	if len(goPairs) < 1000 {
		t.Fatalf("only %d (point, zone) pairs: the data does not exercise the comparison", len(goPairs))
	}
	onlyGo, onlyPG := minus(goPairs, pgPairs, cmpPair), minus(pgPairs, goPairs, cmpPair)
	boundary := 0
	for _, x := range []struct {
		side  string
		pairs []pair
	}{{"Go", onlyGo}, {"PostGIS", onlyPG}} {
		for _, p := range x.pairs {
			if d := boundaryDistance(pts[p.pt], polys[p.zone]); d <= 1e-9 {
				boundary++
				continue
			}
			t.Errorf("point %d %v: zone %d only in %s's answer", p.pt, pts[p.pt], p.zone, x.side)
		}
	}
	t.Logf("%d points, %d zones: %d pairs in Go, %d in PostGIS, %d differ within 1e-9° of a boundary",
		len(pts), len(polys), len(goPairs), len(pgPairs), boundary)

	// A rebuild empties zones, and their geometry with them.
	if err := db.Update(t.Context(), func(tx truce.Tx) error { return tx.ResetProjections() }); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.SQL().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM zone_geometries`).Scan(&n); err != nil || n != 0 {
		t.Errorf("zone_geometries after ResetProjections: %d rows, %v; want none", n, err)
	}
}

// minus returns the sorted pairs of a not in b.
func minus[P any](a, b []P, cmp func(P, P) int) []P {
	var out []P
	for _, p := range a {
		if _, ok := slices.BinarySearchFunc(b, p, cmp); !ok {
			out = append(out, p)
		}
	}
	return out
}

// boundaryDistance is the planar distance in degrees from p to the nearest
// edge of mp.
func boundaryDistance(p geo.Point, mp geo.MultiPolygon) float64 {
	best := math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for k := 1; k < len(ring); k++ {
				a, b := ring[k-1], ring[k]
				dx, dy := b.Lon-a.Lon, b.Lat-a.Lat
				s := 0.0
				if l := dx*dx + dy*dy; l > 0 {
					s = max(0, min(1, ((p.Lon-a.Lon)*dx+(p.Lat-a.Lat)*dy)/l))
				}
				best = min(best, math.Hypot(p.Lon-(a.Lon+s*dx), p.Lat-(a.Lat+s*dy)))
			}
		}
	}
	return best
}
