package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"truce"
	"truce/agreements"
	trucehttp "truce/http"
	tlog "truce/log"
	"truce/places"
	"truce/sqlite"
	"truce/web"
	"truce/workflow"
)

// These tests run the map room in process over a real service and an
// embedded SQLite store, with the JSON API behind it, as truce serve
// mounts them.

var ctx = context.Background()

// room is a map room on a test server, with members of every role.
type room struct {
	svc     *workflow.Service
	dbPath  string
	srv     *httptest.Server
	ui      *web.Handler
	members map[string]*truce.Member // "RU/guarantor" → member
	tokens  map[string]string
}

func newRoom(tb testing.TB, opt web.Options) *room {
	tb.Helper()
	dbPath := filepath.Join(tb.TempDir(), "truce.db")
	db, err := sqlite.Open(dbPath)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	skey, vkey, err := tlog.GenerateKey("truce.test/web")
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := tlog.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		tb.Fatal(err)
	}
	svc := workflow.New(db, signer)
	svc.Admin = places.DefaultLocator()
	svc.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	op, _, err := svc.Init(ctx, workflow.InitOptions{Agreement: a, Origin: "truce.test/web", Verifier: vkey, OperatorName: "operator"})
	if err != nil {
		tb.Fatal(err)
	}
	r := &room{svc: svc, dbPath: dbPath, members: map[string]*truce.Member{}, tokens: map[string]string{}}
	for _, who := range []string{"RU/guarantor", "IR/guarantor", "TR/guarantor", "SYG/party", "OPP/party", "UN/observer", "RU/monitor"} {
		org, role, _ := strings.Cut(who, "/")
		m, tok, err := svc.AddMember(ctx, op, who, truce.ActorID(org), truce.Role(role))
		if err != nil {
			tb.Fatal(err)
		}
		r.members[who], r.tokens[who] = m, tok
	}
	if _, err := svc.IssueCheckpoint(ctx); err != nil {
		tb.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	// As truce serve mounts it: the map room is the API server's pages.
	api := trucehttp.NewServer(svc, logger, prometheus.NewRegistry())
	r.ui = web.New(svc, logger, opt)
	api.Pages = r.ui
	r.srv = httptest.NewServer(api)
	tb.Cleanup(func() { r.ui.Shutdown(); r.srv.Close() })
	return r
}

