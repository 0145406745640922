package screport_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"truce"
	"truce/i18n"
	"truce/places"
	"truce/screport"
	"truce/workflow"
)

// The charts and the map are checked as a reader meets them: drawn by
// Chromium with the system's fonts, decoded, and looked at. Set
// TRUCE_REPORT_PNG_DIR to keep the pictures.

// needChromium fails the test when Chromium is missing, unless
// TRUCE_NO_BROWSER=1 says to skip what needs it.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := screport.Chromium(); err != nil {
		if os.Getenv("TRUCE_NO_BROWSER") == "1" {
			t.Skipf("TRUCE_NO_BROWSER=1: %v", err)
		}
		t.Fatalf("%v\n(set TRUCE_NO_BROWSER=1 to skip the tests that draw with it)", err)
	}
}

// yearReport is a synthetic year: thousands of reports spread over every
// governorate, actor and state, on the fixture's map, so that the
// drawings are as crowded as a real year makes them.
func yearReport(tb testing.TB, f *fixture, l i18n.Lang) *screport.Report {
	tb.Helper()
	small := build(tb, f, l, fxFrom, fxTo)
	a, err := f.svc.Agreement(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	from := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2017, 12, 31, 0, 0, 0, 0, time.UTC)
	p := &workflow.Periodic{Agreement: a, Checkpoint: small.Checkpoint, AsOf: small.AsOf, From: from, To: to.AddDate(0, 0, 1), Map: small.Map}
	rng := rand.New(rand.NewPCG(1, 2))
	var actors []truce.ActorID
	for _, x := range a.Actors {
		if x.Standing == truce.Party || x.Standing == truce.Excluded || x.Standing == truce.Guarantor {
			actors = append(actors, x.ID)
		}
	}
	govs := places.Governorates()
	states := []truce.State{truce.Confirmed, truce.Contested, truce.Unilateral, truce.Rejected, truce.Pending}
	for i := range 5000 {
		g := govs[min(int(rng.ExpFloat64()*3), len(govs)-1)]
		perp := actors[min(int(rng.ExpFloat64()*2.5), len(actors)-1)]
		if i%40 == 0 {
			perp = ""
		}
		day := rng.IntN(365)
		p.Reports = append(p.Reports, workflow.PeriodicReport{
			Entry: int64(i), OccurredAt: from.AddDate(0, 0, day).Add(time.Duration(rng.IntN(86400)) * time.Second),
			Perpetrator: perp, ADM1: g.PCode, Scope: truce.ScopeCovered,
			State: states[min(int(rng.ExpFloat64()*1.2), len(states)-1)],
		})
	}
	return screport.Aggregate(p, l, to)
}

func drawings(r *screport.Report) []screport.Drawing {
	return []screport.Drawing{r.WeeklyChart(), r.MapChart(), r.HeatChart(), r.PerpetratorChart()}
}

// stacked is a page holding the drawings one under the other, with their
// texts hidden when noText.
func stacked(ds []screport.Drawing, l i18n.Lang, noText bool) ([]byte, int, int) {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="%s" dir="%s"><head><meta charset="utf-8"><style>html,body{margin:0;padding:0;background:#fff;overflow:hidden}svg{display:block}`, l, l.Dir())
	if noText {
		b.WriteString(`text{display:none}`)
	}
	b.WriteString(`</style></head><body>`)
	w, h := 0, 0
	for _, d := range ds {
		b.WriteString(d.SVG)
		w = max(w, int(d.Width))
		h += int(d.Height)
	}
	b.WriteString(`</body></html>`)
	return []byte(b.String()), w, h
}

func shoot(t *testing.T, page []byte, w, h int) image.Image {
	t.Helper()
	b, err := screport.Screenshot(ctx, page, w, h)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decoding the screenshot: %v", err)
	}
	if got := img.Bounds().Size(); got.X != w || got.Y != h {
		t.Fatalf("screenshot of %d×%d, want %d×%d", got.X, got.Y, w, h)
	}
	return img
}

func lum(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 257
}

// TestLegibility draws every chart and the map, in every language for a
// crowded year and in English and Arabic for the fixture's four weeks,
// and checks each picture: its size; that it is not blank; that its text
// is drawn, dark on light, and nothing touches its edges (a clipped
// label would); and that the bars and shading are where the drawing put
// them.
func TestLegibility(t *testing.T) {
	needChromium(t)
	f := newFixture(t)
	keep := os.Getenv("TRUCE_REPORT_PNG_DIR")
	type job struct {
		name string
		r    *screport.Report
	}
	var jobs []job
	for _, l := range i18n.Langs {
		jobs = append(jobs, job{"year-" + string(l), yearReport(t, f, l)})
	}
	for _, l := range []i18n.Lang{i18n.EN, i18n.AR} {
		jobs = append(jobs, job{"weeks-" + string(l), build(t, f, l, fxFrom, fxTo)})
	}
	var mu sync.Mutex // one Chromium at a time per CPU is enough
	sem := make(chan struct{}, 2)
	for _, j := range jobs {
		t.Run(j.name, func(t *testing.T) {
			t.Parallel()
			sem <- struct{}{}
			defer func() { <-sem }()
			ds := drawings(j.r)
			page, w, h := stacked(ds, j.r.Lang, false)
			img := shoot(t, page, w, h)
			bare, _, _ := stacked(ds, j.r.Lang, true)
			noText := shoot(t, bare, w, h)
			y := 0
			for _, d := range ds {
				region := image.Rect(0, y, int(d.Width), y+int(d.Height))
				checkDrawing(t, d, img, noText, region)
				if keep != "" {
					mu.Lock()
					savePNG(t, filepath.Join(keep, j.name+"-"+d.Name+".png"), img, region)
					mu.Unlock()
				}
				y += int(d.Height)
			}
		})
	}
}

