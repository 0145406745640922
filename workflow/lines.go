package workflow

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"truce"
	"truce/geo"
)

// lineTolerance is how near, in degrees (about 1 cm), two zones' edges
// must lie to count as one line of contact.
const lineTolerance = 1e-7

// sides returns the actors holding a control zone: its controller, or
// those contesting it.
func sides(z *truce.Zone) []truce.ActorID {
	if z.Controller != "" {
		return []truce.ActorID{z.Controller}
	}
	// As a set: the order in which a proposal lists them says nothing.
	s := slices.Clone(z.ContestedBetween)
	slices.Sort(s)
	return slices.Compact(s)
}

// Line is a line of contact: where the control areas of different actors
// meet on the approved map at a time.
type Line struct {
	Sides    [2][]truce.ActorID  `json:"sides"`
	Zones    [2]truce.ZoneRef    `json:"zones"`
	Geometry geo.MultiLineString `json:"-"`
	LengthKm float64             `json:"length_km"`
	// Designated names the designated groups on either side: such a line
	// is a combat line with ISIS or Jabhat al-Nusra.
	Designated []truce.ActorID `json:"designated,omitempty"`
	// ByGovernorate is the length in each governorate (ADM1 P-code), in km.
	ByGovernorate map[string]float64 `json:"by_governorate,omitempty"`
}

// linesCache keeps the lines of contact of the last few maps, keyed by
// the approved control zones they were derived from: a map never changes
// once approved, so neither do its lines.
type linesCache struct {
	mu    sync.Mutex
	keys  []string
	lines map[string][]*Line
}

const linesCacheSize = 8

func (c *linesCache) get(key string) ([]*Line, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.lines[key]
	return l, ok
}

func (c *linesCache) put(key string, l []*Line) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lines == nil {
		c.lines = map[string][]*Line{}
	}
	if _, ok := c.lines[key]; ok {
		return
	}
	if len(c.keys) == linesCacheSize {
		delete(c.lines, c.keys[0])
		c.keys = c.keys[1:]
	}
	c.keys = append(c.keys, key)
	c.lines[key] = l
}

// linesAt derives the lines of contact of the control areas valid at t.
func (s *Service) linesAt(a *truce.Agreement, zones []*truce.Zone, t time.Time) []*Line {
	var cs []*truce.Zone
	var key strings.Builder
	for _, z := range zones {
		if z.Kind == truce.ZoneControl && z.State == truce.ZoneStateApproved && z.ValidAt(t) {
			cs = append(cs, z)
			fmt.Fprintf(&key, "%s@%d ", z.ID, z.ApprovedEntry)
		}
	}
	if l, ok := s.lines.get(key.String()); ok {
		return l
	}
	out := s.deriveLines(a, cs)
	s.lines.put(key.String(), out)
	return out
}

// deriveLines finds where control areas of different actors meet.
func (s *Service) deriveLines(a *truce.Agreement, cs []*truce.Zone) []*Line {
	geoms := make([]geo.MultiPolygon, len(cs))
	boxes := make([]geo.BBox, len(cs))
	for i, z := range cs {
		geoms[i] = geo.FromCoordinates(z.Geometry)
		boxes[i] = geoms[i].BBox()
	}
	var out []*Line
	for i := range cs {
		for j := i + 1; j < len(cs); j++ {
			if slices.Equal(sides(cs[i]), sides(cs[j])) || !touching(boxes[i], boxes[j]) {
				continue
			}
			ml := geo.SharedBoundary(geoms[i], geoms[j], lineTolerance)
			if len(ml) == 0 {
				continue
			}
			l := &Line{
				Sides:    [2][]truce.ActorID{sides(cs[i]), sides(cs[j])},
				Zones:    [2]truce.ZoneRef{{Zone: cs[i].ID, Entry: cs[i].ApprovedEntry}, {Zone: cs[j].ID, Entry: cs[j].ApprovedEntry}},
				Geometry: ml, LengthKm: round3(geo.LengthM(ml) / 1000),
			}
			for _, side := range l.Sides {
				for _, x := range side {
					if ax := a.Actor(x); ax != nil && ax.Standing == truce.Excluded && !slices.Contains(l.Designated, x) {
						l.Designated = append(l.Designated, x)
					}
				}
			}
			if s.Admin != nil {
				l.ByGovernorate = s.byGovernorate(ml)
			}
			out = append(out, l)
		}
	}
	return out
}

func touching(a, b geo.BBox) bool {
	const eps = 1e-6
	return a.MinLon <= b.MaxLon+eps && b.MinLon <= a.MaxLon+eps && a.MinLat <= b.MaxLat+eps && b.MinLat <= a.MaxLat+eps
}

