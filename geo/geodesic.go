package geo

import "math"

// The WGS84 ellipsoid.
const (
	wgs84A = 6378137.0         // semi-major axis, metres
	wgs84F = 1 / 298.257223563 // flattening
	wgs84B = wgs84A * (1 - wgs84F)
	rad    = math.Pi / 180
)

// DistanceM returns the geodesic distance between a and b on the WGS84
// ellipsoid, in metres: Vincenty's inverse formula (1975), within a
// millimetre. For nearly antipodal points, where Vincenty's iteration does
// not converge, it falls back to antipodal.
func DistanceM(a, b Point) float64 {
	if a == b {
		return 0
	}
	if s, ok := vincenty(a, b); ok {
		return s
	}
	return antipodal(a, b)
}

// vincenty solves the inverse geodesic problem by Vincenty's iteration on
// the longitude difference on the auxiliary sphere, or reports false when
// it does not converge.
func vincenty(p1, p2 Point) (float64, bool) {
	const f = wgs84F
	L := math.Remainder((p2.Lon-p1.Lon)*rad, 2*math.Pi)
	sinU1, cosU1 := math.Sincos(math.Atan((1 - f) * math.Tan(p1.Lat*rad)))
	sinU2, cosU2 := math.Sincos(math.Atan((1 - f) * math.Tan(p2.Lat*rad)))
	lambda := L
	for range 200 {
		sinL, cosL := math.Sincos(lambda)
		x, y := cosU2*sinL, cosU1*sinU2-sinU1*cosU2*cosL
		sinS := math.Sqrt(x*x + y*y)
		cosS := sinU1*sinU2 + cosU1*cosU2*cosL
		if sinS == 0 {
			return 0, cosS > 0 // the same point, or exactly antipodal
		}
		sigma := math.Atan2(sinS, cosS)
		sinA := cosU1 * cosU2 * sinL / sinS
		cos2A := 1 - sinA*sinA
		cos2Sm := 0.0 // on the equator
		if cos2A != 0 {
			cos2Sm = cosS - 2*sinU1*sinU2/cos2A
		}
		C := f / 16 * cos2A * (4 + f*(4-3*cos2A))
		prev := lambda
		lambda = L + (1-C)*f*sinA*(sigma+C*sinS*(cos2Sm+C*cosS*(-1+2*cos2Sm*cos2Sm)))
		if math.Abs(lambda) > math.Pi {
			return 0, false
		}
		if math.Abs(lambda-prev) < 1e-12 {
			u2 := cos2A * (wgs84A*wgs84A - wgs84B*wgs84B) / (wgs84B * wgs84B)
			A := 1 + u2/16384*(4096+u2*(-768+u2*(320-175*u2)))
			B := u2 / 1024 * (256 + u2*(-128+u2*(74-47*u2)))
			dSigma := B * sinS * (cos2Sm + B/4*(cosS*(-1+2*cos2Sm*cos2Sm)-
				B/6*cos2Sm*(-3+4*sinS*sinS)*(-3+4*cos2Sm*cos2Sm)))
			return wgs84B * A * (sigma - dSigma), true
		}
	}
	return 0, false
}

// antipodal returns the geodesic distance between nearly antipodal points
// a and b. Every path from a to b crosses the plane that bisects the chord
// AB (in Earth-centred coordinates), and the shortest one crosses it at a
// point m with d(a, b) = d(a, m) + d(m, b), while any other m gives more.
// So d(a, b) is the least of d(a, m) + d(m, b) over the ellipse where that
// plane cuts the ellipsoid — a minimum over one angle, found by sampling
// and golden-section search. Both legs are about a quarter of the globe,
// where Vincenty converges.
func antipodal(a, b Point) float64 {
	A, B := ecef(a), ecef(b)
	mid := A.add(B).scale(0.5)
	n := B.sub(A)
	if n.norm() == 0 {
		return 0
	}
	n = n.scale(1 / n.norm())
	u := vec{0, 0, 1}
	if math.Abs(n.z) > 0.9 {
		u = vec{1, 0, 0}
	}
	u = u.sub(n.scale(u.dot(n)))
	u = u.scale(1 / u.norm())
	v := n.cross(u)
	sum := func(t float64) float64 {
		m := surface(mid, u.scale(math.Cos(t)).add(v.scale(math.Sin(t))))
		s1, ok1 := vincenty(a, m)
		s2, ok2 := vincenty(m, b)
		if !ok1 || !ok2 {
			return math.Inf(1)
		}
		return s1 + s2
	}
	const samples = 180
	step := 2 * math.Pi / samples
	best, bestT := math.Inf(1), 0.0
	for i := range samples {
		if s := sum(float64(i) * step); s < best {
			best, bestT = s, float64(i)*step
		}
	}
	lo, hi := bestT-step, bestT+step
	g := (math.Sqrt(5) - 1) / 2
	x1, x2 := hi-g*(hi-lo), lo+g*(hi-lo)
	f1, f2 := sum(x1), sum(x2)
	for hi-lo > 1e-10 {
		if f1 < f2 {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - g*(hi-lo)
			f1 = sum(x1)
		} else {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + g*(hi-lo)
			f2 = sum(x2)
		}
	}
	return min(best, f1, f2)
}

// vec is a point or direction in Earth-centred, Earth-fixed metres.
type vec struct{ x, y, z float64 }

func (a vec) add(b vec) vec       { return vec{a.x + b.x, a.y + b.y, a.z + b.z} }
func (a vec) sub(b vec) vec       { return vec{a.x - b.x, a.y - b.y, a.z - b.z} }
func (a vec) scale(k float64) vec { return vec{a.x * k, a.y * k, a.z * k} }
func (a vec) dot(b vec) float64   { return a.x*b.x + a.y*b.y + a.z*b.z }
func (a vec) norm() float64       { return math.Sqrt(a.dot(a)) }
func (a vec) cross(b vec) vec     { return vec{a.y*b.z - a.z*b.y, a.z*b.x - a.x*b.z, a.x*b.y - a.y*b.x} }
func (a vec) weighted(b vec) float64 {
	return (a.x*b.x+a.y*b.y)/(wgs84A*wgs84A) + a.z*b.z/(wgs84B*wgs84B)
}

// ecef returns p on the ellipsoid's surface in Earth-centred coordinates.
func ecef(p Point) vec {
	e2 := wgs84F * (2 - wgs84F)
	sinLat, cosLat := math.Sincos(p.Lat * rad)
	sinLon, cosLon := math.Sincos(p.Lon * rad)
	n := wgs84A / math.Sqrt(1-e2*sinLat*sinLat)
	return vec{n * cosLat * cosLon, n * cosLat * sinLon, n * (1 - e2) * sinLat}
}

// surface returns the point where the ray from o (inside the ellipsoid)
// in direction d meets the surface, as longitude and latitude.
func surface(o, d vec) Point {
	// Solve (o + s d)ᵀ W (o + s d) = 1 for s > 0, W = diag(1/a², 1/a², 1/b²).
	qa, qb, qc := d.weighted(d), 2*o.weighted(d), o.weighted(o)-1
	s := (-qb + math.Sqrt(qb*qb-4*qa*qc)) / (2 * qa)
	q := o.add(d.scale(s))
	e2 := wgs84F * (2 - wgs84F)
	lat := math.Atan2(q.z, (1-e2)*math.Hypot(q.x, q.y))
	return Point{math.Atan2(q.y, q.x) / rad, lat / rad}
}
