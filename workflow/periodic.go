package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"time"

	"truce"
	"truce/geo"
	tlog "truce/log"
)

// PublicLineGrid is the grid, in degrees (about 5.5 km north–south), to
// which Periodic generalises the lines of contact it returns. A periodic
// report is public, and the public sees no point finer than a
// governorate. The lines of the agreed map are the joint body's own
// product, reported to the Security Council, so they are drawn; but at
// the scale of a map of the whole country, where 0.05° is about a
// millimetre of paper, and far too coarse to aim with.
const PublicLineGrid = 0.05

// Periodic is what a periodic report reads from the log: the reports that
// occurred in a period and the map at its end, as they stood at the log's
// latest checkpoint. Everything in it is a function of the log's entries
// up to that checkpoint, so that anyone holding the log can rebuild it;
// and everything in it may be published: no coordinates of reports or
// positions, lines of contact snapped to PublicLineGrid.
type Periodic struct {
	Agreement *truce.Agreement
	// Checkpoint is the latest checkpoint; AsOf the time of its last
	// entry, at which consensus is evaluated.
	Checkpoint *truce.Checkpoint
	AsOf       time.Time
	From, To   time.Time // the period: occurred_at in [From, To)
	// Reports are those filed in the checkpoint's entries that occurred in
	// the period, by time of occurrence, then by entry.
	Reports []PeriodicReport
	// Map is the approved map at the time Periodic was asked for; nil when
	// no approved control area was valid then.
	Map *PeriodicMap
}

// PeriodicReport is what a public report counts of one report.
type PeriodicReport struct {
	Entry        int64
	OccurredAt   time.Time
	Perpetrator  truce.ActorID // empty when none was named
	Organisation truce.ActorID // the filer's
	ADM1         string        // the governorate's P-code, empty when unknown
	Scope        string        // empty when not classified
	State        truce.State   // at AsOf
	// Best estimates of the casualties alleged, 0 when none was given.
	Killed, KilledCivilians, Injured, InjuredCivilians int

	id      truce.ReportID
	filedAt time.Time
}

// PeriodicMap is the approved map at a time, as a public report shows it.
type PeriodicMap struct {
	At    time.Time
	Lines []PublicLine
	// ThresholdM is the agreement's separation threshold; Separation counts
	// the intermingled pairs at At by designated group and party.
	ThresholdM int
	Separation []SeparationCount
}

// PublicLine is a line of contact with its geometry snapped to
// PublicLineGrid.
type PublicLine struct {
	Sides         [2][]truce.ActorID
	Designated    []truce.ActorID
	LengthKm      float64
	ByGovernorate map[string]float64
	Geometry      geo.MultiLineString
}

// SeparationCount is how many pairs of a party's areas or positions and a
// designated group's lie within the threshold, and how many of them touch
// (0 m).
type SeparationCount struct {
	Designated truce.ActorID
	Party      truce.ActorID
	Pairs      int
	Touching   int
}

