package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// The source files, relative to the shared data folder.
const (
	srcADM1        = "admin_boundaries/syr_adm1_ocha_codab_v02_20201217.geojson"
	srcADM2        = "admin_boundaries/syr_adm2_ocha_legacy.geojson"
	srcGovs        = "admin_boundaries/opensyria_admin_units/governorates.json"
	srcDistricts   = "admin_boundaries/opensyria_admin_units/districts.json"
	srcSubdistrict = "admin_boundaries/opensyria_admin_units/subdistricts.json"
	srcCommunities = "gazetteer/syr_communities_ocha_adm4.csv"
)

// decimals is how many decimal places of a degree polygon coordinates keep:
// 1e-6° is about 0.11 m of latitude, well under the sources' own accuracy.
const decimals = 6

var (
	adm1Pattern = regexp.MustCompile(`^SY\d{2}$`)
	adm2Pattern = regexp.MustCompile(`^SY\d{4}$`)
	adm3Pattern = regexp.MustCompile(`^SY\d{6}$`)
	commPattern = regexp.MustCompile(`^C\d{4}$`)
)

// generate reads the sources under dir and returns the files to write,
// by name, with a few lines saying what it found.
func generate(dir string) (map[string][]byte, []string, error) {
	var report []string
	files := map[string][]byte{}

	adm1, notes, err := boundaries(filepath.Join(dir, srcADM1), 1)
	if err != nil {
		return nil, nil, err
	}
	report = append(report, notes...)
	adm2, notes, err := boundaries(filepath.Join(dir, srcADM2), 2)
	if err != nil {
		return nil, nil, err
	}
	report = append(report, notes...)
	comms, notes, err := communities(filepath.Join(dir, srcCommunities))
	if err != nil {
		return nil, nil, err
	}
	report = append(report, notes...)
	subs, notes, err := subdistricts(dir, comms)
	if err != nil {
		return nil, nil, err
	}
	report = append(report, notes...)

	for name, v := range map[string]any{
		"adm1.geojson.gz":     collection{Type: "FeatureCollection", Features: adm1},
		"adm2.geojson.gz":     collection{Type: "FeatureCollection", Features: adm2},
		"adm3.json.gz":        subs,
		"communities.json.gz": comms,
	} {
		b, err := gzipJSON(v)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		files[name] = b
	}
	return files, report, nil
}

// gzipJSON encodes v as compact JSON, one line, and compresses it with a
// header that carries neither a name nor a time, so the bytes depend on v
// alone.
func gzipJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	raw = append(raw, '\n')
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// collection, feature, properties and geometry are the GeoJSON written.
type collection struct {
	Type     string    `json:"type"`
	Features []feature `json:"features"`
}

type feature struct {
	Type       string     `json:"type"`
	Properties properties `json:"properties"`
	Geometry   geometry   `json:"geometry"`
}

type properties struct {
	PCode  string `json:"pcode"`
	NameEN string `json:"name_en"`
	NameAR string `json:"name_ar"`
	ADM1   string `json:"adm1,omitempty"`
}

type geometry struct {
	Type        string           `json:"type"`
	Coordinates [][][][2]float64 `json:"coordinates"`
}

// boundaries reads the ADM1 (level 1) or ADM2 (level 2) polygons, keeps
// their P-code and names, rounds coordinates and writes every geometry as
// a MultiPolygon. Features come out sorted by P-code.
func boundaries(path string, level int) ([]feature, []string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var src struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
			Geometry   struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &src); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	keys := map[int][4]string{ // pcode, English, Arabic, parent
		1: {"ADM1_PCODE", "ADM1_EN", "ADM1_AR", ""},
		2: {"PCODE", "NAME_EN", "NAME_ARA", "ADMIN1_COD"},
	}[level]
	pattern := map[int]*regexp.Regexp{1: adm1Pattern, 2: adm2Pattern}[level]
	var out []feature
	var st roundStats
	seen := map[string]bool{}
	for i, f := range src.Features {
		str := func(k string) string { s, _ := f.Properties[k].(string); return strings.TrimSpace(s) }
		p := properties{PCode: str(keys[0]), NameEN: str(keys[1]), NameAR: str(keys[2])}
		if keys[3] != "" {
			p.ADM1 = str(keys[3])
		}
		if !pattern.MatchString(p.PCode) || seen[p.PCode] || p.NameEN == "" || p.NameAR == "" {
			return nil, nil, fmt.Errorf("%s: feature %d: bad or repeated P-code or missing name: %+v", path, i, p)
		}
		if level == 2 && (!adm1Pattern.MatchString(p.ADM1) || !strings.HasPrefix(p.PCode, p.ADM1)) {
			return nil, nil, fmt.Errorf("%s: %s: governorate %q is not its prefix", path, p.PCode, p.ADM1)
		}
		seen[p.PCode] = true
		var polys [][][][]float64
		switch f.Geometry.Type {
		case "Polygon":
			var poly [][][]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &poly); err != nil {
				return nil, nil, fmt.Errorf("%s: %s: %w", path, p.PCode, err)
			}
			polys = [][][][]float64{poly}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return nil, nil, fmt.Errorf("%s: %s: %w", path, p.PCode, err)
			}
		default:
			return nil, nil, fmt.Errorf("%s: %s: geometry %q, want a polygon", path, p.PCode, f.Geometry.Type)
		}
		mp, err := roundMulti(polys, &st)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %s: %w", path, p.PCode, err)
		}
		out = append(out, feature{Type: "Feature", Properties: p, Geometry: geometry{Type: "MultiPolygon", Coordinates: mp}})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Properties.PCode < out[j].Properties.PCode })
	note := fmt.Sprintf("ADM%d: %d features, %d polygons, %d rings, %d vertices kept; rounding to %d decimals merged %d repeated vertices",
		level, len(out), st.polygons, st.rings, st.vertices, decimals, st.merged)
	return out, []string{note}, nil
}

