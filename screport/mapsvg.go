package screport

import (
	"fmt"
	"math"
	"strings"
	"sync"

	"truce/geo"
	"truce/places"
)

// The map is an equirectangular projection of the frame below, its
// longitudes shrunk by cos 35° (the middle of Syria) so that shapes keep
// their proportions; boundaries are simplified to a fraction of a pixel.
const (
	frameWest, frameEast   = 35.0, 42.5
	frameSouth, frameNorth = 32.2, 37.4
	mapPad                 = 10.0
)

var (
	lonScale = math.Cos(35 * math.Pi / 180)
	mapScale = (chartWidth - 2*mapPad) / ((frameEast - frameWest) * lonScale)
	mapH     = (frameNorth-frameSouth)*mapScale + 2*mapPad
)

// project maps a longitude and latitude to the map's pixels.
func project(lon, lat float64) (x, y float64) {
	return mapPad + (lon-frameWest)*lonScale*mapScale, mapPad + (frameNorth-lat)*mapScale
}

type pt struct{ x, y float64 }

// govShape is a governorate as drawn: its outline as an SVG path, its
// rings in pixels (to test points against), and where its label goes.
type govShape struct {
	pcode string
	path  string
	rings [][]pt
	label pt
	// leader is the governorate's own point when the label stands
	// outside it (Damascus, too small to hold its name).
	leader *pt
}

// labelAt places labels where the centroid would crowd or fall off the
// governorate: coastal ones over the sea, small southern ones apart.
var labelAt = map[string][2]float64{
	"SY01": {35.62, 33.80}, // Damascus: over Lebanon, with a leader
	"SY03": {37.55, 33.38},
	"SY06": {35.72, 35.62},
	"SY10": {35.62, 34.92},
	"SY12": {36.10, 32.72},
	"SY13": {37.02, 32.62},
	"SY14": {35.45, 33.12},
	"SY05": {37.25, 35.12},
	"SY04": {38.45, 34.55},
}

var govShapes = sync.OnceValue(func() []govShape {
	var out []govShape
	for _, g := range places.Governorates() {
		sh := govShape{pcode: g.PCode}
		var b strings.Builder
		for _, poly := range g.Geometry {
			for _, ring := range poly {
				ps := make([]pt, len(ring))
				for i, c := range ring {
					ps[i].x, ps[i].y = project(c[0], c[1])
				}
				ps = simplify(ps, 0.35)
				if len(ps) < 4 {
					continue
				}
				sh.rings = append(sh.rings, ps)
				writePath(&b, ps, true)
			}
		}
		sh.path = b.String()
		c := g.Centroid
		if at, ok := labelAt[g.PCode]; ok {
			c = at
		}
		sh.label.x, sh.label.y = project(c[0], c[1])
		if g.PCode == "SY01" {
			p := pt{}
			p.x, p.y = project(g.Centroid[0], g.Centroid[1])
			sh.leader = &p
		}
		out = append(out, sh)
	}
	return out
})

func writePath(b *strings.Builder, ps []pt, closed bool) {
	for i, p := range ps {
		if i == 0 {
			b.WriteByte('M')
		} else {
			b.WriteByte('L')
		}
		b.WriteString(f1(p.x))
		b.WriteByte(' ')
		b.WriteString(f1(p.y))
	}
	if closed {
		b.WriteByte('Z')
	}
}

// simplify is Douglas–Peucker with a tolerance in pixels, keeping the
// first and last points.
func simplify(ps []pt, tol float64) []pt {
	if len(ps) < 3 {
		return ps
	}
	keep := make([]bool, len(ps))
	keep[0], keep[len(ps)-1] = true, true
	type span struct{ a, b int }
	stack := []span{{0, len(ps) - 1}}
	for len(stack) > 0 {
		sp := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		far, at := 0.0, -1
		for i := sp.a + 1; i < sp.b; i++ {
			if d := segDist(ps[i], ps[sp.a], ps[sp.b]); d > far {
				far, at = d, i
			}
		}
		if at >= 0 && far > tol {
			keep[at] = true
			stack = append(stack, span{sp.a, at}, span{at, sp.b})
		}
	}
	out := make([]pt, 0, len(ps)/4)
	for i, k := range keep {
		if k {
			out = append(out, ps[i])
		}
	}
	return out
}

// segDist is the distance from p to the segment ab.
func segDist(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = max(0, min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l2))
	}
	ex, ey := a.x+t*dx-p.x, a.y+t*dy-p.y
	return math.Hypot(ex, ey)
}

// inside reports whether p is inside the rings (even–odd).
func inside(p pt, rings [][]pt) bool {
	in := false
	for _, r := range rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a.y > p.y) != (b.y > p.y) && p.x < (b.x-a.x)*(p.y-a.y)/(b.y-a.y)+a.x {
				in = !in
			}
		}
	}
	return in
}

