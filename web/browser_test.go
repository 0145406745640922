package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"truce/screport"
)

// The browser tests run the real truce binary (built once from
// ../cmd/truce) with --demo on a temporary directory, and drive Debian's
// headless Chromium against it with chromedp. Screenshots go to
// $TRUCE_ARTIFACTS, or ../artifacts/screenshots.

// needBrowser skips under -short or TRUCE_NO_BROWSER=1, and otherwise
// fails when Chromium or the map library is missing.
func needBrowser(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the browser tests build and run the server and Chromium")
	}
	bin, err := screport.Chromium()
	if err != nil {
		if os.Getenv("TRUCE_NO_BROWSER") == "1" {
			t.Skipf("TRUCE_NO_BROWSER=1: %v", err)
		}
		t.Fatalf("%v\n(set TRUCE_NO_BROWSER=1 to skip the tests that need it)", err)
	}
	if _, err := os.Stat("static/vendor/leaflet.js"); err != nil {
		t.Fatalf("the map library is missing (%v): run `bash web/vendor.sh` first (scripts/test does)", err)
	}
	return bin
}

var (
	buildOnce sync.Once
	truceBin  string
	buildErr  error
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// truceBinary builds cmd/truce once for the package's tests.
func truceBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "truce-web-test-"); buildErr != nil {
			return
		}
		truceBin = filepath.Join(buildDir, "truce")
		goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
		cmd := exec.Command(goBin, "build", "-o", truceBin, "truce/cmd/truce")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build truce/cmd/truce: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return truceBin
}

// demoServer is `truce serve --demo` on a temporary directory and a free
// port.
type demoServer struct {
	url    string
	tokens map[string]string // "RU/guarantor" → token
}

func startDemo(t *testing.T) *demoServer {
	t.Helper()
	bin := truceBinary(t)
	dir := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(bin, "serve", "--demo", "--data", dir, "--addr", "127.0.0.1:0", "--checkpoint-interval", "200ms")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Errorf("truce serve did not stop within 20 s of SIGINT")
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, u, ok := strings.Cut(sc.Text(), " on http://"); ok && strings.HasPrefix(sc.Text(), "truce serving") {
				found <- "http://" + u
			}
		}
	}()
	s := &demoServer{tokens: map[string]string{}}
	select {
	case s.url = <-found:
	case <-exited:
		t.Fatalf("truce serve --demo exited: %s", stderr.String())
	case <-time.After(90 * time.Second):
		t.Fatalf("truce serve --demo did not start within 90 s: %s", stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "demo-tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	var toks struct {
		Members []struct{ Organisation, Role, Token string }
	}
	if err := json.Unmarshal(b, &toks); err != nil {
		t.Fatal(err)
	}
	for _, m := range toks.Members {
		s.tokens[m.Organisation+"/"+m.Role] = m.Token
	}
	return s
}

// api calls the JSON API with a bearer token and decodes the answer.
func (s *demoServer) api(t *testing.T, method, path, token string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return res.StatusCode
}

