package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"truce"
	trucehttp "truce/http"
	tlog "truce/log"
)

// The authorisation matrix, http/authz.csv, holds one row per cell of
// route × method × role × ownership with the status a valid request must
// get. TestAuthzMatrix holds the router and the matrix to the same routes
// and runs every cell against a live server; TestAuthzMissingLikeRestricted
// checks that a missing object and one the caller may not know of answer
// byte for byte alike.

// authzCSV is the matrix, relative to this package's directory.
var authzCSV = filepath.Join("..", "..", "http", "authz.csv")

// authzRow is one cell of the matrix.
type authzRow struct {
	line      int
	method    string
	route     string
	role      truce.Role
	ownership string // own, other, missing, or - for routes without an object
	status    int
}

func (r authzRow) String() string {
	return fmt.Sprintf("%s %s as %s (ownership %s)", r.method, r.route, r.role, r.ownership)
}

// authzKey names a route as the router does: "METHOD pattern".
func (r authzRow) key() string { return r.method + " " + r.route }

// authzMatrix reads http/authz.csv. Blank lines and lines starting with #
// are skipped; the first record is the header.
func authzMatrix(tb testing.TB) []authzRow {
	tb.Helper()
	f, err := os.Open(authzCSV)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comment = '#'
	cr.FieldsPerRecord = 5
	header, err := cr.Read()
	if err != nil {
		tb.Fatalf("%s: header: %v", authzCSV, err)
	}
	if got, want := strings.Join(header, ","), "method,route,role,ownership,status"; got != want {
		tb.Fatalf("%s: header is %q, want %q", authzCSV, got, want)
	}
	var rows []authzRow
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			tb.Fatalf("%s: %v", authzCSV, err)
		}
		line, _ := cr.FieldPos(0)
		status, err := strconv.Atoi(rec[4])
		if err != nil || status < 100 || status > 599 {
			tb.Fatalf("%s:%d: status %q is not an HTTP status", authzCSV, line, rec[4])
		}
		r := authzRow{line: line, method: rec[0], route: rec[1], role: truce.Role(rec[2]), ownership: rec[3], status: status}
		if r.method != "GET" && r.method != "POST" {
			tb.Errorf("%s:%d: method %q is not GET or POST", authzCSV, line, r.method)
		}
		if !r.role.Valid() {
			tb.Errorf("%s:%d: role %q is not one of %v", authzCSV, line, r.role, truce.Roles)
		}
		if !slices.Contains([]string{"own", "other", "missing", "-"}, r.ownership) {
			tb.Errorf("%s:%d: ownership %q is not own, other, missing or -", authzCSV, line, r.ownership)
		}
		if hasObject := strings.Contains(r.route, "{"); hasObject == (r.ownership == "-") {
			tb.Errorf("%s:%d: %s: routes with an {id} take own, other or missing; routes without, -", authzCSV, line, r)
		}
		k := r.String()
		if prev, ok := seen[k]; ok {
			tb.Errorf("%s:%d: %s repeats line %d", authzCSV, line, r, prev)
		}
		seen[k] = line
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		tb.Fatalf("%s has no rows", authzCSV)
	}
	return rows
}

// authzRoutes returns the router's routes, "METHOD pattern", from the
// server that Main runs.
func authzRoutes(tb testing.TB, s *testServer) []string {
	tb.Helper()
	h, ok := s.server.Handler.(*trucehttp.Server)
	if !ok {
		tb.Fatalf("Main's handler is a %T, not a *http.Server of truce", s.server.Handler)
	}
	return h.Routes()
}

// authzOrgs is the organisation of the member who plays each role.
var authzOrgs = map[truce.Role]truce.ActorID{
	truce.RoleGuarantor: "RU",
	truce.RoleParty:     "OPP",
	truce.RoleMonitor:   "RU",
	truce.RoleObserver:  "UN",
	truce.RoleOperator:  "JWG",
}

