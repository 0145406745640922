package geo_test

import (
	"math"
	"slices"
	"testing"

	"truce/geo"
)

func TestSharedBoundary(t *testing.T) {
	unit := geo.MultiPolygon{{rect(0, 0, 1, 1)}}
	l := geo.MultiPolygon{{{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}}}
	lFromCorner := geo.MultiPolygon{{{{1, 1}, {1, 2}, {0, 2}, {0, 0}, {2, 0}, {2, 1}, {1, 1}}}}
	corner := geo.MultiPolygon{{rect(1, 1, 2, 2)}}
	for _, tt := range []struct {
		name string
		a, b geo.MultiPolygon
		tol  float64
		want geo.MultiLineString
	}{
		{"squares sharing an edge", unit, geo.MultiPolygon{{rect(1, 0, 2, 1)}}, 0,
			geo.MultiLineString{{{1, 0}, {1, 1}}}},
		{"squares sharing an edge, b clockwise", unit, geo.MultiPolygon{{reversed(rect(1, 0, 2, 1))}}, 0,
			geo.MultiLineString{{{1, 0}, {1, 1}}}},
		{"squares sharing part of an edge", unit, geo.MultiPolygon{{rect(1, 0.25, 2, 0.75)}}, 0,
			geo.MultiLineString{{{1, 0.25}, {1, 0.75}}}},
		{"square sharing more than an edge", unit, geo.MultiPolygon{{rect(1, -1, 2, 2)}}, 0,
			geo.MultiLineString{{{1, 0}, {1, 1}}}},
		{"square in an L's corner", l, corner, 0,
			geo.MultiLineString{{{2, 1}, {1, 1}, {1, 2}}}},
		{"square in an L's corner, across the ring's start", lFromCorner, corner, 0,
			geo.MultiLineString{{{2, 1}, {1, 1}, {1, 2}}}},
		{"L's boundary on the square", corner, l, 0,
			geo.MultiLineString{{{1, 2}, {1, 1}, {2, 1}}}},
		{"disjoint", unit, geo.MultiPolygon{{rect(3, 3, 4, 4)}}, 0.01, nil},
		{"touching at a corner", unit, corner, 0, nil},
		{"crossing", unit, geo.MultiPolygon{{rect(0.5, 0.5, 2, 2)}}, 0, nil},
		{"apart within tolerance", unit, geo.MultiPolygon{{rect(1.000001, 0, 2, 1)}}, 1e-5,
			geo.MultiLineString{{{1, 0}, {1, 1}}}},
		{"apart beyond tolerance", unit, geo.MultiPolygon{{rect(1.001, 0, 2, 1)}}, 1e-5, nil},
		{"the same square", unit, unit, 0,
			geo.MultiLineString{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}},
		{"empty", unit, nil, 0, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := geo.SharedBoundary(tt.a, tt.b, tt.tol)
			if !slices.EqualFunc(got, tt.want, func(a, b geo.LineString) bool { return slices.EqualFunc(a, b, near) }) {
				t.Errorf("SharedBoundary = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSharedBoundaryLength(t *testing.T) {
	// Two control areas either side of the meridian 36°E from 35°N to
	// 36°N; the western one's edge has extra vertices.
	west := geo.MultiPolygon{{{{35, 35}, {36, 35}, {36, 35.3}, {36, 35.7}, {36, 36}, {35, 36}, {35, 35}}}}
	east := geo.MultiPolygon{{rect(36, 34, 37, 37)}}
	lines := geo.SharedBoundary(west, east, 0)
	if len(lines) != 1 || len(lines[0]) != 4 {
		t.Fatalf("SharedBoundary = %v, want one line of 4 points", lines)
	}
	// GeographicLib: (35°N, 36°E) to (36°N, 36°E) is 110,949.7687 m.
	if got, want := geo.LengthM(lines), 110949.7687; math.Abs(got-want) > 1e-3 {
		t.Errorf("LengthM = %.4f, want %.4f", got, want)
	}
}

func TestLengthM(t *testing.T) {
	for _, tt := range []struct {
		name string
		ml   geo.MultiLineString
		want float64
	}{
		{"a degree of meridian from the equator", geo.MultiLineString{{{0, 0}, {0, 1}}}, 110574.3886},
		{"the same in ten steps", geo.MultiLineString{{{0, 0}, {0, 0.1}, {0, 0.2}, {0, 0.3}, {0, 0.4}, {0, 0.5}, {0, 0.6}, {0, 0.7}, {0, 0.8}, {0, 0.9}, {0, 1}}}, 110574.3886},
		{"two lines", geo.MultiLineString{{{0, 0}, {0, 1}}, {{0, 0}, {1, 0}}}, 110574.3886 + 111319.4908},
		{"none", nil, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := geo.LengthM(tt.ml); math.Abs(got-tt.want) > 1e-3 {
				t.Errorf("LengthM = %.4f, want %.4f", got, tt.want)
			}
		})
	}
}
