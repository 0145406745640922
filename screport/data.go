package screport

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"truce"
	"truce/i18n"
	"truce/places"
	"truce/workflow"
)

// The consensus states in the order a report shows them: the decisions
// first, confirmed against contested, then what is undecided.
var stateOrder = [...]truce.State{truce.Confirmed, truce.Contested, truce.Unilateral, truce.Rejected, truce.Pending}

const nStates = len(stateOrder)

// The scopes in the order a report shows them; the last counts reports
// without a classification.
var scopeOrder = [...]string{truce.ScopeCovered, truce.ScopeExcluded, truce.ScopeDisputed, truce.ScopeOutside, ""}

const nScopes = len(scopeOrder)

func stateIndex(s truce.State) int {
	for i, x := range stateOrder {
		if x == s {
			return i
		}
	}
	return len(stateOrder) - 1
}

// Counts are reports by consensus state, in stateOrder.
type Counts [nStates]int

// Total is the number of reports counted.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// Options choose a report.
type Options struct {
	// From and To are the first and the last day of the period (UTC
	// dates; To is included).
	From, To time.Time
	Lang     i18n.Lang
}

// Report is the content of a periodic report: its figures, in the order
// and the language it prints them. It holds nothing that depends on when
// or where it is made, only on the log up to its checkpoint.
type Report struct {
	Lang      i18n.Lang
	text      *texts
	Agreement *truce.Agreement
	// From is the first day, To the last day, End the day after it.
	From, To, End time.Time
	Checkpoint    *truce.Checkpoint
	AsOf          time.Time

	States Counts
	Scopes [nScopes]int
	// Best estimates of casualties alleged, summed; KilledConfirmed over
	// confirmed reports only.
	Killed, KilledCivilians, Injured, KilledConfirmed int

	Weeks []Week
	// Governorates are the 14 governorates by P-code, then the reports
	// not located in any, when there are some.
	Governorates []Row
	// GovWeeks counts reports by governorate (as Governorates) and week.
	GovWeeks [][]int
	// Perpetrators are the actors named, most reports first, then the
	// reports naming none.
	Perpetrators []Row

	// Map is the approved map at the end of the period; nil when there
	// was none.
	Map *workflow.PeriodicMap
}

// Week is seven days of the period (the last may be shorter) and the
// reports of events that occurred in them.
type Week struct {
	Start, End time.Time // [Start, End)
	Counts     Counts
}

// Days is the number of days the week covers.
func (w Week) Days() int { return int(w.End.Sub(w.Start).Hours() / 24) }

// Row is the reports of one governorate or one actor.
type Row struct {
	Key    string // P-code or actor id; "" for those without
	Name   string // in the report's language
	Counts Counts
}

// Total is the number of reports of the row.
func (r Row) Total() int { return r.Counts.Total() }

// Total is the number of reports of the period.
func (r *Report) Total() int { return r.States.Total() }

// Build reads the period's reports and the map at its end from the service,
// as of the log's latest checkpoint, and counts them.
func Build(ctx context.Context, svc *workflow.Service, o Options) (*Report, error) {
	from, to, err := period(o)
	if err != nil {
		return nil, err
	}
	end := to.AddDate(0, 0, 1)
	mapAt := end.Add(-time.Second)
	p, err := svc.Periodic(ctx, from, end, mapAt)
	if err != nil {
		return nil, err
	}
	return Aggregate(p, o.Lang, to), nil
}