// authzCanOwn reports whether the organisation playing role can own the
// object of route at all: the operator's secretariat and the public own
// nothing, observers receive no RFIs and, like parties, request no
// meetings. A matrix row with ownership own exists exactly for these.
func authzCanOwn(route string, role truce.Role) bool {
	switch role {
	case truce.RoleOperator, truce.RolePublic:
		return false
	}
	switch {
	case strings.HasPrefix(route, "/api/v1/bulletins/"):
		return false // a day belongs to nobody
	case strings.HasPrefix(route, "/log/tile/"):
		return false // nor does a tile of the log
	case strings.HasPrefix(route, "/api/v1/rfis/{id}"):
		return role != truce.RoleObserver
	case strings.HasPrefix(route, "/api/v1/drafts/{id}"):
		return role != truce.RoleObserver // observers file nothing, so queue nothing
	case strings.HasPrefix(route, "/api/v1/meetings/{id}"), strings.HasPrefix(route, "/api/v1/zones/{id}"):
		return role == truce.RoleGuarantor || role == truce.RoleMonitor || role == truce.RoleParty && strings.HasPrefix(route, "/api/v1/zones/")
	}
	return true
}

// authzWorld is a running server with a member for each role and the
// members that seed other organisations' objects.
type authzWorld struct {
	s   *testServer
	tok map[truce.Role]string // the caller of each role; "" for the public

	ru, ir, tr, opp, syg, unMonitor string // seeders' tokens
	report                          string // a report for new RFIs to be about
	seq                             atomic.Int64
}

func authzNewWorld(tb testing.TB, s *testServer) *authzWorld {
	tb.Helper()
	w := &authzWorld{s: s}
	w.ru = s.addMember(tb, "RU", truce.RoleGuarantor)
	w.ir = s.addMember(tb, "IR", truce.RoleGuarantor)
	w.tr = s.addMember(tb, "TR", truce.RoleGuarantor)
	w.opp = s.addMember(tb, "OPP", truce.RoleParty)
	w.syg = s.addMember(tb, "SYG", truce.RoleParty)
	w.unMonitor = s.addMember(tb, "UN", truce.RoleMonitor)
	w.tok = map[truce.Role]string{
		truce.RoleGuarantor: w.ru,
		truce.RoleParty:     w.opp,
		truce.RoleMonitor:   s.addMember(tb, "RU", truce.RoleMonitor),
		truce.RoleObserver:  s.addMember(tb, "UN", truce.RoleObserver),
		truce.RoleOperator:  s.operator,
		truce.RolePublic:    "",
	}
	w.report = w.fileReport(tb, w.tr, "Syrian Arab Army").ID
	return w
}

// authzResponse is what a request got.
type authzResponse struct {
	status int
	header http.Header
	body   []byte
}

// authzSend sends a request with an optional bearer token and body.
func authzSend(tb testing.TB, s *testServer, method, path, token, contentType string, body []byte) *authzResponse {
	tb.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, r)
	if err != nil {
		tb.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	return &authzResponse{status: resp.StatusCode, header: resp.Header, body: data}
}

// authzJSON encodes v.
func authzJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// must sends a request that seeds the world and decodes its answer.
func (w *authzWorld) must(tb testing.TB, want int, method, path, token, contentType string, body []byte, out any) {
	tb.Helper()
	resp := authzSend(tb, w.s, method, path, token, contentType, body)
	if resp.status != want {
		tb.Fatalf("seeding: %s %s = %d, want %d: %s", method, path, resp.status, want, resp.body)
	}
	if out != nil {
		if err := json.Unmarshal(resp.body, out); err != nil {
			tb.Fatalf("seeding: %s %s: %v: %s", method, path, err, resp.body)
		}
	}
}

// authzReport is what the tests read of a report.
type authzReport struct {
	ID       string `json:"id"`
	Entry    int64  `json:"entry"`
	Evidence []struct {
		SHA256 string `json:"sha256"`
	} `json:"evidence"`
}

// fileReport files a sample report as token's member, accusing
// perpetrator (none when empty).
func (w *authzWorld) fileReport(tb testing.TB, token, perpetrator string) authzReport {
	tb.Helper()
	in := sampleReport()
	if perpetrator == "" {
		delete(in, "perpetrator")
	} else {
		in["perpetrator"] = perpetrator
	}
	var r authzReport
	w.must(tb, http.StatusCreated, "POST", "/api/v1/reports", token, "application/json", authzJSON(tb, in), &r)
	return r
}

