package web

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"truce"
	"truce/workflow"
)

// eventChoice is one option of the report form's event type: an ACLED
// event type and sub-event type.
type eventChoice struct {
	Type, Sub string
	Value     string // "type|sub"
}

type eventGroup struct {
	Type    string
	Choices []eventChoice
}

// eventGroups are ACLED's event types and their sub-event types, sorted.
var eventGroups = func() []eventGroup {
	var gs []eventGroup
	for et, subs := range truce.ACLEDEventTypes {
		g := eventGroup{Type: et}
		for _, s := range subs {
			g.Choices = append(g.Choices, eventChoice{et, s, et + "|" + s})
		}
		gs = append(gs, g)
	}
	sort.Slice(gs, func(i, j int) bool { return gs[i].Type < gs[j].Type })
	return gs
}()

// reportForm is what a report's form shows (template "report-fields",
// on the report form and a draft's review): the values entered, the error
// that sent it back and the field it names, the choices of event and
// actor, and the map to place it on.
type reportForm struct {
	Values    map[string]string
	Error     string
	Field     string
	Events    []eventGroup
	Actors    []truce.Actor
	Agreement *truce.Agreement
	HasMapLib bool
	MapConfig string
	// DescriptionHelp, a text key, is shown under the description.
	DescriptionHelp string
}

// newReportForm returns the form of a report of agreement a with values,
// sent back by formErr (nil for none).
func (h *Handler) newReportForm(a *truce.Agreement, rq *request, values map[string]string, formErr error) reportForm {
	f := reportForm{Values: values, Events: eventGroups, Agreement: a, HasMapLib: h.hasMapLib, Actors: reportActors(a)}
	f.Error, f.Field = formError(formErr)
	f.MapConfig = mustJSON(h.mapConfig(a, rq))
	return f
}

func (h *Handler) handleReportForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	if !m.Role.CanFileReport() {
		return workflow.Forbidden(m, "file reports")
	}
	return h.showReportForm(w, r, rq, http.StatusOK, map[string]string{
		"occurred_at": h.Service.Now().UTC().Format("2006-01-02T15:04"),
		"event":       "Explosions/Remote violence|Shelling/artillery/missile attack",
	}, nil)
}

func (h *Handler) showReportForm(w http.ResponseWriter, r *http.Request, rq *request, status int, values map[string]string, formErr error) error {
	a, err := h.Service.Agreement(r.Context())
	if err != nil {
		return err
	}
	h.render(w, rq, status, "report_new.html", "file", "file", h.newReportForm(a, rq, values, formErr))
	return nil
}

// reportActors are the actors a report form offers as perpetrator (and
// target): the guarantors, the parties, the designated groups and the
// others, as the agreement lists them.
func reportActors(a *truce.Agreement) []truce.Actor {
	var out []truce.Actor
	for _, x := range a.Actors {
		if x.Standing == truce.Party || x.Standing == truce.Excluded || x.Standing == truce.Other || x.Standing == truce.Guarantor {
			out = append(out, x)
		}
	}
	return out
}

// formError is the message a form shows for err, which starts with the
// field it names, and that field, for the form to mark; both are empty
// for a nil err.
func formError(err error) (msg, field string) {
	if err == nil {
		return "", ""
	}
	msg, field = truce.ErrorMessage(err), truce.ErrorField(err)
	if field != "" && !strings.HasPrefix(msg, field) {
		msg = field + ": " + msg
	}
	return msg, field
}

// reportFormFields are the form's fields, each limited to maxField
// characters before anything else reads it (the description has the
// report's own limit). Casualties are counts, each one number (low =
// best = high, as intake reads them); the API takes ranges.
var reportFormFields = []string{
	"occurred_at", "time_precision", "lon", "lat", "place", "geo_precision", "uncertainty_m",
	"event", "perpetrator", "target",
	"casualties.killed", "casualties.killed_civilians", "casualties.injured", "casualties.injured_civilians",
	"description",
}

const maxField = 300

// handleFileReport files the report the form describes, through the same
// FileReport the API calls. A refused report comes back to the form with
// its values and the error naming the field; nothing is recorded.
func (h *Handler) handleFileReport(w http.ResponseWriter, r *http.Request, rq *request) error {
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
		if v, err = h.Service.FileReport(r.Context(), m, in); err == nil {
			http.Redirect(w, r, "/reports/"+string(v.ID), http.StatusSeeOther)
			return nil
		}
	}
	code := truce.ErrorCode(err)
	if code == truce.EINTERNAL || code == truce.EFORBIDDEN || code == truce.EUNAUTHORIZED {
		return err
	}
	return h.showReportForm(w, r, rq, statusOf(err), values, err)
}

