package geo_test

import (
	"math"
	"testing"

	"truce/geo"
)

func dms(d, m, s float64) float64 { return math.Copysign(math.Abs(d)+m/60+s/3600, d) }

// The references, except Vincenty's own test vector, were computed with
// GeographicLib 2.2 (Karney's algorithm, accurate to 15 nm), a method
// independent of Vincenty's.
func TestDistanceM(t *testing.T) {
	for _, tt := range []struct {
		name string
		a, b geo.Point
		want float64 // metres
		tol  float64
	}{
		// Vincenty (1975) and Geoscience Australia's worked example.
		{"Flinders Peak to Buninyong",
			geo.Point{dms(144, 25, 29.52440), dms(-37, 57, 3.72030)},
			geo.Point{dms(143, 55, 35.38390), dms(-37, 39, 10.15610)}, 54972.271, 1e-3},
		{"Damascus to Aleppo", geo.Point{36.2765, 33.5138}, geo.Point{37.1343, 36.2021}, 308373.6646, 1e-3},
		{"a degree of meridian at the equator", geo.Point{0, 0}, geo.Point{0, 1}, 110574.3886, 1e-3},
		{"a degree of equator", geo.Point{0, 0}, geo.Point{1, 0}, 111319.4908, 1e-3},
		{"a tenth of a degree of longitude at 35°N", geo.Point{36.2, 35.05}, geo.Point{36.1, 35.05}, 9123.2601, 1e-3},
		{"across the antimeridian", geo.Point{179.9, 35.05}, geo.Point{-179.9, 35.05}, 18246.5179, 1e-3},
		// Nearly antipodal: Vincenty's iteration fails for all but the first and
		// last, and the fallback answers.
		{"(0, 0) to (179.5, 0.5)", geo.Point{0, 0}, geo.Point{179.5, 0.5}, 19936288.5790, 1e-3},
		{"antipodes on the equator", geo.Point{0, 0}, geo.Point{180, 0}, 20003931.4586, 1e-3},
		{"(0, 0) to (179.5, 0)", geo.Point{0, 0}, geo.Point{179.5, 0}, 19980861.9089, 1e-3},
		{"(20, 10) to (-159.8, -10.1)", geo.Point{20, 10}, geo.Point{-159.8, -10.1}, 19989724.5847, 1e-3},
		{"near the poles", geo.Point{0, 89}, geo.Point{179, -89.5}, 19948067.5642, 1e-3},
		{"same point", geo.Point{36.3, 33.5}, geo.Point{36.3, 33.5}, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := geo.DistanceM(tt.a, tt.b); math.Abs(got-tt.want) > tt.tol {
				t.Errorf("DistanceM(%v, %v) = %.4f, want %.4f ± %g", tt.a, tt.b, got, tt.want, tt.tol)
			}
			if got := geo.DistanceM(tt.b, tt.a); math.Abs(got-tt.want) > tt.tol {
				t.Errorf("DistanceM(%v, %v) = %.4f, want %.4f ± %g", tt.b, tt.a, got, tt.want, tt.tol)
			}
		})
	}
}

func TestDistanceToM(t *testing.T) {
	square := geo.MultiPolygon{{rect(36, 35, 36.1, 35.1), reversed(rect(36.04, 35.04, 36.06, 35.06))}}
	for _, tt := range []struct {
		name string
		pt   geo.Point
		want float64
	}{
		{"inside", geo.Point{36.02, 35.02}, 0},
		{"on the edge", geo.Point{36.1, 35.07}, 0},
		{"on the hole's edge", geo.Point{36.04, 35.05}, 0},
		{"east, to the edge", geo.Point{36.2, 35.05}, 9123.2601},
		{"south, to the edge", geo.Point{36.05, 34.9}, 11093.9659},
		{"north-east, to the corner", geo.Point{36.2, 35.2}, 14356.7058},
		{"in the hole, to its west edge", geo.Point{36.05, 35.05}, 912.3260},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := geo.DistanceToM(tt.pt, square); math.Abs(got-tt.want) > 1e-3 {
				t.Errorf("DistanceToM(%v) = %.4f, want %.4f", tt.pt, got, tt.want)
			}
		})
	}
	if got := geo.DistanceToM(geo.Point{0, 0}, nil); !math.IsInf(got, 1) {
		t.Errorf("DistanceToM(empty) = %v, want +Inf", got)
	}
}

