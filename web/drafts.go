package web

import (
	"net/http"
	"slices"
	"strings"

	"truce"
	"truce/intake"
	"truce/workflow"
)

// The review queue. A member pastes a published news text; the service
// reads its incidents into draft reports (package intake) and queues
// them for the member's organisation. Each draft is then reviewed beside
// the sentences it was read from, corrected, and filed as an ordinary
// report or discarded. Every page calls the service methods that
// /api/v1/drafts calls, so the same rules hold: only members who may file
// reports, and only their own organisation's drafts.

// MaxIntakeFormBytes bounds the body of the form a news text is pasted
// into: a text of intake.MaxText bytes, percent-encoded (three bytes for
// one at worst, as for Arabic or Russian), and the fields around it.
const MaxIntakeFormBytes = 3*intake.MaxText + 16<<10

// draftsData is the queue page: the paste form, with the values entered
// and the error that sent it back, and the organisation's drafts.
type draftsData struct {
	Values map[string]string
	Error  string
	Field  string
	Drafts []draftItem
}

// handleDrafts shows the paste form and the queue of the member's
// organisation, oldest first.
func (h *Handler) handleDrafts(w http.ResponseWriter, r *http.Request, rq *request) error {
	return h.showDrafts(w, r, rq, http.StatusOK, map[string]string{}, nil)
}

func (h *Handler) showDrafts(w http.ResponseWriter, r *http.Request, rq *request, status int, values map[string]string, formErr error) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	ctx := r.Context()
	q, err := h.Service.Drafts(ctx, m)
	if err != nil {
		return err
	}
	a, err := h.Service.Agreement(ctx)
	if err != nil {
		return err
	}
	d := draftsData{Values: values}
	d.Error, d.Field = formError(formErr)
	for _, x := range q.Drafts {
		d.Drafts = append(d.Drafts, newDraftItem(x, a, rq.lang))
	}
	h.render(w, rq, status, "drafts.html", "drafts", "drafts", d)
	return nil
}

// handleQueueDrafts reads the pasted text into drafts and queues them
// (QueueDrafts), then shows the queue at the first of them. A text that
// cannot be queued comes back to the form with the error naming the
// field; nothing is queued.
func (h *Handler) handleQueueDrafts(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	if !m.Role.CanFileReport() {
		return workflow.Forbidden(m, "queue draft reports")
	}
	values := map[string]string{
		"text":   r.PostForm.Get("text"), // as given: the drafts' spans are offsets into it
		"date":   strings.TrimSpace(r.PostForm.Get("date")),
		"source": strings.TrimSpace(r.PostForm.Get("source")),
	}
	in := &workflow.IntakeInput{Text: values["text"], Date: values["date"], Source: values["source"]}
	err = checkSourceURL(in.Source)
	if err == nil {
		var q *workflow.DraftQueue
		if q, err = h.Service.QueueDrafts(r.Context(), m, in); err == nil {
			http.Redirect(w, r, "/drafts#"+q.Drafts[0].ID, http.StatusSeeOther)
			return nil
		}
	}
	if code := truce.ErrorCode(err); code != truce.EINVALID && code != truce.ETOOLARGE {
		return err
	}
	return h.showDrafts(w, r, rq, statusOf(err), values, err)
}

// checkSourceURL checks the paste form's link before anything is queued:
// a report's source (truce.ValidateSource, which the service applies too)
// that is a link, since the form asks for one.
func checkSourceURL(s string) error {
	if s == "" {
		return nil
	}
	if err := truce.ValidateSource("source", s); err != nil {
		return err
	}
	if !strings.Contains(s, "://") {
		return truce.Invalidf("source", "must be an http or https link such as https://example.org/news/1")
	}
	return nil
}

// draftData is the review page: the draft, and its report as a form.
type draftData struct {
	reportForm
	Item draftItem
}

func (h *Handler) handleDraft(w http.ResponseWriter, r *http.Request, rq *request) error {
	return h.showDraft(w, r, rq, http.StatusOK, nil, nil)
}

// showDraft shows a draft of the member's organisation for review, its
// form filled with values (nil: the draft's report as read).
func (h *Handler) showDraft(w http.ResponseWriter, r *http.Request, rq *request, status int, values map[string]string, formErr error) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	ctx := r.Context()
	// Another organisation's draft is not found, exactly as a missing one.
	x, err := h.Service.Draft(ctx, m, r.PathValue("id"))
	if err != nil {
		return err
	}
	a, err := h.Service.Agreement(ctx)
	if err != nil {
		return err
	}
	if values == nil {
		values = reportValues(&x.Draft.Report)
	}
	d := draftData{reportForm: h.newReportForm(a, rq, values, formErr), Item: newDraftItem(x, a, rq.lang)}
	d.DescriptionHelp = "draft.keep"
	d.Item.Pick = true
	// A text may name an actor the form would not offer (an observer):
	// offered too, the select keeps the value it was given.
	for _, id := range []string{values["perpetrator"], values["target"]} {
		if y := a.Actor(truce.ActorID(id)); y != nil && !slices.ContainsFunc(d.Actors, func(z truce.Actor) bool { return z.ID == y.ID }) {
			d.Actors = append(d.Actors, *y)
		}
	}
	h.render(w, rq, status, "draft.html", "draft", "drafts", d)
	return nil
}

// handleFileDraft files the draft as the form edited it, through the
// same FileDraft the API calls, and shows the new report. A refused
// report comes back to the form with the error naming the field, and the
// draft stays queued.
func (h *Handler) handleFileDraft(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	if !m.Role.CanFileReport() {
		return workflow.Forbidden(m, "file reports")
	}
	values := map[string]string{}
	for _, f := range reportFormFields {
		values[f] = r.PostForm.Get(f)
	}
	in, err := reportInput(values)
	if err == nil {
		var v *workflow.ReportView
		if v, err = h.Service.FileDraft(r.Context(), m, r.PathValue("id"), in); err == nil {
			http.Redirect(w, r, "/reports/"+string(v.ID), http.StatusSeeOther)
			return nil
		}
	}
	if truce.ErrorCode(err) != truce.EINVALID {
		return err
	}
	return h.showDraft(w, r, rq, statusOf(err), values, err)
}

// handleDiscardDraft takes the draft off the queue unfiled.
func (h *Handler) handleDiscardDraft(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	if err := h.Service.DiscardDraft(r.Context(), m, r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/drafts", http.StatusSeeOther)
	return nil
}
