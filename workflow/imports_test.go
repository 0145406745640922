package workflow_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"truce"
	"truce/interchange"
	"truce/places"
	"truce/workflow"
)

// ucdpFile is the shared UCDP GED file, beside the module.
const ucdpFile = "../../shared/data/events_ucdp/ucdp_ged_syria_652.1601.1911_2016_2018_2019.csv"

// importService returns a service that classifies by the built-in
// geography, its operator, and the member importing for the UN.
func importService(tb testing.TB) (*workflow.Service, *truce.Member, *truce.Member) {
	tb.Helper()
	svc, op := newService(tb)
	svc.Admin = places.DefaultLocator()
	m, created, err := svc.Importer(ftCtx, op, "UCDP import", "UN")
	if err != nil || !created || m.Role != truce.RoleMonitor || m.Organisation != "UN" {
		tb.Fatalf("Importer = %+v, %v, %v; want a new UN monitor", m, created, err)
	}
	return svc, op, m
}

// importFile imports a file and returns the summary and every result.
func importFile(tb testing.TB, svc *workflow.Service, by *truce.Member, format string, r io.Reader) (*workflow.ImportSummary, []workflow.ImportResult) {
	tb.Helper()
	a, err := svc.Agreement(ftCtx)
	if err != nil {
		tb.Fatal(err)
	}
	rd, err := interchange.NewReader(format, r, a, nil)
	if err != nil {
		tb.Fatal(err)
	}
	var results []workflow.ImportResult
	sum, err := svc.Import(ftCtx, by, rd, func(r *workflow.ImportResult) { results = append(results, *r) })
	if err != nil {
		tb.Fatalf("Import = %v", err)
	}
	return sum, results
}

func openFile(tb testing.TB, path string) *os.File {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// TestImportUCDP imports the shared UCDP GED file in full: every event is
// filed (or its refusal explained), the governorate truce classifies each
// precisely placed event in agrees with UCDP's adm_1 for at least 98% of
// them, and a second import appends nothing.
func TestImportUCDP(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 10,979 events; -short")
	}
	if _, err := os.Stat(ucdpFile); os.IsNotExist(err) {
		t.Skipf("no UCDP file at %s", ucdpFile)
	}
	svc, op, m := importService(t)
	start := time.Now()
	sum, results := importFile(t, svc, m, interchange.UCDP, openFile(t, ucdpFile))
	took := time.Since(start)
	t.Logf("imported %d rows in %s: %.0f rows/s", sum.Rows, took.Round(time.Millisecond), float64(sum.Rows)/took.Seconds())
	for _, r := range results {
		if r.Status == workflow.ImportRefused {
			t.Errorf("row %d (event %s) refused: %s", r.Record.Row, r.Record.ID, truce.ErrorMessage(r.Err))
		}
	}
	if sum.Rows != 10979 || sum.New != sum.Rows {
		t.Errorf("summary %+v, want 10979 rows, all new", *sum)
	}
	notes := 0
	for _, r := range results {
		notes += len(r.Record.Notes)
	}
	t.Logf("%d rows filed with a note (a UCDP range widened to hold best)", notes)

	// UCDP's own governorate against truce's, for events placed within
	// 25 km (where_prec 1 and 2).
	adm1 := reportADM1(t, svc, op)
	ucdp := ucdpColumns(t, "id", "where_prec", "adm_1")
	var n, agree, noADM1 int
	misses := map[string]int{}
	for _, r := range results {
		row := ucdp[r.Record.ID]
		if row["where_prec"] != "1" && row["where_prec"] != "2" {
			continue
		}
		want, ok := interchange.UCDPGovernorate(row["adm_1"])
		if !ok {
			noADM1++ // UCDP names no governorate: nothing to compare
			continue
		}
		n++
		if got := adm1[r.Report]; got == want {
			agree++
		} else {
			misses[fmt.Sprintf("%s (%s) → %q", row["adm_1"], want, got)]++
		}
	}
	share := float64(agree) / float64(n)
	t.Logf("governorate agrees with UCDP's adm_1 for %d of %d events with where_prec <= 2: %.2f%% (%d more have no adm_1)", agree, n, 100*share, noADM1)
	keys := make([]string, 0, len(misses))
	for k := range misses {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return misses[keys[i]] > misses[keys[j]] || misses[keys[i]] == misses[keys[j]] && keys[i] < keys[j]
	})
	for _, k := range keys {
		t.Logf("  %4d  %s", misses[k], k)
	}
	if share < 0.98 {
		t.Errorf("governorate agreement %.2f%%, want at least 98%%", 100*share)
	}

	// Again: nothing new, nothing appended.
	before := ftLogSize(t, svc)
	again, _ := importFile(t, svc, m, interchange.UCDP, openFile(t, ucdpFile))
	if again.New != 0 || again.Known != sum.Rows {
		t.Errorf("second import %+v, want 0 new and %d already imported", *again, sum.Rows)
	}
	ftWantGrowth(t, svc, "second import", before, 0)
}

