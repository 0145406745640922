package places

import (
	"math"
	"sync"

	"truce/geo"
)

// BorderToleranceM is how far outside every district polygon a point may
// lie and still be placed in the nearest district: the boundaries are
// generalised to a few hundred metres along coasts and borders, where
// towns sit on the line.
const BorderToleranceM = 1000

// Locator places points in the administrative units: the district whose
// polygon covers the point (OCHA's 2015 districts, the ones the gazetteer
// uses), its governorate, and, since sub-districts have no polygons here,
// the sub-district of the nearest community of that district (the
// sub-district of the nearest centroid where a district has no
// communities). Nearest-community places 91% of communities in their own
// sub-district when each is left out of the search; nearest-centroid, 82%.
// P-codes are the gazetteer's: for the four Qadmous sub-districts, their
// 2015 codes under Banyas.
type Locator struct {
	districts []Unit
	index     *geo.Index
	subs      map[string][]Unit // by the 2015 district P-code
	towns     map[string][]town // by district P-code
}

// town is a community reduced to what placing a sub-district needs.
type town struct {
	lon, lat float64
	adm3     string
	pcode    string
}

var defaultLocator = sync.OnceValue(func() *Locator { return NewLocator() })

// DefaultLocator returns the locator of the embedded geography, built on
// first use.
func DefaultLocator() *Locator { return defaultLocator() }

// NewLocator builds a locator over the embedded geography.
func NewLocator() *Locator {
	l := &Locator{districts: Districts(), subs: map[string][]Unit{}, towns: map[string][]town{}}
	for _, c := range Communities() {
		l.towns[c.ADM2] = append(l.towns[c.ADM2], town{c.Lon, c.Lat, c.ADM3, c.PCode})
	}
	items := make([]geo.Item, len(l.districts))
	for i, d := range l.districts {
		items[i] = geo.Item{ID: i, Geom: geo.FromCoordinates(d.Geometry)}
	}
	l.index = geo.NewIndex(items)
	for _, s := range SubDistricts() {
		code, district := s.PCode, s.ADM2
		if s.LegacyPCode != "" {
			code, district = s.LegacyPCode, s.LegacyPCode[:6]
		}
		s.PCode = code
		l.subs[district] = append(l.subs[district], s)
	}
	return l
}

// Locate returns the governorate, district and sub-district P-codes of a
// point; all empty when it is more than BorderToleranceM outside every
// district. On a boundary shared by two districts, the one listed first
// in the embedded data wins.
func (l *Locator) Locate(lon, lat float64) (adm1, adm2, adm3 string) {
	pt := geo.Point{Lon: lon, Lat: lat}
	i := -1
	if hits := l.index.Locate(pt); len(hits) > 0 {
		i = hits[0].ID
	} else {
		i = l.nearBorder(pt)
	}
	if i < 0 {
		return "", "", ""
	}
	d := l.districts[i]
	return d.ADM1, d.PCode, l.subDistrict(d.PCode, pt, "")
}

// subDistrict returns the sub-district of district d that holds pt: that
// of the nearest community but skip, or of the nearest centroid.
func (l *Locator) subDistrict(d string, pt geo.Point, skip string) string {
	// Planar distances with longitudes scaled at the point's latitude:
	// neighbours are a few kilometres apart.
	k := math.Cos(pt.Lat * math.Pi / 180)
	k *= k
	best, adm3 := math.Inf(1), ""
	for _, t := range l.towns[d] {
		if t.pcode == skip {
			continue
		}
		if dd := (t.lon-pt.Lon)*(t.lon-pt.Lon)*k + (t.lat-pt.Lat)*(t.lat-pt.Lat); dd < best {
			best, adm3 = dd, t.adm3
		}
	}
	if adm3 != "" {
		return adm3
	}
	for _, s := range l.subs[d] {
		if dist := geo.DistanceM(pt, geo.Point{Lon: s.Centroid[0], Lat: s.Centroid[1]}); dist < best {
			best, adm3 = dist, s.PCode
		}
	}
	return adm3
}

// nearBorder returns the district most of eight probes BorderToleranceM
// around pt fall in, or -1 when none does: a point just off a generalised
// coast or border belongs to the district beside it. Probing is cheaper
// than measuring the distance to every edge of the nearest district.
func (l *Locator) nearBorder(pt geo.Point) int {
	dLat := BorderToleranceM / 111_320.0
	dLon := dLat / math.Max(math.Cos(pt.Lat*math.Pi/180), 0.01)
	votes := map[int]int{}
	best := -1
	for k := 0; k < 8; k++ {
		a := float64(k) * math.Pi / 4
		probe := geo.Point{Lon: pt.Lon + dLon*math.Sin(a), Lat: pt.Lat + dLat*math.Cos(a)}
		for _, h := range l.index.Locate(probe) {
			votes[h.ID]++
			if best < 0 || votes[h.ID] > votes[best] || (votes[h.ID] == votes[best] && h.ID < best) {
				best = h.ID
			}
		}
	}
	return best
}