// byGovernorate splits a line's length by the governorate holding the
// midpoint of each of its segments.
func (s *Service) byGovernorate(ml geo.MultiLineString) map[string]float64 {
	out := map[string]float64{}
	for _, ls := range ml {
		for k := 1; k < len(ls); k++ {
			mid := geo.Point{Lon: (ls[k-1].Lon + ls[k].Lon) / 2, Lat: (ls[k-1].Lat + ls[k].Lat) / 2}
			adm1, _, _ := s.Admin.Locate(mid.Lon, mid.Lat)
			if adm1 == "" {
				adm1 = "outside"
			}
			out[adm1] += geo.DistanceM(ls[k-1], ls[k]) / 1000
		}
	}
	for k, v := range out {
		out[k] = round3(v)
	}
	return out
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// LinesResult is the lines of contact as GeoJSON, with totals.
type LinesResult struct {
	Type     string        `json:"type"`
	At       time.Time     `json:"at"`
	Features []geo.Feature `json:"features"`
	// TotalKm and ByGovernorate sum the lines listed.
	TotalKm       float64            `json:"total_km"`
	ByGovernorate map[string]float64 `json:"by_governorate,omitempty"`
}

// Lines returns the lines of contact on the approved map at a time (now
// when at is empty). With designated, only the lines with a designated
// group: the combat lines with ISIS and Jabhat al-Nusra.
func (s *Service) Lines(ctx context.Context, viewer *truce.Member, at string, designated bool) (*LinesResult, error) {
	if viewer == nil {
		return nil, Forbidden(viewer, "read the map")
	}
	t, err := s.atOrNow(at)
	if err != nil {
		return nil, err
	}
	out := &LinesResult{Type: "FeatureCollection", At: t, Features: []geo.Feature{}, ByGovernorate: map[string]float64{}}
	err = s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		zs, err := tx.Zones(truce.ZoneStateApproved, &t)
		if err != nil {
			return err
		}
		for _, l := range s.linesAt(a, zs, t) {
			if designated && len(l.Designated) == 0 {
				continue
			}
			props := map[string]any{"sides": l.Sides, "zones": l.Zones, "length_km": l.LengthKm}
			if len(l.Designated) > 0 {
				props["designated"] = l.Designated
			}
			if l.ByGovernorate != nil {
				props["by_governorate"] = l.ByGovernorate
			}
			out.Features = append(out.Features, geo.Feature{Type: "Feature", Properties: props, Geometry: geo.LinesGeometry(l.Geometry)})
			out.TotalKm += l.LengthKm
			for k, v := range l.ByGovernorate {
				out.ByGovernorate[k] = round3(out.ByGovernorate[k] + v)
			}
		}
		out.TotalKm = round3(out.TotalKm)
		return nil
	})
	return out, err
}

// SeparationItem is one side of an intermingled pair: one polygon (part)
// of a control area, or a position.
type SeparationItem struct {
	Kind  string        `json:"kind"` // "area" or "position"
	ID    string        `json:"id"`
	Part  *int          `json:"part,omitempty"` // of an area: which polygon of its MultiPolygon, from 0
	Actor truce.ActorID `json:"actor"`
	// Contested is set on an area that actors held together or fought
	// over: the area lists each of them on its side.
	Contested bool `json:"contested,omitempty"`
	// Nearest is the item's point nearest the other side, as far as the
	// viewer may see it: a position's coordinates are disclosed as a
	// report's are, and an area's point nearest a position the viewer may
	// not see exactly is left out, for it would give the position away.
	Nearest *geo.Point `json:"nearest,omitempty"`
}

// SeparationPair is a party's area or position within the agreement's
// threshold of a designated group's. An area contested between a party
// and a designated group is paired with itself, at 0 m: the two are
// intermingled there.
type SeparationPair struct {
	Party      SeparationItem `json:"party"`
	Designated SeparationItem `json:"designated"`
	DistanceM  float64        `json:"distance_m"`
}

// SeparationResult lists the intermingled pairs at a time, nearest first.
type SeparationResult struct {
	At         time.Time        `json:"at"`
	ThresholdM int              `json:"threshold_m"`
	Pairs      []SeparationPair `json:"pairs"`
}

// separationSide is one item of the separation list with its geometry.
type separationSide struct {
	SeparationItem
	area  geo.MultiPolygon // one polygon, for an area
	point *geo.Point       // for a position
	box   geo.BBox
	shown truce.Disclosure // for a position: what the viewer sees of it
}