// reportInput reads the form into a report input: numbers as numbers, the
// time as UTC, the event choice as its type and sub-type, each casualty
// count as an estimate of that one number.
func reportInput(v map[string]string) (*truce.ReportInput, error) {
	for _, f := range reportFormFields {
		if f != "description" && len(v[f]) > maxField {
			return nil, truce.Invalidf(f, "must be at most %d characters", maxField)
		}
	}
	in := &truce.ReportInput{Description: v["description"], Place: strings.TrimSpace(v["place"]),
		Perpetrator: v["perpetrator"], Target: v["target"]}
	if t := strings.TrimSpace(v["occurred_at"]); t != "" {
		in.OccurredAt = formTime(t)
	}
	for _, c := range []struct {
		field string
		into  **float64
	}{{"lon", &in.Lon}, {"lat", &in.Lat}} {
		s := strings.TrimSpace(v[c.field])
		if s == "" {
			continue
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, truce.Invalidf(c.field, "%q is not a number of degrees such as 36.5667", s)
		}
		*c.into = &f
	}
	if s := strings.TrimSpace(v["uncertainty_m"]); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, truce.Invalidf("uncertainty_m", "%q is not a whole number of metres", s)
		}
		in.UncertaintyM = n
	}
	if e := v["event"]; e != "" {
		et, sub, ok := strings.Cut(e, "|")
		if !ok {
			return nil, truce.Invalidf("event_type", "%q is not one of the form's event types", e)
		}
		in.EventType, in.SubEventType = et, sub
	}
	for _, c := range []struct {
		field string
		into  *int
	}{{"time_precision", &in.TimePrecision}, {"geo_precision", &in.GeoPrecision}} {
		if s := strings.TrimSpace(v[c.field]); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return nil, truce.Invalidf(c.field, "%q is not 1, 2 or 3", s)
			}
			*c.into = n
		}
	}
	var cas truce.Casualties
	for _, c := range []struct {
		field string
		into  **truce.Estimate
	}{
		{"casualties.killed", &cas.Killed}, {"casualties.killed_civilians", &cas.KilledCivilians},
		{"casualties.injured", &cas.Injured}, {"casualties.injured_civilians", &cas.InjuredCivilians},
	} {
		s := strings.TrimSpace(v[c.field])
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, truce.Invalidf(c.field, "%q is not a whole number of people", s)
		}
		*c.into = &truce.Estimate{Low: n, Best: n, High: n}
	}
	if cas != (truce.Casualties{}) {
		in.Casualties = &cas
	}
	return in, nil
}

// reportValues are the form's values for a report input: the inverse of
// reportInput.
func reportValues(in *truce.ReportInput) map[string]string {
	v := map[string]string{
		"place": in.Place, "perpetrator": in.Perpetrator, "target": in.Target, "description": in.Description,
		"time_precision": strconv.Itoa(max(in.TimePrecision, 1)), "geo_precision": strconv.Itoa(max(in.GeoPrecision, 1)),
	}
	if t, err := time.Parse(time.RFC3339, in.OccurredAt); err == nil {
		v["occurred_at"] = t.UTC().Format("2006-01-02T15:04")
	}
	if in.Lon != nil && in.Lat != nil {
		v["lon"] = strconv.FormatFloat(*in.Lon, 'f', -1, 64)
		v["lat"] = strconv.FormatFloat(*in.Lat, 'f', -1, 64)
	}
	if in.UncertaintyM != 0 {
		v["uncertainty_m"] = strconv.Itoa(in.UncertaintyM)
	}
	if in.EventType != "" {
		v["event"] = in.EventType + "|" + in.SubEventType
	}
	if c := in.Casualties; c != nil {
		for field, e := range map[string]*truce.Estimate{
			"casualties.killed": c.Killed, "casualties.killed_civilians": c.KilledCivilians,
			"casualties.injured": c.Injured, "casualties.injured_civilians": c.InjuredCivilians,
		} {
			if e != nil {
				v[field] = strconv.Itoa(e.Best)
			}
		}
	}
	return v
}

// timelineItem is one thing that happened to a report.
type timelineItem struct {
	At           time.Time
	Organisation truce.ActorID
	What         string        // a text key
	To           truce.ActorID // for a request for information, the organisation asked
	Detail       string
	Verdict      string
	Due          time.Time // for a request for information, its deadline
	Entry        int64
	// AnswerForm answers this request, for a member of the organisation
	// asked while it is unanswered; nil otherwise.
	AnswerForm *answerForm
}

// reportData is the report page: the report, its timeline, and the forms
// the member's role and organisation let it use, each nil or false when
// the service would refuse it.
type reportData struct {
	Report     *workflow.ReportView
	Agreement  *truce.Agreement
	Timeline   []timelineItem
	Guarantors []truce.ActorID
	CanAssess  bool
	CanReply   bool
	RFI        *rfiForm
	ProofURL   string
	Form       sentForm // the form sent back, if any
}

// offers reports whether the page shows the form f.
func (d *reportData) offers(f sentForm) bool {
	switch f.Name {
	case "assess":
		return d.CanAssess
	case "reply":
		return d.CanReply
	case "rfi":
		return d.RFI != nil
	case "answer":
		for _, x := range d.Timeline {
			if x.AnswerForm != nil && x.AnswerForm.RFI == f.RFI {
				return true
			}
		}
	}
	return false
}