// addEvidence uploads a file to a report and returns its SHA-256.
func (w *authzWorld) addEvidence(tb testing.TB, token, report, filename string, data []byte) string {
	tb.Helper()
	ct, body := authzMultipart(tb, filename, data)
	var res struct {
		SHA256 string `json:"sha256"`
	}
	w.must(tb, http.StatusCreated, "POST", "/api/v1/reports/"+report+"/evidence", token, ct, body, &res)
	return res.SHA256
}

// sendRFI sends a request for information about the world's report.
func (w *authzWorld) sendRFI(tb testing.TB, token string, to truce.ActorID, question string) string {
	tb.Helper()
	var v struct {
		ID string `json:"id"`
	}
	w.must(tb, http.StatusCreated, "POST", "/api/v1/rfis", token, "application/json", authzJSON(tb, w.rfiInput(to, question)), &v)
	return v.ID
}

func (w *authzWorld) rfiInput(to truce.ActorID, question string) map[string]any {
	return map[string]any{
		"report": w.report, "to": to, "question": question,
		"deadline": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339),
	}
}

// requestMeeting requests a meeting as token's guarantor officer, who
// approves it by asking; approvers approve its first proposal.
func (w *authzWorld) requestMeeting(tb testing.TB, token string, approvers ...string) string {
	tb.Helper()
	var m struct {
		ID string `json:"id"`
	}
	w.must(tb, http.StatusCreated, "POST", "/api/v1/meetings", token, "application/json", authzJSON(tb, authzMeetingInput(30)), &m)
	for _, a := range approvers {
		w.must(tb, http.StatusCreated, "POST", "/api/v1/meetings/"+m.ID+"/approvals", a, "application/json", []byte(`{"proposal":1}`), nil)
	}
	return m.ID
}

// proposeZone proposes a small control area of controller, as the
// member of token, and returns its id.
func (w *authzWorld) proposeZone(tb testing.TB, token, controller string) string {
	tb.Helper()
	var out struct {
		Zones []struct {
			ID string `json:"id"`
		} `json:"zones"`
	}
	w.must(tb, http.StatusCreated, "POST", "/api/v1/zones", token, "application/json", authzJSON(tb, w.zoneInput(controller)), &out)
	if len(out.Zones) != 1 {
		tb.Fatalf("seeding: proposed one zone, got %d", len(out.Zones))
	}
	return out.Zones[0].ID
}

// zoneInput is a FeatureCollection of one square control area of
// controller, each a little further east than the last.
func (w *authzWorld) zoneInput(controller string) map[string]any {
	x := 36.5 + float64(w.seq.Add(1)%400)*0.01
	ring := [][2]float64{{x, 35.5}, {x + 0.005, 35.5}, {x + 0.005, 35.505}, {x, 35.505}, {x, 35.5}}
	return map[string]any{"type": "FeatureCollection", "features": []any{map[string]any{
		"type":       "Feature",
		"properties": map[string]any{"kind": "control", "controller": controller, "valid_from": "2017-07-01"},
		"geometry":   map[string]any{"type": "Polygon", "coordinates": [][][2]float64{ring}},
	}}}
}

// claimPosition claims a position of actor as the member of token and
// returns its id.
func (w *authzWorld) claimPosition(tb testing.TB, token, actor string) string {
	tb.Helper()
	var out struct {
		ID string `json:"id"`
	}
	w.must(tb, http.StatusCreated, "POST", "/api/v1/positions", token, "application/json", authzJSON(tb, authzPositionInput(actor)), &out)
	return out.ID
}

// queueDraft queues the draft of a news text for the token's
// organisation and returns its id.
func (w *authzWorld) queueDraft(tb testing.TB, token string) string {
	tb.Helper()
	var out struct {
		Drafts []struct {
			ID string `json:"id"`
		} `json:"drafts"`
	}
	w.must(tb, http.StatusCreated, "POST", "/api/v1/drafts", token, "application/json", authzJSON(tb, authzDraftInput()), &out)
	if len(out.Drafts) != 1 {
		tb.Fatalf("POST /api/v1/drafts queued %d drafts, want 1", len(out.Drafts))
	}
	return out.Drafts[0].ID
}

