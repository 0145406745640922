package controlmap_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"truce/demo/controlmap"
	"truce/demo/controlmap/internal/mapgen"
)

// shared is the project's shared data, next to the module root (three
// levels up from demo/controlmap); the tests that need it are skipped when
// it is absent.
const shared = "../../../shared"

// outlineArea is the planar area (square degrees) of the Natural Earth
// outline the map is clipped to, so that coverage can be checked without
// the shared data.
const outlineArea = 18.368785

// syriaBox bounds the map: lon 35.6–42.4, lat 32.3–37.35.
var syriaBox = [4]float64{35.6, 32.3, 42.4, 37.35}

func mustLoad(t *testing.T) []controlmap.Area {
	t.Helper()
	areas, err := controlmap.Load()
	if err != nil {
		t.Fatalf("Load() = %v, want nil", err)
	}
	return areas
}

func needShared(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(shared, mapgen.MarkersFile)); err != nil {
		t.Skipf("shared data not found: %v", err)
	}
}

func key(a controlmap.Area) string {
	if a.Controller != "" {
		return a.Controller
	}
	return strings.Join(a.ContestedBetween, "+")
}

func TestLoad(t *testing.T) {
	areas := mustLoad(t)
	var keys []string
	for _, a := range areas {
		keys = append(keys, key(a))
		for _, id := range append([]string{a.Controller}, a.ContestedBetween...) {
			if id != "" && !slices.Contains(mapgen.Actors, id) {
				t.Errorf("area %s: actor %q is not one of %v", key(a), id, mapgen.Actors)
			}
		}
		if a.Markers <= 0 || len(a.Polygon) == 0 {
			t.Errorf("area %s: %d markers, %d polygons, want some of each", key(a), a.Markers, len(a.Polygon))
		}
	}
	for _, want := range []string{"SYG", "OPP", "JFS", "ISIL", "SDF", "OPP+JFS"} {
		if !slices.Contains(keys, want) {
			t.Errorf("Load() areas = %v, want one for %s", keys, want)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(keys)))) != len(keys) {
		t.Errorf("Load() areas = %v, want one per controller or contested set", keys)
	}
}

// ipt is a point in micro-degrees: the map's coordinates have six
// decimals, so validity is checked exactly, in integers.
type ipt struct{ x, y int64 }

func toI(c [2]float64) ipt { return ipt{int64(math.Round(c[0] * 1e6)), int64(math.Round(c[1] * 1e6))} }

func cross(a, b, c ipt) int64 { return (b.x-a.x)*(c.y-a.y) - (b.y-a.y)*(c.x-a.x) }

func onSeg(a, b, p ipt) bool {
	return cross(a, b, p) == 0 && min(a.x, b.x) <= p.x && p.x <= max(a.x, b.x) && min(a.y, b.y) <= p.y && p.y <= max(a.y, b.y)
}

// meet reports whether segments ab and cd share any point.
func meet(a, b, c, d ipt) bool {
	o1, o2, o3, o4 := cross(a, b, c), cross(a, b, d), cross(c, d, a), cross(c, d, b)
	if ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)) {
		return true
	}
	return onSeg(a, b, c) || onSeg(a, b, d) || onSeg(c, d, a) || onSeg(c, d, b)
}

// ringErr checks a closed ring: at least four points, finite, and simple —
// no edge meets another except where consecutive edges share their point.
// Returns the ring without its closing point.
func ringErr(r [][2]float64) ([]ipt, error) {
	if len(r) < 4 {
		return nil, fmt.Errorf("%d points, want at least 4", len(r))
	}
	if r[0] != r[len(r)-1] {
		return nil, fmt.Errorf("not closed")
	}
	var ps []ipt
	for _, c := range r[:len(r)-1] {
		if math.IsNaN(c[0]) || math.IsNaN(c[1]) || math.IsInf(c[0], 0) || math.IsInf(c[1], 0) {
			return nil, fmt.Errorf("coordinate %v not finite", c)
		}
		if c[0] < syriaBox[0] || c[0] > syriaBox[2] || c[1] < syriaBox[1] || c[1] > syriaBox[3] {
			return nil, fmt.Errorf("coordinate %v outside Syria's box", c)
		}
		ps = append(ps, toI(c))
	}
	n := len(ps)
	for i := range n {
		a, b := ps[i], ps[(i+1)%n]
		if a == b {
			return nil, fmt.Errorf("repeated point %v", r[i])
		}
		for j := i + 1; j < n; j++ {
			c, d := ps[j], ps[(j+1)%n]
			if max(a.x, b.x) < min(c.x, d.x) || max(c.x, d.x) < min(a.x, b.x) ||
				max(a.y, b.y) < min(c.y, d.y) || max(c.y, d.y) < min(a.y, b.y) {
				continue
			}
			switch {
			case j == i+1: // b == c: they may only share it
				if cross(a, b, d) == 0 && (d.x-b.x)*(a.x-b.x)+(d.y-b.y)*(a.y-b.y) > 0 {
					return nil, fmt.Errorf("spike at %v", r[j])
				}
			case i == 0 && j == n-1: // d == a
				if cross(c, d, b) == 0 && (b.x-a.x)*(c.x-a.x)+(b.y-a.y)*(c.y-a.y) > 0 {
					return nil, fmt.Errorf("spike at %v", r[0])
				}
			case meet(a, b, c, d):
				return nil, fmt.Errorf("edges at %v and %v meet", r[i], r[j])
			}
		}
	}
	return ps, nil
}

