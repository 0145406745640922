package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"truce"
)

const (
	acledTestdata = "../../interchange/testdata/acled_syria.csv"
	ucdpTestdata  = "../../interchange/testdata/ucdp_syria.csv"
)

// importDir returns a new data directory.
func importDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "d")
	if code, out := truceCLI("init", "--data", dir); code != 0 {
		t.Fatalf("truce init = %d %s", code, out)
	}
	return dir
}

var importerID = regexp.MustCompile(`filed by .* \((mem_[a-z2-7]{16}),`)

func TestImportCLI(t *testing.T) {
	dir := importDir(t)
	code, out, errOut := truceCLI3("import", "acled", acledTestdata, "--data", dir, "--organisation", "UN")
	if code != 0 || !strings.Contains(out, "7 rows: 7 new, 0 already imported, 0 changed since, 0 refused; filed by ACLED import") || errOut != "" {
		t.Fatalf("truce import acled = %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	m := importerID.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no importing member in %q", out)
	}
	code, out, _ = truceCLI3("import", "acled", acledTestdata, "--data", dir, "--organisation", "UN")
	if code != 0 || !strings.Contains(out, "7 rows: 0 new, 7 already imported") || !strings.Contains(out, m[1]) {
		t.Errorf("second import = %d %s, want 0 new by %s", code, out, m[1])
	}

	// A bad row is reported by file and row; the others are filed.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("event_id_cnty,event_date,event_type,sub_event_type,latitude,longitude,notes\n"+
		"SYR1,2017-01-05,Battles,Armed clash,35.6,36.5,\"One,\nover two lines.\"\n"+
		"SYR2,2017-01-05,Skirmish,Armed clash,35.6,36.5,Two.\n"+
		"SYR3,2017-01-05,Battles,Armed clash,35.6,36.5,Three.\n"), 0o644)
	code, out, errOut = truceCLI3("import", "acled", bad, "--data", dir, "--as", m[1])
	if code != 1 || !strings.Contains(errOut, bad+`:3 (line 4): event_type: "Skirmish" is not an ACLED event type`) ||
		!strings.Contains(errOut, "1 of 3 rows refused") || !strings.Contains(out, "3 rows: 2 new, 0 already imported, 0 changed since, 1 refused") {
		t.Errorf("import with a bad row = %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	code, out, errOut = truceCLI3("import", "acled", bad, "--data", dir, "--organisation", "UN", "--dry-run")
	if code != 1 || !strings.Contains(out, "3 rows: 2 valid, 1 refused; nothing filed") || !strings.Contains(errOut, bad+":3") {
		t.Errorf("dry run = %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if code, out := truceCLI("log", "verify", "--data", dir, "--quiet"); code != 0 || !strings.HasPrefix(out, "OK: 12 entries") {
		t.Errorf("truce log verify = %d %s, want OK with 2 + 1 member + 9 reports", code, out)
	}

	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"import"}, 2, "Usage: truce import ucdp|acled|hxl"},
		{[]string{"import", "--help"}, 0, "import:FORMAT:ID"},
		{[]string{"import", "ucdp", "--help"}, 0, "Usage: truce import ucdp FILE"},
		{[]string{"import", "gdelt", "x.csv"}, 2, `unknown format "gdelt"`},
		{[]string{"import", "ucdp", ucdpTestdata, "--data", dir}, 2, "give --organisation ORG"},
		{[]string{"import", "ucdp", "--data", dir, "--organisation", "UN"}, 2, "give one FILE"},
		{[]string{"import", "ucdp", ucdpTestdata, "--data", dir, "--organisation", "JWG"}, 1, "JWG may not file reports"},
		{[]string{"import", "ucdp", ucdpTestdata, "--data", dir, "--organisation", "RU", "--as", m[1]}, 1, "belongs to UN, not RU"},
		{[]string{"import", "ucdp", ucdpTestdata, "--data", dir, "--as", "mem_aaaaaaaaaaaaaaaa"}, 1, "--as:"},
		{[]string{"import", "acled", ucdpTestdata, "--data", dir, "--organisation", "UN"}, 1, "the header has no column event_id_cnty"},
		{[]string{"import", "ucdp", "nonexistent.csv", "--data", dir, "--organisation", "UN"}, 1, "nonexistent.csv"},
	} {
		code, out := truceCLI(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("truce %v = %d %q, want %d and %q", tc.args, code, out, tc.code, tc.out)
		}
	}

	// One writer at a time.
	unlock, err := (&dataDir{path: dir}).lock()
	if err != nil {
		t.Fatal(err)
	}
	code, out = truceCLI("import", "ucdp", ucdpTestdata, "--data", dir, "--organisation", "UN")
	unlock()
	if code != 1 || !strings.Contains(out, "in use by another truce process") {
		t.Errorf("import while another process writes = %d %q", code, out)
	}
}

