package workflow

import (
	"context"
	"math"
	"slices"
	"sort"
	"time"

	"truce"
	"truce/geo"
)

// AdminLocator finds the administrative units (OCHA P-codes) of a point:
// governorate, district, sub-district; empty strings outside the country.
type AdminLocator interface {
	Locate(lon, lat float64) (adm1, adm2, adm3 string)
}

// mapIndex is the approved map made ready for point queries: every
// approved zone, whatever its validity, in one R-tree; queries keep the
// zones valid at the time asked.
type mapIndex struct {
	zones []*truce.Zone
	geoms []geo.MultiPolygon
	index *geo.Index
}

func buildMap(zones []*truce.Zone) *mapIndex {
	m := &mapIndex{zones: zones}
	items := make([]geo.Item, len(zones))
	for i, z := range zones {
		g := geo.FromCoordinates(z.Geometry)
		m.geoms = append(m.geoms, g)
		items[i] = geo.Item{ID: i, Geom: g}
	}
	m.index = geo.NewIndex(items)
	return m
}

// zoneHit is a zone covering a point.
type zoneHit struct {
	zone       *truce.Zone
	onBoundary bool
}

// at returns the zones valid at t that cover the point.
func (m *mapIndex) at(pt geo.Point, t time.Time) []zoneHit {
	var out []zoneHit
	for _, h := range m.index.Locate(pt) {
		if z := m.zones[h.ID]; z.ValidAt(t) {
			out = append(out, zoneHit{z, h.OnBoundary})
		}
	}
	return out
}

// mapFor returns the approved map as tx sees it: the service's cached one,
// unless tx changed the map, then one built from tx.
func (s *Service) mapFor(tx *wtx) (*mapIndex, error) {
	if !tx.mapChanged {
		s.mu.Lock()
		m := s.approvedMap
		s.mu.Unlock()
		if m != nil {
			return m, nil
		}
	}
	zs, err := tx.Zones(truce.ZoneStateApproved, nil)
	if err != nil {
		return nil, err
	}
	m := buildMap(zs)
	if !tx.mapChanged {
		s.mu.Lock()
		s.approvedMap = m
		s.mu.Unlock()
	}
	return m, nil
}

// designated is a designated group's position with its claim's tally.
type designated struct {
	pos   *truce.Position
	tally truce.Tally
}

// designatedFor returns the positions of designated groups, with their
// tallies, as tx sees them: the service's cached list, unless tx changed
// positions.
func (s *Service) designatedFor(tx *wtx, a *truce.Agreement) ([]designated, error) {
	if !tx.positionsChanged {
		s.mu.Lock()
		d, ok := s.designated, s.designatedOK
		s.mu.Unlock()
		if ok {
			return d, nil
		}
	}
	ps, _, err := tx.Positions(nil)
	if err != nil {
		return nil, err
	}
	var out []designated
	for _, p := range ps {
		if x := a.Actor(p.Actor); x == nil || x.Standing != truce.Excluded {
			continue
		}
		as, err := tx.PositionAssessments(p.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, designated{p, truce.Answers(a, p.Organisation, as)})
	}
	if !tx.positionsChanged {
		s.mu.Lock()
		s.designated, s.designatedOK = out, true
		s.mu.Unlock()
	}
	return out, nil
}

// onMap reports whether a claimed position is on the agreed map: once
// enough guarantors confirm it, by the agreement's rule for zones (all
// three, under the Astana rules). It depends on the log alone, not on the
// clock, so that a classification made by it can be rebuilt and checked.
func onMap(a *truce.Agreement, tally truce.Tally) bool {
	n := 0
	for _, g := range a.Guarantors() {
		if tally[g] == truce.Confirm {
			n++
		}
	}
	return a.Rules.ZoneApproved(n, len(a.Guarantors()))
}

// standing returns the designated positions on the map at t.
func standing(a *truce.Agreement, ds []designated, t time.Time) []*truce.Position {
	var out []*truce.Position
	for _, d := range ds {
		if d.pos.ValidAt(t) && onMap(a, d.tally) {
			out = append(out, d.pos)
		}
	}
	return out
}