func (h *Handler) handleReport(w http.ResponseWriter, r *http.Request, rq *request) error {
	return h.showReport(w, r, rq, truce.ReportID(r.PathValue("id")), http.StatusOK, sentForm{})
}

// showReport shows report id with the form sent back, if any.
func (h *Handler) showReport(w http.ResponseWriter, r *http.Request, rq *request, id truce.ReportID, status int, sent sentForm) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	if !id.Valid() {
		return workflow.NotFound("report", string(id))
	}
	ctx := r.Context()
	v, err := h.Service.Report(ctx, m, id)
	if err != nil {
		return err
	}
	a, err := h.Service.Agreement(ctx)
	if err != nil {
		return err
	}
	d := reportData{Report: v, Agreement: a, Guarantors: a.Guarantors(), Form: sent,
		CanAssess: m.Role.CanAssess() && a.IsGuarantor(m.Organisation),
		CanReply:  truce.CanReply(m, &truce.Report{Perpetrator: v.Perpetrator})}
	if truce.CanSendRFI(m) {
		values := rfiDefaults(a, v, h.Service.Now())
		if sent.Sent("rfi", "") {
			values = sent.Values
		}
		d.RFI = newRFIForm(a, m.Organisation, values)
	}
	d.Timeline = append(d.Timeline, timelineItem{At: v.FiledAt, Organisation: v.Organisation, What: "ev.filed", Entry: v.Entry})
	for _, x := range v.Assessments {
		d.Timeline = append(d.Timeline, timelineItem{At: x.MadeAt, Organisation: x.Organisation, What: "ev.assessed", Verdict: string(x.Verdict), Detail: x.Reason, Entry: x.Entry})
	}
	for _, x := range v.Replies {
		d.Timeline = append(d.Timeline, timelineItem{At: x.MadeAt, Organisation: x.Organisation, What: "ev.replied", Detail: x.Text, Entry: x.Entry})
	}
	for _, x := range v.Evidence {
		d.Timeline = append(d.Timeline, timelineItem{At: x.AddedAt, Organisation: x.Organisation, What: "ev.evidence", Detail: x.SHA256, Entry: x.Entry})
	}
	if truce.CanListRFIs(a, m) {
		page, err := h.Service.ListRFIs(ctx, m, workflow.RFIQuery{Report: string(id), Limit: strconv.Itoa(workflow.MaxPageSize)})
		if err != nil {
			return err
		}
		for _, x := range page.RFIs {
			item := timelineItem{At: x.SentAt, Organisation: x.From, What: "ev.rfi", To: x.To, Detail: x.Question, Due: x.Deadline, Entry: x.Entry}
			if x.AnsweredAt == nil && truce.CanAnswerRFI(m, x.RFI) {
				item.AnswerForm = newAnswerForm(rq, x.ID, "report", sent)
			}
			d.Timeline = append(d.Timeline, item)
			if x.AnsweredAt != nil {
				d.Timeline = append(d.Timeline, timelineItem{At: *x.AnsweredAt, Organisation: x.To, What: "ev.answer", Detail: x.Answer, Entry: x.AnswerAt})
			}
		}
	}
	for _, x := range v.Decisions {
		d.Timeline = append(d.Timeline, timelineItem{What: "ev.decision", Detail: x.Decision, Entry: x.Entry})
	}
	// The log's order is the true order: entries are numbered as appended.
	slices.SortStableFunc(d.Timeline, func(x, y timelineItem) int { return int(x.Entry - y.Entry) })
	if sent.Name != "" && !d.offers(sent) {
		// The page no longer offers the form (the request was answered
		// meanwhile, or was never the member's to answer): the error
		// alone says what was wrong.
		return sent.err
	}
	if c, err := h.Service.LatestCheckpoint(ctx); err == nil && c.Size > v.Entry {
		d.ProofURL = "/log/proof/inclusion?index=" + strconv.FormatInt(v.Entry, 10) + "&size=" + strconv.FormatInt(c.Size, 10)
	} else if err != nil && truce.ErrorCode(err) != truce.ENOTFOUND {
		return err
	}
	h.render(w, rq, status, "report.html", "report", "", d)
	return nil
}

// handleAssess records the guarantor's verdict through the same Assess
// the API calls, then shows the report again.
func (h *Handler) handleAssess(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	if !m.Role.CanAssess() {
		return workflow.Forbidden(m, "assess reports; only guarantor officers may")
	}
	id := truce.ReportID(r.PathValue("id"))
	if !id.Valid() {
		return workflow.NotFound("report", string(id))
	}
	in := &truce.AssessmentInput{Verdict: truce.Verdict(r.PostForm.Get("verdict")), Reason: r.PostForm.Get("reason")}
	if _, err := h.Service.Assess(r.Context(), m, id, in); err != nil {
		if code := truce.ErrorCode(err); code != truce.EINVALID {
			return err
		}
		return h.showReport(w, r, rq, id, statusOf(err), newSentForm("assess", "", map[string]string{"verdict": string(in.Verdict), "reason": in.Reason}, err))
	}
	http.Redirect(w, r, "/reports/"+string(id), http.StatusSeeOther)
	return nil
}
