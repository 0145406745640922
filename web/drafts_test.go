package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"truce"
	"truce/intake"
	"truce/web"
	"truce/workflow"
)

// newsText is a news text of one incident: who, what, where, when and how
// many were killed all read from one sentence.
const newsText = "Syrian government forces shelled Jaish al-Islam positions in Douma on Tuesday, killing five civilians."

const newsSource = "https://example.org/news/douma-shelling"

// queue queues newsText's draft for who through the service, as the API
// would, and returns it.
func (r *room) queue(tb testing.TB, who string) *workflow.QueuedDraft {
	tb.Helper()
	q, err := r.svc.QueueDrafts(ctx, r.members[who], &workflow.IntakeInput{Text: newsText, Date: "2017-04-05", Source: newsSource})
	if err != nil {
		tb.Fatal(err)
	}
	if len(q.Drafts) != 1 {
		tb.Fatalf("QueueDrafts(newsText) = %d drafts, want 1", len(q.Drafts))
	}
	return q.Drafts[0]
}

// queued reports whether the draft id is in the queue of who's
// organisation.
func (r *room) queued(tb testing.TB, who, id string) bool {
	tb.Helper()
	q, err := r.svc.Drafts(ctx, r.members[who])
	if err != nil {
		tb.Fatal(err)
	}
	return slices.ContainsFunc(q.Drafts, func(d *workflow.QueuedDraft) bool { return d.ID == id })
}

// reviewForm is the review form of newsText's draft as a reviewer sends
// it back unchanged but for csrf.
func reviewForm(csrf string) url.Values {
	return url.Values{
		"csrf": {csrf}, "lat": {"33.5698594"}, "lon": {"36.399142"}, "place": {"Douma"}, "geo_precision": {"1"},
		"uncertainty_m": {""}, "occurred_at": {"2017-04-04T12:00"}, "time_precision": {"1"},
		"event": {"Explosions/Remote violence|Shelling/artillery/missile attack"}, "perpetrator": {"SYG"}, "target": {"JAI"},
		"casualties.killed": {"5"}, "casualties.killed_civilians": {"5"}, "casualties.injured": {""}, "casualties.injured_civilians": {""},
		"description": {newsText},
	}
}