type roundStats struct{ polygons, rings, vertices, merged int }

// roundMulti rounds every coordinate to decimals places and drops a vertex
// equal to the one before it after rounding (rings stay closed). A ring
// left with fewer than four positions is an error: it would mean rounding
// destroyed it.
func roundMulti(polys [][][][]float64, st *roundStats) ([][][][2]float64, error) {
	scale := math.Pow10(decimals)
	out := make([][][][2]float64, 0, len(polys))
	for _, poly := range polys {
		rings := make([][][2]float64, 0, len(poly))
		for _, ring := range poly {
			r := make([][2]float64, 0, len(ring))
			for _, pos := range ring {
				if len(pos) < 2 {
					return nil, fmt.Errorf("position with %d numbers", len(pos))
				}
				pt := [2]float64{math.Round(pos[0]*scale) / scale, math.Round(pos[1]*scale) / scale}
				if n := len(r); n > 0 && r[n-1] == pt {
					st.merged++
					continue
				}
				r = append(r, pt)
			}
			if len(r) < 4 || r[0] != r[len(r)-1] {
				return nil, fmt.Errorf("ring of %d positions is not a closed ring after rounding", len(r))
			}
			st.rings++
			st.vertices += len(r)
			rings = append(rings, r)
		}
		st.polygons++
		out = append(out, rings)
	}
	return out, nil
}

// community is one record of communities.json.
type community struct {
	PCode        string  `json:"pcode"`
	NameEN       string  `json:"name_en"`
	NameAR       string  `json:"name_ar"`
	ADM1         string  `json:"adm1"`
	ADM2         string  `json:"adm2"`
	ADM3         string  `json:"adm3"`
	Lat          float64 `json:"lat"`
	Lon          float64 `json:"lon"`
	CapitalLevel int     `json:"capital_level"`

	adm3EN string // the CSV's sub-district name, to match renamed codes
}

// communities reads the OCHA communities CSV.
func communities(path string) ([]community, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, nil, fmt.Errorf("%s: no rows", path)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, name := range []string{"NAME_EN", "NAME_ARA", "PCODE", "ADMIN1_COD", "ADMIN2_COD", "ADMIN3_COD", "ADMIN3_EN", "LATITUDE", "LONGITUDE", "CAPIT_LVL"} {
		if _, ok := col[name]; !ok {
			return nil, nil, fmt.Errorf("%s: no column %s", path, name)
		}
	}
	var out []community
	seen := map[string]bool{}
	levels := map[string]int{}
	for n, row := range rows[1:] {
		get := func(k string) string { return strings.TrimSpace(row[col[k]]) }
		c := community{
			PCode: get("PCODE"), NameEN: get("NAME_EN"), NameAR: get("NAME_ARA"),
			ADM1: get("ADMIN1_COD"), ADM2: get("ADMIN2_COD"), ADM3: get("ADMIN3_COD"),
			adm3EN: get("ADMIN3_EN"),
		}
		line := n + 2
		if !commPattern.MatchString(c.PCode) || seen[c.PCode] {
			return nil, nil, fmt.Errorf("%s:%d: bad or repeated P-code %q", path, line, c.PCode)
		}
		seen[c.PCode] = true
		if !adm1Pattern.MatchString(c.ADM1) || !adm2Pattern.MatchString(c.ADM2) || !adm3Pattern.MatchString(c.ADM3) ||
			!strings.HasPrefix(c.ADM2, c.ADM1) || !strings.HasPrefix(c.ADM3, c.ADM2) {
			return nil, nil, fmt.Errorf("%s:%d: %s: P-codes %s %s %s do not nest", path, line, c.PCode, c.ADM1, c.ADM2, c.ADM3)
		}
		if c.NameEN == "" {
			return nil, nil, fmt.Errorf("%s:%d: %s: no English name", path, line, c.PCode)
		}
		if c.Lat, err = strconv.ParseFloat(get("LATITUDE"), 64); err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %s: latitude: %w", path, line, c.PCode, err)
		}
		if c.Lon, err = strconv.ParseFloat(get("LONGITUDE"), 64); err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %s: longitude: %w", path, line, c.PCode, err)
		}
		lvl := get("CAPIT_LVL")
		levels[lvl]++
		if lvl != "" {
			if c.CapitalLevel, err = strconv.Atoi(lvl); err != nil || c.CapitalLevel < 0 || c.CapitalLevel > 3 {
				return nil, nil, fmt.Errorf("%s:%d: %s: CAPIT_LVL %q", path, line, c.PCode, lvl)
			}
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PCode < out[j].PCode })
	note := fmt.Sprintf("communities: %d rows; CAPIT_LVL 1: %d, 2: %d, 3: %d, 0: %d, empty: %d",
		len(out), levels["1"], levels["2"], levels["3"], levels["0"], levels[""])
	return out, []string{note}, nil
}