// TestExportCLI exports as the operator and as roles, and through HXL
// into another data directory and back.
func TestExportCLI(t *testing.T) {
	dir := importDir(t)
	if code, out := truceCLI("import", "ucdp", ucdpTestdata, "--data", dir, "--organisation", "UN"); code != 0 {
		t.Fatalf("import = %d %s", code, out)
	}
	geo := filepath.Join(t.TempDir(), "out.geojson")
	if code, out := truceCLI("export", "--data", dir, "--format", "geojson", "--out", geo); code != 0 || out != "" {
		t.Fatalf("export geojson = %d %q", code, out)
	}
	var fc struct {
		Features []struct {
			Geometry struct{ Coordinates [2]float64 }
		}
	}
	if b, err := os.ReadFile(geo); err != nil || json.Unmarshal(b, &fc) != nil || len(fc.Features) != 9 {
		t.Fatalf("export geojson: %v, %d features, want 9", err, len(fc.Features))
	}
	code, out, _ := truceCLI3("export", "--data", dir, "--format", "acled", "--role", "observer", "--governorate", "SY02")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) < 2 || rows[0][0] != "event_id_cnty" {
		t.Fatalf("export acled as observer = %d %v %q", code, err, out)
	}
	lat := slices.Index(rows[0], "latitude")
	for _, r := range rows[1:] {
		if r[slices.Index(rows[0], "admin1")] != "Aleppo" || !strings.HasSuffix(r[lat], "5") {
			t.Errorf("observer's row in SY02: admin1 %q latitude %q, want Aleppo and a cell centre", r[slices.Index(rows[0], "admin1")], r[lat])
		}
	}
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"export", "--help"}, 0, "Usage: truce export"},
		{[]string{"export", "--data", dir}, 2, "give acled, hxl or geojson"},
		{[]string{"export", "--data", dir, "--format", "acled", "--role", "king"}, 2, `--role "king"`},
		{[]string{"export", "--data", dir, "--format", "acled", "--role", "public"}, 1, "public role may not read reports"},
		{[]string{"export", "--data", dir, "--format", "acled", "--scope", "nowhere"}, 1, "scope:"},
		{[]string{"export", "--data", dir, "--format", "acled", "--as", "mem_aaaaaaaaaaaaaaaa"}, 1, "--as:"},
		{[]string{"export", "--data", dir, "--format", "hxl", "--consensus", "pending"}, 0, "#event+code"},
	} {
		code, out := truceCLI(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("truce %v = %d %q, want %d and %q", tc.args, code, out, tc.code, tc.out)
		}
	}

	// HXL out of one data directory, into another, and out again: the
	// events are the same.
	hxl := filepath.Join(t.TempDir(), "a.csv")
	if code, out := truceCLI("export", "--data", dir, "--format", "hxl", "--out", hxl); code != 0 {
		t.Fatalf("export hxl = %d %s", code, out)
	}
	other := importDir(t)
	if code, out := truceCLI("import", "hxl", hxl, "--data", other, "--organisation", "TR", "--source", "UN"); code != 0 || !strings.Contains(out, "9 new") {
		t.Fatalf("import hxl = %d %s", code, out)
	}
	_, again, _ := truceCLI3("export", "--data", other, "--format", "hxl")
	first, _ := os.ReadFile(hxl)
	same := []string{"#date+occurred", "#date+precision", "#event+type", "#event+type+sub", "#group+name+first", "#group+code+first",
		"#group+name+second", "#loc+name", "#adm1+code", "#adm3+code", "#geo+lat", "#geo+lon", "#geo+precision", "#geo+radius",
		"#affected+killed", "#affected+killed+low", "#affected+killed+high", "#affected+killed+civilians", "#description"}
	a, b := hxlColumns(t, string(first), same), hxlColumns(t, again, same)
	if !slices.Equal(a, b) {
		t.Errorf("HXL round trip differs:\nfirst %q\nagain %q", a, b)
	}
}

