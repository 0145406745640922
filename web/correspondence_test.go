package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/web"
	"truce/workflow"
)

// inForm is a deadline as the request form's datetime-local field gives
// it, d from now, in UTC.
func inForm(d time.Duration) string { return time.Now().UTC().Add(d).Format("2006-01-02T15:04") }

// rfis lists the requests about report id that who may read.
func (r *room) rfis(tb testing.TB, who string, id truce.ReportID) []*workflow.RFIView {
	tb.Helper()
	page, err := r.svc.ListRFIs(ctx, r.members[who], workflow.RFIQuery{Report: string(id)})
	if err != nil {
		tb.Fatal(err)
	}
	return page.RFIs
}

// sendRFI sends a request about report id from a guarantor officer to
// an organisation through the service, as the API would.
func (r *room) sendRFI(tb testing.TB, from string, id truce.ReportID, to truce.ActorID, question string) *workflow.RFIView {
	tb.Helper()
	v, err := r.svc.SendRFI(ctx, r.members[from], &truce.RFIInput{Report: id, To: to, Question: question, Deadline: time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)})
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// wantLogSize fails when the log no longer has n entries.
func (r *room) wantLogSize(tb testing.TB, what string, n int64) {
	tb.Helper()
	if got := r.logSize(tb); got != n {
		tb.Fatalf("%s changed the log: %d entries, want %d", what, got, n)
	}
}

