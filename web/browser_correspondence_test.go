package web_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserRequestAndAnswer: a Russian officer asks the Syrian
// government about a report alleging it, from the report page; the
// government's liaison signs in at its own desk, finds the request in
// its queue, answers it with the keyboard, and sees the answer on the
// report's timeline; the report page, with its reply form, holds at a
// phone's width in Arabic.
func TestBrowserRequestAndAnswer(t *testing.T) {
	chromium := needBrowser(t)
	s := startDemo(t)
	var page struct{ Reports []struct{ ID string } }
	if code := s.api(t, "GET", "/api/v1/reports?perpetrator=SYG&limit=1", s.tokens["RU/guarantor"], nil, &page); code != 200 || len(page.Reports) == 0 {
		t.Fatalf("GET /api/v1/reports?perpetrator=SYG: %d, %d reports", code, len(page.Reports))
	}
	id := page.Reports[0].ID
	const question = "Which of your units were within 5 km of the place at the time?"
	const answer = "None: the nearest artillery of the 4th Division was 20 km to the south."

	browser := newBrowser(t, chromium)
	ru := person(t, browser)
	signIn(t, ru, s, "RU/guarantor")
	do(t, ru, "open the report", chromedp.Navigate(s.url+"/reports/"+id), chromedp.WaitVisible(chromedp.ID("rfi-form")))
	if got := eval[string](t, ru, `document.getElementById('rfi-to').value`); got != "SYG" {
		t.Errorf("the request form proposes %q, want the accused SYG", got)
	}
	if eval[bool](t, ru, `document.querySelector('#rfi-to option[value="RU"]') !== null`) {
		t.Errorf("a Russian officer's request form offers RU itself")
	}
	if eval[string](t, ru, `document.getElementById('rfi-deadline').value`) == "" {
		t.Errorf("the request form proposes no deadline")
	}
	do(t, ru, "write the request", chromedp.SendKeys(chromedp.ID("rfi-question"), question))
	shot(t, ru, "16-report-request-information")
	do(t, ru, "send it", chromedp.Click(chromedp.ID("rfi-submit")))
	waitFor(t, ru, "the request on the timeline", fmt.Sprintf(`[...document.querySelectorAll('#timeline li[data-what="ev.rfi"] q')].some(q => q.textContent === %q)`, question), 10*time.Second)

	syg := person(t, browser)
	signIn(t, syg, s, "SYG/party")
	do(t, syg, "open the queue from the navigation",
		chromedp.Click(`a[href="/queue"]`, chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.ID("queue-rfis")),
	)
	rfi := eval[string](t, syg, fmt.Sprintf(`(() => { const q = [...document.querySelectorAll('#queue-rfis blockquote.question')].find(q => q.textContent === %q); return q ? q.closest('li').dataset.id : ''; })()`, question))
	if rfi == "" {
		t.Fatalf("the party's queue does not list the request")
	}
	do(t, syg, "type the answer", chromedp.SendKeys(chromedp.ID("answer-"+rfi), answer), chromedp.KeyEvent(kb.Tab))
	if got := eval[string](t, syg, `document.activeElement.id`); got != "answer-submit-"+rfi {
		t.Errorf("Tab from the answer focuses %q, want its button", got)
	}
	shot(t, syg, "17-queue-answer-request")
	do(t, syg, "send it with Enter", chromedp.KeyEvent(kb.Enter))
	waitFor(t, syg, "the queue without the request", fmt.Sprintf(`location.pathname === '/queue' && document.readyState === 'complete' && document.getElementById(%q) === null`, rfi), 10*time.Second)

	do(t, syg, "open the report", chromedp.Navigate(s.url+"/reports/"+id), chromedp.WaitVisible(chromedp.ID("reply-form")))
	if !eval[bool](t, syg, fmt.Sprintf(`[...document.querySelectorAll('#timeline li[data-what="ev.answer"] q')].some(q => q.textContent === %q)`, answer)) {
		t.Errorf("the report's timeline does not show the answer")
	}
	if eval[bool](t, syg, `document.getElementById('rfi-form') !== null || document.getElementById('assess-form') !== null`) {
		t.Errorf("a party's report page offers to ask or to assess")
	}
	shot(t, syg, "18-report-answer-on-timeline")
	// The asking officer's page shows the answer too.
	do(t, ru, "reload the report", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("timeline")))
	if !eval[bool](t, ru, fmt.Sprintf(`[...document.querySelectorAll('#timeline li[data-what="ev.answer"] q')].some(q => q.textContent === %q)`, answer)) {
		t.Errorf("the asking officer's timeline does not show the answer")
	}

	// In Arabic at a phone's width, right to left, nothing scrolls sideways.
	do(t, syg, "choose Arabic", chromedp.SetValue(chromedp.ID("lang-select"), "ar"), chromedp.Click(chromedp.ID("lang-apply")))
	waitFor(t, syg, "the Arabic report page", `document.documentElement.lang === 'ar' && document.getElementById('reply-form') !== null`, 10*time.Second)
	do(t, syg, "phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("reply-form")))
	if got := eval[string](t, syg, `getComputedStyle(document.getElementById('reply-form')).direction`); got != "rtl" {
		t.Errorf("the Arabic reply form's direction is %q, want rtl", got)
	}
	if w := eval[float64](t, syg, `document.documentElement.scrollWidth`); w > 391 {
		t.Errorf("at 390 px the report page is %v px wide: it scrolls sideways", w)
	}
	do(t, syg, "write a reply", chromedp.SendKeys(chromedp.ID("reply-text"), "لم تطلق وحداتنا النار في ذلك اليوم."))
	shot(t, syg, "19-report-reply-arabic-phone")
}
