package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"truce"
	tlog "truce/log"
)

// TestCanary seeds every restricted value with a unique string, then
// obtains everything each role can — every GET route over every object,
// every log entry and proof, and the answers, errors included, of every
// POST route — and fails when a body or header holds a canary that the
// role may not see. It also fails when a role that may see a canary never
// does, so that it cannot pass by reading nothing.
//
// Who may see what (DESIGN.md §3, access.go, the agreement's disclosure):
//   - a report's source_identity: its filing organisation (TR) and the
//     guarantors' staff (officers and monitors of RU, IR, TR);
//   - its exact coordinates: roles with exact disclosure (guarantor,
//     monitor, operator) and the filing organisation; parties get a 0.01°
//     grid, observers 0.1°, the public no point at all;
//   - the question of an RFI addressed to SYG: the guarantors' staff,
//     observers, and SYG;
//   - the bytes of an evidence file of TR's report: TR and the guarantors'
//     staff.
func TestCanary(t *testing.T) {
	s := mustRunServer(t)
	w := authzNewWorld(t, s)

	nonce := func() string {
		b := make([]byte, 8)
		rand.Read(b)
		return hex.EncodeToString(b)
	}
	const (
		src      = "source_identity"
		exactLon = "exact lon"
		exactLat = "exact lat"
		question = "SYG's RFI question"
		bytesEvd = "evidence bytes"
	)
	canaries := map[string]string{
		src:      "CANARY-SRC-" + nonce(),
		exactLon: "36.123456",
		exactLat: "35.654321",
		question: "CANARY-RFI-" + nonce(),
		bytesEvd: "CANARY-EVD-" + nonce(),
	}

	// TR files the report with its source, its exact point and a text
	// file; RU asks SYG about it. Around it, what the other routes show:
	// other reports and evidence, an RFI to OPP, a minuted meeting with the
	// report and the RFI on its agenda, an accession.
	in := sampleReport()
	in["lon"], in["lat"] = 36.123456, 35.654321
	in["source_identity"] = canaries[src] + " (a shepherd from the village)"
	// As imported from ACLED: the origin keeps the row's coordinates as
	// written, which only those who see exact coordinates may read.
	in["origin"] = map[string]any{"dataset": "acled", "id": "SYR99999",
		"fields": map[string]string{"latitude": canaries[exactLat], "longitude": canaries[exactLon], "tags": "canary"}}
	var report authzReport
	w.must(t, http.StatusCreated, "POST", "/api/v1/reports", w.tr, "application/json", authzJSON(t, in), &report)
	if report.Entry == 0 {
		t.Fatalf("the canary report has no entry: %+v", report)
	}
	evd := w.addEvidence(t, w.tr, report.ID, "post7.txt", []byte("Observation post 7, 04:10: "+canaries[bytesEvd]+"\n"))
	w.report = report.ID
	rfi := w.sendRFI(t, w.ru, "SYG", canaries[question]+": which unit fired from the ridge?")
	w.sendRFI(t, w.tr, "OPP", "Were your units on the ridge?")
	opp := w.fileReport(t, w.opp, "Syrian Arab Army")
	w.addEvidence(t, w.opp, opp.ID, "post.png", authzPNG(t))
	w.fileReport(t, w.unMonitor, "")
	var meeting struct {
		ID string `json:"id"`
	}
	mtg := authzMeetingInput(20)
	mtg["agenda"] = map[string]any{"reports": []string{report.ID}, "rfis": []string{rfi}, "note": "The ridge."}
	w.must(t, http.StatusCreated, "POST", "/api/v1/meetings", w.ru, "application/json", authzJSON(t, mtg), &meeting)
	for _, g := range []string{w.ir, w.tr} {
		w.must(t, http.StatusCreated, "POST", "/api/v1/meetings/"+meeting.ID+"/approvals", g, "application/json", []byte(`{"proposal":1}`), nil)
	}
	minutes := map[string]any{"minutes": "The body examined the ridge.", "decisions": []map[string]any{{"report": report.ID, "decision": "A joint patrol will visit."}}}
	w.must(t, http.StatusCreated, "POST", "/api/v1/meetings/"+meeting.ID+"/minutes", w.ru, "application/json", authzJSON(t, minutes), nil)
	open := w.requestMeeting(t, w.tr)
	w.must(t, http.StatusCreated, "POST", "/api/v1/accessions", w.tr, "application/json",
		[]byte(`{"kind":"settlement","pcode":"C9999","name":"Canary village","date":"2017-02-01"}`), nil)

	// TR claims an ISIL position at the same exact point, which RU and IR
	// confirm, beside an approved OPP area: the position is on the
	// positions routes and in the separation list.
	pin := authzPositionInput("ISIL")
	pin["lon"], pin["lat"] = 36.123456, 35.654321
	var claimed struct {
		ID string `json:"id"`
	}
	w.must(t, http.StatusCreated, "POST", "/api/v1/positions", w.tr, "application/json", authzJSON(t, pin), &claimed)
	position := claimed.ID
	for _, g := range []string{w.ru, w.ir} {
		w.must(t, http.StatusCreated, "POST", "/api/v1/positions/"+position+"/assessments", g, "application/json", []byte(`{"verdict":"confirm"}`), nil)
	}
	area := w.zoneInput("OPP")
	area["features"].([]any)[0].(map[string]any)["geometry"] = map[string]any{"type": "Polygon",
		"coordinates": [][][2]float64{{{36.13, 35.66}, {36.15, 35.66}, {36.15, 35.68}, {36.13, 35.68}, {36.13, 35.66}}}}
	var areas struct {
		Zones []struct {
			ID string `json:"id"`
		} `json:"zones"`
	}
	w.must(t, http.StatusCreated, "POST", "/api/v1/zones", w.tr, "application/json", authzJSON(t, area), &areas)
	for _, g := range []string{w.ru, w.ir, w.tr} {
		w.must(t, http.StatusCreated, "POST", "/api/v1/zones/"+areas.Zones[0].ID+"/approvals", g, "application/json", []byte(`{}`), nil)
	}
	proposed := w.proposeZone(t, w.tr, "SYG")

	may := func(names ...string) map[string]bool {
		m := map[string]bool{}
		for _, n := range names {
			m[n] = true
		}
		return m
	}
	viewers := []struct {
		name  string
		role  truce.Role
		token string
		may   map[string]bool
	}{
		{"RU guarantor officer", truce.RoleGuarantor, w.ru, may(src, exactLon, exactLat, question, bytesEvd)},
		{"OPP party liaison", truce.RoleParty, w.opp, may()},
		{"RU monitor", truce.RoleMonitor, w.tok[truce.RoleMonitor], may(src, exactLon, exactLat, question, bytesEvd)},
		{"UN observer", truce.RoleObserver, w.tok[truce.RoleObserver], may(question)},
		{"operator", truce.RoleOperator, s.operator, may(exactLon, exactLat)},
		{"public", truce.RolePublic, "", may()},
		{"TR guarantor officer (the filer)", truce.RoleGuarantor, w.tr, may(src, exactLon, exactLat, question, bytesEvd)},
		{"SYG party liaison (asked)", truce.RoleParty, w.syg, may(question)},
		// A UN technical expert: exact coordinates as every monitor, but
		// not a guarantor's staff nor an observer.
		{"UN monitor", truce.RoleMonitor, w.unMonitor, may(exactLon, exactLat)},
	}

	routes := authzRoutes(t, s)
	// The object of each route with one, for the POST routes.
	draft := w.queueDraft(t, w.tr) // TR's: its own members file or discard it
	postObject := map[string]string{
		"/api/v1/drafts/{id}/file":           draft,
		"/api/v1/drafts/{id}/discard":        draft,
		"/api/v1/reports/{id}/assessments":   report.ID,
		"/api/v1/reports/{id}/replies":       report.ID, // it accuses SYG
		"/api/v1/reports/{id}/evidence":      report.ID,
		"/api/v1/rfis/{id}/answers":          rfi,
		"/api/v1/meetings/{id}/proposals":    open,
		"/api/v1/meetings/{id}/approvals":    open,
		"/api/v1/meetings/{id}/minutes":      meeting.ID,
		"/api/v1/zones/{id}/approvals":       proposed,
		"/api/v1/positions/{id}/assessments": position,
	}

	type seen struct{ by, what string }
	var found []seen
	scan := func(t *testing.T, v int, method, path string, r *authzResponse) {
		t.Helper()
		var text strings.Builder
		for k, vs := range r.header {
			fmt.Fprintf(&text, "%s: %s\n", k, strings.Join(vs, ", "))
		}
		text.Write(r.body)
		for name, c := range canaries {
			if !strings.Contains(text.String(), c) {
				continue
			}
			found = append(found, seen{viewers[v].name, name})
			if !viewers[v].may[name] {
				t.Errorf("LEAK: %s may not see the %s canary %q, but %s %s (%d) shows it: %s",
					viewers[v].name, name, c, method, path, r.status, authzClip(canaryAround(r.body, c)))
			}
		}
		if strings.HasPrefix(path, "/log/entries/") && strings.Contains(string(r.body), canaries[src]) {
			t.Errorf("%s %s: a log entry holds the source identity itself, not its sealed commitment", method, path)
		}
	}

	// Every POST route, with a valid body, as every viewer: answers and
	// errors alike. A key is sent malformed, so that the viewer may still
	// send unsigned commands afterwards.
	for v, viewer := range viewers {
		for _, route := range routes {
			method, pattern, _ := strings.Cut(route, " ")
			if method != "POST" {
				continue
			}
			id, ok := postObject[pattern]
			if strings.Contains(pattern, "{") && !ok {
				t.Errorf("%s: the canary test has no object to send it; add one to postObject", route)
				continue
			}
			path, _, ct, body := w.request(t, method, pattern, viewer.role, id)
			if pattern == "/api/v1/me/keys" {
				ct, body = "application/json", []byte(`{"key":"not a key"}`)
			}
			scan(t, v, method, path, authzSend(t, s, method, path, viewer.token, ct, body))
		}
	}

	// What there is to read, as a guarantor officer lists it.
	var reports struct {
		Reports []authzReport `json:"reports"`
		Next    string        `json:"next"`
	}
	w.must(t, http.StatusOK, "GET", "/api/v1/reports?limit=200", w.ru, "", nil, &reports)
	var rfis struct {
		RFIs []struct {
			ID string `json:"id"`
		} `json:"rfis"`
		Next string `json:"next"`
	}
	w.must(t, http.StatusOK, "GET", "/api/v1/rfis?limit=200", w.ru, "", nil, &rfis)
	var meetings struct {
		Meetings []struct {
			ID string `json:"id"`
		} `json:"meetings"`
		Next string `json:"next"`
	}
	w.must(t, http.StatusOK, "GET", "/api/v1/meetings?limit=200", w.ru, "", nil, &meetings)
	if reports.Next != "" || rfis.Next != "" || meetings.Next != "" {
		t.Fatal("the seeded world is more than one page: raise the limits")
	}
	size, err := s.Service.LogSize(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	// Every GET route, over every object.
	gets := map[string][]string{}
	for _, route := range routes {
		method, pattern, _ := strings.Cut(route, " ")
		if method != "GET" || strings.Contains(pattern, "{") {
			continue
		}
		path, _, _, _ := w.request(t, method, pattern, truce.RolePublic, "")
		gets[route] = append(gets[route], path)
	}
	shas := []string{}
	for _, r := range reports.Reports {
		gets["GET /api/v1/reports/{id}"] = append(gets["GET /api/v1/reports/{id}"], "/api/v1/reports/"+r.ID)
		for _, e := range r.Evidence {
			shas = append(shas, e.SHA256)
		}
	}
	if !slices.Contains(shas, evd) {
		t.Fatalf("the canary evidence %s is not listed with its report", evd)
	}
	for _, sha := range shas {
		gets["GET /api/v1/evidence/{sha256}"] = append(gets["GET /api/v1/evidence/{sha256}"], "/api/v1/evidence/"+sha)
		gets["GET /log/evidence/{sha256}"] = append(gets["GET /log/evidence/{sha256}"], "/log/evidence/"+sha)
	}
	for _, r := range rfis.RFIs {
		gets["GET /api/v1/rfis/{id}"] = append(gets["GET /api/v1/rfis/{id}"], "/api/v1/rfis/"+r.ID)
	}
	for _, m := range meetings.Meetings {
		gets["GET /api/v1/meetings/{id}"] = append(gets["GET /api/v1/meetings/{id}"], "/api/v1/meetings/"+m.ID)
	}
	var zones, positions struct {
		Features []struct {
			ID string `json:"id"`
		} `json:"features"`
	}
	w.must(t, http.StatusOK, "GET", "/api/v1/zones", w.ru, "", nil, &zones)
	w.must(t, http.StatusOK, "GET", "/api/v1/positions", w.ru, "", nil, &positions)
	for _, z := range zones.Features {
		gets["GET /api/v1/zones/{id}"] = append(gets["GET /api/v1/zones/{id}"], "/api/v1/zones/"+z.ID)
	}
	for _, p := range positions.Features {
		gets["GET /api/v1/positions/{id}"] = append(gets["GET /api/v1/positions/{id}"], "/api/v1/positions/"+p.ID)
	}
	gets["GET /api/v1/zones"] = append(gets["GET /api/v1/zones"], "/api/v1/zones?at=2017-08-01", "/api/v1/zones?state=proposed")
	var separation struct {
		Pairs []struct {
			Designated struct {
				ID string `json:"id"`
			} `json:"designated"`
		} `json:"pairs"`
	}
	w.must(t, http.StatusOK, "GET", "/api/v1/separation", w.ru, "", nil, &separation)
	if !slices.ContainsFunc(separation.Pairs, func(p struct {
		Designated struct {
			ID string `json:"id"`
		} `json:"designated"`
	}) bool {
		return p.Designated.ID == position
	}) {
		t.Fatalf("the canary position %s is not in the separation list: %+v", position, separation)
	}
	n := strconv.FormatInt(size, 10)
	for i := int64(0); i < size; i++ {
		is := strconv.FormatInt(i, 10)
		gets["GET /log/entries/{index}"] = append(gets["GET /log/entries/{index}"], "/log/entries/"+is)
		gets["GET /log/proof/inclusion"] = append(gets["GET /log/proof/inclusion"], "/log/proof/inclusion?index="+is+"&size="+n)
	}
	gets["GET /log/proof/consistency"] = append(gets["GET /log/proof/consistency"], "/log/proof/consistency?old=1&new="+n)
	gets["GET /api/v1/reports"] = append(gets["GET /api/v1/reports"], "/api/v1/reports?limit=200&organisation=TR", "/api/v1/reports?limit=200&perpetrator=SYG")
	for _, f := range []string{"acled", "hxl"} {
		gets["GET /api/v1/reports/export"] = append(gets["GET /api/v1/reports/export"], "/api/v1/reports/export?format="+f)
	}
	// The bulletins of the canary report's day, in every format and
	// language, at a checkpoint that holds everything above.
	if _, err := s.Service.IssueCheckpoint(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"json", "md", "html", "csv"} {
		for _, lang := range []string{"en", "ar"} {
			gets["GET /api/v1/bulletins/{date}"] = append(gets["GET /api/v1/bulletins/{date}"], "/api/v1/bulletins/2017-01-05?format="+f+"&lang="+lang)
		}
	}
	gets["GET /api/v1/rfis"] = append(gets["GET /api/v1/rfis"], "/api/v1/rfis?limit=200&organisation=SYG", "/api/v1/rfis?limit=200&report="+report.ID)
	// Every tile and entry bundle of that checkpoint's tree.
	latest, err := s.Service.LatestCheckpoint(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for i := int64(0); i*tlog.TileWidth < latest.Size; i++ {
		width := int(min(latest.Size-i*tlog.TileWidth, tlog.TileWidth))
		bundle, hashes := tlog.Tile{Level: -1, Index: i, Width: width}, tlog.Tile{Level: 0, Index: i, Width: width}
		gets["GET /log/tile/entries/{tile...}"] = append(gets["GET /log/tile/entries/{tile...}"], "/log/"+bundle.Path())
		gets["GET /log/tile/{tile...}"] = append(gets["GET /log/tile/{tile...}"], "/log/"+hashes.Path())
	}
	for _, route := range routes {
		if method, _, _ := strings.Cut(route, " "); method == "GET" && len(gets[route]) == 0 {
			t.Errorf("%s: the canary test reads nothing from it; teach it what to read", route)
		}
	}

	entry := "/log/entries/" + strconv.FormatInt(report.Entry, 10)
	for v, viewer := range viewers {
		for _, route := range routes {
			for _, path := range gets[route] {
				r := authzSend(t, s, "GET", path, viewer.token, "", nil)
				if r.status >= 500 {
					t.Errorf("%s: GET %s = %d: %s", viewer.name, path, r.status, r.body)
				}
				scan(t, v, "GET", path, r)
				if path == entry && r.status == http.StatusOK && !strings.Contains(string(r.body), `"source_identity":{"sealed":"sha256:`) {
					t.Errorf("%s: GET %s: the canary report's entry holds no sealed source_identity commitment: %s", viewer.name, path, r.body)
				}
			}
		}
	}

	// Those who may see a canary did see it.
	for _, viewer := range viewers {
		for name := range viewer.may {
			if !slices.Contains(found, seen{viewer.name, name}) {
				t.Errorf("%s may see the %s canary %q but no response showed it: the test reads too little", viewer.name, name, canaries[name])
			}
		}
	}
}

// canaryAround returns the part of b around the first c.
func canaryAround(b []byte, c string) []byte {
	i := strings.Index(string(b), c)
	if i < 0 {
		return b
	}
	lo, hi := max(i-200, 0), min(i+len(c)+200, len(b))
	return b[lo:hi]
}
