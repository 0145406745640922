package screport

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"unicode"

	"truce/i18n"
)

// The charts and the map are SVG written by hand: no script, fonts the
// reader's system has (Noto and DejaVu on the machines that make PDFs),
// a title and a description for screen readers, and the Okabe–Ito
// colours, which readers with any common colour-vision deficiency tell
// apart.

// Colours of the consensus states, in stateOrder.
var stateColours = [nStates]string{
	"#0072B2", // confirmed: blue
	"#D55E00", // contested: vermillion
	"#56B4E9", // unilateral: sky blue
	"#CC79A7", // rejected: reddish purple
	"#BBBBBB", // pending: grey
}

// Sequential classes for counts (ColorBrewer Blues): none, then four
// classes from few to many.
var (
	zeroColour = "#F0F0F0"
	seqColours = [4]string{"#C6DBEF", "#6BAED6", "#2171B5", "#08306B"}
)

const (
	inkColour   = "#1A1A1A"
	mutedColour = "#555555"
	gridColour  = "#D9D9D9"
	lineColour  = "#333333" // lines of contact
	combatColor = "#D55E00" // combat lines with designated groups
	chartWidth  = 680.0     // fits A4 portrait with 14 mm margins at 96 dpi
)

// fontFamily lists the fonts to draw with: Arabic script first for Arabic
// and Persian, whose digits and Latin fall back to Noto Sans.
func fontFamily(l i18n.Lang) string {
	if l.RTL() {
		return "'Noto Sans Arabic', 'Noto Naskh Arabic', 'Noto Sans', 'DejaVu Sans', Tahoma, sans-serif"
	}
	return "'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
}

// Probe is a point of a drawing and the colour it must have by
// construction: a bar's middle, a shaded governorate. The legibility test
// renders the drawing and looks there.
type Probe struct {
	X, Y   float64
	Colour string
	What   string
}

// Drawing is one SVG chart or map, with what its test needs to check it.
type Drawing struct {
	Name          string // a file name: weekly, governorates, heat, perpetrators, map
	SVG           string
	Width, Height float64
	Probes        []Probe
}

// svg writes one drawing.
type svg struct {
	b      strings.Builder
	lang   i18n.Lang
	probes []Probe
}

func newSVG(l i18n.Lang, w, h float64, id, title, desc string) *svg {
	s := &svg{lang: l}
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-t %s-d" font-family="%s" font-size="12" fill="%s">`,
		f1(w), f1(h), f1(w), f1(h), id, id, esc(fontFamily(l)), inkColour)
	fmt.Fprintf(&s.b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(desc))
	fmt.Fprintf(&s.b, `<rect width="%s" height="%s" fill="#FFFFFF"/>`, f1(w), f1(h))
	return s
}

func (s *svg) done(name string, w, h float64) Drawing {
	s.b.WriteString(`</svg>`)
	return Drawing{Name: name, SVG: s.b.String(), Width: w, Height: h, Probes: s.probes}
}

// probe records that the point must show the colour.
func (s *svg) probe(x, y float64, colour, what string) {
	s.probes = append(s.probes, Probe{X: x, Y: y, Colour: colour, What: what})
}

