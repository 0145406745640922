package geo_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"truce"
	"truce/geo"
)

// checkInvalid checks that err is an EINVALID *truce.Error on field with
// message msg (which starts with the field), or nil when field is "".
func checkInvalid(t *testing.T, err error, field, msg string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Errorf("err = %v, want nil", err)
		}
		return
	}
	var e *truce.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want a *truce.Error on %s", err, field)
	}
	if e.Code != truce.EINVALID || e.Field != field {
		t.Errorf("code, field = %s, %s, want %s, %s", e.Code, e.Field, truce.EINVALID, field)
	}
	if msg != "" && e.Message != msg {
		t.Errorf("message = %q, want %q", e.Message, msg)
	}
}

func TestValidate(t *testing.T) {
	square := rect(0, 0, 10, 10)
	for _, tt := range []struct {
		name    string
		mp      geo.MultiPolygon
		max     int
		field   string
		message string
	}{
		{"valid square", geo.MultiPolygon{{square}}, 0, "", ""},
		{"valid with hole", geo.MultiPolygon{{square, reversed(rect(2, 2, 4, 4))}}, 0, "", ""},
		{"valid clockwise", geo.MultiPolygon{{reversed(square)}}, 0, "", ""},
		{"valid repeated position", geo.MultiPolygon{{{{0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 0}}}}, 0, "", ""},
		{"valid hole touching shell at a point",
			geo.MultiPolygon{{square, {{0, 5}, {5, 3}, {5, 7}, {0, 5}}}}, 0, "", ""},
		{"valid hole touching shell at a vertex",
			geo.MultiPolygon{{square, {{0, 0}, {3, 1}, {1, 3}, {0, 0}}}}, 0, "", ""},
		{"valid holes touching each other",
			geo.MultiPolygon{{square, rect(1, 1, 3, 3), rect(3, 3, 5, 5)}}, 0, "", ""},
		{"no polygons", geo.MultiPolygon{}, 0,
			"geometry.coordinates", "geometry.coordinates: has no polygons"},
		{"no rings", geo.MultiPolygon{{square}, {}}, 0,
			"geometry.coordinates[1]", "geometry.coordinates[1]: a polygon needs an outer ring"},
		{"3 positions", geo.MultiPolygon{{{{0, 0}, {1, 0}, {0, 0}}}}, 0,
			"geometry.coordinates[0][0]", "geometry.coordinates[0][0]: a ring needs at least 4 positions, this one has 3"},
		{"unclosed", geo.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}}, 0,
			"geometry.coordinates[0][0]", "geometry.coordinates[0][0]: the ring is not closed: its last position (0, 1) is not its first (0, 0)"},
		{"NaN", geo.MultiPolygon{{square, {{1, 1}, {2, 1}, {math.NaN(), 2}, {1, 1}}}}, 0,
			"geometry.coordinates[0][1][2]", "geometry.coordinates[0][1][2]: longitude NaN is not a finite number"},
		{"infinite latitude", geo.MultiPolygon{{{{0, 0}, {1, math.Inf(1)}, {1, 1}, {0, 0}}}}, 0,
			"geometry.coordinates[0][0][1]", "geometry.coordinates[0][0][1]: latitude +Inf is not a finite number"},
		{"longitude 181", geo.MultiPolygon{{{{180, 0}, {181, 0}, {180, 1}, {180, 0}}}}, 0,
			"geometry.coordinates[0][0][1]", "geometry.coordinates[0][0][1]: longitude 181 is out of range [-180, 180]"},
		{"latitude -90.5", geo.MultiPolygon{{square}, {{{0, -90.5}, {1, 0}, {1, 1}, {0, -90.5}}}}, 0,
			"geometry.coordinates[1][0][0]", "geometry.coordinates[1][0][0]: latitude -90.5 is out of range [-90, 90]"},
		{"2 distinct positions", geo.MultiPolygon{{{{0, 0}, {1, 1}, {1, 1}, {0, 0}}}}, 0,
			"geometry.coordinates[0][0]", "geometry.coordinates[0][0]: a ring needs at least 3 distinct positions"},
		{"bow-tie", geo.MultiPolygon{{{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}}}, 0,
			"geometry.coordinates[0][0][2]", "geometry.coordinates[0][0][2]: ring 0 crosses itself at 0.5, 0.5"},
		{"bow-tie at Syria", geo.MultiPolygon{{{{36.5, 35.92}, {36.52, 35.94}, {36.52, 35.92}, {36.5, 35.94}, {36.5, 35.92}}}}, 0,
			"geometry.coordinates[0][0][2]", "geometry.coordinates[0][0][2]: ring 0 crosses itself at 36.51, 35.93"},
		{"touching itself", geo.MultiPolygon{{{{0, 0}, {4, 0}, {2, 2}, {4, 4}, {0, 4}, {2, 2}, {0, 0}}}}, 0,
			"geometry.coordinates[0][0][4]", "geometry.coordinates[0][0][4]: ring 0 touches itself at 2, 2"},
		{"spike", geo.MultiPolygon{{{{0, 0}, {10, 0}, {10, 12}, {10, 10}, {0, 10}, {0, 0}}}}, 0,
			"geometry.coordinates[0][0][2]", "geometry.coordinates[0][0][2]: ring 0 overlaps itself at 10, 12"},
		{"collinear ring", geo.MultiPolygon{{{{0, 0}, {1, 0}, {2, 0}, {0, 0}}}}, 0,
			"geometry.coordinates[0][0][2]", "geometry.coordinates[0][0][2]: ring 0 overlaps itself at 0, 0"},
		{"hole crossing the shell", geo.MultiPolygon{{square, {{8, 4}, {12, 4}, {12, 6}, {8, 6}, {8, 4}}}}, 0,
			"geometry.coordinates[0][1][0]", "geometry.coordinates[0][1][0]: ring 1 crosses ring 0 at 10, 4"},
		{"hole along the shell", geo.MultiPolygon{{square, {{0, 2}, {3, 2}, {3, 4}, {0, 4}, {0, 2}}}}, 0,
			"geometry.coordinates[0][1][3]", "geometry.coordinates[0][1][3]: ring 1 overlaps ring 0 at 0, 2"},
		{"hole outside", geo.MultiPolygon{{square, rect(20, 20, 21, 21)}}, 0,
			"geometry.coordinates[0][1][0]", "geometry.coordinates[0][1][0]: ring 1, a hole, is outside the outer ring at 20, 20"},
		{"hole around the shell", geo.MultiPolygon{{square, rect(-1, -1, 11, 11)}}, 0,
			"geometry.coordinates[0][1][0]", "geometry.coordinates[0][1][0]: ring 1, a hole, is outside the outer ring at -1, -1"},
		{"hole in a hole", geo.MultiPolygon{{square, rect(1, 1, 9, 9), rect(3, 3, 5, 5)}}, 0,
			"geometry.coordinates[0][2]", "geometry.coordinates[0][2]: ring 2, a hole, is inside ring 1, another hole"},
		{"too many vertices", geo.MultiPolygon{{square}, {rect(20, 20, 21, 21)}}, 7,
			"geometry.coordinates", "geometry.coordinates: has 8 vertices, more than the limit of 7"},
		{"just enough vertices", geo.MultiPolygon{{square}, {rect(20, 20, 21, 21)}}, 8, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkInvalid(t, geo.Validate("geometry", tt.mp, tt.max), tt.field, tt.message)
		})
	}
}