func TestNearestM(t *testing.T) {
	square := geo.MultiPolygon{{rect(36, 35, 36.1, 35.1), reversed(rect(36.04, 35.04, 36.06, 35.06))}}
	for _, tt := range []struct {
		name string
		pt   geo.Point
		want geo.Point
	}{
		{"inside: the point itself", geo.Point{36.02, 35.02}, geo.Point{36.02, 35.02}},
		{"east: on the east edge", geo.Point{36.2, 35.05}, geo.Point{36.1, 35.05}},
		{"north-east: the corner", geo.Point{36.2, 35.2}, geo.Point{36.1, 35.1}},
		{"in the hole: on its west edge", geo.Point{36.05, 35.05}, geo.Point{36.04, 35.05}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, at := geo.NearestM(tt.pt, square)
			if !near(at, tt.want) {
				t.Errorf("NearestM(%v) at %v, want %v", tt.pt, at, tt.want)
			}
			if want := geo.DistanceM(tt.pt, tt.want); math.Abs(d-want) > 1e-3 {
				t.Errorf("NearestM(%v) = %.4f m, want %.4f", tt.pt, d, want)
			}
		})
	}
}

// near reports whether two points are within 1e-9 degrees.
func near(a, b geo.Point) bool { return math.Abs(a.Lon-b.Lon) <= 1e-9 && math.Abs(a.Lat-b.Lat) <= 1e-9 }

func TestDistanceBetweenM(t *testing.T) {
	a := geo.MultiPolygon{{rect(36, 35, 36.1, 35.1)}}
	holed := geo.MultiPolygon{{rect(35, 34, 37, 36), reversed(rect(35.9, 34.9, 36.2, 35.2))}}
	for _, tt := range []struct {
		name   string
		b      geo.MultiPolygon
		want   float64
		pa, pb geo.Point
	}{
		{"apart, corner to corner", geo.MultiPolygon{{rect(36.2, 35.2, 36.3, 35.3)}}, 14356.7058, geo.Point{36.1, 35.1}, geo.Point{36.2, 35.2}},
		{"apart, corner to edge", geo.MultiPolygon{{{{36.05, 34.9}, {36.05, 34.8}, {36.15, 34.8}, {36.05, 34.9}}}}, 11093.9659, geo.Point{36.05, 35}, geo.Point{36.05, 34.9}},
		{"overlapping", geo.MultiPolygon{{rect(36.05, 35.05, 36.3, 35.3)}}, 0, geo.Point{36.1, 35.05}, geo.Point{36.1, 35.05}},
		{"sharing an edge", geo.MultiPolygon{{rect(36.1, 35, 36.2, 35.1)}}, 0, geo.Point{36.1, 35}, geo.Point{36.1, 35}},
		{"inside", geo.MultiPolygon{{rect(36.02, 35.02, 36.03, 35.03)}}, 0, geo.Point{36.02, 35.02}, geo.Point{36.02, 35.02}},
		{"around", geo.MultiPolygon{{rect(35, 34, 37, 36)}}, 0, geo.Point{36, 35}, geo.Point{36, 35}},
		{"in a hole of the other", holed, 9128.8166, geo.Point{36, 35}, geo.Point{35.9, 35}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, pa, pb := geo.DistanceBetweenM(a, tt.b)
			if math.Abs(got-tt.want) > 1e-3 || !near(pa, tt.pa) || !near(pb, tt.pb) {
				t.Errorf("DistanceBetweenM = %.4f, %v, %v, want %.4f, %v, %v", got, pa, pb, tt.want, tt.pa, tt.pb)
			}
			if back, _, _ := geo.DistanceBetweenM(tt.b, a); math.Abs(back-got) > 1e-3 {
				t.Errorf("DistanceBetweenM(b, a) = %.4f, want %.4f", back, got)
			}
		})
	}
}
