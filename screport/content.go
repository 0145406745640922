package screport

import (
	"slices"
	"sort"
	"strconv"

	"truce"
)

// A report is laid out once, as a document of sections of paragraphs,
// tables and figures, and written from it as HTML or Markdown, so that
// the two editions say the same.

type document struct {
	Lang, Dir string
	Title     string
	Header    []field
	Sections  []section
}

type field struct{ Label, Value string }

type section struct {
	ID, Title string
	Blocks    []block
}

// block is one of: a paragraph, a table, a figure, preformatted text.
type block struct {
	Para   string
	Small  bool // a note, in smaller type
	Table  *table
	Figure *figure
	Pre    string
}

type table struct {
	Caption string
	Head    []cell
	Rows    [][]cell
}

type cell struct {
	Text string
	Num  bool // a number: aligned, left to right
	Bold bool
}

type figure struct {
	Caption string
	Drawing Drawing
	Note    string
}

func txt(s string) cell  { return cell{Text: s} }
func bold(s string) cell { return cell{Text: s, Bold: true} }

func (r *Report) n(v int) cell { return cell{Text: num(r.Lang, v), Num: true} }

func (r *Report) km(v float64) cell { return cell{Text: dec(r.Lang, v), Num: true} }

// layout lays the report out for a format: html and pdf have figures,
// md has not.
func (r *Report) layout(format string) *document {
	figures := format != "md"
	t := r.text
	l := r.Lang
	d := &document{Lang: string(l), Dir: l.Dir(), Title: t.DocTitle}
	agreement := r.Agreement.Names[string(l)]
	if agreement == "" {
		agreement = r.Agreement.Names["en"]
	}
	d.Header = []field{
		{t.Agreement, agreement},
		{t.Period, isolate(l, date(r.From)+" – "+date(r.To))},
		{t.AsOf, fill(t.AsOfText, "n", isolate(l, num(l, int(r.Checkpoint.Size))), "t", isolate(l, stamp(r.AsOf)))},
	}
	figN, tabN := 0, 0
	fig := func(title string, dr Drawing, note string) block {
		figN++
		return block{Figure: &figure{Caption: fill(t.Figure, "n", strconv.Itoa(figN)) + ". " + title, Drawing: dr, Note: note}}
	}
	tab := func(caption string, head []cell, rows [][]cell) block {
		tabN++
		// A column of numbers has its head aligned as its numbers are.
		for i := range head {
			if i > 0 && len(rows) > 0 && i < len(rows[0]) && rows[0][i].Num {
				head[i].Num = true
			}
		}
		return block{Table: &table{Caption: fill(t.Table, "n", strconv.Itoa(tabN)) + ". " + caption, Head: head, Rows: rows}}
	}
	total := r.Total()

	// Summary.
	sum := section{ID: "summary", Title: t.SecSummary, Blocks: []block{{Para: t.SummaryIntro}}}
	if !figures {
		sum.Blocks = append(sum.Blocks, block{Para: t.MdFigures, Small: true})
	}
	rows := [][]cell{{bold(t.Total), {Text: num(l, total), Num: true, Bold: true}, {Text: percent(l, total, total), Num: true}}}
	for i := range stateOrder {
		rows = append(rows, []cell{txt(t.States[i]), r.n(r.States[i]), {Text: percent(l, r.States[i], total), Num: true}})
	}
	sum.Blocks = append(sum.Blocks, tab(t.StateHead, []cell{txt(t.StateHead), txt(t.Count), txt(t.Share)}, rows))
	rows = nil
	for i := range scopeOrder {
		if i == nScopes-1 && r.Scopes[i] == 0 {
			continue
		}
		rows = append(rows, []cell{txt(t.Scopes[i]), r.n(r.Scopes[i]), {Text: percent(l, r.Scopes[i], total), Num: true}})
	}
	sum.Blocks = append(sum.Blocks, tab(t.ScopeHead, []cell{txt(t.ScopeHead), txt(t.Count), txt(t.Share)}, rows))
	sum.Blocks = append(sum.Blocks, tab(t.CasualtiesHead, []cell{txt(t.CasualtiesHead), txt("")}, [][]cell{
		{txt(t.Killed), r.n(r.Killed)},
		{txt(t.KilledCivilians), r.n(r.KilledCivilians)},
		{txt(t.KilledConfirmed), r.n(r.KilledConfirmed)},
		{txt(t.Injured), r.n(r.Injured)},
		{txt(t.GovWithReports), r.n(r.GovernoratesWithReports())},
	}))
	d.Sections = append(d.Sections, sum)

	// By week.
	wk := section{ID: "weekly", Title: t.SecWeekly}
	note := t.WeeklyNote
	if last := r.Weeks[len(r.Weeks)-1]; last.Days() < 7 {
		note += " " + fill(t.PartialWeek, "from", isolate(l, date(last.Start)), "to", isolate(l, date(r.To)))
	}
	if figures {
		wk.Blocks = append(wk.Blocks, fig(r.periodTitle(t.ChartWeeklyTitle), r.WeeklyChart(), note))
	} else {
		wk.Blocks = append(wk.Blocks, block{Para: note})
	}
	wk.Blocks = append(wk.Blocks, r.weeklySummary(tab))
	d.Sections = append(d.Sections, wk)

	// By governorate.
	gov := section{ID: "governorates", Title: t.SecGovernorate}
	if figures {
		gov.Blocks = append(gov.Blocks, fig(fill(t.MapTitle, "date", isolate(l, date(r.To))), r.MapChart(), t.GovNote))
	} else {
		gov.Blocks = append(gov.Blocks, block{Para: t.GovNote})
	}
	gov.Blocks = append(gov.Blocks, tab(r.periodTitle(t.ChartGovernorates()), r.stateHead(t.Governorate), r.stateRows(r.Governorates)))
	if figures {
		gov.Blocks = append(gov.Blocks, fig(r.periodTitle(t.ChartHeatTitle), r.HeatChart(), t.HeatNote))
	}
	d.Sections = append(d.Sections, gov)

	// By alleged perpetrator.
	perp := section{ID: "perpetrators", Title: t.SecPerpetrator}
	if figures && len(r.Perpetrators) > 0 {
		perp.Blocks = append(perp.Blocks, fig(r.periodTitle(t.ChartPerpTitle), r.PerpetratorChart(), t.PerpNote))
	} else {
		perp.Blocks = append(perp.Blocks, block{Para: t.PerpNote})
	}
	perp.Blocks = append(perp.Blocks, tab(r.periodTitle(t.ChartPerpTitle), r.stateHead(t.Perpetrator), r.stateRows(r.Perpetrators)))
	d.Sections = append(d.Sections, perp)

	d.Sections = append(d.Sections, r.mapSection(tab))

	// Method.
	m := section{ID: "method", Title: t.SecMethod}
	for i, p := range t.Method {
		if i == len(t.Method)-1 {
			p = fill(p, "command", isolate(l, r.command(format)))
		}
		m.Blocks = append(m.Blocks, block{Para: p})
	}
	m.Blocks = append(m.Blocks, block{Para: t.Rebuild}, block{Para: t.Attribution, Small: true}, block{Para: t.Checkpoint}, block{Pre: r.Checkpoint.Note})
	d.Sections = append(d.Sections, m)

	// Annex: the weeks.
	annex := section{ID: "annex", Title: t.SecAnnex}
	head := append([]cell{txt(t.Week), txt(t.Days)}, r.stateHead("")[1:]...)
	rows = nil
	for _, w := range r.Weeks {
		row := []cell{{Text: date(w.Start), Num: true}, r.n(w.Days())}
		for _, c := range w.Counts {
			row = append(row, r.n(c))
		}
		row = append(row, cell{Text: num(l, w.Counts.Total()), Num: true, Bold: true})
		rows = append(rows, row)
	}
	annex.Blocks = append(annex.Blocks, tab(r.periodTitle(t.ChartWeeklyTitle), head, rows))
	d.Sections = append(d.Sections, annex)
	return d
}