// reportADM1 lists every report as the operator sees it and returns its
// governorate.
func reportADM1(tb testing.TB, svc *workflow.Service, viewer *truce.Member) map[truce.ReportID]string {
	tb.Helper()
	out := map[truce.ReportID]string{}
	q := workflow.ReportQuery{Limit: fmt.Sprint(workflow.MaxPageSize)}
	for {
		page, err := svc.ListReports(ftCtx, viewer, q)
		if err != nil {
			tb.Fatal(err)
		}
		for _, r := range page.Reports {
			if r.Classification != nil {
				out[r.ID] = r.Classification.ADM1
			} else {
				out[r.ID] = ""
			}
		}
		if page.Next == "" {
			return out
		}
		q.Cursor = page.Next
	}
}

// ucdpColumns reads the UCDP file's columns by event id.
func ucdpColumns(tb testing.TB, key string, cols ...string) map[string]map[string]string {
	tb.Helper()
	rows, err := csv.NewReader(openFile(tb, ucdpFile)).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	idx := map[string]int{}
	for i, h := range rows[0] {
		idx[h] = i
	}
	out := map[string]map[string]string{}
	for _, r := range rows[1:] {
		m := map[string]string{}
		for _, c := range cols {
			m[c] = r[idx[c]]
		}
		out[r[idx[key]]] = m
	}
	return out
}

// TestImportAgain checks the statuses of rows imported before: the same
// row is known, a changed row is reported and its first report stands, a
// bad row is refused and the others filed; and the projections rebuild
// and verify.
func TestImportAgain(t *testing.T) {
	svc, _, m := importService(t)
	data, err := os.ReadFile("../interchange/testdata/ucdp_syria.csv")
	if err != nil {
		t.Fatal(err)
	}
	sum, first := importFile(t, svc, m, interchange.UCDP, bytes.NewReader(data))
	if sum.Rows != 9 || sum.New != 9 {
		t.Fatalf("first import %+v, want 9 new", *sum)
	}
	for _, r := range first {
		if r.Status != workflow.ImportNew || !r.Report.Valid() {
			t.Errorf("row %d: %s %q", r.Record.Row, r.Status, r.Report)
		}
	}

	// Event 214797 gets another death; event 215936 a latitude out of
	// range.
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(rows[0], name) }
	for _, r := range rows[1:] {
		switch r[0] {
		case "214797":
			r[col("deaths_b")], r[col("low")], r[col("best")], r[col("high")] = "3", "5", "5", "5"
		case "215936":
			r[col("latitude")] = "134.5"
		}
	}
	var edited bytes.Buffer
	w := csv.NewWriter(&edited)
	w.WriteAll(rows)
	before := ftLogSize(t, svc)
	sum, again := importFile(t, svc, m, interchange.UCDP, &edited)
	if sum.New != 0 || sum.Known != 7 || sum.Changed != 1 || sum.Refused != 1 {
		t.Errorf("second import %+v, want 7 known, 1 changed, 1 refused", *sum)
	}
	for i, r := range again {
		switch r.Record.ID {
		case "214797":
			if r.Status != workflow.ImportChanged || r.Report != first[i].Report {
				t.Errorf("changed row: %s %s, want changed and %s", r.Status, r.Report, first[i].Report)
			}
		case "215936":
			if r.Status != workflow.ImportRefused || !strings.Contains(truce.ErrorMessage(r.Err), "latitude") || r.Record.Row != 5 {
				t.Errorf("bad row %d: %s %v, want refused for its latitude", r.Record.Row, r.Status, r.Err)
			}
		default:
			if r.Status != workflow.ImportKnown || r.Report != first[i].Report {
				t.Errorf("row %s: %s %s, want known and %s", r.Record.ID, r.Status, r.Report, first[i].Report)
			}
		}
	}
	ftWantGrowth(t, svc, "second import", before, 0)
	ftRebuildSame(t, svc)
	mustVerify(t, svc)
}

