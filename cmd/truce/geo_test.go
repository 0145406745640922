package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"truce"
)

// geoDemo seeds one demo data directory for the geo command's tests: its
// approved map is the control map of July 2017, with designated positions.
var geoDemo struct {
	once sync.Once
	dir  string
	err  error
}

func geoDemoDir(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("seeds a full demo")
	}
	geoDemo.once.Do(func() {
		dir, err := os.MkdirTemp("", "truce-geo-")
		if err != nil {
			geoDemo.err = err
			return
		}
		geoDemo.dir = filepath.Join(dir, "demo")
		geoDemo.err = seedDemo(context.Background(), geoDemo.dir, io.Discard)
	})
	if geoDemo.err != nil {
		t.Fatal(geoDemo.err)
	}
	return geoDemo.dir
}

func TestGeoLookup(t *testing.T) {
	for _, tc := range []struct {
		query, pcode, adm1 string
	}{
		{"Khan Sheikhoun", "C3987", "SY07"},
		{"Khan Shaykun", "C3987", "SY07"},
		{"Ma'arrat An Nu'man", "C3985", "SY07"},
		{"Dayr az-Zawr", "C5086", "SY09"},
		{"Douma", "C2338", "SY03"},
		{"خان شيخون", "C3987", "SY07"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			code, out := truceCLI("geo", "lookup", tc.query)
			if code != 0 {
				t.Fatalf("truce geo lookup %q = %d: %s", tc.query, code, out)
			}
			first := strings.Split(strings.SplitN(out, "\n", 2)[0], "\t")
			if len(first) < 6 || first[0] != tc.pcode || first[2] != tc.adm1 {
				t.Errorf("truce geo lookup %q: first line %q, want %s in %s with P-code, name, ADM1, lat, lon, score", tc.query, first, tc.pcode, tc.adm1)
			}
		})
	}
	code, out := truceCLI("geo", "lookup", "--json", "Aleppo")
	var res struct {
		Candidates []struct {
			PCode string `json:"pcode"`
		} `json:"candidates"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Candidates) == 0 {
		t.Errorf("truce geo lookup --json Aleppo = %d: %s", code, out)
	}
	if code, out := truceCLI("geo", "lookup", "Qqqqxzzv"); code != 1 || !strings.Contains(out, "no place") {
		t.Errorf("truce geo lookup of nothing = %d %q, want 1 and no place", code, out)
	}
	if code, _ := truceCLI("geo", "lookup"); code != 2 {
		t.Errorf("truce geo lookup without a name = %d, want 2", code)
	}
}

func TestGeoClassify(t *testing.T) {
	// Without a data directory: the administrative units only.
	code, out := truceCLI("geo", "classify", "--json", "36.2920", "33.5138")
	var c truce.Classification
	if code != 0 || json.Unmarshal([]byte(out), &c) != nil {
		t.Fatalf("truce geo classify Damascus = %d: %s", code, out)
	}
	if c.ADM1 != "SY01" || c.Scope != truce.ScopeCovered || c.Controller != "" {
		t.Errorf("Damascus without a map: %+v, want SY01, covered, no controller", c)
	}
	if code, out := truceCLI("geo", "classify", "36.2920", "33.5138"); code != 0 || !strings.Contains(out, "governorate SY01  Damascus") {
		t.Errorf("truce geo classify Damascus = %d:\n%s", code, out)
	}
	if code, out := truceCLI("geo", "classify", "200", "33"); code != 1 || !strings.Contains(out, "LON LAT") {
		t.Errorf("truce geo classify 200 33 = %d %q, want 1 naming LON LAT", code, out)
	}

	// With the demo's map of July 2017.
	dir := geoDemoDir(t)
	for _, tc := range []struct {
		name           string
		lon, lat       string
		adm1           string
		controller     truce.ActorID
		scope          string
		designatedNear bool
	}{
		{"Aleppo citadel, government-held", "37.1628", "36.1993", "SY02", "SYG", truce.ScopeCovered, false},
		{"Al Mayadin, held by ISIL", "40.4517", "35.0210", "SY09", "ISIL", truce.ScopeExcluded, false},
		// The SDF had entered Raqqa; the guarantors' ISIL position there
		// still puts it out of the ceasefire.
		{"Raqqa, SDF-held within an ISIL position", "39.0100", "35.9500", "SY11", "SDF", truce.ScopeExcluded, true},
		{"Beirut, outside the agreement's country", "35.5018", "33.8938", "", "", truce.ScopeOutside, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := truceCLI("geo", "classify", "--json", "--data", dir, "--at", "2018-03-01", tc.lon, tc.lat)
			var c truce.Classification
			if code != 0 || json.Unmarshal([]byte(out), &c) != nil {
				t.Fatalf("truce geo classify = %d: %s", code, out)
			}
			if c.ADM1 != tc.adm1 || c.Controller != tc.controller || c.Scope != tc.scope || (len(c.Positions) > 0) != tc.designatedNear {
				t.Errorf("got %+v, want ADM1 %q, controller %q, scope %s, designated position near %v", c, tc.adm1, tc.controller, tc.scope, tc.designatedNear)
			}
		})
	}
	// Before the map's validity, nobody is known to hold Aleppo.
	code, out = truceCLI("geo", "classify", "--json", "--data", dir, "--at", "2017-01-01", "37.1628", "36.1993")
	if err := json.Unmarshal([]byte(out), &c); code != 0 || err != nil || c.Controller != "" || len(c.Zones) != 0 {
		t.Errorf("Aleppo on 1 January 2017 = %d %s, want no controller and no zone", code, out)
	}
}

func TestGeoClassifyCSV(t *testing.T) {
	dir := geoDemoDir(t)
	in := filepath.Join(t.TempDir(), "points.csv")
	os.WriteFile(in, []byte("id,lat,lon,time\n"+
		"a,36.1993,37.1628,2018-03-01\n"+
		"b,35.9500,39.0100,2018-03-01\n"+
		"c,not a number,39.0100,\n"+
		"d,36.1993,37.1628,2017-01-01\n"+
		"e,36.1993,37.1628,\n"), 0o644)
	code, out, errOut := truceCLI3("geo", "classify", "--data", dir, "--at", "2018-01-01", "--in", in)
	if code != 1 || !strings.Contains(errOut, "points.csv:4: lon and lat must be numbers") {
		t.Errorf("truce geo classify --in with a bad row = %d, stderr %q; want 1 naming line 4", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"id", "lat", "lon", "time", "adm1_pcode", "adm2_pcode", "adm3_pcode", "controller", "scope"},
		{"a", "36.1993", "37.1628", "2018-03-01", "SY02", "SY0200", "SY020000", "SYG", "covered"},
		{"b", "35.9500", "39.0100", "2018-03-01", "SY11", "SY1101", "SY110100", "SDF", "excluded"},
		{"c", "not a number", "39.0100", "", "", "", "", "", ""},
		{"d", "36.1993", "37.1628", "2017-01-01", "SY02", "SY0200", "SY020000", "", "covered"},
		{"e", "36.1993", "37.1628", "", "SY02", "SY0200", "SY020000", "SYG", "covered"},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d:\n%s", len(rows), len(want), out)
	}
	for i := range want {
		if strings.Join(rows[i], ",") != strings.Join(want[i], ",") {
			t.Errorf("row %d: got %q, want %q", i, rows[i], want[i])
		}
	}
}

func TestGeoSeparation(t *testing.T) {
	dir := geoDemoDir(t)
	code, out := truceCLI("geo", "separation", "--data", dir, "--json")
	var res struct {
		ThresholdM int `json:"threshold_m"`
		Pairs      []struct {
			Party, Designated struct {
				Kind  string        `json:"kind"`
				Actor truce.ActorID `json:"actor"`
			}
			DistanceM float64 `json:"distance_m"`
		} `json:"pairs"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("truce geo separation --json = %d: %.300s", code, out)
	}
	if res.ThresholdM != 2000 || len(res.Pairs) < 20 {
		t.Fatalf("separation: threshold %d m, %d pairs; want 2000 m and the demo's many pairs", res.ThresholdM, len(res.Pairs))
	}
	for i, p := range res.Pairs {
		if p.DistanceM < 0 || p.DistanceM > 2000 || (i > 0 && p.DistanceM < res.Pairs[i-1].DistanceM) {
			t.Errorf("pair %d at %v m: want within 2000 m, nearest first", i, p.DistanceM)
		}
		if p.Party.Actor == "JFS" || p.Party.Actor == "ISIL" || (p.Designated.Actor != "JFS" && p.Designated.Actor != "ISIL") {
			t.Errorf("pair %d: party side %s, designated side %s", i, p.Party.Actor, p.Designated.Actor)
		}
	}
	code, out = truceCLI("geo", "separation", "--data", dir)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) != len(res.Pairs)+1 || !strings.HasPrefix(lines[0], strings.Split(lines[0], " ")[0]+" pairs within 2000 m") {
		t.Errorf("truce geo separation = %d, %d lines for %d pairs: %.300s", code, len(lines), len(res.Pairs), out)
	}
}
