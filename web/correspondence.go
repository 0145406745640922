package web

import (
	"net/http"
	"strings"
	"time"

	"truce"
	"truce/i18n"
	"truce/workflow"
)

// Correspondence on a report: an accused party's reply, a guarantor
// officer's request for information (RFI), and the answer of the
// organisation asked. Each form posts to a handler that calls the same
// service method as the API (Reply, SendRFI, AnswerRFI), so the same
// rules decide; the pages only mirror those rules to choose which forms
// to show. A refused form comes back to its page with a 4xx, the values
// entered and the error naming the field, and nothing is recorded.

// MaxTextFormBytes bounds the body of a reply or an answer: a text of
// truce.MaxAnswer characters (MaxReply is the same), each up to four
// bytes of UTF-8 percent-encoded as twelve, and the fields around it.
const MaxTextFormBytes = 12*truce.MaxAnswer + 16<<10

// defaultRFIDeadline is the deadline the request form proposes: three
// days, the time the agreement gives guarantors to answer a report.
const defaultRFIDeadline = 72 * time.Hour

// sentForm is a form sent back to its page: which form, the values
// entered, and the error that refused them with the field it names. The
// zero sentForm is no form sent back.
type sentForm struct {
	Name   string      // "assess", "reply", "rfi" or "answer"
	RFI    truce.RFIID // for an answer: the request it answers
	Values map[string]string
	Error  string
	Field  string
	err    error // shown as the page's error when the page no longer offers the form
}

func newSentForm(name string, rfi truce.RFIID, values map[string]string, err error) sentForm {
	f := sentForm{Name: name, RFI: rfi, Values: values, err: err}
	f.Error, f.Field = formError(err)
	return f
}

// Sent reports whether f is the form name (of request rfi, for an
// answer), for the templates to show its error and values there.
func (f sentForm) Sent(name string, rfi truce.RFIID) bool {
	return f.Name != "" && f.Name == name && f.RFI == rfi
}

// answerForm is the form that answers a request for information
// (template "answer-form"), on the queue and on the report's timeline.
type answerForm struct {
	RFI   truce.RFIID
	Back  string // "queue" or "report": the page the answer returns to
	Lang  i18n.Lang
	CSRF  string
	Text  string // the answer entered, when sent back
	Error string
}

// newAnswerForm returns the answer form of request id on the page back,
// with what was entered if it is the form sent back.
func newAnswerForm(rq *request, id truce.RFIID, back string, sent sentForm) *answerForm {
	f := &answerForm{RFI: id, Back: back, Lang: rq.lang, CSRF: rq.csrf}
	if sent.Sent("answer", id) {
		f.Text, f.Error = sent.Values["text"], sent.Error
	}
	return f
}

// rfiForm is the request form of a report page: the organisations it may
// be sent to, as truce.RFIInput.Validate allows (the parties, and the
// guarantors other than the sender's), and its values.
type rfiForm struct {
	Parties    []truce.Actor
	Guarantors []truce.Actor
	Values     map[string]string
}

func newRFIForm(a *truce.Agreement, from truce.ActorID, values map[string]string) *rfiForm {
	f := &rfiForm{Values: values}
	for _, x := range a.Actors {
		switch {
		case x.ID == from:
		case x.Standing == truce.Party:
			f.Parties = append(f.Parties, x)
		case x.Standing == truce.Guarantor:
			f.Guarantors = append(f.Guarantors, x)
		}
	}
	return f
}

// rfiDefaults are the request form's values before anything is entered:
// addressed to the accused when it is a party, due in three days.
func rfiDefaults(a *truce.Agreement, v *workflow.ReportView, now time.Time) map[string]string {
	values := map[string]string{"deadline": now.UTC().Add(defaultRFIDeadline).Format("2006-01-02T15:04")}
	if x := a.Actor(v.Perpetrator); x != nil && x.Standing == truce.Party {
		values["to"] = string(x.ID)
	}
	return values
}

