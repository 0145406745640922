// Package places is the reference geography of Syria that truce carries
// inside its binary: OCHA governorates (ADM1) and districts (ADM2) as
// polygons, sub-districts (ADM3) as P-codes and centroids, and the OCHA
// communities as a gazetteer that Lookup searches by English or Arabic
// name.
//
// The data is embedded (see data/ATTRIBUTION.md for sources, licences and
// what was changed) and decoded once, on first use. Everything returned
// shares the decoded data: slices of Units and Communities are copies, but
// the polygons inside them are not, and must not be modified.
//
// # Which generation of P-codes
//
// The communities and the district polygons come from OCHA's 2015 layers,
// the P-codes in use around the 2017 Astana talks; the governorate polygons
// from COD-AB v02 (2020), whose governorates are the same fourteen; the
// sub-districts from OpenSyria, which follows COD-AB v02. The two
// generations differ in one place: Qadmous district (SY1006) was split from
// Banyas (SY1002) after 2015, so four sub-districts (SY100601–SY100604)
// have a parent district that has no polygon here and are known to the
// communities as SY100202–SY100205 under SY1002. Those Units carry the old
// code in LegacyPCode, and UnitByPCode accepts either.
package places

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sync"
)

//go:embed data/*
var files embed.FS

// Level is the administrative level of a Unit.
const (
	ADM1 = 1 // governorate (muhafaza), P-code SYnn
	ADM2 = 2 // district (mantika), P-code SYnnnn
	ADM3 = 3 // sub-district (nahiya), P-code SYnnnnnn
)

// Unit is an administrative unit.
type Unit struct {
	PCode  string // OCHA P-code: SY07, SY0702, SY070201
	NameEN string // English name as OCHA (or OpenSyria, for ADM3) writes it
	NameAR string // Arabic name
	// ADM1 and ADM2 are the P-codes of the governorate and district that
	// hold the unit; a unit's own level carries its own P-code (a
	// governorate's ADM1 is itself), and levels above it are empty.
	ADM1, ADM2 string
	Level      int // ADM1, ADM2 or ADM3
	// Geometry is the unit's outline as a GeoJSON MultiPolygon: polygons,
	// each an outer ring then holes, each ring closed, positions lon,lat
	// (WGS84) rounded to 6 decimals. Empty for ADM3, which has no polygons
	// here.
	Geometry [][][][2]float64
	// Centroid is lon,lat: the area-weighted planar centroid of Geometry
	// for ADM1 and ADM2 (it may fall outside a concave unit), the
	// OpenSyria centroid for ADM3.
	Centroid [2]float64
	// LegacyPCode is, for the four Qadmous sub-districts, the P-code the
	// 2015 layers (and so Community.ADM3) give them; empty otherwise.
	LegacyPCode string
}

// Community is a populated place of the OCHA communities layer.
type Community struct {
	PCode            string // C1001 … C6317
	NameEN, NameAR   string
	ADM1, ADM2, ADM3 string // P-codes of its governorate, district and sub-district (2015 generation)
	Lat, Lon         float64
	// CapitalLevel is OCHA's CAPIT_LVL: 1 governorate capital (Damascus is
	// one), 2 district centre, 3 sub-district centre, 0 none.
	CapitalLevel int
}

// Governorates returns the 14 governorates, by P-code, with their polygons.
func Governorates() []Unit { return slices.Clone(loadADM1()) }

// Districts returns the 61 districts of the 2015 layer, by P-code, with
// their polygons. Qadmous (SY1006) is not among them; its area is in
// Banyas (SY1002).
func Districts() []Unit { return slices.Clone(loadADM2()) }

// SubDistricts returns the 272 sub-districts of COD-AB v02, by P-code,
// with centroids and no polygons.
func SubDistricts() []Unit { return slices.Clone(loadADM3()) }

// Communities returns the 4,726 communities, by P-code.
func Communities() []Community { return slices.Clone(loadCommunities()) }

// UnitByPCode returns the unit of any level with that P-code, or with that
// LegacyPCode.
func UnitByPCode(pcode string) (*Unit, bool) {
	i, ok := unitIndex()[pcode]
	if !ok {
		return nil, false
	}
	u := *i
	return &u, true
}

// CommunityByPCode returns the community with that P-code.
func CommunityByPCode(pcode string) (Community, bool) {
	cs := loadCommunities()
	i, ok := slices.BinarySearchFunc(cs, pcode, func(c Community, p string) int {
		switch {
		case c.PCode < p:
			return -1
		case c.PCode > p:
			return 1
		}
		return 0
	})
	if !ok {
		return Community{}, false
	}
	return cs[i], true
}

// Attribution returns data/ATTRIBUTION.md: the sources of the embedded
// data, their licences and what was changed. Show it wherever the data is
// shown.
func Attribution() string {
	b, err := files.ReadFile("data/ATTRIBUTION.md")
	if err != nil {
		panic("places: " + err.Error())
	}
	return string(b)
}