func (s *svg) rect(x, y, w, h float64, fill string) {
	fmt.Fprintf(&s.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, f1(x), f1(y), f1(w), f1(h), fill)
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke string, width float64) {
	fmt.Fprintf(&s.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"/>`, f1(x1), f1(y1), f1(x2), f1(y2), stroke, f1(width))
}

// align is where a text sits against its x: its left edge, its right
// edge or its middle, whatever its direction.
type align int

const (
	left align = iota
	right
	middle
)

// textOpt are a text's options beyond its place.
type textOpt struct {
	size   float64 // 12 when zero
	bold   bool
	fill   string
	halo   bool    // a white outline, for text over shading
	number bool    // numbers and dates: always left to right
	rotate float64 // degrees, about (x, y)
}

// text writes s at (x, y), y being the baseline. In Arabic and Persian a
// text runs right to left unless it is a number; text-anchor follows the
// direction, so that align keeps its physical meaning.
func (s *svg) text(x, y float64, str string, a align, o textOpt) {
	rtl := s.lang.RTL() && !o.number
	anchor := "middle"
	switch {
	case a == left && !rtl, a == right && rtl:
		anchor = "start"
	case a == right && !rtl, a == left && rtl:
		anchor = "end"
	}
	fmt.Fprintf(&s.b, `<text x="%s" y="%s" text-anchor="%s"`, f1(x), f1(y), anchor)
	if rtl {
		s.b.WriteString(` direction="rtl"`)
	} else if s.lang.RTL() {
		s.b.WriteString(` direction="ltr" unicode-bidi="embed"`)
	}
	if o.size != 0 && o.size != 12 {
		fmt.Fprintf(&s.b, ` font-size="%s"`, f1(o.size))
	}
	if o.bold {
		s.b.WriteString(` font-weight="bold"`)
	}
	if o.fill != "" {
		fmt.Fprintf(&s.b, ` fill="%s"`, o.fill)
	}
	if o.halo {
		s.b.WriteString(` stroke="#FFFFFF" stroke-width="3" stroke-linejoin="round" paint-order="stroke"`)
	}
	if o.rotate != 0 {
		fmt.Fprintf(&s.b, ` transform="rotate(%s %s %s)"`, f1(o.rotate), f1(x), f1(y))
	}
	fmt.Fprintf(&s.b, `>%s</text>`, esc(str))
}

// legendItem is a swatch and its label.
type legendItem struct {
	colour string
	label  string
	line   bool // a line rather than a box
	width  float64
}

// legend lays items out in rows from the start side (left, or right in
// Arabic and Persian) within [x0, x1], from y, and returns the height used.
func (s *svg) legend(items []legendItem, x0, x1, y float64) float64 {
	const rowH, box, gap = 20.0, 12.0, 18.0
	rtl := s.lang.RTL()
	cx, cy := x0, y
	if rtl {
		cx = x1
	}
	for _, it := range items {
		w := box + 6 + textWidth(it.label, 12)
		if it.line {
			w += 12
		}
		if (!rtl && cx+w > x1 && cx > x0) || (rtl && cx-w < x0 && cx < x1) {
			cy += rowH
			cx = x0
			if rtl {
				cx = x1
			}
		}
		sw := box
		if it.line {
			sw = box + 12
		}
		bx := cx
		if rtl {
			bx = cx - sw
		}
		if it.line {
			s.line(bx, cy+box/2, bx+sw, cy+box/2, it.colour, it.width)
		} else {
			s.rect(bx, cy, box, box, it.colour)
			fmt.Fprintf(&s.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#888888" stroke-width="0.5"/>`, f1(bx), f1(cy), f1(box), f1(box))
		}
		if rtl {
			s.text(bx-6, cy+box-1, it.label, right, textOpt{})
			cx -= w + gap
		} else {
			s.text(bx+sw+6, cy+box-1, it.label, left, textOpt{})
			cx += w + gap
		}
	}
	return cy + rowH - y
}

// textWidth estimates the width of a text at a font size: wide enough for
// Noto Sans and Noto Sans Arabic, and for DejaVu Sans, which is wider and
// is what a machine without Noto draws with, so that layouts leave room.
func textWidth(s string, size float64) float64 {
	var w float64
	for _, r := range s {
		switch {
		case r == ' ':
			w += 0.28
		case unicode.Is(unicode.Arabic, r):
			w += 0.5
		case unicode.IsUpper(r):
			w += 0.68
		case unicode.IsDigit(r):
			w += 0.57
		case r == 'm' || r == 'w' || r == 'ш' || r == 'щ' || r == 'ж' || r == 'м' || r == 'ю':
			w += 0.8
		case r == 'i' || r == 'l' || r == 'j' || r == 'ı' || r == 't' || r == 'f' || r == '.' || r == ',' || r == '\'' || r == '(' || r == ')':
			w += 0.3
		case r >= 0x2066 && r <= 0x2069:
		default:
			w += 0.56
		}
	}
	return 1.12 * w * size
}

// wrap splits s into lines no wider than w at the size, at spaces.
func wrap(s string, w, size float64) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for _, wd := range words {
		if cur != "" && textWidth(cur+" "+wd, size) > w {
			lines = append(lines, cur)
			cur = wd
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += wd
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// f1 writes a coordinate with at most one decimal, the same on every
// machine.
func f1(v float64) string {
	v = math.Round(v*10) / 10
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func esc(s string) string { return html.EscapeString(s) }

// niceStep is a step of 1, 2 or 5 times a power of ten that divides
// [0, max] into at most n parts.
func niceStep(maxV, n int) int {
	if maxV <= 0 {
		return 1
	}
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if st := m * p; (maxV+st-1)/st <= n {
				return st
			}
		}
	}
}

// classes returns the upper bounds of the four count classes of the
// sequential scale for counts up to maxV: doubling, so that a skewed
// distribution (one governorate holding most reports) still shows.
func classes(maxV int) []int {
	var out []int
	for k := 3; k >= 0; k-- {
		b := int(math.Ceil(float64(maxV) / float64(int(1)<<k)))
		if b >= 1 && (len(out) == 0 || b > out[len(out)-1]) {
			out = append(out, b)
		}
	}
	return out
}

// seqColour is the colour of a count under the class bounds.
func seqColour(n int, bounds []int) string {
	if n <= 0 {
		return zeroColour
	}
	off := len(seqColours) - len(bounds)
	for i, b := range bounds {
		if n <= b {
			return seqColours[off+i]
		}
	}
	return seqColours[len(seqColours)-1]
}

// classLegend is the legend of a sequential scale: none, then each class
// as a range.
func classLegend(l i18n.Lang, none string, bounds []int) []legendItem {
	items := []legendItem{{colour: zeroColour, label: none}}
	lo := 1
	off := len(seqColours) - len(bounds)
	for i, b := range bounds {
		label := num(l, lo)
		if b > lo {
			label += "–" + num(l, b)
		}
		items = append(items, legendItem{colour: seqColours[off+i], label: isolate(l, label)})
		lo = b + 1
	}
	return items
}