// Separation lists the pairs of party areas or positions and designated
// groups' areas or positions closer than the agreement's threshold, with
// geodesic distances: each polygon of an area on its own, so that every
// enclave shows. Positions count once they are on the agreed map: confirmed
// by the guarantors under the agreement's rule for zones.
func (s *Service) Separation(ctx context.Context, viewer *truce.Member, at string) (*SeparationResult, error) {
	if viewer == nil {
		return nil, Forbidden(viewer, "read the map")
	}
	t, err := s.atOrNow(at)
	if err != nil {
		return nil, err
	}
	res := &SeparationResult{At: t, Pairs: []SeparationPair{}}
	err = s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		res.ThresholdM = a.Separation()
		var party, designated []separationSide
		add := func(it separationSide, actor truce.ActorID) {
			it.Actor = actor
			switch x := a.Actor(actor); {
			case x == nil:
			case x.Standing == truce.Party:
				party = append(party, it)
			case x.Standing == truce.Excluded:
				designated = append(designated, it)
			}
		}
		zs, err := tx.Zones(truce.ZoneStateApproved, &t)
		if err != nil {
			return err
		}
		for _, z := range zs {
			if z.Kind != truce.ZoneControl {
				continue
			}
			for i, poly := range geo.FromCoordinates(z.Geometry) {
				g := geo.MultiPolygon{poly}
				it := separationSide{SeparationItem: SeparationItem{Kind: "area", ID: string(z.ID), Part: &i}, area: g, box: g.BBox()}
				if z.Controller != "" {
					add(it, z.Controller)
					continue
				}
				it.Contested = true
				for _, c := range z.ContestedBetween {
					add(it, c)
				}
			}
		}
		ps, _, err := tx.Positions(&t)
		if err != nil {
			return err
		}
		for _, p := range ps {
			as, err := tx.PositionAssessments(p.ID)
			if err != nil {
				return err
			}
			if !onMap(a, truce.Answers(a, p.Organisation, as)) {
				continue
			}
			pt := geo.Point{Lon: p.Lon, Lat: p.Lat}
			add(separationSide{SeparationItem: SeparationItem{Kind: "position", ID: string(p.ID)}, point: &pt,
				box:   geo.BBox{MinLon: pt.Lon, MinLat: pt.Lat, MaxLon: pt.Lon, MaxLat: pt.Lat},
				shown: a.DisclosureFor(viewer.Role, viewer.Organisation, p.Organisation)}, p.Actor)
		}
		// A degree of latitude is 111 km, of longitude at least 80 km in
		// the agreement's area; the box test only needs to let every
		// close pair through.
		margin := float64(res.ThresholdM)/80000 + 0.01
		for _, pa := range party {
			for _, de := range designated {
				if !touching(pa.box, de.box.Expand(margin)) {
					continue
				}
				// One contested area is one mixed place: each of its
				// polygons pairs with itself, not with the others.
				if pa.Part != nil && de.Part != nil && pa.ID == de.ID && *pa.Part != *de.Part {
					continue
				}
				if pair, ok := separate(&pa, &de, res.ThresholdM); ok {
					res.Pairs = append(res.Pairs, pair)
				}
			}
		}
		sort.SliceStable(res.Pairs, func(i, j int) bool { return res.Pairs[i].DistanceM < res.Pairs[j].DistanceM })
		return nil
	})
	return res, err
}

// separate measures a party's item against a designated group's: the pair
// when they are within threshold metres.
func separate(pa, de *separationSide, threshold int) (SeparationPair, bool) {
	var d float64
	var p1, p2 geo.Point
	switch {
	case pa.point != nil && de.point != nil:
		d, p1, p2 = geo.DistanceM(*pa.point, *de.point), *pa.point, *de.point
	case pa.point != nil:
		p1 = *pa.point
		d, p2 = geo.NearestM(p1, de.area)
	case de.point != nil:
		p2 = *de.point
		d, p1 = geo.NearestM(p2, pa.area)
	default:
		d, p1, p2 = geo.DistanceBetweenM(pa.area, de.area)
	}
	if d > float64(threshold) {
		return SeparationPair{}, false
	}
	pp, dd := pa.SeparationItem, de.SeparationItem
	pp.Nearest, dd.Nearest = disclosePoint(pa.point, pa.shown, p1), disclosePoint(de.point, de.shown, p2)
	// An area's point nearest a position is as good as the position.
	if pa.point != nil && de.point == nil && pa.shown.Coordinates != truce.DiscloseExact {
		dd.Nearest = nil
	}
	if de.point != nil && pa.point == nil && de.shown.Coordinates != truce.DiscloseExact {
		pp.Nearest = nil
	}
	return SeparationPair{Party: pp, Designated: dd, DistanceM: math.Round(d)}, true
}

// disclosePoint returns the nearest point of an item: an area's as it is,
// a position's as the viewer's disclosure allows (nil when hidden).
func disclosePoint(position *geo.Point, shown truce.Disclosure, p geo.Point) *geo.Point {
	if position == nil {
		return &geo.Point{Lon: math.Round(p.Lon*1e6) / 1e6, Lat: math.Round(p.Lat*1e6) / 1e6}
	}
	lon, lat, ok := shown.Apply(p.Lon, p.Lat)
	if !ok {
		return nil
	}
	return &geo.Point{Lon: lon, Lat: lat}
}
