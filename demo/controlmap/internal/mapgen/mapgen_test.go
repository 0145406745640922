package mapgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestPredicatesExact(t *testing.T) {
	// Points on the line y = x at coordinates no float64 sum represents
	// exactly: the float formula is within its error bound, so the exact
	// path decides.
	a, b, c := pt{0.1, 0.1}, pt{0.3, 0.3}, pt{0.7, 0.7}
	if got := orient(a, b, c); got != orientExact(a, b, c) {
		t.Errorf("orient(%v, %v, %v) = %d, want %d", a, b, c, got, orientExact(a, b, c))
	}
	if got := orient(pt{0, 0}, pt{1, 0}, pt{0, 1}); got != 1 {
		t.Errorf("orient(counter-clockwise) = %d, want 1", got)
	}
	sq := []pt{{36, 33}, {37, 33}, {37, 34}, {36, 34}}
	if got := inCircle(sq[0], sq[1], sq[2], sq[3]); got != 0 {
		t.Errorf("inCircle(cocircular) = %d, want 0", got)
	}
	if got := inCircle(sq[0], sq[1], sq[2], pt{36.5, 33.5}); got != 1 {
		t.Errorf("inCircle(centre) = %d, want 1", got)
	}
}

// grid returns markers on an n×n grid 0.1° apart from (36, 33), with the
// class class(i, j) gives: a triangulation full of cocircular quadruples.
func grid(n int, class func(i, j int) string) []Marker {
	var ms []Marker
	for i := range n {
		for j := range n {
			ms = append(ms, Marker{ID: len(ms) + 1, Lon: 36 + 0.1*float64(i), Lat: 33 + 0.1*float64(j),
				Feature: "settlement", ControlType: "sole", Actors: []string{class(i, j)}})
		}
	}
	return ms
}

// square is a counter-clockwise outline around the grid cells' centres,
// kept off the grid's half-way lines so that no Voronoi vertex is on it.
func square(n int) []pt {
	lo, hi := -0.07, 0.1*float64(n-1)+0.03
	return []pt{{36 + lo, 33 + lo}, {36 + hi, 33 + lo}, {36 + hi, 33 + hi}, {36 + lo, 33 + hi}}
}

func ringsString(a Area) string {
	var s []string
	for _, p := range a.Polygons {
		var rs []string
		for _, r := range p {
			var ps []string
			for _, q := range r {
				ps = append(ps, deg(q.X)+" "+deg(q.Y))
			}
			rs = append(rs, "("+strings.Join(ps, ", ")+")")
		}
		s = append(s, strings.Join(rs, " "))
	}
	return strings.Join(s, "; ")
}

func TestBuildHalves(t *testing.T) {
	ms := grid(10, func(i, j int) string {
		if i < 5 {
			return "SYG"
		}
		return "OPP"
	})
	areas, st, err := Build(ms, square(10))
	if err != nil {
		t.Fatalf("Build() = %v", err)
	}
	want := []string{
		"(35.93 32.93, 36.45 32.93, 36.45 33.93, 35.93 33.93)",
		"(36.45 32.93, 36.93 32.93, 36.93 33.93, 36.45 33.93)",
	}
	if len(areas) != 2 {
		t.Fatalf("Build() gave %d areas, want 2", len(areas))
	}
	for i, a := range areas {
		if got := ringsString(a); got != want[i] {
			t.Errorf("area %s = %s, want %s", a.Class.Key(), got, want[i])
		}
		if a.Markers != 50 {
			t.Errorf("area %s has %d markers, want 50", a.Class.Key(), a.Markers)
		}
	}
	if st.Own.Hit != 100 || st.Own.Total != 100 {
		t.Errorf("own-area check = %d/%d, want 100/100", st.Own.Hit, st.Own.Total)
	}
}

func TestBuildHole(t *testing.T) {
	ms := grid(5, func(i, j int) string {
		if i == 2 && j == 2 {
			return "ISIL"
		}
		return "SDF"
	})
	areas, _, err := Build(ms, square(5))
	if err != nil {
		t.Fatalf("Build() = %v", err)
	}
	got := map[string]string{}
	for _, a := range areas {
		got[a.Class.Key()] = ringsString(a)
	}
	want := map[string]string{
		"SDF":  "(35.93 32.93, 36.43 32.93, 36.43 33.43, 35.93 33.43) (36.15 33.15, 36.15 33.25, 36.25 33.25, 36.25 33.15)",
		"ISIL": "(36.15 33.15, 36.25 33.15, 36.25 33.25, 36.15 33.25)",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("area %s = %s, want %s", k, got[k], w)
		}
	}
}

func TestBuildCheckerboard(t *testing.T) {
	// Cells of one class touch only at corners: every cell is its own
	// polygon, and no ring touches itself.
	ms := grid(4, func(i, j int) string {
		if (i+j)%2 == 0 {
			return "JFS"
		}
		return "OPP"
	})
	areas, st, err := Build(ms, square(4))
	if err != nil {
		t.Fatalf("Build() = %v", err)
	}
	for _, a := range areas {
		if len(a.Polygons) != 8 {
			t.Errorf("area %s has %d polygons, want 8", a.Class.Key(), len(a.Polygons))
		}
	}
	if st.Holes != 0 {
		t.Errorf("Build() made %d holes, want 0", st.Holes)
	}
}