// subdistrict is one record of adm3.json.
type subdistrict struct {
	PCode  string  `json:"pcode"`
	NameEN string  `json:"name_en"`
	NameAR string  `json:"name_ar"`
	ADM2   string  `json:"adm2"`
	ADM1   string  `json:"adm1"`
	Lat    float64 `json:"lat"`
	Lon    float64 `json:"lon"`
	// LegacyPCode is the code the 2015 OCHA layers (the communities and
	// the district polygons) give the same sub-district, when it differs.
	LegacyPCode string `json:"legacy_pcode,omitempty"`
	LegacyADM2  string `json:"legacy_adm2,omitempty"`
}

// subdistricts reads the OpenSyria sub-district records, their parents'
// P-codes from the district and governorate records, and finds for the
// sub-districts the communities know under another code (Qadmous, split
// from Banyas after 2015) that code, by English name within the
// governorate.
func subdistricts(dir string, comms []community) ([]subdistrict, []string, error) {
	type record struct {
		ID            string `json:"id"`
		GovernorateID string `json:"governorateId"`
		DistrictID    string `json:"districtId"`
		Name          struct {
			EN string `json:"en"`
			AR string `json:"ar"`
		} `json:"name"`
		Centroid struct {
			Latitude  float64 `json:"latitude"`
			Longitude float64 `json:"longitude"`
		} `json:"centroid"`
		ExternalIDs struct {
			OCHAPCode string `json:"ochaPcode"`
		} `json:"externalIds"`
	}
	read := func(name string) ([]record, error) {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		var rs []record
		if err := json.Unmarshal(raw, &rs); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return rs, nil
	}
	govs, err := read(srcGovs)
	if err != nil {
		return nil, nil, err
	}
	dists, err := read(srcDistricts)
	if err != nil {
		return nil, nil, err
	}
	subs, err := read(srcSubdistrict)
	if err != nil {
		return nil, nil, err
	}
	codeOf := map[string]string{}
	for _, r := range append(govs, dists...) {
		codeOf[r.ID] = r.ExternalIDs.OCHAPCode
	}
	var out []subdistrict
	seen := map[string]bool{}
	for _, r := range subs {
		s := subdistrict{
			PCode: r.ExternalIDs.OCHAPCode, NameEN: strings.TrimSpace(r.Name.EN), NameAR: strings.TrimSpace(r.Name.AR),
			ADM2: codeOf[r.DistrictID], ADM1: codeOf[r.GovernorateID],
			Lat: r.Centroid.Latitude, Lon: r.Centroid.Longitude,
		}
		if !adm3Pattern.MatchString(s.PCode) || seen[s.PCode] || !adm2Pattern.MatchString(s.ADM2) || !adm1Pattern.MatchString(s.ADM1) ||
			!strings.HasPrefix(s.PCode, s.ADM2) || !strings.HasPrefix(s.ADM2, s.ADM1) || s.NameEN == "" || s.Lat == 0 || s.Lon == 0 {
			return nil, nil, fmt.Errorf("%s: %s: bad record %+v", srcSubdistrict, r.ID, s)
		}
		seen[s.PCode] = true
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PCode < out[j].PCode })

	// Sub-district codes the communities use that the current list lacks.
	type legacy struct{ code, adm2, adm1, name string }
	var missing []legacy
	had := map[string]bool{}
	for _, c := range comms {
		if !seen[c.ADM3] && !had[c.ADM3] {
			had[c.ADM3] = true
			missing = append(missing, legacy{c.ADM3, c.ADM2, c.ADM1, c.adm3EN})
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i].code < missing[j].code })
	var notes []string
	for _, m := range missing {
		var match []int
		for i, s := range out {
			if s.ADM1 == m.adm1 && fold(s.NameEN) == fold(m.name) && !had[s.PCode] && s.LegacyPCode == "" {
				match = append(match, i)
			}
		}
		if len(match) != 1 {
			notes = append(notes, fmt.Sprintf("sub-district %s %q of the communities: no single current match (%d)", m.code, m.name, len(match)))
			continue
		}
		s := &out[match[0]]
		s.LegacyPCode, s.LegacyADM2 = m.code, m.adm2
		notes = append(notes, fmt.Sprintf("sub-district %s %q (district %s) is %s under district %s in the 2015 layer", s.PCode, s.NameEN, s.ADM2, m.code, m.adm2))
	}
	notes = append([]string{fmt.Sprintf("ADM3: %d sub-districts", len(out))}, notes...)
	return out, notes, nil
}

// fold keeps the lower-cased letters and digits of s.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