// ChartGovernorates is the caption of the table of governorates.
func (t *texts) ChartGovernorates() string { return t.SecGovernorate + ", {from} – {to}" }

// weeklySummary is a short table of the weeks: the busiest, and the
// confirmed and contested in the first and second halves of the period.
func (r *Report) weeklySummary(tab func(string, []cell, [][]cell) block) block {
	t := r.text
	half := (len(r.Weeks) + 1) / 2
	var first, second Counts
	for i, w := range r.Weeks {
		for k, c := range w.Counts {
			if i < half {
				first[k] += c
			} else {
				second[k] += c
			}
		}
	}
	end := r.Weeks[half-1].End.AddDate(0, 0, -1)
	rows := [][]cell{
		r.countsRow(date(r.From)+" – "+date(end), first),
	}
	if half < len(r.Weeks) {
		rows = append(rows, r.countsRow(date(r.Weeks[half].Start)+" – "+date(r.To), second))
	}
	return tab(r.periodTitle(t.ChartWeeklyTitle), r.stateHead(t.Period), rows)
}

func (r *Report) countsRow(label string, c Counts) []cell {
	row := []cell{{Text: label, Num: true}}
	for _, v := range c {
		row = append(row, r.n(v))
	}
	return append(row, cell{Text: num(r.Lang, c.Total()), Num: true, Bold: true})
}

