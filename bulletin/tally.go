package bulletin

import (
	"time"

	"truce"
)

// tally adds up one day's reports and accessions by governorate.
type tally struct {
	guarantors []truce.ActorID
	rows       map[string]*Row
	accessions Accessions
	groups     map[truce.ActorID]bool // designated groups operations were against
}

func newTally(guarantors []truce.ActorID) *tally {
	return &tally{guarantors: guarantors, rows: map[string]*Row{}, groups: map[truce.ActorID]bool{}}
}

// row returns the row of a governorate, created empty when new.
func (t *tally) row(code string) *Row {
	r, ok := t.rows[code]
	if !ok {
		r = &Row{}
		r.init(t.guarantors)
		t.rows[code] = r
	}
	return r
}

// init gives a row's maps every guarantor, at 0.
func (r *Row) init(guarantors []truce.ActorID) {
	r.ReportedBy = zeros(guarantors)
	r.Designated.ReportedBy = zeros(guarantors)
	r.Designated.Against = map[string]int{}
	r.Change.ReportedBy = zeros(guarantors)
}

func zeros(guarantors []truce.ActorID) map[string]int {
	m := make(map[string]int, len(guarantors))
	for _, g := range guarantors {
		m[string(g)] = 0
	}
	return m
}

// add counts a report as it stood at time asOf and returns its consensus
// state then.
func (t *tally) add(a *truce.Agreement, r *truce.ReportAsOf, asOf time.Time) truce.State {
	answers := truce.Answers(a, r.Organisation, r.Assessments)
	state := truce.Consensus(a, answers, r.FiledAt, asOf)
	code := r.ADM1
	if code == "" {
		code = Outside
	}
	row := t.row(code)
	registered := func(by map[string]int) {
		for _, g := range t.guarantors {
			if r.Organisation == g || answers[g] == truce.Confirm {
				by[string(g)]++
			}
		}
	}
	switch r.Scope {
	case truce.ScopeExcluded:
		d := &row.Designated
		d.Reports++
		registered(d.ReportedBy)
		if state == truce.Confirmed {
			d.Confirmed++
		}
		group := designatedGroup(a, r)
		d.Against[string(group)]++
		if group != "" {
			t.groups[group] = true
		}
	case truce.ScopeOutside:
		row.OutsideScope++
	default:
		row.Reports++
		registered(row.ReportedBy)
		row.Counts.count(state, 1)
	}
	return state
}

// designatedGroup is the designated group an operation was against: the
// report's target when it is one, else the controller of the place when
// it is one, else none.
func designatedGroup(a *truce.Agreement, r *truce.ReportAsOf) truce.ActorID {
	for _, id := range []truce.ActorID{r.Target, r.Controller} {
		if x := a.Actor(id); x != nil && x.Standing == truce.Excluded {
			return id
		}
	}
	return ""
}

// count adds n to the count of a state.
func (c *Counts) count(s truce.State, n int) {
	switch s {
	case truce.Confirmed:
		c.Confirmed += n
	case truce.Contested:
		c.Contested += n
	case truce.Unilateral:
		c.Unilateral += n
	case truce.Pending:
		c.Pending += n
	case truce.Rejected:
		c.Rejected += n
	}
}

// accession counts an accession dated on or before the tally's day, in
// the governorate adm1 for a settlement.
func (t *tally) accession(x truce.Accession, adm1 string) {
	switch x.Kind {
	case truce.AccessionGroup:
		t.accessions.Groups++
	case truce.AccessionSettlement:
		t.accessions.Settlements++
		if adm1 == "" {
			adm1 = Outside
		}
		t.row(adm1).Settlements++
	}
}

// minus returns r's counts minus p's.
func (r *Row) minus(p *Row, guarantors []truce.ActorID) Change {
	c := Change{
		Counts: Counts{
			Reports: r.Reports - p.Reports, ReportedBy: zeros(guarantors),
			Confirmed: r.Confirmed - p.Confirmed, Contested: r.Contested - p.Contested,
			Unilateral: r.Unilateral - p.Unilateral, Pending: r.Pending - p.Pending, Rejected: r.Rejected - p.Rejected,
		},
		Designated:   r.Designated.Reports - p.Designated.Reports,
		OutsideScope: r.OutsideScope - p.OutsideScope,
		Settlements:  r.Settlements - p.Settlements,
	}
	for _, g := range guarantors {
		c.ReportedBy[string(g)] = r.ReportedBy[string(g)] - p.ReportedBy[string(g)]
	}
	return c
}

// addRow adds a governorate's row, change included, to the total.
func (r *Row) addRow(x *Row, guarantors []truce.ActorID) {
	r.Counts.addCounts(&x.Counts, guarantors)
	r.Change.Counts.addCounts(&x.Change.Counts, guarantors)
	r.Designated.Reports += x.Designated.Reports
	r.Designated.Confirmed += x.Designated.Confirmed
	for _, g := range guarantors {
		r.Designated.ReportedBy[string(g)] += x.Designated.ReportedBy[string(g)]
	}
	for k, n := range x.Designated.Against {
		r.Designated.Against[k] += n
	}
	r.OutsideScope += x.OutsideScope
	r.Settlements += x.Settlements
	r.Change.Designated += x.Change.Designated
	r.Change.OutsideScope += x.Change.OutsideScope
	r.Change.Settlements += x.Change.Settlements
}

func (c *Counts) addCounts(x *Counts, guarantors []truce.ActorID) {
	c.Reports += x.Reports
	c.Confirmed += x.Confirmed
	c.Contested += x.Contested
	c.Unilateral += x.Unilateral
	c.Pending += x.Pending
	c.Rejected += x.Rejected
	for _, g := range guarantors {
		c.ReportedBy[string(g)] += x.ReportedBy[string(g)]
	}
}