// TestDraftQueue: a monitor pastes a news text, sees its draft in the
// queue with the words each value came from, opens it prefilled, and
// files it with a corrected perpetrator: the report keeps the source text
// and link. Refused forms leave the draft queued and the log as it was.
func TestDraftQueue(t *testing.T) {
	r := newRoom(t, web.Options{})
	c := r.client(t)
	c.signIn("RU/monitor")
	wantStatus(t, "the empty queue", c.get("/drafts"), http.StatusOK, `id="intake-form"`, `id="drafts-empty"`, `<a href="/drafts" aria-current="page">Drafts</a>`)
	csrf := c.csrf("/drafts")
	before := r.logSize(t)

	a := c.post("/drafts", url.Values{"csrf": {csrf}, "text": {newsText}, "date": {"2017-04-05"}, "source": {newsSource}})
	loc := a.header.Get("Location")
	if a.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/drafts#drf_") {
		t.Fatalf("queueing a news text: %d to %q\n%s", a.status, loc, clip(a.body))
	}
	id := strings.TrimPrefix(loc, "/drafts#")
	if n := r.logSize(t); n != before {
		t.Errorf("queueing drafts changed the log: %d entries, want %d", n, before)
	}
	wantStatus(t, "the queue", c.get("/drafts"), http.StatusOK,
		`<li class="draft" id="`+id+`"`,
		`<mark data-kind="draft.who" title="Who: Government of the Syrian Arab Republic">Syrian government forces</mark>`,
		`<mark data-kind="draft.what" title="What: Explosions/Remote violence — Shelling/artillery/missile attack">shelled</mark>`,
		`<mark data-kind="draft.where" title="Where: Duma, Rural Damascus">Douma</mark>`,
		`<mark data-kind="draft.when" title="When: 2017-04-04">Tuesday</mark>`,
		`<mark data-kind="draft.killed" title="Killed: 5">killing five</mark>`,
		"read against the date of the text", "by RU/monitor", `href="`+newsSource+`"`, `href="/drafts/`+id+`"`)

	review := c.get("/drafts/" + id)
	wantStatus(t, "the review form", review, http.StatusOK, `id="draft-form"`, `action="/drafts/`+id+`/file"`,
		`value="2017-04-04T12:00"`, `value="33.5698594"`, `value="36.399142"`, `<option value="SYG" selected>`, `<option value="JAI" selected>`,
		`<option value="Explosions/Remote violence|Shelling/artillery/missile attack" selected>`,
		`name="casualties.killed" inputmode="numeric" maxlength="10" value="5"`, `name="casualties.killed_civilians" inputmode="numeric" maxlength="10" value="5"`,
		`class="use-place secondary" data-lat="33.5698594" data-lon="36.399142" data-place="Douma"`, ">"+newsText+"</textarea>")

	with := func(k, v string) url.Values {
		f := reviewForm(csrf)
		f.Set(k, v)
		return f
	}
	for _, tc := range []struct {
		name, field, value, want string
		status                   int
	}{
		{"LatNotNumber", "lat", "north", "lat: &#34;north&#34; is not a number", 400},
		{"NoLon", "lon", "", "lon: is required", 400},
		{"NoEvent", "event", "", "event_type: is required", 400},
		{"UnknownPerpetrator", "perpetrator", "Nobody In Particular", "perpetrator:", 400},
		{"UnknownTarget", "target", "Nobody In Particular", "target:", 400},
		{"KilledNotNumber", "casualties.killed", "many", "casualties.killed: &#34;many&#34; is not a whole number", 400},
		{"MoreCiviliansThanKilled", "casualties.killed_civilians", "9", "casualties.killed_civilians: must not exceed killed", 400},
		{"GeoPrecision", "geo_precision", "7", "geo_precision:", 400},
		{"FutureTime", "occurred_at", "2999-01-01T00:00", "occurred_at: must not be in the future", 400},
		{"LongField", "target", strings.Repeat("t", 301), "target: must be at most 300 characters", 400},
		{"NoCSRF", "csrf", "", "csrf", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := c.post("/drafts/"+id+"/file", with(tc.field, tc.value))
			wantStatus(t, tc.name, a, tc.status, tc.want)
			if tc.status == 400 {
				wantStatus(t, tc.name+": the form again", a, tc.status, `id="draft-form"`, `data-field="`+strings.Split(tc.want, ":")[0]+`"`, ">"+newsText+"</textarea>")
			}
			if !r.queued(t, "RU/monitor", id) {
				t.Fatalf("a refused form took the draft off the queue")
			}
		})
	}
	if n := r.logSize(t); n != before {
		t.Fatalf("refused forms changed the log: %d entries, want %d", n, before)
	}

	// The reviewer knows better than the text who fired.
	a = c.post("/drafts/"+id+"/file", with("perpetrator", "RU"))
	loc = a.header.Get("Location")
	if a.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/reports/rpt_") {
		t.Fatalf("filing the draft: %d to %q\n%s", a.status, loc, clip(a.body))
	}
	if n := r.logSize(t); n != before+1 {
		t.Errorf("filing a draft: log of %d entries, want %d", n, before+1)
	}
	v, err := r.svc.Report(ctx, r.members["RU/monitor"], truce.ReportID(strings.TrimPrefix(loc, "/reports/")))
	if err != nil {
		t.Fatal(err)
	}
	if v.Perpetrator != "RU" || v.Target != "JAI" {
		t.Errorf("filed report: perpetrator %q, target %q, want the corrected RU and JAI", v.Perpetrator, v.Target)
	}
	if !strings.Contains(v.Description, newsText) {
		t.Errorf("filed report's description %q lacks the source text", v.Description)
	}
	if !slices.Contains(v.Sources, newsSource) {
		t.Errorf("filed report's sources %q lack %s", v.Sources, newsSource)
	}
	if c := v.Casualties; c == nil || c.Killed == nil || c.Killed.Best != 5 || c.KilledCivilians == nil || c.KilledCivilians.Best != 5 {
		t.Errorf("filed report's casualties %+v, want 5 killed, 5 of them civilians", v.Casualties)
	}
	wantStatus(t, "the report page", c.get(loc), http.StatusOK, `data-consensus="pending"`, "Jaish al-Islam positions in Douma")
	if r.queued(t, "RU/monitor", id) {
		t.Errorf("the filed draft is still queued")
	}
	wantStatus(t, "the filed draft", c.get("/drafts/"+id), http.StatusNotFound)
	wantStatus(t, "filing it again", c.post("/drafts/"+id+"/file", reviewForm(csrf)), http.StatusNotFound)
}