func area2(ps []ipt) int64 {
	var s int64
	for i := 1; i+1 < len(ps); i++ {
		s += cross(ps[0], ps[i], ps[i+1])
	}
	return s
}

func TestPolygonsValid(t *testing.T) {
	vertices := 0
	for _, a := range mustLoad(t) {
		for i, poly := range a.Polygon {
			var shell []ipt
			for j, r := range poly {
				vertices += len(r) - 1
				ps, err := ringErr(r)
				if err != nil {
					t.Errorf("area %s polygon %d ring %d: %v", key(a), i, j, err)
					continue
				}
				switch s := area2(ps); {
				case j == 0 && s <= 0:
					t.Errorf("area %s polygon %d: outer ring is not counter-clockwise", key(a), i)
				case j > 0 && s >= 0:
					t.Errorf("area %s polygon %d: hole %d is not clockwise", key(a), i, j)
				}
				if j == 0 {
					shell = ps
					continue
				}
				for _, p := range ps {
					if shell != nil && !inRingI(p, shell) && !onRingI(p, shell) {
						t.Errorf("area %s polygon %d: hole %d has point %v outside the shell", key(a), i, j, r[0])
						break
					}
				}
			}
		}
	}
	t.Logf("%d vertices", vertices)
	if vertices > 50000 {
		t.Errorf("the map has %d vertices, want at most 50,000", vertices)
	}
}

func inRingI(p ipt, r []ipt) bool {
	in := false
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		if (a.y > p.y) != (b.y > p.y) && (cross(a, b, p) > 0) == (b.y > a.y) {
			in = !in
		}
	}
	return in
}

func onRingI(p ipt, r []ipt) bool {
	for i := range r {
		if onSeg(r[i], r[(i+1)%len(r)], p) {
			return true
		}
	}
	return false
}

// covers reports whether the polygon (a shell and its holes) covers the
// point, by the even-odd rule over all its rings.
func covers(poly [][][2]float64, x, y float64) bool {
	in := false
	for _, r := range poly {
		for i := 0; i+1 < len(r); i++ {
			a, b := r[i], r[i+1]
			if (a[1] > y) != (b[1] > y) && x < a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
				in = !in
			}
		}
	}
	return in
}

// index is the map's polygons with their boxes, to ask who holds a point.
type index struct {
	polys []indexed
}

type indexed struct {
	area int
	poly [][][2]float64
	box  [4]float64
}

func newIndex(areas []controlmap.Area) *index {
	ix := &index{}
	for i, a := range areas {
		for _, p := range a.Polygon {
			b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
			for _, c := range p[0] {
				b = [4]float64{min(b[0], c[0]), min(b[1], c[1]), max(b[2], c[0]), max(b[3], c[1])}
			}
			ix.polys = append(ix.polys, indexed{i, p, b})
		}
	}
	return ix
}

// at returns the areas whose polygons cover the point, one entry per
// covering polygon.
func (ix *index) at(x, y float64) []int {
	var out []int
	for _, p := range ix.polys {
		if x >= p.box[0] && x <= p.box[2] && y >= p.box[1] && y <= p.box[3] && covers(p.poly, x, y) {
			out = append(out, p.area)
		}
	}
	return out
}