// Periodic reads the reports that occurred in [from, to) and the map at
// mapAt, as of the latest checkpoint: reports filed after it are left
// out, and assessments, classifications, zone approvals and positions
// recorded after it are not counted. It fails with ENOTFOUND when the log
// has no checkpoint yet.
//
// A year holds tens of thousands of reports: Periodic reads them in
// slices of the period, and the map, at once, each in a read transaction
// of its own. All of them are bounded by the checkpoint, so that their
// snapshots need not be the same; the entries after the checkpoint are
// read last, from a snapshot at least as new as every other, and the
// reports they touched are corrected from it.
func (s *Service) Periodic(ctx context.Context, from, to, mapAt time.Time) (*Periodic, error) {
	if !from.Before(to) {
		return nil, truce.Invalidf("to", "the period must end after it starts")
	}
	p := &Periodic{From: from, To: to}
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		p.Agreement = a
		cp, err := tx.LatestCheckpoint()
		if err != nil {
			if truce.ErrorCode(err) == truce.ENOTFOUND {
				return truce.Errorf(truce.ENOTFOUND, "the log has no checkpoint yet: a report is made as of a signed checkpoint, which `truce serve` issues within seconds of any change")
			}
			return err
		}
		p.Checkpoint = cp
		p.AsOf, err = timeOfEntry(tx, cp.Size-1)
		return err
	})
	if err != nil {
		return nil, err
	}
	size := p.Checkpoint.Size

	const nSlices = 4
	parts := make([][]PeriodicReport, nSlices)
	errs := make([]error, nSlices+1)
	var wg sync.WaitGroup
	step := to.Sub(from) / nSlices
	for i := range nSlices {
		lo, hi := from.Add(step*time.Duration(i)), from.Add(step*time.Duration(i+1))
		if i == nSlices-1 {
			hi = to
		}
		wg.Go(func() {
			errs[i] = s.Store.View(ctx, func(tx truce.Tx) error {
				var err error
				parts[i], err = readPeriodReports(tx, size, p.AsOf, lo, hi)
				return err
			})
		})
	}
	wg.Go(func() { p.Map, errs[nSlices] = s.periodMap(ctx, size, mapAt) })
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, part := range parts {
		p.Reports = append(p.Reports, part...)
	}
	err = s.Store.View(ctx, func(tx truce.Tx) error {
		return correctSince(tx, p.Agreement, size, p.AsOf, p.Reports)
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(p.Reports, func(i, j int) bool {
		x, y := p.Reports[i], p.Reports[j]
		if !x.OccurredAt.Equal(y.OccurredAt) {
			return x.OccurredAt.Before(y.OccurredAt)
		}
		return x.Entry < y.Entry
	})
	return p, nil
}

func timeOfEntry(tx truce.Tx, index int64) (time.Time, error) {
	b, err := tx.EntryData(index)
	if err != nil {
		return time.Time{}, err
	}
	e, err := tlog.DecodeEntry(b)
	if err != nil {
		return time.Time{}, err
	}
	return e.Time, nil
}

// readPeriodReports reads the reports that occurred in [from, to) and
// were filed before entry size, with their consensus at asOf as the
// projections hold it.
func readPeriodReports(tx truce.Tx, size int64, asOf, from, to time.Time) ([]PeriodicReport, error) {
	rs, sts, err := tx.FindReports(truce.ReportFilter{OccurredFrom: from, OccurredTo: to})
	if err != nil {
		return nil, err
	}
	out := make([]PeriodicReport, 0, len(rs))
	for i, r := range rs {
		if r.Entry >= size {
			continue
		}
		pr := PeriodicReport{Entry: r.Entry, OccurredAt: r.OccurredAt, Perpetrator: r.Perpetrator, Organisation: r.Organisation, State: sts[i].At(asOf)}
		pr.filedAt = r.FiledAt
		pr.id = r.ID
		if c := r.Classification; c != nil {
			pr.ADM1, pr.Scope = c.ADM1, c.Scope
		}
		if c := r.Casualties; c != nil {
			pr.Killed, pr.KilledCivilians = bestEstimate(c.Killed), bestEstimate(c.KilledCivilians)
			pr.Injured, pr.InjuredCivilians = bestEstimate(c.Injured), bestEstimate(c.InjuredCivilians)
		}
		out = append(out, pr)
	}
	return out, nil
}

// correctSince reads the entries after entry size and corrects the
// reports they changed: their consensus from their assessments before
// size, their classification from the last one recorded before size.
func correctSince(tx truce.Tx, a *truce.Agreement, size int64, asOf time.Time, rs []PeriodicReport) error {
	logSize, err := tx.LogSize()
	if err != nil {
		return err
	}
	assessed, classified := map[truce.ReportID]bool{}, map[truce.ReportID]bool{}
	err = tx.ScanEntries(size, logSize, func(_ int64, data, _ []byte) error {
		e, err := tlog.DecodeEntry(data)
		if err != nil {
			return err
		}
		var ref struct {
			Report truce.ReportID `json:"report"`
		}
		switch e.Kind {
		case truce.EntryAssessmentMade, truce.EntryReportClassified:
			if err := decodePayloadFields(e, &ref); err != nil {
				return err
			}
			if e.Kind == truce.EntryAssessmentMade {
				assessed[ref.Report] = true
			} else {
				classified[ref.Report] = true
			}
		}
		return nil
	})
	if err != nil || (len(assessed) == 0 && len(classified) == 0) {
		return err
	}
	var reclassify []int
	for i := range rs {
		r := &rs[i]
		if assessed[r.id] {
			as, err := tx.Assessments(r.id)
			if err != nil {
				return err
			}
			as = slices.DeleteFunc(as, func(x truce.Assessment) bool { return x.Entry >= size })
			r.State = truce.Consensus(a, truce.Answers(a, r.Organisation, as), r.filedAt, asOf)
		}
		if classified[r.id] {
			reclassify = append(reclassify, i)
		}
	}
	if len(reclassify) == 0 {
		return nil
	}
	return classificationsBefore(tx, size, rs, reclassify)
}

func bestEstimate(e *truce.Estimate) int {
	if e == nil {
		return 0
	}
	return e.Best
}

// decodePayloadFields decodes only the fields v names from an entry's payload.
func decodePayloadFields(e *truce.Entry, v any) error {
	if err := json.Unmarshal(e.Payload, v); err != nil {
		return fmt.Errorf("entry %d (%s): %w", e.Index, e.Kind, err)
	}
	return nil
}

// classificationsBefore sets, for the reports at indexes which, the
// classification they had at entry size: the last one the log records for
// them before it, starting from their filing.
func classificationsBefore(tx truce.Tx, size int64, rs []PeriodicReport, which []int) error {
	want := map[truce.ReportID]*truce.Classification{}
	start := size
	for _, i := range which {
		want[rs[i].id] = nil
		start = min(start, rs[i].Entry)
	}
	err := tx.ScanEntries(start, size, func(_ int64, data, _ []byte) error {
		e, err := tlog.DecodeEntry(data)
		if err != nil {
			return err
		}
		var id truce.ReportID
		var c *truce.Classification
		switch e.Kind {
		case truce.EntryReportFiled:
			var p struct {
				ID             truce.ReportID        `json:"id"`
				Classification *truce.Classification `json:"classification"`
			}
			if err := decodePayloadFields(e, &p); err != nil {
				return err
			}
			id, c = p.ID, p.Classification
		case truce.EntryReportClassified:
			var p truce.ReportClassified
			if err := decodePayloadFields(e, &p); err != nil {
				return err
			}
			id, c = p.Report, &p.Classification
		default:
			return nil
		}
		if _, ok := want[id]; ok {
			want[id] = c
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, i := range which {
		rs[i].ADM1, rs[i].Scope = "", ""
		if c := want[rs[i].id]; c != nil {
			rs[i].ADM1, rs[i].Scope = c.ADM1, c.Scope
		}
	}
	return nil
}

// periodMap derives the lines of contact and the separation counts of the
// map at t as it stood at entry size, through a service whose store hides
// every later entry's effect on the map.
func (s *Service) periodMap(ctx context.Context, size int64, t time.Time) (*PeriodicMap, error) {
	past := &Service{Store: pastStore{s.Store, size}, Now: s.Now, Logger: s.Logger, Admin: s.Admin}
	var m *PeriodicMap
	err := past.Store.View(ctx, func(tx truce.Tx) error {
		a, err := past.loadAgreement(tx)
		if err != nil {
			return err
		}
		zs, err := tx.Zones(truce.ZoneStateApproved, &t)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(zs, func(z *truce.Zone) bool { return z.Kind == truce.ZoneControl }) {
			return nil
		}
		m = &PeriodicMap{At: t}
		for _, l := range past.linesAt(a, zs, t) {
			m.Lines = append(m.Lines, PublicLine{
				Sides: l.Sides, Designated: l.Designated, LengthKm: l.LengthKm,
				ByGovernorate: l.ByGovernorate, Geometry: snapLines(l.Geometry, PublicLineGrid),
			})
		}
		return nil
	})
	if err != nil || m == nil {
		return nil, err
	}
	sep, err := past.Separation(ctx, &truce.Member{Role: truce.RolePublic}, t.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return nil, err
	}
	m.ThresholdM = sep.ThresholdM
	counts := map[[2]truce.ActorID]*SeparationCount{}
	for _, p := range sep.Pairs {
		k := [2]truce.ActorID{p.Designated.Actor, p.Party.Actor}
		if counts[k] == nil {
			counts[k] = &SeparationCount{Designated: k[0], Party: k[1]}
		}
		counts[k].Pairs++
		if p.DistanceM == 0 {
			counts[k].Touching++
		}
	}
	for _, c := range counts {
		m.Separation = append(m.Separation, *c)
	}
	sort.Slice(m.Separation, func(i, j int) bool {
		x, y := m.Separation[i], m.Separation[j]
		if x.Designated != y.Designated {
			return x.Designated < y.Designated
		}
		return x.Party < y.Party
	})
	return m, nil
}

// snapLines generalises lines to a grid: it drops the vertices that
// stray less than half a cell from the line through their neighbours
// (Douglas–Peucker), rounds the rest to the grid, and drops the repeats
// and the parts this reduces to a point. Simplifying first keeps a line
// straight where rounding alone would make a staircase of it.
func snapLines(ml geo.MultiLineString, grid float64) geo.MultiLineString {
	var out geo.MultiLineString
	for _, ls := range ml {
		var s geo.LineString
		for _, p := range simplifyLine(ls, grid/2) {
			q := geo.Point{Lon: math.Round(math.Round(p.Lon/grid)*grid*1e6) / 1e6, Lat: math.Round(math.Round(p.Lat/grid)*grid*1e6) / 1e6}
			if len(s) == 0 || s[len(s)-1] != q {
				s = append(s, q)
			}
		}
		if len(s) >= 2 {
			out = append(out, s)
		}
	}
	return out
}

// simplifyLine is Douglas–Peucker on lon/lat with a tolerance in degrees.
func simplifyLine(ls geo.LineString, tol float64) geo.LineString {
	if len(ls) < 3 {
		return ls
	}
	keep := make([]bool, len(ls))
	keep[0], keep[len(ls)-1] = true, true
	stack := [][2]int{{0, len(ls) - 1}}
	for len(stack) > 0 {
		a, b := stack[len(stack)-1][0], stack[len(stack)-1][1]
		stack = stack[:len(stack)-1]
		far, at := 0.0, -1
		for i := a + 1; i < b; i++ {
			if d := offSegment(ls[i], ls[a], ls[b]); d > far {
				far, at = d, i
			}
		}
		if at >= 0 && far > tol {
			keep[at] = true
			stack = append(stack, [2]int{a, at}, [2]int{at, b})
		}
	}
	var out geo.LineString
	for i, k := range keep {
		if k {
			out = append(out, ls[i])
		}
	}
	return out
}

// offSegment is the planar distance in degrees from p to the segment ab.
func offSegment(p, a, b geo.Point) float64 {
	dx, dy := b.Lon-a.Lon, b.Lat-a.Lat
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = max(0, min(1, ((p.Lon-a.Lon)*dx+(p.Lat-a.Lat)*dy)/l2))
	}
	return math.Hypot(a.Lon+t*dx-p.Lon, a.Lat+t*dy-p.Lat)
}

// pastStore is a read-only view of a store as the map stood after its
// first size entries: zones proposed or approved later, positions claimed
// later and assessments made later are hidden. It serves the map reads of
// the lines of contact and the separation list; nothing else reads
// through it.
type pastStore struct {
	truce.Store
	size int64
}

func (s pastStore) View(ctx context.Context, fn func(truce.Tx) error) error {
	return s.Store.View(ctx, func(tx truce.Tx) error { return fn(pastTx{tx, s.size}) })
}

func (s pastStore) Update(context.Context, func(truce.Tx) error) error {
	return fmt.Errorf("workflow: the past is read-only")
}

type pastTx struct {
	truce.Tx
	size int64
}

func (t pastTx) LogSize() (int64, error) { return t.size, nil }

func (t pastTx) Zones(state string, at *time.Time) ([]*truce.Zone, error) {
	zs, err := t.Tx.Zones("", at)
	if err != nil {
		return nil, err
	}
	var out []*truce.Zone
	for _, z := range zs {
		if z.Entry >= t.size {
			continue
		}
		c := *z
		c.Approvals = slices.DeleteFunc(slices.Clone(z.Approvals), func(ap truce.ZoneApproval) bool { return ap.Entry >= t.size })
		c.State = truce.ZoneStateProposed
		if z.ApprovedEntry > 0 && z.ApprovedEntry < t.size {
			c.State = truce.ZoneStateApproved
		} else {
			c.ApprovedEntry = 0
		}
		if state == "" || c.State == state {
			out = append(out, &c)
		}
	}
	return out, nil
}

func (t pastTx) Positions(at *time.Time) ([]*truce.Position, []truce.ReportState, error) {
	ps, sts, err := t.Tx.Positions(at)
	if err != nil {
		return nil, nil, err
	}
	var outP []*truce.Position
	var outS []truce.ReportState
	for i, p := range ps {
		if p.Entry < t.size {
			outP, outS = append(outP, p), append(outS, sts[i])
		}
	}
	return outP, outS, nil
}

func (t pastTx) PositionAssessments(id truce.PositionID) ([]truce.Assessment, error) {
	as, err := t.Tx.PositionAssessments(id)
	return slices.DeleteFunc(as, func(x truce.Assessment) bool { return x.Entry >= t.size }), err
}

func (t pastTx) Assessments(id truce.ReportID) ([]truce.Assessment, error) {
	as, err := t.Tx.Assessments(id)
	return slices.DeleteFunc(as, func(x truce.Assessment) bool { return x.Entry >= t.size }), err
}