// file files a report through the service, as the API would.
func (r *room) file(tb testing.TB, who string, lon, lat float64) *workflow.ReportView {
	tb.Helper()
	v, err := r.svc.FileReport(ctx, r.members[who], &truce.ReportInput{
		OccurredAt: "2017-03-01T10:00:00Z", Lon: &lon, Lat: &lat,
		EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack",
		Perpetrator: "SYG", Description: "Shelling.",
	})
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func (r *room) logSize(tb testing.TB) int64 {
	tb.Helper()
	n, err := r.svc.LogSize(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// client is a browser without JavaScript: a cookie jar, no redirects
// followed.
type client struct {
	r   *room
	c   *http.Client
	tb  testing.TB
	url string
}

func (r *room) client(tb testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{r: r, tb: tb, url: r.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type answer struct {
	status int
	body   string
	header http.Header
}

func (c *client) get(path string) answer {
	c.tb.Helper()
	res, err := c.c.Get(c.url + path)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, string(b), res.Header}
}

func (c *client) post(path string, form url.Values) answer {
	c.tb.Helper()
	res, err := c.c.PostForm(c.url+path, form)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, string(b), res.Header}
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token of the page at path.
func (c *client) csrf(path string) string {
	c.tb.Helper()
	a := c.get(path)
	m := csrfPattern.FindStringSubmatch(a.body)
	if m == nil {
		c.tb.Fatalf("GET %s: %d, no CSRF token in the page", path, a.status)
	}
	return m[1]
}

func (c *client) signIn(who string) {
	c.tb.Helper()
	a := c.post("/signin", url.Values{"csrf": {c.csrf("/signin")}, "token": {c.r.tokens[who]}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/map" {
		c.tb.Fatalf("sign in as %s: %d to %q: %s", who, a.status, a.header.Get("Location"), a.body)
	}
}

// withValue returns a copy of form with field k set to v.
func withValue(form url.Values, k, v string) url.Values {
	f := url.Values{}
	for kk, vv := range form {
		f[kk] = vv
	}
	f.Set(k, v)
	return f
}

func wantStatus(tb testing.TB, what string, a answer, status int, contains ...string) {
	tb.Helper()
	if a.status != status {
		tb.Fatalf("%s: status %d, want %d\n%s", what, a.status, status, clip(a.body))
	}
	for _, s := range contains {
		if !strings.Contains(a.body, s) {
			tb.Errorf("%s: the answer does not say %q\n%s", what, s, clip(a.body))
		}
	}
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

func TestSignIn(t *testing.T) {
	r := newRoom(t, web.Options{})
	c := r.client(t)
	if a := c.get("/map"); a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "/signin") {
		t.Fatalf("GET /map signed out: %d to %q, want 303 to /signin", a.status, a.header.Get("Location"))
	}
	csrf := c.csrf("/signin")
	t.Run("NoCSRF", func(t *testing.T) {
		wantStatus(t, "sign in without a CSRF token", c.post("/signin", url.Values{"token": {r.tokens["RU/guarantor"]}}), http.StatusForbidden, "csrf")
	})
	t.Run("Empty", func(t *testing.T) {
		wantStatus(t, "empty token", c.post("/signin", url.Values{"csrf": {csrf}}), http.StatusBadRequest, "token: is required")
	})
	t.Run("TooLong", func(t *testing.T) {
		wantStatus(t, "long token", c.post("/signin", url.Values{"csrf": {csrf}, "token": {strings.Repeat("x", 201)}}), http.StatusBadRequest, "token: must be at most 200 characters")
	})
	t.Run("Unknown", func(t *testing.T) {
		a := c.post("/signin", url.Values{"csrf": {csrf}, "token": {"truce_notatokenanyonehas"}})
		if a.status != http.StatusUnauthorized {
			t.Fatalf("unknown token: %d, want 401", a.status)
		}
	})
	t.Run("OK", func(t *testing.T) {
		c := r.client(t)
		a := c.post("/signin", url.Values{"csrf": {c.csrf("/signin?next=/queue")}, "token": {r.tokens["RU/guarantor"]}, "next": {"/queue"}})
		if a.status != http.StatusSeeOther || a.header.Get("Location") != "/queue" {
			t.Fatalf("sign in: %d to %q, want 303 to /queue", a.status, a.header.Get("Location"))
		}
		cookie := a.header.Get("Set-Cookie")
		for _, want := range []string{"truce_session=", "HttpOnly", "SameSite=Lax"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("session cookie %q lacks %s", cookie, want)
			}
		}
		if strings.Contains(cookie, r.tokens["RU/guarantor"]) {
			t.Errorf("the session cookie holds the member's token")
		}
		wantStatus(t, "the map signed in", c.get("/map"), http.StatusOK, `id="map"`, `data-role="guarantor"`)
		// A form of the signed-in session needs the session's token, not
		// the visitor's.
		wantStatus(t, "sign out with the visitor's token", c.post("/signout", url.Values{"csrf": {csrf}}), http.StatusForbidden)
		a = c.post("/signout", url.Values{"csrf": {c.csrf("/map")}})
		if a.status != http.StatusSeeOther {
			t.Fatalf("sign out: %d", a.status)
		}
		if a := c.get("/map"); a.status != http.StatusSeeOther {
			t.Errorf("GET /map after sign out: %d, want 303", a.status)
		}
	})
	t.Run("OpenRedirect", func(t *testing.T) {
		c := r.client(t)
		a := c.post("/signin", url.Values{"csrf": {c.csrf("/signin")}, "token": {r.tokens["TR/guarantor"]}, "next": {"//evil.example/"}})
		if loc := a.header.Get("Location"); loc != "/map" {
			t.Errorf("sign in with next=//evil.example/: to %q, want /map", loc)
		}
	})
	t.Run("CrossOrigin", func(t *testing.T) {
		c := r.client(t)
		req, _ := http.NewRequest("POST", c.url+"/signin", strings.NewReader(url.Values{"csrf": {c.csrf("/signin")}, "token": {r.tokens["TR/guarantor"]}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		res, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("sign in from another origin: %d, want 403", res.StatusCode)
		}
	})
}

func TestSignInRateLimited(t *testing.T) {
	r := newRoom(t, web.Options{SignInAttempts: 3, SignInWindow: time.Minute})
	c := r.client(t)
	csrf := c.csrf("/signin")
	for i := range 3 {
		if a := c.post("/signin", url.Values{"csrf": {csrf}, "token": {"truce_wrong"}}); a.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, a.status)
		}
	}
	// Past the limit even the right token is refused until the window ends.
	a := c.post("/signin", url.Values{"csrf": {csrf}, "token": {r.tokens["RU/guarantor"]}})
	wantStatus(t, "fourth attempt", a, http.StatusTooManyRequests, "Too many failed sign-ins")
	if a.header.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After")
	}
}

func TestFileReportForm(t *testing.T) {
	r := newRoom(t, web.Options{})
	c := r.client(t)
	c.signIn("RU/monitor")
	wantStatus(t, "the form", c.get("/reports/new"), http.StatusOK, `id="report-form"`, "Shelling/artillery/missile attack")
	csrf := c.csrf("/reports/new")
	good := url.Values{
		"csrf": {csrf}, "lat": {"35.4397"}, "lon": {"36.5667"}, "occurred_at": {"2017-01-05T14:30"},
		"event": {"Explosions/Remote violence|Shelling/artillery/missile attack"}, "perpetrator": {"SYG"},
		"place": {"Kafr Nabl"}, "uncertainty_m": {"500"}, "description": {"Shelling of the eastern edge."},
		"target": {"OPP"}, "time_precision": {"2"}, "geo_precision": {"2"},
		"casualties.killed": {"3"}, "casualties.killed_civilians": {"2"},
	}
	with := func(k, v string) url.Values { return withValue(good, k, v) }
	before := r.logSize(t)
	for _, tc := range []struct {
		name, field, value, want string
		status                   int
	}{
		{"LatNotNumber", "lat", "north", "lat: &#34;north&#34; is not a number", 400},
		{"LonOutOfRange", "lon", "200", "lon: must be between -180 and 180", 400},
		{"NoLat", "lat", "", "lat: is required", 400},
		{"NoDescription", "description", "", "description:", 400},
		{"BadEvent", "event", "Riots|Nonsense", "sub_event_type:", 400},
		{"NoEventSeparator", "event", "Riots", "event_type:", 400},
		{"UnknownPerpetrator", "perpetrator", "Nobody In Particular", "perpetrator:", 400},
		{"FutureTime", "occurred_at", "2999-01-01T00:00", "occurred_at: must not be in the future", 400},
		{"BadTime", "occurred_at", "yesterday", "occurred_at:", 400},
		{"Uncertainty", "uncertainty_m", "-5", "uncertainty_m:", 400},
		{"LongField", "place", strings.Repeat("p", 301), "place: must be at most 300 characters", 400},
		{"UnknownTarget", "target", "Nobody In Particular", "target:", 400},
		{"TimePrecision", "time_precision", "daily", "time_precision: &#34;daily&#34; is not 1, 2 or 3", 400},
		{"GeoPrecision", "geo_precision", "9", "geo_precision:", 400},
		{"Killed", "casualties.killed", "many", "casualties.killed: &#34;many&#34; is not a whole number", 400},
		{"CiviliansOverKilled", "casualties.killed_civilians", "7", "casualties", 400},
		{"NoCSRF", "csrf", "", "csrf", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := c.post("/reports/new", with(tc.field, tc.value))
			wantStatus(t, tc.name, a, tc.status, tc.want)
			if tc.status == 400 && !strings.Contains(a.body, `value="35.4397"`) && tc.field != "lat" {
				t.Errorf("the form came back without the values entered")
			}
		})
	}
	big := with("description", strings.Repeat("d", web.MaxFormBytes))
	wantStatus(t, "a form over the limit", c.post("/reports/new", big), http.StatusRequestEntityTooLarge)
	if n := r.logSize(t); n != before {
		t.Fatalf("refused forms changed the log: %d entries, want %d", n, before)
	}
	a := c.post("/reports/new", good)
	if a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "/reports/rpt_") {
		t.Fatalf("filing a good report: %d to %q\n%s", a.status, a.header.Get("Location"), clip(a.body))
	}
	if n := r.logSize(t); n != before+1 {
		t.Errorf("filing a report: log of %d entries, want %d", n, before+1)
	}
	page := c.get(a.header.Get("Location"))
	wantStatus(t, "the report", page, http.StatusOK, `data-consensus="pending"`, `data-coordinates="exact"`, "35.439700", "Kafr Nabl")
	v, err := r.svc.Report(ctx, r.members["RU/monitor"], truce.ReportID(strings.TrimPrefix(a.header.Get("Location"), "/reports/")))
	if err != nil {
		t.Fatal(err)
	}
	if v.Target != "OPP" || v.TimePrecision != 2 || v.GeoPrecision != 2 || v.Casualties == nil ||
		v.Casualties.Killed == nil || *v.Casualties.Killed != (truce.Estimate{Low: 3, Best: 3, High: 3}) ||
		v.Casualties.KilledCivilians == nil || v.Casualties.KilledCivilians.Best != 2 || v.Casualties.Injured != nil {
		t.Errorf("filed %+v, want the form's target, precisions and casualties", v)
	}
	if strings.Contains(page.body, `id="assess-form"`) {
		t.Errorf("a monitor's report page has the assess form")
	}
}

func TestAssessForm(t *testing.T) {
	r := newRoom(t, web.Options{})
	v := r.file(t, "OPP/party", 36.5667, 35.4397)
	c := r.client(t)
	c.signIn("TR/guarantor")
	page := c.get("/reports/" + string(v.ID))
	wantStatus(t, "the report for a guarantor", page, http.StatusOK, `id="assess-form"`)
	csrf := c.csrf("/reports/" + string(v.ID))
	before := r.logSize(t)
	wantStatus(t, "dispute without a reason", c.post("/reports/"+string(v.ID)+"/assess", url.Values{"csrf": {csrf}, "verdict": {"dispute"}}), http.StatusBadRequest, "reason: is required when the verdict is dispute")
	wantStatus(t, "an unknown verdict", c.post("/reports/"+string(v.ID)+"/assess", url.Values{"csrf": {csrf}, "verdict": {"maybe"}}), http.StatusBadRequest, "verdict:")
	wantStatus(t, "a missing report", c.post("/reports/rpt_aaaaaaaaaaaaaaaa/assess", url.Values{"csrf": {csrf}, "verdict": {"confirm"}}), http.StatusNotFound)
	wantStatus(t, "a malformed id", c.get("/reports/nonsense"), http.StatusNotFound)
	if n := r.logSize(t); n != before {
		t.Fatalf("refused assessments changed the log: %d entries, want %d", n, before)
	}
	a := c.post("/reports/"+string(v.ID)+"/assess", url.Values{"csrf": {csrf}, "verdict": {"confirm"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%s", a.status, clip(a.body))
	}
	wantStatus(t, "after the assessment", c.get("/reports/"+string(v.ID)), http.StatusOK, `data-guarantor="TR">confirm`, "assessed")
}

func TestObserverPages(t *testing.T) {
	r := newRoom(t, web.Options{})
	v := r.file(t, "OPP/party", 36.5667, 35.4397)
	c := r.client(t)
	c.signIn("UN/observer")
	wantStatus(t, "an observer's report form", c.get("/reports/new"), http.StatusForbidden)
	page := c.get("/reports/" + string(v.ID))
	// 0.1° grid: 35.4397 → 35.45, 36.5667 → 36.55.
	wantStatus(t, "an observer's report page", page, http.StatusOK, `data-coordinates="coarse"`, `<span id="lat">35.450000</span>`, `<span id="lon">36.550000</span>`)
	if strings.Contains(page.body, "assess-form") || strings.Contains(page.body, "35.4397") {
		t.Errorf("an observer's report page has the assess form or the exact coordinates")
	}
	before := r.logSize(t)
	wantStatus(t, "an observer's assessment", c.post("/reports/"+string(v.ID)+"/assess", url.Values{"csrf": {c.csrf("/map")}, "verdict": {"confirm"}}), http.StatusForbidden)
	if n := r.logSize(t); n != before {
		t.Fatalf("a refused assessment changed the log")
	}
	var data struct {
		Reports []struct {
			Lon, Lat    float64
			Coordinates string
		}
	}
	a := c.get("/map/reports")
	if err := json.Unmarshal([]byte(a.body), &data); err != nil || len(data.Reports) != 1 {
		t.Fatalf("/map/reports: %d %v %s", a.status, err, a.body)
	}
	if got := data.Reports[0]; got.Coordinates != "coarse" || got.Lat != 35.45 || got.Lon != 36.55 {
		t.Errorf("observer's map report: %+v, want coarse 35.45, 36.55", got)
	}
}

func TestMapData(t *testing.T) {
	r := newRoom(t, web.Options{})
	r.file(t, "OPP/party", 36.5667, 35.4397)
	anon := r.client(t)
	for _, p := range []string{"/map/zones", "/map/lines", "/map/positions", "/map/reports", "/places?q=Idlib", "/map/events"} {
		wantStatus(t, "signed out "+p, anon.get(p), http.StatusUnauthorized, `"code":"unauthorized"`)
	}
	wantStatus(t, "the base map", anon.get("/map/base.geojson"), http.StatusOK, `"pcode":"SY07"`)
	c := r.client(t)
	c.signIn("RU/guarantor")
	for _, tc := range []struct {
		path, field string
	}{
		{"/map/reports?consensus=maybe", "consensus"},
		{"/map/reports?scope=everywhere", "scope"},
		{"/map/reports?governorate=XX", "governorate"},
		{"/map/reports?to=tomorrow", "to"},
		{"/map/zones?at=soon", "at"},
		{"/map/lines?at=soon", "at"},
		{"/places?q=", "q"},
		{"/places?q=" + strings.Repeat("a", 201), "q"},
	} {
		wantStatus(t, tc.path, c.get(tc.path), http.StatusBadRequest, `"field":"`+tc.field+`"`)
	}
	wantStatus(t, "reports", c.get("/map/reports?to=2017-03-01&consensus=pending"), http.StatusOK, `"consensus":"pending"`, `"coordinates":"exact"`)
	wantStatus(t, "reports before", c.get("/map/reports?to=2017-02-28"), http.StatusOK, `"reports":[]`)
	wantStatus(t, "gazetteer", c.get("/places?q=Khan+Sheikhoun"), http.StatusOK, `"adm1":"SY07"`)
	wantStatus(t, "zones", c.get("/map/zones?at=2017-07-01"), http.StatusOK, `"FeatureCollection"`)
	// The API behind the map room answers as before.
	wantStatus(t, "the API through the map room", c.get("/api/v1/agreement"), http.StatusOK, `"astana-2017"`)
	wantStatus(t, "the log through the map room", c.get("/log/checkpoint"), http.StatusOK, "truce.test/web")
	wantStatus(t, "an unknown API path", c.get("/api/v1/nothing"), http.StatusNotFound, `"code":"not_found"`)
	wantStatus(t, "an unknown page", c.get("/nothing"), http.StatusNotFound, `"code":"not_found"`, "no such route: /nothing")
	wantStatus(t, "a page by the wrong method", c.post("/map", nil), http.StatusNotFound)
}

// TestEvents: a report filed elsewhere reaches an open stream as a "log"
// event with the log's new size.
func TestEvents(t *testing.T) {
	r := newRoom(t, web.Options{PollInterval: 20 * time.Millisecond})
	c := r.client(t)
	c.signIn("RU/guarantor")
	req, _ := http.NewRequest("GET", c.url+"/map/events", nil)
	reqCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	res, err := c.c.Do(req.WithContext(reqCtx))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// The stream first says the size it starts at; then a report comes,
	// and the stream says the new size.
	first := ""
	var want string
	deadline := time.After(5 * time.Second)
	for done := false; !done; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the stream ended")
			}
			s, ok := strings.CutPrefix(l, "data: ")
			if !ok {
				continue
			}
			if first == "" {
				first = s
				if s != jsonNumber(r.logSize(t)) {
					t.Errorf("the stream opened at size %s, want the log's %d", s, r.logSize(t))
				}
				r.file(t, "OPP/party", 36.5667, 35.4397)
				want = jsonNumber(r.logSize(t))
				continue
			}
			if s != want {
				t.Errorf("the stream said size %s after the report, want %s", s, want)
			}
			done = true
		case <-deadline:
			t.Fatalf("no event within 5 s of the report (first %q)", first)
		}
	}
	// Shutdown ends the stream, so that the server can stop.
	r.ui.Shutdown()
	select {
	case _, ok := <-lines:
		for ok {
			_, ok = <-lines
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("the stream outlived Shutdown")
	}
}

func jsonNumber(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

var missingText = regexp.MustCompile(`\[[a-z][a-z._]*\]`)

// TestPagesInEveryLanguage: every page in every language, right to left
// for Arabic and Persian, with no missing text.
func TestPagesInEveryLanguage(t *testing.T) {
	r := newRoom(t, web.Options{})
	v := r.file(t, "OPP/party", 36.5667, 35.4397)
	d := r.queue(t, "RU/guarantor")
	for _, lang := range []string{"en", "ar", "ru", "tr", "fa"} {
		c := r.client(t)
		c.signIn("RU/guarantor")
		if a := c.post("/lang", url.Values{"csrf": {c.csrf("/map")}, "lang": {lang}, "next": {"/queue"}}); a.status != http.StatusSeeOther || a.header.Get("Location") != "/queue" {
			t.Fatalf("choosing %s: %d to %q", lang, a.status, a.header.Get("Location"))
		}
		dir := "ltr"
		if lang == "ar" || lang == "fa" {
			dir = "rtl"
		}
		for _, p := range []string{"/map", "/reports/new", "/reports/" + string(v.ID), "/queue", "/drafts", "/drafts/" + d.ID, "/bulletins?date=2017-03-01", "/agreement", "/log", "/signin"} {
			a := c.get(p)
			wantStatus(t, lang+" "+p, a, http.StatusOK, `<html lang="`+lang+`" dir="`+dir+`">`)
			if m := missingText.FindString(a.body); m != "" {
				t.Errorf("%s %s: missing text %s", lang, p, m)
			}
		}
	}
	c := r.client(t)
	wantStatus(t, "an unknown language", c.post("/lang", url.Values{"csrf": {c.csrf("/signin")}, "lang": {"xx"}}), http.StatusBadRequest, "lang:")
	if a := c.post("/lang", url.Values{"csrf": {c.csrf("/signin")}, "lang": {"ar"}, "next": {"https://evil.example/"}}); a.header.Get("Location") != "/" {
		t.Errorf("language form with an outside next: to %q, want /", a.header.Get("Location"))
	}
	wantStatus(t, "the bulletin itself", c.get("/bulletins/2017-03-01?lang=ar"), http.StatusOK, `dir="rtl"`)
	wantStatus(t, "a bad bulletin date", c.get("/bulletins?date=someday"), http.StatusBadRequest, "date")
}

// TestQueue: a guarantor's queue holds the pending reports it has not
// answered, oldest first; an answer takes a report off it.
func TestQueue(t *testing.T) {
	r := newRoom(t, web.Options{})
	older := r.file(t, "OPP/party", 36.5667, 35.4397)
	newer := r.file(t, "SYG/party", 36.6339, 35.9306)
	own := r.file(t, "RU/guarantor", 36.7, 35.9)
	c := r.client(t)
	c.signIn("RU/guarantor")
	a := c.get("/queue")
	wantStatus(t, "the queue", a, http.StatusOK, `id="queue-reports"`)
	i, j := strings.Index(a.body, string(older.ID)), strings.Index(a.body, string(newer.ID))
	if i < 0 || j < 0 || i > j {
		t.Errorf("queue: the older report at %d, the newer at %d: want both, oldest first", i, j)
	}
	if strings.Contains(a.body, `data-id="`+string(own.ID)+`"`) {
		t.Errorf("queue lists a report RU filed (and so confirmed)")
	}
	if _, err := r.svc.Assess(ctx, r.members["RU/guarantor"], older.ID, &truce.AssessmentInput{Verdict: truce.Confirm}); err != nil {
		t.Fatal(err)
	}
	if a := c.get("/queue"); strings.Contains(a.body, `data-id="`+string(older.ID)+`"`) {
		t.Errorf("queue still lists a report RU answered")
	}
	// A request for information to a party shows in its queue.
	if _, err := r.svc.SendRFI(ctx, r.members["TR/guarantor"], &truce.RFIInput{Report: newer.ID, To: "SYG", Question: "Which units fired?", Deadline: time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
	p := r.client(t)
	p.signIn("SYG/party")
	wantStatus(t, "a party's queue", p.get("/queue"), http.StatusOK, `id="queue-rfis"`, "Which units fired?")
}

// TestLogPage: the latest checkpoint verbatim, and no cosignatures
// claimed.
func TestLogPage(t *testing.T) {
	r := newRoom(t, web.Options{})
	c := r.client(t)
	a := c.get("/log")
	wantStatus(t, "the log page", a, http.StatusOK, `id="checkpoint-note"`, "truce.test/web", "No cosignatures are recorded")
	wantStatus(t, "the agreement page", c.get("/agreement"), http.StatusOK, "Hay", `id="accessions"`)
}