// TestDraftOwnDescription: a reviewer who rewrites the description keeps
// the source sentences after it.
func TestDraftOwnDescription(t *testing.T) {
	r := newRoom(t, web.Options{})
	d := r.queue(t, "SYG/party")
	c := r.client(t)
	c.signIn("SYG/party")
	f := reviewForm(c.csrf("/drafts/" + d.ID))
	f.Set("description", "Shelling of Douma.")
	a := c.post("/drafts/"+d.ID+"/file", f)
	if a.status != http.StatusSeeOther {
		t.Fatalf("filing: %d\n%s", a.status, clip(a.body))
	}
	v, err := r.svc.Report(ctx, r.members["SYG/party"], truce.ReportID(strings.TrimPrefix(a.header.Get("Location"), "/reports/")))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Shelling of Douma.\n\nSource text: " + newsText; v.Description != want {
		t.Errorf("description %q, want %q", v.Description, want)
	}
}

// TestQueueDraftsForm: a text that cannot be queued comes back to the
// form, with the error naming the field and the text as pasted, and
// nothing is queued.
func TestQueueDraftsForm(t *testing.T) {
	r := newRoom(t, web.Options{})
	c := r.client(t)
	c.signIn("TR/guarantor")
	csrf := c.csrf("/drafts")
	for _, tc := range []struct {
		name                     string
		text, date, source, want string
		status                   int
	}{
		{"NoText", "", "", "", "text: required", 400},
		{"NoIncident", "The talks in Astana resumed.", "", "", "text: no incident was read in it", 400},
		{"BadDate", newsText, "5 April", "", "date: not a date YYYY-MM-DD", 400},
		{"NotALink", newsText, "", "javascript:alert(1)", "source: must be an http or https link", 400},
		{"LongSource", newsText, "", "https://example.org/" + strings.Repeat("a", truce.MaxSourceLength), "source: must be at most 1000 characters", 400},
		{"LongText", strings.Repeat("a", intake.MaxText+1), "", "", "text: at most", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := c.post("/drafts", url.Values{"csrf": {csrf}, "text": {tc.text}, "date": {tc.date}, "source": {tc.source}})
			wantStatus(t, tc.name, a, tc.status, tc.want, `id="intake-form"`, `data-field="`+strings.Split(tc.want, ":")[0]+`"`)
			if tc.text != "" && len(tc.text) < 200 && !strings.Contains(a.body, ">"+tc.text+"</textarea>") {
				t.Errorf("the form came back without the text pasted")
			}
		})
	}
	big := url.Values{"csrf": {csrf}, "text": {strings.Repeat("ش", web.MaxIntakeFormBytes/6+1)}}
	wantStatus(t, "a form over the limit", c.post("/drafts", big), http.StatusRequestEntityTooLarge)
	wantStatus(t, "no CSRF token", c.post("/drafts", url.Values{"text": {newsText}}), http.StatusForbidden, "csrf")
	if q, err := r.svc.Drafts(ctx, r.members["TR/guarantor"]); err != nil || len(q.Drafts) != 0 {
		t.Errorf("refused texts queued drafts: %v, %v", q, err)
	}
	// An Arabic text of intake.MaxText bytes fits the form, though
	// percent-encoding triples it.
	long := strings.Repeat("ش", intake.MaxText/2)
	wantStatus(t, "the longest text", c.post("/drafts", url.Values{"csrf": {csrf}, "text": {long}}), http.StatusBadRequest, "text: no incident")
}