func checkDrawing(t *testing.T, d screport.Drawing, img, noText image.Image, region image.Rectangle) {
	t.Helper()
	var nonWhite, textPx, n int
	minL, maxL := 255.0, 0.0
	for y := region.Min.Y; y < region.Max.Y; y++ {
		for x := region.Min.X; x < region.Max.X; x++ {
			n++
			l := lum(img.At(x, y))
			minL, maxL = min(minL, l), max(maxL, l)
			if l < 245 {
				nonWhite++
			}
			if lum(noText.At(x, y))-l > 80 {
				textPx++
			}
			edge := x-region.Min.X < 2 || region.Max.X-1-x < 2 || y-region.Min.Y < 2 || region.Max.Y-1-y < 2
			if edge && l < 235 {
				t.Errorf("%s: ink at its edge (%d, %d): something is clipped", d.Name, x-region.Min.X, y-region.Min.Y)
				return
			}
		}
	}
	if frac := float64(nonWhite) / float64(n); frac < 0.02 {
		t.Errorf("%s: %.1f%% of the picture is not white: blank", d.Name, 100*frac)
	}
	if minL > 60 || maxL < 245 {
		t.Errorf("%s: luminance from %.0f to %.0f: not dark on light", d.Name, minL, maxL)
	}
	// Text darkens many pixels of a chart: drawn without it, the picture
	// must lose them.
	if textPx < 1500 {
		t.Errorf("%s: the text darkens %d pixels; it is not drawn legibly", d.Name, textPx)
	}
	if testing.Verbose() {
		t.Logf("%s: text darkens %d pixels, %.1f%% not white, %d probes", d.Name, textPx, 100*float64(nonWhite)/float64(n), len(d.Probes))
	}
	for _, p := range d.Probes {
		got := img.At(region.Min.X+int(math.Round(p.X)), region.Min.Y+int(math.Round(p.Y)))
		if !near(got, p.Colour, 24) {
			r, g, b, _ := got.RGBA()
			t.Errorf("%s: %s at (%.0f, %.0f) is #%02X%02X%02X, want %s", d.Name, p.What, p.X, p.Y, r>>8, g>>8, b>>8, p.Colour)
		}
	}
	if len(d.Probes) == 0 {
		t.Errorf("%s: nothing to probe", d.Name)
	}
}

func near(c color.Color, hex string, tol int) bool {
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil {
		return false
	}
	r, g, b, _ := c.RGBA()
	d := func(got uint32, want uint64) bool { return math.Abs(float64(got>>8)-float64(want)) <= float64(tol) }
	return d(r, v>>16&0xFF) && d(g, v>>8&0xFF) && d(b, v&0xFF)
}

func savePNG(t *testing.T, path string, img image.Image, region image.Rectangle) {
	t.Helper()
	sub := image.NewRGBA(image.Rect(0, 0, region.Dx(), region.Dy()))
	for y := range region.Dy() {
		for x := range region.Dx() {
			sub.Set(x, y, img.At(region.Min.X+x, region.Min.Y+y))
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, sub); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPDF prints the report to PDF: A4 pages, one section a page or more,
// and the same bytes from the same log.
func TestPDF(t *testing.T) {
	needChromium(t)
	f := newFixture(t)
	r := build(t, f, i18n.AR, fxFrom, fxTo)
	a, err := r.PDF(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(a, []byte("%PDF-")) {
		t.Fatalf("PDF starts %q", a[:min(len(a), 16)])
	}
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(a, -1))
	if pages < 6 {
		t.Errorf("%d pages, want at least 6: the header and summary, then a page for each section", pages)
	}
	if !bytes.Contains(a, []byte("/MediaBox [0 0 594.95996 841.91998]")) {
		t.Logf("no A4 MediaBox found as Chromium writes it; looking for the size loosely")
		if !regexp.MustCompile(`/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]`).Match(a) {
			t.Error("the pages are not A4")
		}
	}
	want := "D:" + r.AsOf.UTC().Format("20060102150405")
	if !bytes.Contains(a, []byte("/CreationDate ("+want)) {
		t.Errorf("PDF creation date is not the report's as-of time %s", want)
	}
	if b, err := r.PDF(ctx); err != nil || !bytes.Equal(a, b) {
		t.Errorf("two PDFs of the same log differ (err %v)", err)
	}
	if dir := os.Getenv("TRUCE_REPORT_PNG_DIR"); dir != "" {
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "fixture-ar.pdf"), a, 0o644)
	}
}