func period(o Options) (from, to time.Time, err error) {
	day := func(t time.Time) time.Time {
		t = t.UTC()
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	from, to = day(o.From), day(o.To)
	if from.IsZero() || to.IsZero() {
		return from, to, truce.Invalidf("from", "the period needs a first and a last day")
	}
	if to.Before(from) {
		return from, to, truce.Invalidf("to", "the last day %s is before the first %s", to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	if to.Sub(from) > 20*366*24*time.Hour {
		return from, to, truce.Invalidf("to", "a report covers at most twenty years")
	}
	return from, to, nil
}

// Aggregate counts what p holds, for the period from p.From to the last
// day to, in language l.
func Aggregate(p *workflow.Periodic, l i18n.Lang, to time.Time) *Report {
	r := &Report{
		Lang: l, text: textsFor(l), Agreement: p.Agreement,
		From: p.From, To: to, End: p.To, Checkpoint: p.Checkpoint, AsOf: p.AsOf,
		Map: p.Map,
	}
	for s := r.From; s.Before(r.End); s = s.AddDate(0, 0, 7) {
		r.Weeks = append(r.Weeks, Week{Start: s, End: minTime(s.AddDate(0, 0, 7), r.End)})
	}
	govs := places.Governorates()
	govIndex := map[string]int{}
	for i, g := range govs {
		govIndex[g.PCode] = i
		r.Governorates = append(r.Governorates, Row{Key: g.PCode, Name: i18n.Governorate(g.PCode, l)})
	}
	unlocated := Row{Name: r.text.NotLocated}
	r.GovWeeks = make([][]int, len(govs)+1)
	for i := range r.GovWeeks {
		r.GovWeeks[i] = make([]int, len(r.Weeks))
	}
	perps := map[truce.ActorID]*Row{}
	for _, x := range p.Reports {
		si := stateIndex(x.State)
		r.States[si]++
		r.Scopes[scopeIndex(x.Scope)]++
		r.Killed += x.Killed
		r.KilledCivilians += x.KilledCivilians
		r.Injured += x.Injured
		if x.State == truce.Confirmed {
			r.KilledConfirmed += x.Killed
		}
		w := int(x.OccurredAt.Sub(r.From) / (7 * 24 * time.Hour))
		w = min(max(w, 0), len(r.Weeks)-1)
		r.Weeks[w].Counts[si]++
		gi, ok := govIndex[x.ADM1]
		if ok {
			r.Governorates[gi].Counts[si]++
		} else {
			gi = len(govs)
			unlocated.Counts[si]++
		}
		r.GovWeeks[gi][w]++
		row := perps[x.Perpetrator]
		if row == nil {
			row = &Row{Key: string(x.Perpetrator), Name: actorName(p.Agreement, x.Perpetrator, l, r.text.NotNamed)}
			perps[x.Perpetrator] = row
		}
		row.Counts[si]++
	}
	if unlocated.Total() > 0 {
		r.Governorates = append(r.Governorates, unlocated)
	} else {
		r.GovWeeks = r.GovWeeks[:len(govs)]
	}
	for _, row := range perps {
		r.Perpetrators = append(r.Perpetrators, *row)
	}
	sort.Slice(r.Perpetrators, func(i, j int) bool {
		a, b := r.Perpetrators[i], r.Perpetrators[j]
		if (a.Key == "") != (b.Key == "") {
			return b.Key == ""
		}
		if a.Total() != b.Total() {
			return a.Total() > b.Total()
		}
		return a.Key < b.Key
	})
	return r
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func scopeIndex(s string) int {
	if i := slices.Index(scopeOrder[:], s); i >= 0 {
		return i
	}
	return nScopes - 1
}

// actorName is the actor's name in the language, or in English when the
// agreement gives none in it; none when id is empty.
func actorName(a *truce.Agreement, id truce.ActorID, l i18n.Lang, none string) string {
	if id == "" {
		return none
	}
	x := a.Actor(id)
	if x == nil {
		return string(id)
	}
	if n := x.Names[string(l)]; n != "" {
		return n
	}
	return x.Name()
}

// GovernoratesWithReports is how many governorates had a report.
func (r *Report) GovernoratesWithReports() int {
	n := 0
	for _, g := range r.Governorates {
		if g.Key != "" && g.Total() > 0 {
			n++
		}
	}
	return n
}

// designatedKm sums the combat lines with designated groups by group and
// governorate ("" for outside every governorate), and in total.
func (r *Report) designatedKm() (byActor map[truce.ActorID]map[string]float64, total float64) {
	byActor = map[truce.ActorID]map[string]float64{}
	for _, l := range r.Map.Lines {
		for _, d := range l.Designated {
			if byActor[d] == nil {
				byActor[d] = map[string]float64{}
			}
			for g, km := range l.ByGovernorate {
				if g == "outside" {
					g = ""
				}
				byActor[d][g] += km
			}
		}
		if len(l.Designated) > 0 {
			total += l.LengthKm
		}
	}
	return byActor, total
}

// linesKm is the total length of the lines of contact.
func (r *Report) linesKm() float64 {
	var t float64
	for _, l := range r.Map.Lines {
		t += l.LengthKm
	}
	return t
}

// date formats a day as the report writes dates: ISO 8601, the same in
// every language.
func date(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// stamp formats a time to the minute, UTC.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }

// command is the command line that rebuilds the report in a format. A
// PDF's bytes depend on the Chromium and the fonts that print it, so the
// PDF edition names the HTML it was printed from.
func (r *Report) command(format string) string {
	if format == "pdf" {
		format = "html"
	}
	return fmt.Sprintf("truce report --from %s --to %s --lang %s --format %s", date(r.From), date(r.To), r.Lang, format)
}