func TestImportRefusesWholeBatchOnlyForItsBadRows(t *testing.T) {
	svc, _, m := importService(t)
	in := "event_id_cnty,event_date,event_type,sub_event_type,latitude,longitude,notes\n" +
		"SYR1,2017-01-05,Battles,Armed clash,35.6,36.5,One.\n" +
		"SYR2,2017-01-05,Skirmish,Armed clash,35.6,36.5,Two.\n" +
		"SYR3,2017-01-05,Battles,Armed clash,35.6,36.5,Three.\n" +
		"SYR1,2017-01-05,Battles,Armed clash,35.6,36.5,One.\n"
	sum, results := importFile(t, svc, m, interchange.ACLED, strings.NewReader(in))
	if sum.New != 2 || sum.Refused != 1 || sum.Known != 1 {
		t.Errorf("summary %+v, want 2 new, 1 refused, the repeated row known", *sum)
	}
	if results[3].Status != workflow.ImportKnown || results[3].Report != results[0].Report {
		t.Errorf("a row repeated in the file: %s %s, want known as %s", results[3].Status, results[3].Report, results[0].Report)
	}
}

func TestImporter(t *testing.T) {
	svc, op, m := importService(t)
	again, created, err := svc.Importer(ftCtx, op, "UCDP import", "UN")
	if err != nil || created || again.ID != m.ID {
		t.Errorf("Importer again = %v, %v, %v; want %s, not created", again, created, err, m.ID)
	}
	party, _, err := svc.Importer(ftCtx, op, "SYG import", "SYG")
	if err != nil || party.Role != truce.RoleParty {
		t.Errorf("Importer for a party = %+v, %v; want its liaison", party, err)
	}
	for _, tc := range []struct {
		org  truce.ActorID
		code string
	}{{"JWG", truce.EINVALID}, {"ISIL", truce.EINVALID}, {"XX", truce.EINVALID}} {
		_, _, err := svc.Importer(ftCtx, op, "Import", tc.org)
		ftWantCode(t, fmt.Sprintf("Importer for %s", tc.org), err, tc.code)
	}
	_, _, err = svc.Importer(ftCtx, m, "Import", "UN")
	ftWantCode(t, "Importer by a monitor", err, truce.EFORBIDDEN)
	observer := mustMember(t, svc, op, "US", truce.RoleObserver)
	rd, _ := interchange.NewReader(interchange.UCDP, openFile(t, "../interchange/testdata/ucdp_syria.csv"), nil, nil)
	_, err = svc.Import(ftCtx, observer, rd, nil)
	ftWantCode(t, "Import by an observer", err, truce.EFORBIDDEN)
}