func TestNoOverlapFullCover(t *testing.T) {
	areas := mustLoad(t)
	ix := newIndex(areas)
	var outline [][2]float64
	if _, err := os.Stat(filepath.Join(shared, mapgen.OutlineFile)); err == nil {
		outline = readOutline(t)
	}
	rng := rand.New(rand.NewPCG(2017, 7))
	covered, inOutline, coveredInOutline := 0, 0, 0
	for range 20000 {
		x := syriaBox[0] + rng.Float64()*(syriaBox[2]-syriaBox[0])
		y := syriaBox[1] + rng.Float64()*(syriaBox[3]-syriaBox[1])
		in := ix.at(x, y)
		if len(in) > 1 {
			t.Errorf("point %.6f,%.6f is covered %d times (areas %v)", x, y, len(in), in)
		}
		if len(in) > 0 {
			covered++
		}
		if outline != nil && covers([][][2]float64{outline}, x, y) {
			inOutline++
			if len(in) > 0 {
				coveredInOutline++
			}
		}
	}
	if outline != nil {
		share := float64(coveredInOutline) / float64(inOutline)
		t.Logf("%d of 20000 points in the box covered; %d of %d in the outline (%.2f%%)", covered, coveredInOutline, inOutline, 100*share)
		if share < 0.99 {
			t.Errorf("%.2f%% of the points inside the outline are covered, want at least 99%%", 100*share)
		}
	}
	// Without the shared data: the areas add up to the outline's area.
	var total float64
	for _, a := range areas {
		for _, p := range a.Polygon {
			for _, r := range p {
				total += ringArea(r)
			}
		}
	}
	if math.Abs(total-outlineArea)/outlineArea > 0.001 {
		t.Errorf("the areas add up to %.6f square degrees, want the outline's %.6f", total, outlineArea)
	}
}

// ringArea is a closed ring's signed area in square degrees.
func ringArea(r [][2]float64) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += (r[i][0]-r[0][0])*(r[i+1][1]-r[0][1]) - (r[i+1][0]-r[0][0])*(r[i][1]-r[0][1])
	}
	return s / 2
}

func readOutline(t *testing.T) [][2]float64 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(shared, mapgen.OutlineFile))
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Geometry struct {
				Coordinates [][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil || len(fc.Features) != 1 {
		t.Fatalf("outline: %v", err)
	}
	return fc.Features[0].Geometry.Coordinates[0]
}

func TestGenerated(t *testing.T) {
	needShared(t)
	got, _, err := mapgen.Generate(shared)
	if err != nil {
		t.Fatalf("Generate() = %v", err)
	}
	if !bytes.Equal(got, controlmap.GeoJSON()) {
		t.Errorf("control-2017.geojson is not what the generator makes: run\n" +
			"go run ./demo/controlmap/internal/gen -shared ../shared -out demo/controlmap/control-2017.geojson")
	}
}

// TestMarkersInOwnArea checks every single-controller settlement marker
// against the area at its own location. With Voronoi cells every marker
// is inside its own cell, so this measures clipping, merging and the
// handling of shared locations; the misses are markers the outline leaves
// out and towns whose location another side's marker shares.
func TestMarkersInOwnArea(t *testing.T) {
	needShared(t)
	f, err := os.Open(filepath.Join(shared, mapgen.MarkersFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ms, _, err := mapgen.ReadMarkers(f)
	if err != nil {
		t.Fatal(err)
	}
	outline := readOutline(t)
	sides := map[[2]float64][]string{} // every side named at a location
	for _, m := range ms {
		k := [2]float64{m.Lon, m.Lat}
		for _, a := range m.Actors {
			if !slices.Contains(sides[k], a) {
				sides[k] = append(sides[k], a)
			}
		}
	}
	areas := mustLoad(t)
	ix := newIndex(areas)
	total, hit := 0, 0
	misses := map[string][]string{}
	for _, m := range ms {
		if m.Feature != "settlement" || m.ControlType != "sole" {
			continue
		}
		total++
		in := ix.at(m.Lon, m.Lat)
		if len(in) == 1 && areas[in[0]].Controller == m.Actors[0] {
			hit++
			continue
		}
		var why string
		switch {
		case len(in) == 0 && !covers([][][2]float64{outline}, m.Lon, m.Lat):
			why = "outside the outline"
		case len(in) == 0:
			why = "inside the outline but in no area"
		case len(sides[[2]float64{m.Lon, m.Lat}]) > 1:
			why = "location shared with another side's marker: contested"
		case areas[in[0]].Controller == "":
			why = "in a contested area"
		default:
			why = "in another controller's area (near a line)"
		}
		misses[why] = append(misses[why], fmt.Sprintf("%d %s (%s)", m.ID, m.Label, m.Actors[0]))
	}
	share := float64(hit) / float64(total)
	t.Logf("%d of %d sole-control settlement markers lie in their controller's area: %.2f%%", hit, total, 100*share)
	for _, why := range slices.Sorted(maps.Keys(misses)) {
		ex := misses[why]
		t.Logf("  %d %s, e.g. %s", len(ex), why, strings.Join(ex[:min(len(ex), 6)], "; "))
	}
	if share < 0.95 {
		t.Errorf("%.2f%% of the markers lie in their controller's area, want at least 95%%", 100*share)
	}
	if n := len(misses["inside the outline but in no area"]) + len(misses["in another controller's area (near a line)"]); n > 0 {
		t.Errorf("%d markers inside the outline are in no area or another's: the clipping or merging is wrong", n)
	}
}