// newBrowser starts headless Chromium for the test.
func newBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1280, 860), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("lang", "en-GB"), chromedp.Flag("hide-scrollbars", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// person is a tab in a browser context of its own: its own cookies, as a
// different person at a different desk.
func person(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// do runs steps with a time limit.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// evalAsync evaluates an expression that gives a promise, and waits for
// its value.
func evalAsync[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor evaluates a JavaScript predicate every 50 ms until it holds,
// for at most limit. Errors while the page navigates count as "not yet".
func waitFor(t *testing.T, ctx context.Context, what, predicate string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	var last error
	for {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		ok, err := chromedp.Run(c, chromedp.Evaluate[bool]("!!("+predicate+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if err != nil {
			last = err
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting %s for %s (%s): last error %v", limit, what, predicate, last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// shot saves a screenshot of the whole page as an artifact.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("TRUCE_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "artifacts", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(c, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// signIn signs in with the keyboard: the token typed, then Enter.
func signIn(t *testing.T, ctx context.Context, s *demoServer, who string) {
	t.Helper()
	token := s.tokens[who]
	if token == "" {
		t.Fatalf("no demo member %s", who)
	}
	do(t, ctx, "sign in as "+who,
		chromedp.Navigate(s.url+"/signin"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), token+kb.Enter),
		chromedp.WaitVisible(chromedp.ID("who")),
	)
}

// openMap opens the map (at a report, with a hash) and waits until its
// reports are drawn.
func openMap(t *testing.T, ctx context.Context, s *demoServer, hash string) {
	t.Helper()
	do(t, ctx, "open the map", chromedp.Navigate(s.url+"/map"+hash))
	waitFor(t, ctx, "the map's reports", `document.body.dataset.reportsLoaded && document.querySelectorAll('#map .leaflet-overlay-pane path').length > 14`, 20*time.Second)
}

// waitPopup waits until the open popup has faded in, for a screenshot.
func waitPopup(t *testing.T, ctx context.Context) {
	t.Helper()
	waitFor(t, ctx, "the popup", `(() => { const p = document.querySelector('.leaflet-popup'); return p && getComputedStyle(p).opacity === '1'; })()`, 5*time.Second)
}

// dotState is the consensus state and background colour of a report's
// marker on the map, "" when it is not drawn.
func dotState(t *testing.T, ctx context.Context, id string) (state, colour string) {
	t.Helper()
	v := eval[[]string](t, ctx, fmt.Sprintf(`(() => { const d = document.querySelector('.dot[data-id=%q]'); return d ? [d.dataset.consensus, getComputedStyle(d).backgroundColor] : ["", ""]; })()`, id))
	return v[0], v[1]
}

// The consensus colours of app.css.
const (
	pendingColour   = "rgb(227, 155, 22)"
	contestedColour = "rgb(123, 44, 191)"
)

// TestBrowserGuarantorFilesAndAssesses: a Russian officer signs in, files
// a report by clicking the map, and sees it pending on the map; a Turkish
// officer, at another desk, disputes it; the Russian officer's open map
// turns its marker to contested without a reload. Then a report filed
// through the API appears on the same open map within 5 seconds.
func TestBrowserGuarantorFilesAndAssesses(t *testing.T) {
	chromium := needBrowser(t)
	s := startDemo(t)
	browser := newBrowser(t, chromium)
	ru := person(t, browser)
	signIn(t, ru, s, "RU/guarantor")
	openMap(t, ru, s, "")
	if n := eval[string](t, ru, `document.getElementById('status').dataset.count`); n != "36" {
		t.Errorf("the map shows %s reports, want the demo's 36", n)
	}
	shot(t, ru, "01-map-guarantor")

	// File a report by clicking the map.
	do(t, ru, "open the report form", chromedp.Navigate(s.url+"/reports/new"))
	waitFor(t, ru, "the form's base map", `document.querySelectorAll('#pick-map .leaflet-overlay-pane path').length >= 14`, 20*time.Second)
	xy := eval[[]float64](t, ru, `(() => { const r = document.getElementById('pick-map').getBoundingClientRect(); return [r.left + r.width * 0.45, r.top + r.height * 0.55]; })()`)
	do(t, ru, "click the map", chromedp.MouseClickXY(xy[0], xy[1]))
	waitFor(t, ru, "the clicked place in the form", `document.getElementById('lat').value !== '' && document.getElementById('pick-marker') !== null`, 5*time.Second)
	lat := eval[string](t, ru, `document.getElementById('lat').value`)
	lon := eval[string](t, ru, `document.getElementById('lon').value`)
	do(t, ru, "fill in the report",
		chromedp.SetValue(chromedp.ID("perpetrator"), "SYG"),
		chromedp.SendKeys(chromedp.ID("description"), "Mortar fire on the village from the north-east, seen from observation post 4."),
	)
	shot(t, ru, "02-report-form-placed-by-click")
	do(t, ru, "file the report", chromedp.Click(chromedp.ID("file-submit")), chromedp.WaitVisible(chromedp.ID("report")))
	id := eval[string](t, ru, `document.getElementById('report').dataset.id`)
	if got := eval[string](t, ru, `document.getElementById('report').dataset.consensus`); got != "pending" {
		t.Fatalf("a new report by one guarantor is %s, want pending", got)
	}
	if got := eval[string](t, ru, `document.getElementById('lat').textContent`); !sameDegrees(got, lat) {
		t.Errorf("report page latitude %s, want the clicked %s", got, lat)
	}
	if got := eval[string](t, ru, `document.getElementById('lon').textContent`); !sameDegrees(got, lon) {
		t.Errorf("report page longitude %s, want the clicked %s", got, lon)
	}

	openMap(t, ru, s, "#"+id)
	waitFor(t, ru, "the new report's marker", fmt.Sprintf(`document.querySelector('.dot[data-id=%q]') !== null`, id), 10*time.Second)
	if st, c := dotState(t, ru, id); st != "pending" || c != pendingColour {
		t.Errorf("new report's marker: state %q colour %s, want pending %s", st, c, pendingColour)
	}
	waitPopup(t, ru)
	shot(t, ru, "03-map-new-report-pending")

	// Another guarantor disputes it, from its own desk.
	tr := person(t, browser)
	signIn(t, tr, s, "TR/guarantor")
	do(t, tr, "open the report", chromedp.Navigate(s.url+"/reports/"+id), chromedp.WaitVisible(chromedp.ID("assess-form")))
	do(t, tr, "write a dispute",
		chromedp.Click(chromedp.ID("verdict-dispute")),
		chromedp.SendKeys(chromedp.ID("reason"), "Our post at the same place saw no fire that day."),
	)
	assessed := time.Now()
	do(t, tr, "send it", chromedp.Click(chromedp.ID("assess-submit")))
	waitFor(t, tr, "the assessment recorded", `document.getElementById('report') && document.getElementById('report').dataset.consensus === 'contested'`, 10*time.Second)
	if got := eval[string](t, tr, `document.querySelector('[data-guarantor="TR"]').textContent`); got != "dispute" {
		t.Errorf("TR's answer shows %q, want dispute", got)
	}
	shot(t, tr, "04-report-assessed-contested")

	// The Russian officer's map, still open, changes the marker's colour.
	waitFor(t, ru, "the marker to turn contested", fmt.Sprintf(`(() => { const d = document.querySelector('.dot[data-id=%q]'); return d && d.dataset.consensus === 'contested'; })()`, id), 5*time.Second)
	if d := time.Since(assessed); d > 5*time.Second {
		t.Errorf("the open map showed the assessment %s after it was sent, want within 5 s", d)
	} else {
		t.Logf("the open map showed the assessment within %s of its sending", d.Round(10*time.Millisecond))
	}
	if st, c := dotState(t, ru, id); st != "contested" || c != contestedColour {
		t.Errorf("assessed report's marker: state %q colour %s, want contested %s", st, c, contestedColour)
	}
	shot(t, ru, "05-map-marker-contested")

	// A report filed through the API reaches the open map within 5 s.
	var filed struct{ ID string }
	start := time.Now()
	code := s.api(t, "POST", "/api/v1/reports", s.tokens["OPP/party"], map[string]any{
		"occurred_at": time.Now().UTC().Add(-time.Hour).Format(time.RFC3339), "lon": 36.5667, "lat": 35.4397,
		"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
		"perpetrator": "SYG", "description": "Shelling of the eastern edge of Kafr Nabl.",
	}, &filed)
	if code != http.StatusCreated {
		t.Fatalf("POST /api/v1/reports: %d", code)
	}
	waitFor(t, ru, "the API's report on the open map", `document.getElementById('status').dataset.count === '38'`, 5*time.Second)
	t.Logf("report filed through the API shown on the open map after %s", time.Since(start).Round(10*time.Millisecond))
	do(t, ru, "show it", chromedp.Navigate(s.url+"/map#"+filed.ID))
	waitFor(t, ru, "the API's report marker", fmt.Sprintf(`document.querySelector('.dot[data-id=%q]') !== null`, filed.ID), 10*time.Second)
	waitPopup(t, ru)
	shot(t, ru, "06-map-report-from-api")
}

// sameDegrees compares two coordinates written with different numbers of
// decimals.
func sameDegrees(a, b string) bool {
	var x, y float64
	if _, err := fmt.Sscan(a, &x); err != nil {
		return false
	}
	if _, err := fmt.Sscan(b, &y); err != nil {
		return false
	}
	return math.Abs(x-y) < 1e-5
}

// TestBrowserObserverSeesCoarsened: a UN observer sees other
// organisations' reports at the agreement's 0.1° grid, on the report page
// and on the map, and has no assess button; the server refuses an
// assessment posted anyway.
func TestBrowserObserverSeesCoarsened(t *testing.T) {
	chromium := needBrowser(t)
	s := startDemo(t)
	var page struct {
		Reports []struct {
			ID           string
			Lon, Lat     float64
			Organisation string
		}
	}
	if code := s.api(t, "GET", "/api/v1/reports?limit=5", s.tokens["RU/guarantor"], nil, &page); code != 200 || len(page.Reports) == 0 {
		t.Fatalf("GET /api/v1/reports: %d, %d reports", code, len(page.Reports))
	}
	r := page.Reports[0]
	if r.Organisation == "UN" {
		t.Fatalf("pick a report of another organisation than the observer's")
	}
	browser := newBrowser(t, chromium)
	un := person(t, browser)
	signIn(t, un, s, "UN/observer")
	if got := eval[bool](t, un, `document.querySelector('a[href="/reports/new"]') === null`); !got {
		t.Errorf("an observer's navigation offers to file a report")
	}
	openMap(t, un, s, "#"+r.ID)
	waitFor(t, un, "the report's marker", fmt.Sprintf(`document.querySelector('.dot[data-id=%q]') !== null`, r.ID), 10*time.Second)
	if eval[bool](t, un, `document.getElementById('coarse-note') === null`) {
		t.Errorf("the observer's map does not say coordinates are coarsened")
	}
	waitPopup(t, un)
	shot(t, un, "07-map-observer-coarsened")

	do(t, un, "open the report", chromedp.Navigate(s.url+"/reports/"+r.ID), chromedp.WaitVisible(chromedp.ID("report")))
	if got := eval[string](t, un, `document.getElementById('report').dataset.coordinates`); got != "coarse" {
		t.Errorf("observer's report page: coordinates %q, want coarse", got)
	}
	snap := func(v float64) float64 { return math.Round((math.Floor(v/0.1)+0.5)*0.1*1e6) / 1e6 }
	for _, c := range []struct {
		id    string
		exact float64
	}{{"lat", r.Lat}, {"lon", r.Lon}} {
		got := eval[string](t, un, `document.getElementById('`+c.id+`').textContent`)
		want := fmt.Sprintf("%.6f", snap(c.exact))
		if got != want {
			t.Errorf("observer's %s = %s, want %s (the exact %.6f on the 0.1° grid)", c.id, got, want, c.exact)
		}
		if sameDegrees(got, fmt.Sprint(c.exact)) {
			t.Errorf("observer's %s = %s: the exact value", c.id, got)
		}
	}
	if !eval[bool](t, un, `document.getElementById('assess-form') === null && document.getElementById('assess-submit') === null`) {
		t.Errorf("an observer's report page has an assess button")
	}
	shot(t, un, "08-report-observer-no-assess")
	// The button's absence is not the rule: the server refuses anyway.
	status := evalAsync[float64](t, un, fmt.Sprintf(`(async () => {
		const csrf = document.querySelector('input[name=csrf]').value;
		const res = await fetch('/reports/%s/assess', {method: 'POST', body: new URLSearchParams({csrf, verdict: 'confirm'})});
		return res.status; })()`, r.ID))
	if status != http.StatusForbidden {
		t.Errorf("an observer's assessment posted from the page: %v, want 403", status)
	}

	// The log page shows the checkpoint /log/checkpoint serves, and as many
	// cosignatures as it carries: none, or the demo's witnesses'.
	do(t, un, "open the log page", chromedp.Navigate(s.url+"/log"), chromedp.WaitVisible(chromedp.ID("checkpoint-note")))
	res, err := http.Get(s.url + "/log/checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	note, _ := io.ReadAll(res.Body)
	res.Body.Close()
	want := strings.Count(string(note), "\n\u2014 ") - 1 // signature lines beyond the log's own
	got := eval[int](t, un, `document.querySelectorAll('#cosignatures li').length`)
	if got != want {
		t.Errorf("the log page lists %d cosignatures; /log/checkpoint carries %d:\n%s", got, want, note)
	}
	if want == 0 && !eval[bool](t, un, `document.getElementById('cosignatures').textContent.includes('No cosignatures')`) {
		t.Errorf("the log page does not say that no cosignatures are recorded")
	}
	shot(t, un, "09-log-checkpoint")
}

// TestBrowserArabicRightToLeft: the language menu switches the pages to
// Arabic, laid out right to left, at laptop and phone widths; the page
// starts with a skip link for keyboard users.
func TestBrowserArabicRightToLeft(t *testing.T) {
	chromium := needBrowser(t)
	s := startDemo(t)
	browser := newBrowser(t, chromium)
	ctx := person(t, browser)
	signIn(t, ctx, s, "SYG/party")
	openMap(t, ctx, s, "")
	do(t, ctx, "press Tab", chromedp.KeyEvent(kb.Tab))
	if got := eval[string](t, ctx, `document.activeElement.className`); got != "skip" {
		t.Errorf("the first Tab focuses %q, want the skip link", got)
	}
	do(t, ctx, "choose Arabic",
		chromedp.SetValue(chromedp.ID("lang-select"), "ar"),
		chromedp.Click(chromedp.ID("lang-apply")),
	)
	waitFor(t, ctx, "the Arabic page", `document.documentElement.lang === 'ar' && document.body.dataset.reportsLoaded`, 20*time.Second)
	if got := eval[string](t, ctx, `document.documentElement.dir + ' ' + getComputedStyle(document.body).direction`); got != "rtl rtl" {
		t.Errorf("Arabic page: dir and direction %q, want rtl rtl", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('a[href="/map"]').textContent`); got != "الخريطة" {
		t.Errorf("Arabic navigation: %q, want الخريطة", got)
	}
	// Right to left: the brand is at the right, the map left of its panel.
	if !eval[bool](t, ctx, `document.querySelector('.brand').getBoundingClientRect().left > document.querySelector('.account').getBoundingClientRect().left`) {
		t.Errorf("Arabic page: the brand is not right of the account menu")
	}
	if !eval[bool](t, ctx, `document.querySelector('.panel').getBoundingClientRect().left < document.getElementById('map').getBoundingClientRect().left`) {
		t.Errorf("Arabic page: the panel is not left of the map")
	}
	if eval[bool](t, ctx, `document.body.innerText.includes('[')`) && eval[bool](t, ctx, `/\[[a-z.]+\]/.test(document.body.innerText)`) {
		t.Errorf("Arabic page shows a missing text key: %s", eval[string](t, ctx, `document.body.innerText.match(/\[[a-z.]+\]/)[0]`))
	}
	shot(t, ctx, "10-map-arabic-rtl")

	do(t, ctx, "phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload())
	waitFor(t, ctx, "the map at phone width", `document.body.dataset.reportsLoaded`, 20*time.Second)
	if w := eval[float64](t, ctx, `document.documentElement.scrollWidth`); w > 391 {
		t.Errorf("at 390 px the page is %v px wide: it scrolls sideways", w)
	}
	shot(t, ctx, "11-map-arabic-phone")
	do(t, ctx, "choose Persian",
		chromedp.SetValue(chromedp.ID("lang-select"), "fa"),
		chromedp.Click(chromedp.ID("lang-apply")),
	)
	waitFor(t, ctx, "the Persian page", `document.documentElement.lang === 'fa'`, 20*time.Second)
	do(t, ctx, "open the agreement", chromedp.Navigate(s.url+"/agreement"), chromedp.WaitVisible(chromedp.ID("parties")))
	if got := eval[string](t, ctx, `getComputedStyle(document.body).direction`); got != "rtl" {
		t.Errorf("Persian agreement page: direction %q, want rtl", got)
	}
	shot(t, ctx, "12-agreement-persian-phone")
}

// TestBrowserMonitorFilesDraft: a Russian monitor pastes a news text,
// sees its draft queued with the words each value was read from marked,
// opens it, takes the place the text names, and files it; the report page
// shows it with the source text kept.
func TestBrowserMonitorFilesDraft(t *testing.T) {
	chromium := needBrowser(t)
	s := startDemo(t)
	browser := newBrowser(t, chromium)
	ru := person(t, browser)
	signIn(t, ru, s, "RU/monitor")
	const text = "Syrian government forces shelled Jaish al-Islam positions in Douma on Tuesday, killing five civilians."
	do(t, ru, "open the drafts from the navigation",
		chromedp.Click(`a[href="/drafts"]`, chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.ID("intake-form")),
	)
	do(t, ru, "paste a news text",
		chromedp.SendKeys(chromedp.ID("text"), text),
		chromedp.SetValue(chromedp.ID("date"), "2017-04-05"),
		chromedp.SendKeys(chromedp.ID("source"), "https://example.org/news/douma"),
		chromedp.Click(chromedp.ID("intake-submit")),
	)
	waitFor(t, ru, "the queued draft", `document.querySelector('#drafts li.draft') !== null`, 10*time.Second)
	marked := eval[map[string]string](t, ru, `Object.fromEntries([...document.querySelectorAll('#drafts li.draft:first-child mark')].map(m => [m.dataset.kind, m.textContent]))`)
	for kind, want := range map[string]string{
		"draft.who": "Syrian government forces", "draft.what": "shelled", "draft.where": "Douma",
		"draft.when": "Tuesday", "draft.killed": "killing five",
	} {
		// A kind marked twice keeps its last words: Jaish al-Islam is who too.
		if got := marked[kind]; got != want && !(kind == "draft.who" && got == "Jaish al-Islam") {
			t.Errorf("the queued draft marks %q as %s, want %q", got, kind, want)
		}
	}
	shot(t, ru, "13-drafts-queue")

	do(t, ru, "review the draft", chromedp.Click(`#drafts li.draft:first-child a.button`, chromedp.NodeVisible), chromedp.WaitVisible(chromedp.ID("draft-form")))
	waitFor(t, ru, "the form's base map and the draft's place", `document.querySelectorAll('#pick-map .leaflet-overlay-pane path').length >= 14 && document.getElementById('pick-marker') !== null`, 20*time.Second)
	for id, want := range map[string]string{
		"perpetrator": "SYG", "target": "JAI", "occurred_at": "2017-04-04T12:00", "casualties.killed": "5",
		"event": "Explosions/Remote violence|Shelling/artillery/missile attack",
	} {
		if got := eval[string](t, ru, fmt.Sprintf(`document.getElementById(%q).value`, id)); got != want {
			t.Errorf("the review form's %s = %q, want %q as read", id, got, want)
		}
	}
	// The place the text names, taken from the list of what was read,
	// moves the marker and fills the form.
	do(t, ru, "move the place elsewhere, then take the one read",
		chromedp.SetValue(chromedp.ID("lat"), "35.50000"), chromedp.SetValue(chromedp.ID("lon"), "37.50000"),
		chromedp.Click(`button.use-place`, chromedp.NodeVisible),
	)
	if got := eval[string](t, ru, `document.getElementById('lat').value + ' ' + document.getElementById('lon').value`); got != "33.56986 36.39914" {
		t.Errorf("the place taken from the draft: %q, want Douma's 33.56986 36.39914", got)
	}
	shot(t, ru, "14-draft-review")

	do(t, ru, "file the report", chromedp.Click(chromedp.ID("file-submit")), chromedp.WaitVisible(chromedp.ID("report")))
	if got := eval[string](t, ru, `document.querySelector('#report .description').textContent`); !strings.Contains(got, text) {
		t.Errorf("the report's description %q lacks the source text", got)
	}
	if got := eval[string](t, ru, `document.getElementById('report').dataset.consensus`); got != "pending" {
		t.Errorf("the filed draft's report is %s, want pending", got)
	}
	shot(t, ru, "15-report-from-draft")
	do(t, ru, "back to the queue", chromedp.Navigate(s.url+"/drafts"), chromedp.WaitVisible(chromedp.ID("drafts-empty")))
}