func TestValidatePolygonPaths(t *testing.T) {
	poly := geo.Polygon{rect(0, 0, 10, 10), {{1, 1}, {2, 1}, {2, 200}, {1, 1}}}
	checkInvalid(t, geo.ValidatePolygon("features[2].geometry", poly, 0),
		"features[2].geometry.coordinates[1][2]", "features[2].geometry.coordinates[1][2]: latitude 200 is out of range [-90, 90]")
}

// smooth returns a ring of n vertices like a traced boundary: a smooth
// star with vertex-scale jitter (as SyntheticGrid draws them).
func smooth(n int) geo.Ring {
	polys, _ := geo.SyntheticGrid(1, n, 1)
	return polys[0][0][0]
}

// TestValidateLargeRing validates 20,000-vertex rings, valid and with a
// crossing put in: a smooth one like a traced boundary, and a spiky star
// of long radial edges, the hard case for a grid of edges.
func TestValidateLargeRing(t *testing.T) {
	if testing.Short() {
		t.Skip("slow in -short mode")
	}
	for _, tt := range []struct {
		name string
		ring geo.Ring
	}{
		{"smooth", smooth(20000)},
		{"spiky", star(rand.New(rand.NewPCG(1, 1)), geo.Point{38, 35}, 1, 20000)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			if err := geo.Validate("geometry", geo.MultiPolygon{{tt.ring}}, 20000); err != nil {
				t.Fatalf("Validate(20,000 vertices) = %v, want nil", err)
			}
			t.Logf("20,000-vertex %s ring validated in %v", tt.name, time.Since(start))
			// Swap two vertices far apart: the ring now crosses itself.
			tt.ring[100], tt.ring[10100] = tt.ring[10100], tt.ring[100]
			var e *truce.Error
			if err := geo.Validate("geometry", geo.MultiPolygon{{tt.ring}}, 20000); !errors.As(err, &e) || e.Code != truce.EINVALID {
				t.Fatalf("Validate(crossed ring) = %v, want EINVALID", err)
			}
		})
	}
}

func BenchmarkValidate(b *testing.B) {
	for _, bb := range []struct {
		name string
		ring geo.Ring
	}{
		{"smooth/vertices=20000", smooth(20000)},
		{"spiky/vertices=20000", star(rand.New(rand.NewPCG(1, 1)), geo.Point{38, 35}, 1, 20000)},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if err := geo.Validate("geometry", geo.MultiPolygon{{bb.ring}}, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