// hxlColumns returns the rows of an HXL export, the columns given only,
// sorted.
func hxlColumns(t *testing.T, s string, tags []string) []string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("HXL %v: %q", err, s)
	}
	var out []string
	for _, r := range rows[2:] {
		var fields []string
		for _, tag := range tags {
			fields = append(fields, r[slices.Index(rows[1], tag)])
		}
		out = append(out, strings.Join(fields, "|"))
	}
	slices.Sort(out)
	return out
}

// TestExportHTTP exports through the API what the CLI imported: the same
// ACLED rows back for a guarantor, coarsened points for an observer, and
// a 4xx naming the field for a bad query.
func TestExportHTTP(t *testing.T) {
	s := mustRunServer(t)
	ru, un := s.addMember(t, "RU", truce.RoleGuarantor), s.addMember(t, "UN", truce.RoleObserver)
	// Import writes to the data directory: stop the server, import as TR,
	// and serve again.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if code, out := truceCLI("import", "acled", acledTestdata, "--data", s.dir, "--organisation", "TR"); code != 0 {
		t.Fatalf("truce import acled = %d %s", code, out)
	}
	if err := s.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	r := authzSend(t, s, "GET", "/api/v1/reports/export?format=acled", ru, "", nil)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		r.header.Get("Content-Disposition") != `attachment; filename="truce-reports.csv"` {
		t.Fatalf("GET export acled = %d %v: %s", r.status, r.header, authzClip(r.body))
	}
	want, _ := os.ReadFile(acledTestdata)
	wantRows, _ := csv.NewReader(bytes.NewReader(want)).ReadAll()
	gotRows, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sortRows := func(rows [][]string) {
		slices.SortFunc(rows[1:], func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	}
	sortRows(wantRows)
	sortRows(gotRows)
	if !slices.EqualFunc(gotRows, wantRows, slices.Equal[[]string]) {
		t.Errorf("ACLED through truce's API differs from the file imported:\ngot  %q\nwant %q", gotRows, wantRows)
	}

	obs := authzSend(t, s, "GET", "/api/v1/reports/export?format=geojson&governorate=SY07", un, "", nil)
	var fc struct {
		Features []struct {
			Geometry struct{ Coordinates [2]float64 }
		}
	}
	if err := json.Unmarshal(obs.body, &fc); err != nil || obs.status != http.StatusOK || len(fc.Features) == 0 {
		t.Fatalf("GET export geojson as an observer = %d (%v): %s", obs.status, err, authzClip(obs.body))
	}
	for _, f := range fc.Features {
		for _, x := range f.Geometry.Coordinates {
			if cell := x * 10; math.Abs(cell-math.Floor(cell)-0.5) > 1e-6 {
				t.Errorf("observer's point %v is not the centre of a 0.1° cell", f.Geometry.Coordinates)
			}
		}
	}

	for _, tc := range []struct {
		path, token string
		code        int
		field       string
	}{
		{"/api/v1/reports/export", ru, 400, "format"},
		{"/api/v1/reports/export?format=ucdp", ru, 400, "format"},
		{"/api/v1/reports/export?format=acled&limit=10", ru, 400, "limit"},
		{"/api/v1/reports/export?format=acled&consensus=maybe", ru, 400, "consensus"},
		{"/api/v1/reports/export?format=acled", "", 401, ""},
	} {
		r := authzSend(t, s, "GET", tc.path, tc.token, "", nil)
		if r.status != tc.code || !strings.Contains(string(r.body), `"`+tc.field) || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("GET %s = %d %q %s, want %d and a JSON error naming %q", tc.path, r.status, r.header.Get("Content-Type"), authzClip(r.body), tc.code, tc.field)
		}
	}
}