// TestDraftDiscard: a draft discarded from the queue page is gone, and the
// log is as it was.
func TestDraftDiscard(t *testing.T) {
	r := newRoom(t, web.Options{})
	d := r.queue(t, "IR/guarantor")
	c := r.client(t)
	c.signIn("IR/guarantor")
	before := r.logSize(t)
	csrf := c.csrf("/drafts")
	wantStatus(t, "discard without a CSRF token", c.post("/drafts/"+d.ID+"/discard", nil), http.StatusForbidden)
	a := c.post("/drafts/"+d.ID+"/discard", url.Values{"csrf": {csrf}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/drafts" {
		t.Fatalf("discard: %d to %q\n%s", a.status, a.header.Get("Location"), clip(a.body))
	}
	if r.queued(t, "IR/guarantor", d.ID) {
		t.Errorf("the discarded draft is still queued")
	}
	wantStatus(t, "the queue after", c.get("/drafts"), http.StatusOK, `id="drafts-empty"`)
	wantStatus(t, "discard again", c.post("/drafts/"+d.ID+"/discard", url.Values{"csrf": {csrf}}), http.StatusNotFound)
	if n := r.logSize(t); n != before {
		t.Errorf("discarding changed the log: %d entries, want %d", n, before)
	}
}

// TestDraftsOtherOrganisation: another organisation neither sees, files
// nor discards a draft: it is not found, as a missing one. The queuer's
// colleagues see it.
func TestDraftsOtherOrganisation(t *testing.T) {
	r := newRoom(t, web.Options{})
	d := r.queue(t, "RU/monitor")
	c := r.client(t)
	c.signIn("TR/guarantor")
	csrf := c.csrf("/drafts")
	if a := c.get("/drafts"); strings.Contains(a.body, d.ID) {
		t.Errorf("TR's queue lists RU's draft")
	}
	wantStatus(t, "RU's draft for TR", c.get("/drafts/"+d.ID), http.StatusNotFound, "draft "+d.ID+" not found")
	wantStatus(t, "TR files RU's draft", c.post("/drafts/"+d.ID+"/file", reviewForm(csrf)), http.StatusNotFound)
	wantStatus(t, "TR discards RU's draft", c.post("/drafts/"+d.ID+"/discard", url.Values{"csrf": {csrf}}), http.StatusNotFound)
	wantStatus(t, "a malformed id", c.get("/drafts/nonsense"), http.StatusNotFound)
	if !r.queued(t, "RU/monitor", d.ID) {
		t.Fatalf("another organisation's attempts took the draft off the queue")
	}
	ru := r.client(t)
	ru.signIn("RU/guarantor")
	wantStatus(t, "RU's draft for RU's guarantor officer", ru.get("/drafts/"+d.ID), http.StatusOK, `id="draft-form"`)
}

// TestDraftsForbidden: observers may not file reports, so the drafts are
// not theirs: the pages answer 403 and the navigation does not offer
// them; a visitor is sent to sign in.
func TestDraftsForbidden(t *testing.T) {
	r := newRoom(t, web.Options{})
	d := r.queue(t, "RU/monitor")
	c := r.client(t)
	c.signIn("UN/observer")
	if a := c.get("/map"); strings.Contains(a.body, `href="/drafts"`) {
		t.Errorf("an observer's navigation offers the drafts")
	}
	csrf := c.csrf("/map")
	wantStatus(t, "an observer's queue", c.get("/drafts"), http.StatusForbidden, `id="error-message" data-code="forbidden"`)
	wantStatus(t, "an observer's draft", c.get("/drafts/"+d.ID), http.StatusForbidden)
	wantStatus(t, "an observer queues a text", c.post("/drafts", url.Values{"csrf": {csrf}, "text": {newsText}}), http.StatusForbidden)
	wantStatus(t, "an observer files a draft", c.post("/drafts/"+d.ID+"/file", reviewForm(csrf)), http.StatusForbidden)
	wantStatus(t, "an observer discards a draft", c.post("/drafts/"+d.ID+"/discard", url.Values{"csrf": {csrf}}), http.StatusForbidden)
	if !r.queued(t, "RU/monitor", d.ID) {
		t.Fatalf("an observer's attempts took the draft off the queue")
	}
	anon := r.client(t)
	if a := anon.get("/drafts"); a.status != http.StatusSeeOther || a.header.Get("Location") != "/signin?next=%2Fdrafts" {
		t.Errorf("GET /drafts signed out: %d to %q, want 303 to sign in", a.status, a.header.Get("Location"))
	}
}
