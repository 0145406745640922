package geo

import (
	"math"
	"math/rand/v2"
)

// SyntheticGrid returns nPolygons random star-shaped polygons of nVertices
// vertices each, deterministically from seed, and the box they lie in: the
// data of BenchmarkLocate, exported so that another harness (PostGIS) can
// load the identical polygons.
//
// The box is longitude 35..45, latitude 30..40. It is cut into a grid of
// ceil(√n) columns and as many rows as needed; polygon i lies inside cell
// i (row-major from the south-west), so polygons never overlap and a point
// is in at most one. Each polygon is a star around its cell's centre
// (moved by up to a tenth of the cell): vertex j at angle 2π(j+δ)/nVertices,
// δ uniform in [-0.4, 0.4), counter-clockwise (RFC 7946's exterior
// orientation), at radius R·(1 + Σₖ aₖ·sin(kθ + φₖ)) for k = 1..4 with aₖ
// uniform in [0, 0.12/k) and φₖ uniform in [0, 2π), R = 0.3 × the cell's
// smaller side, plus a radial jitter of up to half the spacing of
// vertices. The shape is smooth with vertex-scale detail, like a traced
// boundary, so that a horizontal line crosses it a few times whatever
// nVertices is. Coordinates are rounded to 1e-7 degrees, so they survive
// decimal text exactly when written with strconv's shortest form.
//
// The random numbers are math/rand/v2's PCG seeded with (seed, 0x5eed),
// drawn in this order per polygon: the centre's two offsets, then a, φ for
// k = 1..4, then δ and the jitter for each vertex.
func SyntheticGrid(nPolygons, nVertices int, seed int64) ([]MultiPolygon, BBox) {
	box := BBox{35, 30, 45, 40}
	if nPolygons <= 0 || nVertices < 3 {
		return nil, box
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	cols := int(math.Ceil(math.Sqrt(float64(nPolygons))))
	rows := (nPolygons + cols - 1) / cols
	w, h := (box.MaxLon-box.MinLon)/float64(cols), (box.MaxLat-box.MinLat)/float64(rows)
	out := make([]MultiPolygon, nPolygons)
	for i := range out {
		cx := box.MinLon + (float64(i%cols)+0.5)*w + (rng.Float64()-0.5)*0.2*w
		cy := box.MinLat + (float64(i/cols)+0.5)*h + (rng.Float64()-0.5)*0.2*h
		r := 0.3 * min(w, h)
		var amp, phase [4]float64
		for k := range amp {
			amp[k] = rng.Float64() * 0.12 / float64(k+1)
			phase[k] = rng.Float64() * 2 * math.Pi
		}
		spacing := 2 * math.Pi * r / float64(nVertices)
		ring := make(Ring, nVertices+1)
		for j := range nVertices {
			theta := 2 * math.Pi * (float64(j) + rng.Float64()*0.8 - 0.4) / float64(nVertices)
			rad := r + (rng.Float64()-0.5)*spacing
			for k := range amp {
				rad += r * amp[k] * math.Sin(float64(k+1)*theta+phase[k])
			}
			sin, cos := math.Sincos(theta)
			ring[j] = Point{round7(cx + rad*cos), round7(cy + rad*sin)}
		}
		ring[nVertices] = ring[0]
		out[i] = MultiPolygon{{ring}}
	}
	return out, box
}

// SyntheticPoints returns n points uniform in box, deterministically from
// seed (math/rand/v2's PCG seeded with (seed, 0x9017); longitude then
// latitude per point), rounded to 1e-7 degrees.
func SyntheticPoints(n int, box BBox, seed int64) []Point {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9017))
	pts := make([]Point, n)
	for i := range pts {
		lon := box.MinLon + rng.Float64()*(box.MaxLon-box.MinLon)
		lat := box.MinLat + rng.Float64()*(box.MaxLat-box.MinLat)
		pts[i] = Point{round7(lon), round7(lat)}
	}
	return pts
}

func round7(v float64) float64 { return math.Round(v*1e7) / 1e7 }