// stateHead is the head of a table of counts by state, after a first
// column named first.
func (r *Report) stateHead(first string) []cell {
	h := []cell{txt(first)}
	for i := range stateOrder {
		h = append(h, txt(r.text.States[i]))
	}
	return append(h, txt(r.text.Count))
}

func (r *Report) stateRows(rows []Row) [][]cell {
	var out [][]cell
	var all Counts
	for _, row := range rows {
		out = append(out, append([]cell{txt(row.Name)}, r.countsRow("", row.Counts)[1:]...))
		for k, v := range row.Counts {
			all[k] += v
		}
	}
	totalRow := r.countsRow("", all)
	totalRow[0] = txt(r.text.Sum)
	for i := range totalRow {
		totalRow[i].Bold = true
	}
	return append(out, totalRow)
}

// mapSection reports the lines of contact and the separation on the map
// at the end of the period, or says there was no map.
func (r *Report) mapSection(tab func(string, []cell, [][]cell) block) section {
	t := r.text
	l := r.Lang
	s := section{ID: "lines", Title: t.SecMap}
	day := isolate(l, date(r.To))
	if r.Map == nil {
		s.Blocks = append(s.Blocks, block{Para: fill(t.NoMap, "date", day)})
		return s
	}
	s.Blocks = append(s.Blocks, block{Para: fill(t.MapIntro, "date", day)})
	byActor, combat := r.designatedKm()
	s.Blocks = append(s.Blocks, tab(t.SecMap, []cell{txt(t.SecMap), txt(t.Length)}, [][]cell{
		{txt(t.LinesTotal), r.km(r.linesKm())},
		{txt(t.CombatTotal), r.km(combat)},
	}))
	if len(byActor) > 0 {
		var groups []truce.ActorID
		for a := range byActor {
			groups = append(groups, a)
		}
		slices.Sort(groups)
		head := []cell{txt(t.Governorate)}
		for _, g := range groups {
			head = append(head, txt(actorName(r.Agreement, g, l, "")))
		}
		var rows [][]cell
		keys := append(slices.Clone(govKeys(r)), "")
		sums := make([]float64, len(groups))
		for _, k := range keys {
			row := []cell{txt(r.govName(k))}
			if k == "" {
				row[0] = txt(t.OutsideSyria)
			}
			any := false
			for i, g := range groups {
				v := byActor[g][k]
				any = any || v > 0
				sums[i] += v
				row = append(row, r.km(v))
			}
			if any {
				rows = append(rows, row)
			}
		}
		totalRow := []cell{bold(t.Sum)}
		for _, v := range sums {
			c := r.km(v)
			c.Bold = true
			totalRow = append(totalRow, c)
		}
		rows = append(rows, totalRow)
		s.Blocks = append(s.Blocks, tab(t.DesignatedGov, head, rows))
	}
	metres := isolate(l, num(l, r.Map.ThresholdM))
	if len(r.Map.Separation) == 0 {
		s.Blocks = append(s.Blocks, block{Para: fill(t.NoSeparation, "m", metres)})
		return s
	}
	var rows [][]cell
	sep := slices.Clone(r.Map.Separation)
	sort.SliceStable(sep, func(i, j int) bool { return sep[i].Designated < sep[j].Designated })
	var pairs, touching int
	for _, c := range sep {
		rows = append(rows, []cell{
			txt(actorName(r.Agreement, c.Designated, l, "")), txt(actorName(r.Agreement, c.Party, l, "")),
			r.n(c.Pairs), r.n(c.Touching),
		})
		pairs += c.Pairs
		touching += c.Touching
	}
	rows = append(rows, []cell{bold(t.Sum), txt(""), {Text: num(l, pairs), Num: true, Bold: true}, {Text: num(l, touching), Num: true, Bold: true}})
	s.Blocks = append(s.Blocks, tab(fill(t.SeparationCap, "m", metres), []cell{txt(t.Designated), txt(t.Party), txt(t.Pairs), txt(t.Touching)}, rows))
	return s
}

// govKeys are the governorates' P-codes in order.
func govKeys(r *Report) []string {
	var ks []string
	for _, g := range r.Governorates {
		if g.Key != "" {
			ks = append(ks, g.Key)
		}
	}
	return ks
}
