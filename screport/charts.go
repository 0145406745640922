package screport

import (
	"fmt"
	"math"
)

// Time runs left to right in every language, as the dates and numbers
// that label it are written; in Arabic and Persian the texts, legends and
// the category labels move to the right-hand side.

func (r *Report) stateLegend() []legendItem {
	items := make([]legendItem, nStates)
	for i := range stateOrder {
		items[i] = legendItem{colour: stateColours[i], label: r.text.States[i]}
	}
	return items
}

func (r *Report) periodTitle(format string) string {
	return fill(format, "from", isolate(r.Lang, date(r.From)), "to", isolate(r.Lang, date(r.To)))
}

func (r *Report) desc(total, maxV int) string {
	return fill(r.text.ChartDesc, "total", isolate(r.Lang, num(r.Lang, total)), "max", isolate(r.Lang, num(r.Lang, maxV)))
}

// WeeklyChart draws the reports of each week as bars stacked by
// consensus state, confirmed at the bottom.
func (r *Report) WeeklyChart() Drawing {
	const w, plotH = chartWidth, 220.0
	l := r.Lang
	maxV := 0
	for _, wk := range r.Weeks {
		maxV = max(maxV, wk.Counts.Total())
	}
	step := niceStep(max(maxV, 1), 5)
	top := float64((max(maxV, 1)+step-1)/step) * float64(step)

	probe := newSVG(l, w, 0, "", "", "")
	legendH := probe.legend(r.stateLegend(), 16, w-16, 8)
	y0 := 8 + legendH + 14 // top of the plot
	h := math.Ceil(y0 + plotH + 52)
	s := newSVG(l, w, h, "weekly", r.periodTitle(r.text.ChartWeeklyTitle), r.desc(r.Total(), maxV))
	s.legend(r.stateLegend(), 16, w-16, 8)

	x0, x1 := 62.0, w-14
	yOf := func(v float64) float64 { return y0 + plotH - plotH*v/top }
	for v := 0; v <= int(top); v += step {
		y := yOf(float64(v))
		s.line(x0, y, x1, y, gridColour, 1)
		s.text(x0-6, y+4, num(l, v), right, textOpt{number: true, size: 11})
	}
	s.text(16, y0+plotH/2, r.text.AxisReports, middle, textOpt{rotate: -90, size: 12})

	n := len(r.Weeks)
	slot := (x1 - x0) / float64(n)
	bw := max(slot*0.72, 1)
	// The bars of the tallest full week are probed.
	tallest := -1
	for i, wk := range r.Weeks {
		if wk.Days() == 7 && (tallest < 0 || wk.Counts.Total() > r.Weeks[tallest].Counts.Total()) {
			tallest = i
		}
	}
	for i, wk := range r.Weeks {
		bx := x0 + slot*float64(i) + (slot-bw)/2
		acc := 0
		for si, c := range wk.Counts {
			if c == 0 {
				continue
			}
			yTop, yBot := yOf(float64(acc+c)), yOf(float64(acc))
			colour := stateColours[si]
			if wk.Days() < 7 {
				fmt.Fprintf(&s.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="0.55"/>`, f1(bx), f1(yTop), f1(bw), f1(yBot-yTop), colour)
			} else {
				s.rect(bx, yTop, bw, yBot-yTop, colour)
			}
			if i == tallest && yBot-yTop >= 6 && bw >= 4 {
				s.probe(bx+bw/2, (yTop+yBot)/2, colour, fmt.Sprintf("week %d, %s", i, stateOrder[si]))
			}
			acc += c
		}
	}
	s.line(x0, y0+plotH, x1, y0+plotH, mutedColour, 1)
	s.ticks(r.Weeks, x0, slot, y0+plotH, w)
	s.text(x0+(x1-x0)/2, y0+plotH+42, r.text.AxisWeek, middle, textOpt{size: 12})
	return s.done("weekly", w, h)
}

// ticks draws the labelled weeks under a time axis at y, each label
// centred under its week but kept inside the drawing's width.
func (s *svg) ticks(weeks []Week, x0, slot, y, width float64) {
	for _, t := range weekTicks(weeks, slot) {
		x := x0 + slot*float64(t.index) + slot/2
		s.line(x, y, x, y+4, mutedColour, 1)
		half := textWidth(t.label, 11)/2 + 2
		s.text(min(max(x, half), width-half), y+17, t.label, middle, textOpt{number: true, size: 11})
	}
}

// tick is a labelled week of a time axis.
type tick struct {
	index int
	label string
}

// weekTicks chooses which weeks to label, and how, so that labels do not
// meet: every week by its date when there is room, else the weeks in
// which months begin, by year and month, thinned to fit.
func weekTicks(weeks []Week, slot float64) []tick {
	const full, short, month = 74.0, 44.0, 52.0
	var out []tick
	switch {
	case slot >= full:
		for i, w := range weeks {
			out = append(out, tick{i, date(w.Start)})
		}
		return out
	case slot*2 >= full && len(weeks) <= 16:
		for i := 0; i < len(weeks); i += 2 {
			out = append(out, tick{i, date(weeks[i].Start)})
		}
		return out
	case slot >= short && len(weeks) <= 16:
		for i, w := range weeks {
			out = append(out, tick{i, w.Start.Format("01-02")})
		}
		return out
	}
	// Month starts: the week holding the first day of each month.
	var starts []tick
	for i, w := range weeks {
		for d := w.Start; d.Before(w.End); d = d.AddDate(0, 0, 1) {
			if d.Day() == 1 || (i == 0 && d.Equal(w.Start)) {
				starts = append(starts, tick{i, d.Format("2006-01")})
				break
			}
		}
	}
	every := 1
	for _, e := range []int{1, 2, 3, 4, 6, 12, 24, 60} {
		every = e
		if slot*4.35*float64(e) >= month {
			break
		}
	}
	for k, t := range starts {
		if k%every == 0 {
			out = append(out, t)
		}
	}
	return out
}

// PerpetratorChart draws horizontal bars of the reports naming each
// actor, stacked by consensus state.
func (r *Report) PerpetratorChart() Drawing {
	const w, rowH, barH = chartWidth, 26.0, 16.0
	l := r.Lang
	rows := r.Perpetrators
	maxV := 1
	labelW := 0.0
	for _, p := range rows {
		maxV = max(maxV, p.Total())
		labelW = max(labelW, textWidth(p.Name, 12))
	}
	labelW = min(labelW, 230) + 10
	probe := newSVG(l, w, 0, "", "", "")
	legendH := probe.legend(r.stateLegend(), 16, w-16, 8)
	y0 := 8 + legendH + 10
	lines := make([][]string, len(rows))
	h := y0
	for i, p := range rows {
		lines[i] = wrap(p.Name, labelW-10, 12)
		h += max(rowH, 14*float64(len(lines[i]))+8)
	}
	h = math.Ceil(h + 12)
	s := newSVG(l, w, h, "perpetrators", r.periodTitle(r.text.ChartPerpTitle), r.desc(r.Total(), maxV))
	s.legend(r.stateLegend(), 16, w-16, 8)
	rtl := l.RTL()
	// The bars start after the labels and leave room for the totals.
	start, span := 14+labelW, w-14-labelW-14-48
	if rtl {
		start = w - 14 - labelW
	}
	y := y0
	for i, p := range rows {
		rh := max(rowH, 14*float64(len(lines[i]))+8)
		cy := y + rh/2
		for k, ln := range lines[i] {
			ly := cy + 4 + 14*(float64(k)-float64(len(lines[i])-1)/2)
			if rtl {
				s.text(w-14, ly, ln, right, textOpt{})
			} else {
				s.text(14, ly, ln, left, textOpt{})
			}
		}
		acc := 0.0
		for si, c := range p.Counts {
			if c == 0 {
				continue
			}
			bw := span * float64(c) / float64(maxV)
			bx := start + span*acc/float64(maxV)
			if rtl {
				bx = start - span*acc/float64(maxV) - bw
			}
			s.rect(bx, cy-barH/2, bw, barH, stateColours[si])
			if i == 0 && bw >= 6 {
				s.probe(bx+bw/2, cy, stateColours[si], fmt.Sprintf("%s, %s", p.Key, stateOrder[si]))
			}
			acc += float64(c)
		}
		end := start + span*acc/float64(maxV) + 6
		a := left
		if rtl {
			end, a = start-span*acc/float64(maxV)-6, right
		}
		s.text(end, cy+4, num(l, p.Total()), a, textOpt{number: true, bold: true})
		y += rh
	}
	axis := start
	s.line(axis, y0, axis, y, mutedColour, 1)
	return s.done("perpetrators", w, h)
}

// HeatChart draws the reports of each governorate in each week as a grid
// of cells shaded by count.
func (r *Report) HeatChart() Drawing {
	const w, cellH = chartWidth, 20.0
	l := r.Lang
	labelW := 0.0
	maxV := 0
	for i, g := range r.Governorates {
		labelW = max(labelW, textWidth(g.Name, 12))
		for _, v := range r.GovWeeks[i] {
			maxV = max(maxV, v)
		}
	}
	labelW = min(labelW, 200) + 12
	bounds := classes(maxV)
	legendItems := classLegend(l, r.text.NoReports, bounds)
	rows := len(r.Governorates)
	y0 := 10.0
	plotH := cellH * float64(rows)
	probe := newSVG(l, w, 0, "", "", "")
	legendH := probe.legend(legendItems, 14, w-14, 0)
	h := math.Ceil(y0 + plotH + 48 + legendH + 8)
	s := newSVG(l, w, h, "heat", r.periodTitle(r.text.ChartHeatTitle), r.desc(r.Total(), maxV))
	rtl := l.RTL()
	x0, x1 := 14+labelW, w-14.0
	if rtl {
		x0, x1 = 14, w-14-labelW
	}
	n := len(r.Weeks)
	slot := (x1 - x0) / float64(n)
	gap := 1.0
	if slot < 4 {
		gap = 0
	}
	var maxAt, zeroAt [2]int
	zeroAt = [2]int{-1, -1}
	for i, g := range r.Governorates {
		y := y0 + cellH*float64(i)
		if rtl {
			s.text(w-14, y+cellH/2+4, g.Name, right, textOpt{})
		} else {
			s.text(14, y+cellH/2+4, g.Name, left, textOpt{})
		}
		for j, v := range r.GovWeeks[i] {
			s.rect(x0+slot*float64(j), y, slot-gap, cellH-gap, seqColour(v, bounds))
			if v > r.GovWeeks[maxAt[0]][maxAt[1]] {
				maxAt = [2]int{i, j}
			}
			if v == 0 && zeroAt[0] < 0 && slot-gap >= 4 {
				zeroAt = [2]int{i, j}
			}
		}
	}
	if maxV > 0 && slot-gap >= 4 {
		i, j := maxAt[0], maxAt[1]
		s.probe(x0+slot*float64(j)+(slot-gap)/2, y0+cellH*float64(i)+(cellH-gap)/2, seqColour(maxV, bounds), "busiest cell")
	}
	if zeroAt[0] >= 0 {
		i, j := zeroAt[0], zeroAt[1]
		s.probe(x0+slot*float64(j)+(slot-gap)/2, y0+cellH*float64(i)+(cellH-gap)/2, zeroColour, "empty cell")
	}
	yb := y0 + plotH
	s.ticks(r.Weeks, x0, slot, yb, w)
	s.text(x0+(x1-x0)/2, yb+38, r.text.AxisWeek, middle, textOpt{})
	s.legend(legendItems, 14, w-14, yb+48)
	return s.done("heat", w, h)
}