// TestReplyForm: the accused party replies from the report page and the
// reply shows on the timeline; bad text comes back naming the field; no
// one else is offered the form, and the server refuses it anyway.
func TestReplyForm(t *testing.T) {
	r := newRoom(t, web.Options{})
	v := r.file(t, "OPP/party", 36.5667, 35.4397) // alleges SYG
	page := "/reports/" + string(v.ID)
	syg := r.client(t)
	syg.signIn("SYG/party")
	wantStatus(t, "the report for the accused", syg.get(page), http.StatusOK, `id="reply-form"`, `action="/reports/`+string(v.ID)+`/reply"`)
	csrf := syg.csrf(page)
	before := r.logSize(t)
	long := strings.Repeat("ж", truce.MaxReply+1)
	for _, tc := range []struct {
		name, text, want string
	}{
		{"Empty", "", "text: is required"},
		{"TooLong", long, "text: must be at most 10000 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := syg.post(page+"/reply", url.Values{"csrf": {csrf}, "text": {tc.text}})
			wantStatus(t, "a reply "+tc.name, a, http.StatusBadRequest, tc.want, `id="reply-error"`, `data-field="text"`, `id="reply-form"`)
			if tc.text != "" && !strings.Contains(a.body, tc.text+"</textarea>") {
				t.Errorf("the form came back without the text entered")
			}
		})
	}
	wantStatus(t, "a reply without a CSRF token", syg.post(page+"/reply", url.Values{"text": {"We did not fire."}}), http.StatusForbidden, "csrf")
	wantStatus(t, "a reply to a missing report", syg.post("/reports/rpt_aaaaaaaaaaaaaaaa/reply", url.Values{"csrf": {csrf}, "text": {"We did not fire."}}), http.StatusNotFound)
	r.wantLogSize(t, "refused replies", before)

	a := syg.post(page+"/reply", url.Values{"csrf": {csrf}, "text": {"Our units did not fire that day."}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != page {
		t.Fatalf("a reply: %d to %q, want 303 to %s\n%s", a.status, a.header.Get("Location"), page, clip(a.body))
	}
	r.wantLogSize(t, "a reply", before+1)
	wantStatus(t, "the report after the reply", syg.get(page), http.StatusOK, `data-what="ev.replied"`, "Our units did not fire that day.")

	// Others are not offered the form, and a reply posted anyway is
	// refused with nothing recorded.
	for _, who := range []string{"OPP/party", "UN/observer", "TR/guarantor", "RU/monitor"} {
		t.Run(strings.ReplaceAll(who, "/", "-"), func(t *testing.T) {
			c := r.client(t)
			c.signIn(who)
			a := c.get(page)
			wantStatus(t, who+"'s report page", a, http.StatusOK, "Our units did not fire that day.")
			if strings.Contains(a.body, `id="reply-form"`) {
				t.Errorf("%s is offered the reply form to a report alleging SYG", who)
			}
			wantStatus(t, who+"'s reply", c.post(page+"/reply", url.Values{"csrf": {c.csrf(page)}, "text": {"We did not fire."}}), http.StatusForbidden)
			r.wantLogSize(t, who+"'s refused reply", before+1)
		})
	}
}

// TestRFIForms: a guarantor officer asks a party from the report page;
// the request shows in the party's queue, is answered there, and the
// answer shows on the report's timeline. Bad input comes back naming the
// field, and nothing is recorded.
func TestRFIForms(t *testing.T) {
	r := newRoom(t, web.Options{})
	v := r.file(t, "OPP/party", 36.5667, 35.4397) // alleges SYG
	page := "/reports/" + string(v.ID)
	tr := r.client(t)
	tr.signIn("TR/guarantor")
	a := tr.get(page)
	wantStatus(t, "the report for a guarantor officer", a, http.StatusOK, `id="rfi-form"`, `action="/reports/`+string(v.ID)+`/rfis"`,
		`<option value="SYG" selected>`, `<option value="OPP">`, `<option value="RU">`, `<option value="IR">`, `id="rfi-deadline"`)
	if strings.Contains(a.body, `<option value="TR"`) || strings.Contains(a.body, `<option value="UN"`) || strings.Contains(a.body, `id="reply-form"`) {
		t.Errorf("a Turkish officer's request form offers TR or UN, or the page offers a reply")
	}
	csrf := tr.csrf(page)
	good := url.Values{"csrf": {csrf}, "to": {"SYG"}, "question": {"Which units were at the northern edge?"}, "deadline": {inForm(48 * time.Hour)}}
	with := func(k, v string) url.Values { return withValue(good, k, v) }
	before := r.logSize(t)
	for _, tc := range []struct {
		name, field, value, want string
		status                   int
	}{
		{"NoQuestion", "question", "", "question: is required", 400},
		{"LongQuestion", "question", strings.Repeat("q", truce.MaxQuestion+1), "question: must be at most 4000 characters", 400},
		{"NoAddressee", "to", "", "to: &#34;&#34; is not a party or guarantor", 400},
		{"Observer", "to", "UN", "to: &#34;UN&#34; is not a party or guarantor", 400},
		{"Itself", "to", "TR", "to: a guarantor does not send requests to itself", 400},
		{"LongAddressee", "to", strings.Repeat("x", 301), "to: must be at most 300 characters", 400},
		{"PastDeadline", "deadline", inForm(-time.Hour), "deadline: must be between an hour and 90 days from now", 400},
		{"FarDeadline", "deadline", inForm(100 * 24 * time.Hour), "deadline: must be between an hour and 90 days from now", 400},
		{"BadDeadline", "deadline", "soon", "deadline: &#34;soon&#34; is not an RFC 3339 time", 400},
		{"NoCSRF", "csrf", "", "csrf", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tr.post(page+"/rfis", with(tc.field, tc.value))
			wantStatus(t, tc.name, a, tc.status, tc.want)
			if tc.status != 400 {
				return
			}
			wantStatus(t, tc.name, a, tc.status, `id="rfi-error"`, `data-field="`+tc.field+`"`)
			if tc.field != "question" && !strings.Contains(a.body, "Which units were at the northern edge?</textarea>") {
				t.Errorf("the form came back without the question entered")
			}
		})
	}
	wantStatus(t, "a request about a missing report", tr.post("/reports/rpt_aaaaaaaaaaaaaaaa/rfis", good), http.StatusNotFound)
	r.wantLogSize(t, "refused requests", before)

	a = tr.post(page+"/rfis", good)
	if a.status != http.StatusSeeOther || a.header.Get("Location") != page {
		t.Fatalf("a request: %d to %q, want 303 to %s\n%s", a.status, a.header.Get("Location"), page, clip(a.body))
	}
	r.wantLogSize(t, "a request", before+1)
	a = tr.get(page)
	wantStatus(t, "the report after the request", a, http.StatusOK, `data-what="ev.rfi"`, "Which units were at the northern edge?")
	if strings.Contains(a.body, `class="stack answer"`) {
		t.Errorf("the asking guarantor is offered the answer form")
	}
	sent := r.rfis(t, "TR/guarantor", v.ID)
	if len(sent) != 1 || sent[0].To != "SYG" || sent[0].From != "TR" {
		t.Fatalf("requests about the report: %+v, want one from TR to SYG", sent)
	}
	id := string(sent[0].ID)

	// The party answers from its queue.
	syg := r.client(t)
	syg.signIn("SYG/party")
	wantStatus(t, "the party's queue", syg.get("/queue"), http.StatusOK, `id="queue-rfis"`, "Which units were at the northern edge?",
		`id="answer-form-`+id+`"`, `action="/rfis/`+id+`/answer"`, `name="back" value="queue"`)
	qcsrf := syg.csrf("/queue")
	answer := func(text string) url.Values {
		return url.Values{"csrf": {qcsrf}, "back": {"queue"}, "text": {text}}
	}
	before = r.logSize(t)
	wantStatus(t, "an empty answer", syg.post("/rfis/"+id+"/answer", answer("")), http.StatusBadRequest, "text: is required", `id="answer-error-`+id+`"`, `id="queue-rfis"`)
	a = syg.post("/rfis/"+id+"/answer", answer(strings.Repeat("a", truce.MaxAnswer+1)))
	wantStatus(t, "a long answer", a, http.StatusBadRequest, "text: must be at most 10000 characters", `id="answer-error-`+id+`"`)
	if !strings.Contains(a.body, strings.Repeat("a", truce.MaxAnswer+1)+"</textarea>") {
		t.Errorf("the queue came back without the answer entered")
	}
	wantStatus(t, "an answer without a CSRF token", syg.post("/rfis/"+id+"/answer", url.Values{"back": {"queue"}, "text": {"The 4th Division."}}), http.StatusForbidden, "csrf")
	wantStatus(t, "an answer to a missing request", syg.post("/rfis/rfi_aaaaaaaaaaaaaaaa/answer", answer("The 4th Division.")), http.StatusNotFound)
	wantStatus(t, "an answer to a malformed id", syg.post("/rfis/nonsense/answer", answer("The 4th Division.")), http.StatusNotFound)
	r.wantLogSize(t, "refused answers", before)

	a = syg.post("/rfis/"+id+"/answer", answer("The 4th Division's artillery was 20 km away."))
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/queue" {
		t.Fatalf("an answer: %d to %q, want 303 to /queue\n%s", a.status, a.header.Get("Location"), clip(a.body))
	}
	r.wantLogSize(t, "an answer", before+1)
	if a := syg.get("/queue"); strings.Contains(a.body, id) {
		t.Errorf("the queue still lists the answered request")
	}
	wantStatus(t, "answering again", syg.post("/rfis/"+id+"/answer", answer("Again.")), http.StatusConflict, "already been answered")
	for _, c := range []*client{syg, tr} {
		a := c.get(page)
		wantStatus(t, "the report after the answer", a, http.StatusOK, `data-what="ev.answer"`, "The 4th Division&#39;s artillery was 20 km away.")
		if strings.Contains(a.body, `id="answer-form-`+id+`"`) {
			t.Errorf("the answered request still has its answer form")
		}
	}
}