// classifyAt classifies a point at time t against the map and the
// designated positions tx sees.
func (s *Service) classifyAt(tx *wtx, a *truce.Agreement, lon, lat float64, t time.Time) (*truce.Classification, error) {
	m, err := s.mapFor(tx)
	if err != nil {
		return nil, err
	}
	ds, err := s.designatedFor(tx, a)
	if err != nil {
		return nil, err
	}
	c := classify(a, s.Admin, m, standing(a, ds, t), lon, lat, t)
	return &c, nil
}

// classify decides where a point is, who held it at t, and whether the
// ceasefire covers it, in this order: outside the agreement's area or the
// country; within a designated position's radius (excluded); contested, or
// on a line of contact — the shared edge of areas of different actors —
// (disputed); in a designated group's area (excluded); in an area of an
// actor the agreement does not bind (outside); otherwise covered. A point
// on a zone's edge is covered by it and flagged on_line.
func classify(a *truce.Agreement, admin AdminLocator, m *mapIndex, positions []*truce.Position, lon, lat float64, t time.Time) truce.Classification {
	var c truce.Classification
	if admin != nil {
		c.ADM1, c.ADM2, c.ADM3 = admin.Locate(lon, lat)
	}
	pt := geo.Point{Lon: lon, Lat: lat}
	controllers := map[truce.ActorID]bool{}
	contested := false
	for _, h := range m.at(pt, t) {
		c.Zones = append(c.Zones, truce.ZoneRef{Zone: h.zone.ID, Entry: h.zone.ApprovedEntry})
		if h.zone.Kind != truce.ZoneControl {
			continue
		}
		c.OnLine = c.OnLine || h.onBoundary
		if h.zone.Controller != "" {
			controllers[h.zone.Controller] = true
		} else {
			contested = true
			for _, x := range h.zone.ContestedBetween {
				controllers[x] = true
			}
		}
	}
	sort.Slice(c.Zones, func(i, j int) bool { return c.Zones[i].Zone < c.Zones[j].Zone })
	ids := make([]truce.ActorID, 0, len(controllers))
	for x := range controllers {
		ids = append(ids, x)
	}
	slices.Sort(ids)
	switch {
	case len(ids) == 1 && !contested:
		c.Controller = ids[0]
	case len(ids) > 1:
		c.ContestedBetween = ids
	}
	for _, p := range positions {
		if geo.DistanceM(pt, geo.Point{Lon: p.Lon, Lat: p.Lat}) <= float64(p.RadiusM) {
			c.Positions = append(c.Positions, p.ID)
		}
	}
	standing := func(id truce.ActorID) truce.Standing {
		if x := a.Actor(id); x != nil {
			return x.Standing
		}
		return ""
	}
	switch {
	case !a.InArea(lon, lat) || (admin != nil && c.ADM1 == ""):
		c.Scope = truce.ScopeOutside
	case len(c.Positions) > 0:
		c.Scope = truce.ScopeExcluded
	case len(c.ContestedBetween) > 0:
		c.Scope = truce.ScopeDisputed
	case c.Controller != "" && standing(c.Controller) == truce.Excluded:
		c.Scope = truce.ScopeExcluded
	case c.Controller != "" && standing(c.Controller) == truce.Other:
		c.Scope = truce.ScopeOutside
	default:
		c.Scope = truce.ScopeCovered
	}
	return c
}

// classifyReport classifies a report again against the map tx sees, and
// appends a report.classified entry, by the system, when its
// classification changed.
func (s *Service) classifyReport(tx *wtx, a *truce.Agreement, r *truce.Report) (*truce.Classification, error) {
	c, err := s.classifyAt(tx, a, r.Lon, r.Lat, r.OccurredAt)
	if err != nil {
		return nil, err
	}
	old, _, err := tx.Classification(r.ID)
	if err != nil {
		return nil, err
	}
	if old != nil && old.Equal(c) {
		return old, nil
	}
	if _, err := s.appendSystemEntry(tx, truce.EntryReportClassified, &truce.ReportClassified{Report: r.ID, Classification: *c}); err != nil {
		return nil, err
	}
	return c, nil
}