// TestImportSignedMember: a member with a registered key must sign what
// it files, so it cannot import unsigned.
func TestImportSignedMember(t *testing.T) {
	svc, _, m := importService(t)
	_, vkey, err := note.GenerateKey(nil, string(m.ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RegisterKey(ftCtx, m, vkey); err != nil {
		t.Fatal(err)
	}
	a, _ := svc.Agreement(ftCtx)
	rd, _ := interchange.NewReader(interchange.UCDP, openFile(t, "../interchange/testdata/ucdp_syria.csv"), a, nil)
	_, err = svc.Import(ftCtx, m, rd, nil)
	ftWantCode(t, "Import by a member with a key", err, truce.EFORBIDDEN)
}

// TestACLEDRoundTrip imports hand-written ACLED rows and exports them as
// ACLED: every field of every row comes back as it was, those a report
// has a slot for from the report, the others from its origin.
func TestACLEDRoundTrip(t *testing.T) {
	svc, op, m := importService(t)
	const path = "../interchange/testdata/acled_syria.csv"
	sum, _ := importFile(t, svc, m, interchange.ACLED, openFile(t, path))
	if sum.New != 7 {
		t.Fatalf("import %+v, want 7 new", *sum)
	}
	var out bytes.Buffer
	if err := svc.Export(ftCtx, op, workflow.ReportQuery{}, interchange.ACLED, &out); err != nil {
		t.Fatal(err)
	}
	want, err := csv.NewReader(openFile(t, path)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got[0], interchange.ACLEDColumns) || len(got) != len(want) {
		t.Fatalf("export header %v and %d rows, want ACLEDColumns and %d rows", got[0], len(got)-1, len(want)-1)
	}
	exported := map[string][]string{}
	for _, row := range got[1:] {
		exported[row[0]] = row
	}
	for _, row := range want[1:] {
		back, ok := exported[row[0]]
		if !ok {
			t.Errorf("%s: not exported", row[0])
			continue
		}
		for j, col := range interchange.ACLEDColumns {
			if back[j] != row[j] {
				t.Errorf("%s: %s = %q, want %q", row[0], col, back[j], row[j])
			}
		}
	}
}

// TestExport exports as several roles: the same disclosure and filters as
// the listing.
func TestExport(t *testing.T) {
	svc, op, m := importService(t)
	importFile(t, svc, m, interchange.UCDP, openFile(t, "../interchange/testdata/ucdp_syria.csv"))
	feature := func(viewer *truce.Member, q workflow.ReportQuery) []json.RawMessage {
		t.Helper()
		var b bytes.Buffer
		if err := svc.Export(ftCtx, viewer, q, interchange.GeoJSON, &b); err != nil {
			t.Fatalf("Export as %s: %v", viewer.Role, err)
		}
		var fc struct{ Features []json.RawMessage }
		if err := json.Unmarshal(b.Bytes(), &fc); err != nil {
			t.Fatal(err)
		}
		return fc.Features
	}
	type point struct {
		Geometry *struct{ Coordinates [2]float64 }
	}
	coords := func(fs []json.RawMessage) [][2]float64 {
		var out [][2]float64
		for _, f := range fs {
			var p point
			json.Unmarshal(f, &p)
			if p.Geometry == nil {
				out = append(out, [2]float64{math.NaN(), math.NaN()})
			} else {
				out = append(out, p.Geometry.Coordinates)
			}
		}
		return out
	}
	exact := coords(feature(op, workflow.ReportQuery{}))
	if len(exact) != 9 {
		t.Fatalf("operator export: %d features, want 9", len(exact))
	}
	observer := mustMember(t, svc, op, "US", truce.RoleObserver)
	party := mustMember(t, svc, op, "SYG", truce.RoleParty)
	for _, tc := range []struct {
		viewer *truce.Member
		grid   float64
	}{{observer, 0.1}, {party, 0.01}, {&truce.Member{Role: truce.RoleObserver}, 0.1}} {
		got := coords(feature(tc.viewer, workflow.ReportQuery{}))
		for i := range got {
			for k := range 2 {
				if d := math.Abs(got[i][k] - exact[i][k]); !(d <= tc.grid/2+1e-9) || got[i][k] == exact[i][k] {
					t.Errorf("%s: feature %d coordinate %v, exact %v: want coarsened to %g°", tc.viewer.Role, i, got[i], exact[i], tc.grid)
				}
			}
		}
	}
	if n := len(feature(op, workflow.ReportQuery{Governorate: "SY02"})); n == 0 || n == 9 {
		t.Errorf("governorate=SY02: %d features, want some", n)
	}
	if n := len(feature(op, workflow.ReportQuery{From: "2016-01-02", To: "2016-01-03"})); n != 1 {
		t.Errorf("from 2016-01-02 to 2016-01-03: %d features, want 1", n)
	}
	for _, tc := range []struct {
		name   string
		viewer *truce.Member
		q      workflow.ReportQuery
		format string
		code   string
	}{
		{"public", &truce.Member{Role: truce.RolePublic}, workflow.ReportQuery{}, interchange.ACLED, truce.EFORBIDDEN},
		{"no viewer", nil, workflow.ReportQuery{}, interchange.ACLED, truce.EUNAUTHORIZED},
		{"format", op, workflow.ReportQuery{}, "xlsx", truce.EINVALID},
		{"ucdp", op, workflow.ReportQuery{}, interchange.UCDP, truce.EINVALID},
		{"cursor", op, workflow.ReportQuery{Cursor: "5"}, interchange.ACLED, truce.EINVALID},
		{"filter", op, workflow.ReportQuery{Scope: "nowhere"}, interchange.HXL, truce.EINVALID},
	} {
		var b bytes.Buffer
		err := svc.Export(ftCtx, tc.viewer, tc.q, tc.format, &b)
		ftWantCode(t, tc.name, err, tc.code)
		if b.Len() != 0 {
			t.Errorf("%s: refused export wrote %q", tc.name, b.String())
		}
	}
}

// BenchmarkImportUCDP imports the shared UCDP file into a new data
// directory each time; rows/s is the figure.
func BenchmarkImportUCDP(b *testing.B) {
	if _, err := os.Stat(ucdpFile); os.IsNotExist(err) {
		b.Skipf("no UCDP file at %s", ucdpFile)
	}
	data, err := os.ReadFile(ucdpFile)
	if err != nil {
		b.Fatal(err)
	}
	var rows int
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		svc, _, m := importService(b)
		a, _ := svc.Agreement(context.Background())
		rd, err := interchange.NewReader(interchange.UCDP, bytes.NewReader(data), a, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		sum, err := svc.Import(context.Background(), m, rd, nil)
		if err != nil {
			b.Fatal(err)
		}
		took += time.Since(start)
		rows += sum.Rows
	}
	b.ReportMetric(float64(rows)/took.Seconds(), "rows/s")
}