// TestAnswerOnReport: the organisation asked answers on the report's
// timeline too, and returns there; a guarantor answers what another
// guarantor asked it.
func TestAnswerOnReport(t *testing.T) {
	r := newRoom(t, web.Options{})
	v := r.file(t, "OPP/party", 36.5667, 35.4397)
	page := "/reports/" + string(v.ID)
	toSYG := string(r.sendRFI(t, "TR/guarantor", v.ID, "SYG", "Where was the battery?").ID)
	toRU := string(r.sendRFI(t, "TR/guarantor", v.ID, "RU", "Did your post see the fire?").ID)

	syg := r.client(t)
	syg.signIn("SYG/party")
	a := syg.get(page)
	wantStatus(t, "the party's report page", a, http.StatusOK, `id="answer-form-`+toSYG+`"`, `name="back" value="report"`, `id="reply-form"`)
	if strings.Contains(a.body, toRU) || strings.Contains(a.body, "Did your post see the fire?") {
		t.Errorf("the party's report page shows a request addressed to RU")
	}
	csrf := syg.csrf(page)
	before := r.logSize(t)
	a = syg.post("/rfis/"+toSYG+"/answer", url.Values{"csrf": {csrf}, "back": {"report"}, "text": {""}})
	wantStatus(t, "an empty answer on the report page", a, http.StatusBadRequest, "text: is required", `id="answer-error-`+toSYG+`"`, `id="report"`)
	// A request addressed to someone else is not found, as the API says.
	wantStatus(t, "SYG answers RU's request", syg.post("/rfis/"+toRU+"/answer", url.Values{"csrf": {csrf}, "back": {"report"}, "text": {"Yes."}}), http.StatusNotFound)
	r.wantLogSize(t, "refused answers", before)
	a = syg.post("/rfis/"+toSYG+"/answer", url.Values{"csrf": {csrf}, "back": {"report"}, "text": {"West of the town."}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != page {
		t.Fatalf("an answer on the report page: %d to %q, want 303 to %s\n%s", a.status, a.header.Get("Location"), page, clip(a.body))
	}
	wantStatus(t, "the report after the answer", syg.get(page), http.StatusOK, "West of the town.")

	// RU's officer answers what TR asked RU; RU's monitor may not.
	ru := r.client(t)
	ru.signIn("RU/guarantor")
	wantStatus(t, "RU's queue", ru.get("/queue"), http.StatusOK, `id="answer-form-`+toRU+`"`)
	mon := r.client(t)
	mon.signIn("RU/monitor")
	a = mon.get("/queue")
	wantStatus(t, "RU's monitor's queue", a, http.StatusOK, "Did your post see the fire?")
	if strings.Contains(a.body, `id="answer-form-`+toRU+`"`) {
		t.Errorf("a monitor is offered the answer form")
	}
	wantStatus(t, "a monitor's answer", mon.post("/rfis/"+toRU+"/answer", url.Values{"csrf": {mon.csrf("/queue")}, "back": {"queue"}, "text": {"Yes."}}), http.StatusForbidden)
	a = ru.post("/rfis/"+toRU+"/answer", url.Values{"csrf": {ru.csrf("/queue")}, "back": {"queue"}, "text": {"Yes, at 14:30."}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/queue" {
		t.Fatalf("RU's answer: %d to %q\n%s", a.status, a.header.Get("Location"), clip(a.body))
	}
	r.wantLogSize(t, "two answers", before+2)
}

// TestCorrespondenceObserver: an observer reads the correspondence but
// is offered none of its forms, and the server refuses them anyway.
func TestCorrespondenceObserver(t *testing.T) {
	r := newRoom(t, web.Options{})
	v := r.file(t, "OPP/party", 36.5667, 35.4397)
	page := "/reports/" + string(v.ID)
	id := string(r.sendRFI(t, "TR/guarantor", v.ID, "SYG", "Where was the battery?").ID)
	for _, who := range []string{"UN/observer", "RU/monitor"} {
		t.Run(strings.ReplaceAll(who, "/", "-"), func(t *testing.T) {
			c := r.client(t)
			c.signIn(who)
			a := c.get(page)
			wantStatus(t, who+"'s report page", a, http.StatusOK, "Where was the battery?")
			for _, form := range []string{`id="reply-form"`, `id="rfi-form"`, `class="stack answer"`} {
				if strings.Contains(a.body, form) {
					t.Errorf("%s's report page has %s", who, form)
				}
			}
			csrf := c.csrf(page)
			before := r.logSize(t)
			wantStatus(t, who+"'s reply", c.post(page+"/reply", url.Values{"csrf": {csrf}, "text": {"No."}}), http.StatusForbidden)
			wantStatus(t, who+"'s request", c.post(page+"/rfis", url.Values{"csrf": {csrf}, "to": {"SYG"}, "question": {"Why?"}, "deadline": {inForm(48 * time.Hour)}}), http.StatusForbidden)
			wantStatus(t, who+"'s answer", c.post("/rfis/"+id+"/answer", url.Values{"csrf": {csrf}, "back": {"queue"}, "text": {"No."}}), http.StatusForbidden)
			r.wantLogSize(t, who+"'s refused forms", before)
		})
	}
	// A party may not ask.
	c := r.client(t)
	c.signIn("SYG/party")
	wantStatus(t, "a party's request", c.post(page+"/rfis", url.Values{"csrf": {c.csrf(page)}, "to": {"OPP"}, "question": {"Why?"}, "deadline": {inForm(48 * time.Hour)}}), http.StatusForbidden)
}

// TestCorrespondenceInEveryLanguage: the party's forms, on the report
// page and the queue, have all their text in every language.
func TestCorrespondenceInEveryLanguage(t *testing.T) {
	r := newRoom(t, web.Options{})
	v := r.file(t, "OPP/party", 36.5667, 35.4397)
	r.sendRFI(t, "TR/guarantor", v.ID, "SYG", "Where was the battery?")
	for _, lang := range []string{"en", "ar", "ru", "tr", "fa"} {
		c := r.client(t)
		c.signIn("SYG/party")
		if a := c.post("/lang", url.Values{"csrf": {c.csrf("/map")}, "lang": {lang}, "next": {"/queue"}}); a.status != http.StatusSeeOther {
			t.Fatalf("choosing %s: %d", lang, a.status)
		}
		for _, p := range []string{"/reports/" + string(v.ID), "/queue"} {
			a := c.get(p)
			wantStatus(t, lang+" "+p, a, http.StatusOK, `<html lang="`+lang+`"`, `class="stack answer"`)
			if m := missingText.FindString(a.body); m != "" {
				t.Errorf("%s %s: missing text %s", lang, p, m)
			}
		}
	}
}