// reclassify classifies again the reports a newly approved zone may
// change: those in its bounding box that occurred while it is valid.
func (s *Service) reclassify(tx *wtx, a *truce.Agreement, z *truce.Zone) error {
	b := geo.FromCoordinates(z.Geometry).BBox()
	return s.reclassifyIn(tx, a, z.ValidFrom, z.ValidTo, b)
}

// reclassifyNear classifies again the reports a designated position that
// came onto the map, or left it, may change: those within its radius that
// occurred while it is valid.
func (s *Service) reclassifyNear(tx *wtx, a *truce.Agreement, p *truce.Position) error {
	// Degrees of latitude are at least 110.5 km; of longitude, that times
	// the cosine of the latitude.
	dlat := float64(p.RadiusM)/110_000 + 1e-6
	dlon := dlat / max(math.Cos(p.Lat*math.Pi/180), 0.01)
	b := geo.BBox{MinLon: p.Lon - dlon, MinLat: p.Lat - dlat, MaxLon: p.Lon + dlon, MaxLat: p.Lat + dlat}
	return s.reclassifyIn(tx, a, p.ObservedAt, p.ValidTo, b)
}

// reclassifyIn classifies again the reports in box that occurred from
// from until to (nil: no end).
func (s *Service) reclassifyIn(tx *wtx, a *truce.Agreement, from time.Time, to *time.Time, b geo.BBox) error {
	var until time.Time
	if to != nil {
		until = *to
	}
	rs, err := tx.ReportsBetween(from, until, [4]float64{b.MinLon, b.MinLat, b.MaxLon, b.MaxLat})
	if err != nil {
		return err
	}
	for _, r := range rs {
		if _, err := s.classifyReport(tx, a, r); err != nil {
			return err
		}
	}
	return nil
}

// appendSystemEntry appends an entry the system makes in the course of a
// member's command (a classification): it has no author and no signature.
func (s *Service) appendSystemEntry(tx *wtx, kind truce.EntryKind, payload any) (*truce.Entry, error) {
	by, sub := tx.by, tx.sub
	tx.by, tx.sub = nil, nil
	defer func() { tx.by, tx.sub = by, sub }()
	return s.appendEntry(tx, kind, payload, nil)
}

// Classifier classifies points as reports there would be, against the
// map of a store as it was when the classifier was made: for tools that
// classify many points.
type Classifier struct {
	agreement *truce.Agreement
	admin     AdminLocator
	m         *mapIndex
	ds        []designated
}

// NewClassifier reads the agreement, the approved map and the designated
// positions from the service's store.
func (s *Service) NewClassifier(ctx context.Context) (*Classifier, error) {
	c := &Classifier{admin: s.Admin}
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		c.agreement = a
		// A transaction that says the map changed reads it from the
		// store, without the service's caches.
		w := &wtx{Tx: tx, first: -1, mapChanged: true, positionsChanged: true}
		if c.m, err = s.mapFor(w); err != nil {
			return err
		}
		c.ds, err = s.designatedFor(w, a)
		return err
	})
	return c, err
}

// Agreement is the agreement the classifier classifies under.
func (c *Classifier) Agreement() *truce.Agreement { return c.agreement }

// Classify classifies a point at time t.
func (c *Classifier) Classify(lon, lat float64, t time.Time) truce.Classification {
	return classify(c.agreement, c.admin, c.m, standing(c.agreement, c.ds, t), lon, lat, t)
}

// ClassifyPoint classifies a point against the administrative units and
// the given approved zones (none for an empty map) at time t, with no
// designated positions: for tools and benchmarks that have no log.
func ClassifyPoint(a *truce.Agreement, admin AdminLocator, zones []*truce.Zone, lon, lat float64, t time.Time) truce.Classification {
	return classify(a, admin, buildMap(zones), nil, lon, lat, t)
}