func TestSitesDuplicates(t *testing.T) {
	ms := []Marker{
		{ID: 1, Lon: 36, Lat: 35, ControlType: "sole", Actors: []string{"JFS"}},
		{ID: 2, Lon: 36, Lat: 35, ControlType: "sole", Actors: []string{"OPP"}},
		{ID: 3, Lon: 37, Lat: 35, ControlType: "sole", Actors: []string{"SYG"}},
		{ID: 4, Lon: 37, Lat: 35, ControlType: "sole", Actors: []string{"SYG"}},
		{ID: 5, Lon: 38, Lat: 35, ControlType: "contested", Actors: []string{"SDF", "ISIL"}},
	}
	var got []string
	for _, s := range sites(ms) {
		got = append(got, fmt.Sprintf("%s:%d", s.class.Key(), len(s.markers)))
	}
	want := []string{"OPP+JFS:2", "SYG:2", "ISIL+SDF:1"}
	if !slices.Equal(got, want) {
		t.Errorf("sites() = %v, want %v", got, want)
	}
}

func TestReadMarkers(t *testing.T) {
	const in = `marker_id,commented_out,lat,lon,coord_flag,control_type,party_1,party_2,party_role,feature,place_name
1,no,36.1,37.1,,sole,gov,,controller,settlement,A
2,yes,36.1,37.2,,sole,gov,,controller,settlement,B
3,no,36.1,37.3,,,,,,pass,C
4,no,36.1,37.4,,stable_mixed,opp,JaN,controller,settlement,D
5,no,36.1,37.5,,sole,lcl,,controller,settlement,E
6,no,36.74,366514.,invalid_in_source(long=366514.),sole,SDF,,controller,settlement,F
7,no,36.1,37.6,,sole,IS,,pressure,siege,G
8,no,36.1,37.7,,sole,SDF,,controller (from icon colour),dam,H
`
	ms, skipped, err := ReadMarkers(strings.NewReader(in))
	if err != nil {
		t.Fatalf("ReadMarkers() = %v", err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, fmt.Sprintf("%d:%s", m.ID, strings.Join(m.Actors, "+")))
	}
	if want := []string{"1:SYG", "4:OPP+JFS", "8:SDF"}; !slices.Equal(got, want) {
		t.Errorf("ReadMarkers() = %v, want %v", got, want)
	}
	if n := skipped[`side "lcl" has no actor`]; n != 1 {
		t.Errorf("skipped lcl = %d, want 1 (skipped: %v)", n, skipped)
	}
	if n := skipped["not a place (siege)"]; n != 1 {
		t.Errorf("skipped siege = %d, want 1 (skipped: %v)", n, skipped)
	}
}

func TestDeg(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{{36000000, "36"}, {36450000, "36.45"}, {36000001, "36.000001"}, {-500000, "-0.5"}, {0, "0"}} {
		if got := deg(c.in); got != c.want {
			t.Errorf("deg(%d) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestClean(t *testing.T) {
	r := []ipt{{0, 0}, {10, 0}, {10, 0}, {10, 10}, {20, 10}, {10, 10}, {0, 10}, {0, 0}}
	got := clean(r)
	want := [][]ipt{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("clean(spike, repeats) = %v, want %v", got, want)
	}
	// a figure eight touching itself at (10, 10) becomes two rings
	r = []ipt{{0, 0}, {10, 0}, {10, 10}, {20, 10}, {20, 20}, {10, 20}, {10, 10}, {0, 10}}
	if got := clean(r); len(got) != 2 {
		t.Errorf("clean(figure eight) = %v, want two rings", got)
	}
}

// TestBuildRandom draws random maps on a coarse grid — many shared
// locations, cocircular points and collinear edges — inside a non-convex
// outline, and checks that every sole marker inside the outline lands in
// its own area.
func TestBuildRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 2017))
	// a star with 11 points around (38, 35): convex cells cut it in pieces
	var outline []pt
	for k := range 22 {
		r := 1.9
		if k%2 == 1 {
			r = 0.8
		}
		a := 2 * math.Pi * float64(k) / 22
		outline = append(outline, snap(pt{38 + r*math.Cos(a), 35 + r*math.Sin(a)}))
	}
	for it := range 5 {
		var seeds []pt
		for range 6 {
			seeds = append(seeds, pt{36 + 4*rng.Float64(), 33 + 4*rng.Float64()})
		}
		var ms []Marker
		for range 1500 {
			p := pt{math.Round((36+4*rng.Float64())*50) / 50, math.Round((33+4*rng.Float64())*50) / 50}
			best := 0
			for i, s := range seeds {
				if math.Hypot(p.X-s.X, p.Y-s.Y) < math.Hypot(p.X-seeds[best].X, p.Y-seeds[best].Y) {
					best = i
				}
			}
			m := Marker{ID: len(ms) + 1, Lon: p.X, Lat: p.Y, Feature: "settlement", ControlType: "sole", Actors: []string{Actors[best]}}
			if rng.IntN(20) == 0 {
				m.ControlType, m.Actors = "contested", []string{Actors[best], Actors[(best+1)%6]}
			}
			ms = append(ms, m)
		}
		areas, st, err := Build(ms, outline)
		if err != nil {
			t.Fatalf("map %d: Build() = %v", it, err)
		}
		inside := 0
		for _, m := range ms {
			if in, _ := inRing(pt{m.Lon, m.Lat}, outline); in && m.ControlType == "sole" {
				inside++
			}
		}
		if got := st.Own.Hit + st.Own.Misses["location shared with a marker of another side: contested"]; got != inside {
			t.Errorf("map %d: %d sole markers in their area or made contested, want the %d inside the outline (misses %v)", it, got, inside, st.Own.Misses)
		}
		if len(areas) == 0 {
			t.Errorf("map %d: no areas", it)
		}
	}
}