func authzDraftInput() map[string]any {
	return map[string]any{"text": "Syrian Arab Army artillery shelled Kafr Nabl on Tuesday.", "date": "2017-01-05", "source": "https://example.org/kafr-nabl"}
}

func authzPositionInput(actor string) map[string]any {
	return map[string]any{"actor": actor, "lon": 38.01, "lat": 35.95, "radius_m": 500, "observed_at": "2017-07-10T06:00:00Z"}
}

func authzMeetingInput(days int) map[string]any {
	return map[string]any{
		"date":  time.Now().Add(time.Duration(days) * 24 * time.Hour).UTC().Format(time.RFC3339),
		"venue": "Astana",
	}
}

// filer returns the token of a member who files for the caller's
// organisation (own) or for another (TR).
func (w *authzWorld) filer(role truce.Role, own bool) string {
	if !own {
		return w.tr
	}
	switch role {
	case truce.RoleGuarantor, truce.RoleMonitor:
		return w.ru
	case truce.RoleParty:
		return w.opp
	case truce.RoleObserver:
		return w.unMonitor
	}
	return ""
}

// object seeds a fresh object for a cell of route and returns the id that
// goes into its path: one the caller's organisation owns, another's, or
// one that names nothing.
func (w *authzWorld) object(tb testing.TB, route string, role truce.Role, ownership string) string {
	tb.Helper()
	if ownership == "missing" {
		return authzMissingID(route)
	}
	own := ownership == "own"
	if own && !authzCanOwn(route, role) {
		tb.Fatalf("%s: the %s organisation %q can own no object of this route; the matrix must not have an own row", route, role, authzOrgs[role])
	}
	switch route {
	case "/api/v1/bulletins/{date}":
		// The day of a report filed now, under a checkpoint that holds it.
		w.fileReport(tb, w.filer(role, own), "Syrian Arab Army")
		if _, err := w.s.Service.IssueCheckpoint(context.Background()); err != nil {
			tb.Fatal(err)
		}
		return "2017-01-05"
	case "/api/v1/reports/{id}", "/api/v1/reports/{id}/assessments", "/api/v1/reports/{id}/evidence":
		return w.fileReport(tb, w.filer(role, own), "Syrian Arab Army").ID
	case "/api/v1/reports/{id}/replies":
		accused := "SYG"
		if own {
			accused = string(authzOrgs[role])
		}
		return w.fileReport(tb, w.tr, accused).ID
	case "/log/entries/{index}":
		return strconv.FormatInt(w.fileReport(tb, w.filer(role, own), "").Entry, 10)
	case "/log/tile/{tile...}", "/log/tile/entries/{tile...}":
		// The first level-0 tile of the tree of a checkpoint issued now.
		c, err := w.s.Service.IssueCheckpoint(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		if c == nil {
			if c, err = w.s.Service.LatestCheckpoint(context.Background()); err != nil {
				tb.Fatal(err)
			}
		}
		t := tlog.Tile{Level: -1, Width: int(min(c.Size, tlog.TileWidth))}
		path := strings.TrimPrefix(t.Path(), "tile/entries/")
		if route == "/log/tile/{tile...}" {
			return "0/" + path
		}
		return path
	case "/api/v1/evidence/{sha256}", "/log/evidence/{sha256}":
		filer := w.filer(role, own)
		r := w.fileReport(tb, filer, "Syrian Arab Army")
		return w.addEvidence(tb, filer, r.ID, "post.png", authzPNG(tb))
	case "/api/v1/rfis/{id}", "/api/v1/rfis/{id}/answers":
		to := truce.ActorID("SYG")
		if own {
			to = authzOrgs[role]
		}
		return w.sendRFI(tb, w.tr, to, "Which unit held the checkpoint on 5 January?")
	case "/api/v1/meetings/{id}", "/api/v1/meetings/{id}/proposals", "/api/v1/meetings/{id}/approvals":
		if own {
			return w.requestMeeting(tb, w.ru)
		}
		return w.requestMeeting(tb, w.tr)
	case "/api/v1/zones/{id}", "/api/v1/zones/{id}/approvals":
		if !own {
			return w.proposeZone(tb, w.tr, "SYG")
		}
		if role == truce.RoleParty {
			return w.proposeZone(tb, w.opp, "OPP")
		}
		return w.proposeZone(tb, w.ru, "SYG")
	case "/api/v1/positions/{id}", "/api/v1/positions/{id}/assessments":
		return w.claimPosition(tb, w.filer(role, own), "ISIL")
	case "/api/v1/drafts/{id}/file", "/api/v1/drafts/{id}/discard":
		return w.queueDraft(tb, w.filer(role, own))
	case "/api/v1/meetings/{id}/minutes":
		// Convened: every guarantor approved.
		if own {
			return w.requestMeeting(tb, w.ru, w.ir, w.tr)
		}
		return w.requestMeeting(tb, w.tr, w.ir, w.ru)
	}
	tb.Fatalf("%s: the test does not know how to seed this route's object; teach authzWorld.object", route)
	return ""
}

// authzMissingID returns an id of the route's form, of the same length and
// alphabet as real ones, that names nothing.
func authzMissingID(route string) string {
	b := make([]byte, 32)
	rand.Read(b)
	id16 := strings.ToLower(base32.StdEncoding.EncodeToString(b[:10]))
	switch {
	case route == "/log/tile/{tile...}":
		return "0/x999/000" // a tile of 256 million leaves on
	case route == "/log/tile/entries/{tile...}":
		return "x999/000"
	case strings.HasPrefix(route, "/api/v1/reports/{id}"):
		return "rpt_" + id16
	case strings.HasPrefix(route, "/api/v1/rfis/{id}"):
		return "rfi_" + id16
	case strings.HasPrefix(route, "/api/v1/meetings/{id}"):
		return "mtg_" + id16
	case strings.HasPrefix(route, "/api/v1/zones/{id}"):
		return "zon_" + id16
	case strings.HasPrefix(route, "/api/v1/positions/{id}"):
		return "pos_" + id16
	case strings.HasPrefix(route, "/api/v1/drafts/{id}"):
		return "drf_" + id16
	case strings.Contains(route, "{sha256}"):
		return hex.EncodeToString(b)
	case strings.Contains(route, "{index}"):
		return "99999999"
	case strings.Contains(route, "{date}"):
		return "2999-12-31" // after the log's last entry
	}
	panic("authzMissingID: unknown route " + route)
}

// authzPath puts id into the route's one wildcard.
func authzPath(route, id string) string {
	if i := strings.Index(route, "{"); i >= 0 {
		j := strings.Index(route[i:], "}")
		return route[:i] + id + route[i+j+1:]
	}
	return route
}

// request builds a valid request for a cell: the path with its id and
// query, the caller's token, and a valid body.
func (w *authzWorld) request(tb testing.TB, method, route string, role truce.Role, id string) (path, token, contentType string, body []byte) {
	tb.Helper()
	path, token = authzPath(route, id), w.tok[role]
	js := func(v any) { contentType, body = "application/json", authzJSON(tb, v) }
	switch method + " " + route {
	case "GET /api/v1/reports", "GET /api/v1/rfis", "GET /api/v1/meetings":
		path += "?limit=200"
	case "GET /api/v1/reports/export":
		path += "?format=geojson"
	case "GET /log/proof/inclusion":
		path += "?index=0&size=1"
	case "GET /log/proof/consistency":
		path += "?old=1&new=2"
	case "POST /api/v1/me/keys":
		// A registered key makes unsigned commands fail: register it for
		// a new member of the same organisation and role.
		if role != truce.RolePublic {
			token = w.s.addMember(tb, authzOrgs[role], role)
		}
		_, vkey, err := note.GenerateKey(rand.Reader, "authz-"+string(role))
		if err != nil {
			tb.Fatal(err)
		}
		js(map[string]any{"key": vkey})
	case "POST /api/v1/members":
		js(map[string]any{"name": "A. Observer", "organisation": "UN", "role": "observer"})
	case "POST /api/v1/reports":
		js(sampleReport())
	case "POST /api/v1/drafts":
		js(authzDraftInput())
	case "POST /api/v1/drafts/{id}/file":
		js(sampleReport())
	case "POST /api/v1/drafts/{id}/discard":
		js(map[string]any{})
	case "POST /api/v1/intake":
		js(map[string]any{"text": "The Turkish side registered 3 violations in Idlib (2) and Hama (1).", "date": "2017-03-01"})
	case "POST /api/v1/reports/{id}/assessments":
		js(map[string]any{"verdict": "confirm"})
	case "POST /api/v1/reports/{id}/replies":
		js(map[string]any{"text": "Our units did not fire that day."})
	case "POST /api/v1/reports/{id}/evidence":
		contentType, body = authzMultipart(tb, "post.png", authzPNG(tb))
	case "POST /api/v1/rfis":
		js(w.rfiInput("SYG", "Which unit held the checkpoint on 5 January?"))
	case "POST /api/v1/rfis/{id}/answers":
		js(map[string]any{"text": "The 4th Division."})
	case "POST /api/v1/accessions":
		js(map[string]any{
			"kind": "settlement", "pcode": fmt.Sprintf("C%05d", 10000+w.seq.Add(1)),
			"name": "Settlement " + strconv.FormatInt(w.seq.Load(), 10), "date": "2017-02-01",
		})
	case "POST /api/v1/meetings":
		js(authzMeetingInput(30))
	case "POST /api/v1/meetings/{id}/proposals":
		js(authzMeetingInput(31))
	case "POST /api/v1/meetings/{id}/approvals":
		js(map[string]any{"proposal": 1})
	case "POST /api/v1/meetings/{id}/minutes":
		js(map[string]any{"minutes": "The body examined the agenda."})
	case "POST /api/v1/zones":
		controller := "SYG"
		if role == truce.RoleParty {
			controller = string(authzOrgs[role])
		}
		js(w.zoneInput(controller))
	case "POST /api/v1/zones/{id}/approvals":
		js(map[string]any{})
	case "POST /api/v1/positions":
		js(authzPositionInput("JFS"))
	case "POST /api/v1/positions/{id}/assessments":
		js(map[string]any{"verdict": "confirm"})
	default:
		if method != "GET" {
			tb.Fatalf("%s %s: the test has no valid body for this route; teach authzWorld.request", method, route)
		}
	}
	return path, token, contentType, body
}

// authzMultipart returns a multipart/form-data body with one file in the
// field "file".
func authzMultipart(tb testing.TB, filename string, data []byte) (string, []byte) {
	tb.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		tb.Fatal(err)
	}
	fw.Write(data)
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	return mw.FormDataContentType(), b.Bytes()
}

