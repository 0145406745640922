package mapgen

import "math/big"

// The two geometric predicates the triangulation and the overlay decide
// with: the sign of an orientation and of an in-circle determinant. Both
// are evaluated in floating point first and, when the result is within the
// error bound of that evaluation (Shewchuk, "Adaptive Precision
// Floating-Point Arithmetic and Fast Robust Geometric Predicates", 1997,
// bounds ccwerrboundA and iccerrboundA), again in exact rational
// arithmetic. So every decision is exact for the float64 inputs given, and
// two computations that ask the same question get the same answer: the
// topology cannot contradict itself, whatever the rounding of the
// coordinates.
//
// Products are written float64(a*b) so that no compiler fuses them into
// FMA instructions: the generator must give the same bytes on every
// architecture.

// pt is a point in lon/lat degrees.
type pt struct{ X, Y float64 }

const epsilon = 1.0 / (1 << 53) // half an ulp of 1

var (
	ccwErrBound = (3 + 16*epsilon) * epsilon
	iccErrBound = (10 + 96*epsilon) * epsilon
)

// orient returns +1 if a, b, c turn counter-clockwise, -1 if clockwise and
// 0 if they are collinear.
func orient(a, b, c pt) int {
	l := float64((a.X - c.X) * (b.Y - c.Y))
	r := float64((a.Y - c.Y) * (b.X - c.X))
	det := l - r
	bound := ccwErrBound * (abs(l) + abs(r))
	if det > bound {
		return 1
	}
	if -det > bound {
		return -1
	}
	return orientExact(a, b, c)
}

func orientExact(a, b, c pt) int {
	ax, ay, bx, by, cx, cy := rat(a.X), rat(a.Y), rat(b.X), rat(b.Y), rat(c.X), rat(c.Y)
	l := mulR(subR(ax, cx), subR(by, cy))
	r := mulR(subR(ay, cy), subR(bx, cx))
	return l.Cmp(r)
}

// inCircle returns +1 if d lies inside the circle through a, b, c (which
// turn counter-clockwise), -1 if outside and 0 if on it.
func inCircle(a, b, c, d pt) int {
	adx, ady := a.X-d.X, a.Y-d.Y
	bdx, bdy := b.X-d.X, b.Y-d.Y
	cdx, cdy := c.X-d.X, c.Y-d.Y

	bdxcdy, cdxbdy := float64(bdx*cdy), float64(cdx*bdy)
	alift := float64(adx*adx) + float64(ady*ady)
	cdxady, adxcdy := float64(cdx*ady), float64(adx*cdy)
	blift := float64(bdx*bdx) + float64(bdy*bdy)
	adxbdy, bdxady := float64(adx*bdy), float64(bdx*ady)
	clift := float64(cdx*cdx) + float64(cdy*cdy)

	det := float64(alift*(bdxcdy-cdxbdy)) + float64(blift*(cdxady-adxcdy)) + float64(clift*(adxbdy-bdxady))
	permanent := float64((abs(bdxcdy)+abs(cdxbdy))*alift) +
		float64((abs(cdxady)+abs(adxcdy))*blift) +
		float64((abs(adxbdy)+abs(bdxady))*clift)
	bound := iccErrBound * permanent
	if det > bound {
		return 1
	}
	if -det > bound {
		return -1
	}
	return inCircleExact(a, b, c, d)
}

func inCircleExact(a, b, c, d pt) int {
	dx, dy := rat(d.X), rat(d.Y)
	adx, ady := subR(rat(a.X), dx), subR(rat(a.Y), dy)
	bdx, bdy := subR(rat(b.X), dx), subR(rat(b.Y), dy)
	cdx, cdy := subR(rat(c.X), dx), subR(rat(c.Y), dy)
	alift := addR(mulR(adx, adx), mulR(ady, ady))
	blift := addR(mulR(bdx, bdx), mulR(bdy, bdy))
	clift := addR(mulR(cdx, cdx), mulR(cdy, cdy))
	t1 := mulR(alift, subR(mulR(bdx, cdy), mulR(cdx, bdy)))
	t2 := mulR(blift, subR(mulR(cdx, ady), mulR(adx, cdy)))
	t3 := mulR(clift, subR(mulR(adx, bdy), mulR(bdx, ady)))
	return addR(addR(t1, t2), t3).Sign()
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func rat(x float64) *big.Rat      { return new(big.Rat).SetFloat64(x) }
func addR(a, b *big.Rat) *big.Rat { return new(big.Rat).Add(a, b) }
func subR(a, b *big.Rat) *big.Rat { return new(big.Rat).Sub(a, b) }
func mulR(a, b *big.Rat) *big.Rat { return new(big.Rat).Mul(a, b) }