var (
	loadADM1 = sync.OnceValue(func() []Unit { return decodeBoundaries("data/adm1.geojson.gz", ADM1) })
	loadADM2 = sync.OnceValue(func() []Unit { return decodeBoundaries("data/adm2.geojson.gz", ADM2) })
	loadADM3 = sync.OnceValue(decodeSubDistricts)

	loadCommunities = sync.OnceValue(func() []Community {
		var recs []struct {
			PCode        string  `json:"pcode"`
			NameEN       string  `json:"name_en"`
			NameAR       string  `json:"name_ar"`
			ADM1         string  `json:"adm1"`
			ADM2         string  `json:"adm2"`
			ADM3         string  `json:"adm3"`
			Lat          float64 `json:"lat"`
			Lon          float64 `json:"lon"`
			CapitalLevel int     `json:"capital_level"`
		}
		decode("data/communities.json.gz", &recs)
		out := make([]Community, len(recs))
		for i, r := range recs {
			out[i] = Community(r)
		}
		return out
	})

	unitIndex = sync.OnceValue(func() map[string]*Unit {
		m := map[string]*Unit{}
		for _, us := range [][]Unit{loadADM1(), loadADM2(), loadADM3()} {
			for i := range us {
				m[us[i].PCode] = &us[i]
				if us[i].LegacyPCode != "" {
					m[us[i].LegacyPCode] = &us[i]
				}
			}
		}
		return m
	})
)

// decode reads an embedded gzipped JSON file into v. The files are
// embedded and tested, so a failure is a broken build: it panics.
func decode(name string, v any) {
	b, err := files.ReadFile(name)
	if err != nil {
		panic("places: " + err.Error())
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		panic(fmt.Sprintf("places: %s: %v", name, err))
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		panic(fmt.Sprintf("places: %s: %v", name, err))
	}
	if err := json.Unmarshal(raw, v); err != nil {
		panic(fmt.Sprintf("places: %s: %v", name, err))
	}
}

func decodeBoundaries(name string, level int) []Unit {
	var fc struct {
		Features []struct {
			Properties struct {
				PCode  string `json:"pcode"`
				NameEN string `json:"name_en"`
				NameAR string `json:"name_ar"`
				ADM1   string `json:"adm1"`
			} `json:"properties"`
			Geometry struct {
				Coordinates [][][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	decode(name, &fc)
	out := make([]Unit, len(fc.Features))
	for i, f := range fc.Features {
		p := f.Properties
		u := Unit{PCode: p.PCode, NameEN: p.NameEN, NameAR: p.NameAR, Level: level, Geometry: f.Geometry.Coordinates}
		if level == ADM1 {
			u.ADM1 = p.PCode
		} else {
			u.ADM1, u.ADM2 = p.ADM1, p.PCode
		}
		u.Centroid = centroid(u.Geometry)
		out[i] = u
	}
	return out
}

func decodeSubDistricts() []Unit {
	var recs []struct {
		PCode       string  `json:"pcode"`
		NameEN      string  `json:"name_en"`
		NameAR      string  `json:"name_ar"`
		ADM2        string  `json:"adm2"`
		ADM1        string  `json:"adm1"`
		Lat         float64 `json:"lat"`
		Lon         float64 `json:"lon"`
		LegacyPCode string  `json:"legacy_pcode"`
	}
	decode("data/adm3.json.gz", &recs)
	out := make([]Unit, len(recs))
	for i, r := range recs {
		out[i] = Unit{PCode: r.PCode, NameEN: r.NameEN, NameAR: r.NameAR, ADM1: r.ADM1, ADM2: r.ADM2,
			Level: ADM3, Centroid: [2]float64{r.Lon, r.Lat}, LegacyPCode: r.LegacyPCode}
	}
	return out
}

// centroid is the area-weighted centroid of a multipolygon in the plane of
// lon,lat (holes subtract). Positions are taken relative to the first one,
// so that the products stay small.
func centroid(mp [][][][2]float64) [2]float64 {
	if len(mp) == 0 || len(mp[0]) == 0 || len(mp[0][0]) == 0 {
		return [2]float64{}
	}
	o := mp[0][0][0]
	var a, cx, cy float64
	for _, poly := range mp {
		for j, ring := range poly {
			// Shoelace terms, signed so that the outer ring adds and holes
			// subtract whatever way the rings are wound.
			var ra, rx, ry float64
			for i := 0; i+1 < len(ring); i++ {
				x0, y0 := ring[i][0]-o[0], ring[i][1]-o[1]
				x1, y1 := ring[i+1][0]-o[0], ring[i+1][1]-o[1]
				cross := x0*y1 - x1*y0
				ra += cross
				rx += (x0 + x1) * cross
				ry += (y0 + y1) * cross
			}
			if (j == 0) != (ra > 0) {
				ra, rx, ry = -ra, -rx, -ry
			}
			a += ra
			cx += rx
			cy += ry
		}
	}
	if a == 0 {
		return o
	}
	return [2]float64{o[0] + cx/(3*a), o[1] + cy/(3*a)}
}