// handleReply records the accused party's reply through the same Reply
// the API calls, then shows the report again.
func (h *Handler) handleReply(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	if m.Role != truce.RoleParty {
		return workflow.Forbidden(m, "reply to reports; only the accused party's liaison may")
	}
	id := truce.ReportID(r.PathValue("id"))
	if !id.Valid() {
		return workflow.NotFound("report", string(id))
	}
	in := &truce.ReplyInput{Text: r.PostForm.Get("text")}
	if _, err := h.Service.Reply(r.Context(), m, id, in); err != nil {
		if truce.ErrorCode(err) != truce.EINVALID {
			return err
		}
		return h.showReport(w, r, rq, id, statusOf(err), newSentForm("reply", "", map[string]string{"text": in.Text}, err))
	}
	http.Redirect(w, r, "/reports/"+string(id), http.StatusSeeOther)
	return nil
}

// handleSendRFI sends the guarantor officer's request about the report
// through the same SendRFI the API calls, then shows the report again.
func (h *Handler) handleSendRFI(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	if !truce.CanSendRFI(m) {
		return workflow.Forbidden(m, "send requests for information; only guarantor officers may")
	}
	id := truce.ReportID(r.PathValue("id"))
	if !id.Valid() {
		return workflow.NotFound("report", string(id))
	}
	values := map[string]string{"to": r.PostForm.Get("to"), "question": r.PostForm.Get("question"), "deadline": r.PostForm.Get("deadline")}
	in, err := rfiInput(id, values)
	if err == nil {
		if _, err = h.Service.SendRFI(r.Context(), m, in); err == nil {
			http.Redirect(w, r, "/reports/"+string(id), http.StatusSeeOther)
			return nil
		}
	}
	if truce.ErrorCode(err) != truce.EINVALID {
		return err
	}
	return h.showReport(w, r, rq, id, statusOf(err), newSentForm("rfi", "", values, err))
}

// rfiInput reads the request form: the addressee and the deadline each
// limited to maxField characters, the deadline as UTC.
func rfiInput(report truce.ReportID, v map[string]string) (*truce.RFIInput, error) {
	for _, f := range []string{"to", "deadline"} {
		if len(v[f]) > maxField {
			return nil, truce.Invalidf(f, "must be at most %d characters", maxField)
		}
	}
	return &truce.RFIInput{Report: report, To: truce.ActorID(strings.TrimSpace(v["to"])), Question: v["question"], Deadline: formTime(v["deadline"])}, nil
}

// handleAnswerRFI records the answer of the organisation asked through
// the same AnswerRFI the API calls, then returns to the page the form
// was on: the queue, or the report the request is about.
func (h *Handler) handleAnswerRFI(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	if m.Role != truce.RoleParty && m.Role != truce.RoleGuarantor {
		return workflow.Forbidden(m, "answer requests for information")
	}
	id := truce.RFIID(r.PathValue("id"))
	if !id.Valid() {
		return workflow.NotFound("request", string(id))
	}
	ctx := r.Context()
	back := r.PostForm.Get("back")
	in := &truce.AnswerInput{Text: r.PostForm.Get("text")}
	v, err := h.Service.AnswerRFI(ctx, m, id, in)
	if err == nil {
		if back == "report" {
			http.Redirect(w, r, "/reports/"+string(v.Report), http.StatusSeeOther)
		} else {
			http.Redirect(w, r, "/queue", http.StatusSeeOther)
		}
		return nil
	}
	if truce.ErrorCode(err) != truce.EINVALID {
		return err
	}
	sent := newSentForm("answer", id, map[string]string{"text": in.Text}, err)
	if back == "report" {
		// The report the request is about, as the member may read it; a
		// request it may not read is shown as the error alone.
		x, rerr := h.Service.RFI(ctx, m, id)
		if rerr != nil {
			return err
		}
		return h.showReport(w, r, rq, x.Report, statusOf(err), sent)
	}
	return h.showQueue(w, r, rq, statusOf(err), sent)
}

// formTime reads a datetime-local field, which the forms say is UTC, as
// RFC 3339; other text is left as given, for the service to refuse
// naming the field.
func formTime(s string) string {
	t := strings.TrimSpace(s)
	if _, err := time.Parse("2006-01-02T15:04", t); err == nil {
		return t + ":00Z"
	}
	if _, err := time.Parse("2006-01-02T15:04:05", t); err == nil {
		return t + "Z"
	}
	return t
}