// MapChart draws the governorates shaded by their number of reports, named in
// the report's language with their counts, and, when the map exists, the
// lines of contact on it at the end of the period.
func (r *Report) MapChart() Drawing {
	const w = chartWidth
	l := r.Lang
	counts := map[string]int{}
	maxV := 0
	for _, g := range r.Governorates {
		if g.Key != "" {
			counts[g.Key] = g.Total()
			maxV = max(maxV, g.Total())
		}
	}
	bounds := classes(maxV)
	items := classLegend(l, r.text.NoReports, bounds)
	var lineItems []legendItem
	var lines, combat [][]pt
	if r.Map != nil {
		for _, ln := range r.Map.Lines {
			for _, ls := range ln.Geometry {
				ps := projectLine(ls)
				if len(ln.Designated) > 0 {
					combat = append(combat, ps)
				} else {
					lines = append(lines, ps)
				}
			}
		}
		lineItems = []legendItem{
			{colour: lineColour, label: r.text.LineOfContact, line: true, width: 1.4},
			{colour: combatColor, label: r.text.CombatLine, line: true, width: 2.6},
		}
	}
	probe := newSVG(l, w, 0, "", "", "")
	legendH := probe.legend(items, 14, w-14, 0) + 20
	if lineItems != nil {
		legendH += probe.legend(lineItems, 14, w-14, 0)
	}
	h := math.Ceil(mapH + 8 + legendH + 6)
	title := fill(r.text.MapTitle, "date", isolate(l, date(r.To)))
	s := newSVG(l, w, h, "map", title, r.desc(r.Total(), maxV))
	shapes := govShapes()
	for _, g := range shapes {
		fmt.Fprintf(&s.b, `<path d="%s" fill="%s" fill-rule="evenodd" stroke="#FFFFFF" stroke-width="1.2" stroke-linejoin="round"/>`, g.path, seqColour(counts[g.pcode], bounds))
	}
	// The country's outline, darker than the boundaries inside it.
	for _, g := range shapes {
		fmt.Fprintf(&s.b, `<path d="%s" fill="none" stroke="#7A7A7A" stroke-width="0.6" stroke-linejoin="round"/>`, g.path)
	}
	// Lines are drawn over a white casing, so that they show on the
	// darkest shading as on the lightest.
	drawLines := func(ls [][]pt, colour string, width float64) {
		if len(ls) == 0 {
			return
		}
		var b strings.Builder
		for _, ps := range ls {
			writePath(&b, ps, false)
		}
		fmt.Fprintf(&s.b, `<path d="%s" fill="none" stroke="#FFFFFF" stroke-width="%s" stroke-linejoin="round" stroke-linecap="round"/>`, b.String(), f1(width+2))
		fmt.Fprintf(&s.b, `<path d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round" stroke-linecap="round"/>`, b.String(), colour, f1(width))
	}
	drawLines(lines, lineColour, 1.4)
	drawLines(combat, combatColor, 2.6)

	// Labels: the name, and the count below it.
	type box struct{ x0, y0, x1, y1 float64 }
	var boxes []box
	for _, g := range shapes {
		name := r.govName(g.pcode)
		// Bold is wider; a label stays inside the drawing.
		tw := max(textWidth(name, 12)*1.1, 24)
		x := min(max(g.label.x, tw/2+4), w-tw/2-4)
		if g.leader != nil {
			// From the place to the end of its name, clear of the count.
			x2, y2 := x+tw/2+2, g.label.y-4
			s.line(g.leader.x, g.leader.y, x2, y2, "#FFFFFF", 3)
			s.line(g.leader.x, g.leader.y, x2, y2, inkColour, 1)
			fmt.Fprintf(&s.b, `<circle cx="%s" cy="%s" r="3" fill="%s" stroke="#FFFFFF" stroke-width="1.5"/>`, f1(g.leader.x), f1(g.leader.y), inkColour)
		}
		s.text(x, g.label.y, name, middle, textOpt{bold: true, halo: true})
		s.text(x, g.label.y+15, num(l, counts[g.pcode]), middle, textOpt{number: true, halo: true})
		boxes = append(boxes, box{x - tw/2 - 4, g.label.y - 14, x + tw/2 + 4, g.label.y + 20})
	}
	// Probes: a point of each governorate clear of labels and lines.
	clear := func(p pt) bool {
		for _, b := range boxes {
			if p.x >= b.x0 && p.x <= b.x1 && p.y >= b.y0 && p.y <= b.y1 {
				return false
			}
		}
		for _, set := range [][][]pt{lines, combat} {
			for _, ps := range set {
				for i := 1; i < len(ps); i++ {
					if segDist(p, ps[i-1], ps[i]) < 6 {
						return false
					}
				}
			}
		}
		for _, g := range shapes {
			for _, rg := range g.rings {
				for i := 1; i < len(rg); i++ {
					if segDist(p, rg[i-1], rg[i]) < 4 {
						return false
					}
				}
			}
		}
		return true
	}
	for _, g := range shapes {
		if p, ok := probePoint(g, clear); ok {
			s.probe(p.x, p.y, seqColour(counts[g.pcode], bounds), g.pcode)
		}
	}

	y := mapH + 8
	if l.RTL() {
		s.text(w-14, y+12, r.text.MapLegend, right, textOpt{bold: true})
	} else {
		s.text(14, y+12, r.text.MapLegend, left, textOpt{bold: true})
	}
	y += 20
	y += s.legend(items, 14, w-14, y)
	if lineItems != nil {
		s.legend(lineItems, 14, w-14, y)
	}
	return s.done("map", w, h)
}

// probePoint looks for a point inside the governorate that clear accepts,
// scanning a grid over its rings' box.
func probePoint(g govShape, clear func(pt) bool) (pt, bool) {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, r := range g.rings {
		for _, p := range r {
			x0, y0, x1, y1 = min(x0, p.x), min(y0, p.y), max(x1, p.x), max(y1, p.y)
		}
	}
	const step = 5.0
	for y := y0 + step; y < y1; y += step {
		for x := x0 + step; x < x1; x += step {
			p := pt{x, y}
			if inside(p, g.rings) && clear(p) {
				return p, true
			}
		}
	}
	return pt{}, false
}

func projectLine(ls geo.LineString) []pt {
	ps := make([]pt, len(ls))
	for i, p := range ls {
		ps[i].x, ps[i].y = project(p.Lon, p.Lat)
	}
	return simplify(ps, 0.5)
}

// govName is a governorate's name in the report's language.
func (r *Report) govName(pcode string) string {
	for _, g := range r.Governorates {
		if g.Key == pcode {
			return g.Name
		}
	}
	return pcode
}