// authzPNG returns a small PNG of random colours, so that every upload is
// a new file.
func authzPNG(tb testing.TB) []byte {
	tb.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	px := make([]byte, 16*3)
	rand.Read(px)
	for i := 0; i < 16; i++ {
		img.Set(i%4, i/4, color.NRGBA{px[3*i], px[3*i+1], px[3*i+2], 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// authzWant indexes the matrix by cell.
func authzWant(rows []authzRow) map[string]int {
	m := map[string]int{}
	for _, r := range rows {
		m[r.String()] = r.status
	}
	return m
}

// TestAuthzMatrix runs every cell of http/authz.csv against a live server,
// after checking that the matrix and the router list the same routes and
// that every route has a row for every role (and, for routes with an
// object, for every ownership that role can have).
func TestAuthzMatrix(t *testing.T) {
	rows := authzMatrix(t)
	s := mustRunServer(t)
	w := authzNewWorld(t, s)

	t.Run("coverage", func(t *testing.T) {
		routes := authzRoutes(t, s)
		served := map[string]bool{}
		for _, r := range routes {
			served[r] = true
		}
		want := authzWant(rows)
		inMatrix := map[string]bool{}
		for _, r := range rows {
			inMatrix[r.key()] = true
			if !served[r.key()] {
				t.Errorf("%s:%d: %s: the router has no route %q", authzCSV, r.line, r, r.key())
			}
		}
		for _, route := range routes {
			if !inMatrix[route] {
				t.Errorf("route %q has no row in %s", route, authzCSV)
				continue
			}
			method, pattern, _ := strings.Cut(route, " ")
			for _, role := range truce.Roles {
				owns := []string{"-"}
				if strings.Contains(pattern, "{") {
					owns = []string{"other", "missing"}
					if authzCanOwn(pattern, role) {
						owns = append(owns, "own")
					}
				}
				for _, o := range owns {
					cell := authzRow{method: method, route: pattern, role: role, ownership: o}
					if _, ok := want[cell.String()]; !ok {
						t.Errorf("%s has no row for %s", authzCSV, cell)
					}
				}
			}
		}
	})

	for _, row := range rows {
		t.Run(fmt.Sprintf("%s_%s_%s_%s", row.method, row.route, row.role, row.ownership), func(t *testing.T) {
			id := ""
			if row.ownership != "-" {
				id = w.object(t, row.route, row.role, row.ownership)
			}
			path, token, ct, body := w.request(t, row.method, row.route, row.role, id)
			resp := authzSend(t, s, row.method, path, token, ct, body)
			if resp.status != row.status {
				t.Errorf("%s:%d: %s %s as %s, ownership %s (%s %s): got %d, want %d; body: %s",
					authzCSV, row.line, row.method, row.route, row.role, row.ownership, row.method, path, resp.status, row.status, authzClip(resp.body))
			}
		})
	}
}

// authzClip shortens a body for a failure message.
func authzClip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// TestAuthzMissingLikeRestricted checks, for every route with an object
// and every role whose matrix rows give the same refusal for another
// organisation's object and for a missing one, that the two answers are
// byte-identical: status, headers (but Date) and body. Error messages
// name the id asked for; each answer has its own id (and the 40-character
// prefix errors clip long ids to) replaced by "{id}" before comparing, so
// the id itself is the only difference allowed. Missing ids have the same
// length and alphabet as real ones.
func TestAuthzMissingLikeRestricted(t *testing.T) {
	rows := authzMatrix(t)
	want := authzWant(rows)
	s := mustRunServer(t)
	w := authzNewWorld(t, s)
	compared := 0
	for _, route := range authzRoutes(t, s) {
		method, pattern, _ := strings.Cut(route, " ")
		if !strings.Contains(pattern, "{") {
			continue
		}
		for _, role := range truce.Roles {
			other := want[authzRow{method: method, route: pattern, role: role, ownership: "other"}.String()]
			missing := want[authzRow{method: method, route: pattern, role: role, ownership: "missing"}.String()]
			if other != missing || other < 400 {
				continue
			}
			compared++
			t.Run(fmt.Sprintf("%s_%s_%s", method, pattern, role), func(t *testing.T) {
				x := w.object(t, pattern, role, "other")
				y := authzMissingID(pattern)
				px, tokx, ctx, bodyx := w.request(t, method, pattern, role, x)
				py, toky, cty, bodyy := w.request(t, method, pattern, role, y)
				rx := authzSend(t, s, method, px, tokx, ctx, bodyx)
				ry := authzSend(t, s, method, py, toky, cty, bodyy)
				gx, gy := authzNormal(rx, x), authzNormal(ry, y)
				if gx != gy {
					t.Errorf("%s %s as %s: another organisation's object and a missing one answer differently:\nother   (%s): %s\nmissing (%s): %s",
						method, pattern, role, x, gx, y, gy)
				}
				if rx.status != other {
					t.Errorf("%s %s as %s: other = %d, want %d", method, pattern, role, rx.status, other)
				}
			})
		}
	}
	if compared == 0 {
		t.Fatal("no pair of other and missing cells to compare")
	}
}

// authzNormal renders a response for comparison: status, headers but
// Date, and body, with the id asked for replaced by {id}.
func authzNormal(r *authzResponse, id string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d\n", r.status)
	keys := make([]string, 0, len(r.header))
	for k := range r.header {
		if k != "Date" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(r.header[k], ", "))
	}
	body := strings.ReplaceAll(string(r.body), id, "{id}")
	if len(id) > 40 {
		body = strings.ReplaceAll(body, id[:40], "{id}")
	}
	b.WriteString("\n" + body)
	return b.String()
}
