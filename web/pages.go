package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"truce"
	"truce/bulletin"
	"truce/i18n"
	"truce/workflow"
)

// staticVersion changes whenever an embedded static file does; pages
// name it in their links to those files.
var staticVersion = func() string {
	h := sha256.New()
	fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := staticFS.ReadFile(path)
			io.WriteString(h, path)
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}()

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}

// signedIn returns the session's member, or the error that sends a
// visitor to sign in.
func signedIn(rq *request) (*truce.Member, error) {
	if m := rq.member(); m != nil {
		return m, nil
	}
	return nil, truce.Errorf(truce.EUNAUTHORIZED, "sign in first")
}

func (h *Handler) handleHome(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.member() == nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/map", http.StatusSeeOther)
	}
	return nil
}

// MaxToken bounds the token the sign-in form takes.
const MaxToken = 200

type signInData struct {
	Next  string
	Error string
}

func (h *Handler) handleSignInPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	h.render(w, rq, http.StatusOK, "signin.html", "signin", "signin", signInData{Next: localPath(r.URL.Query().Get("next"))})
	return nil
}

// handleSignIn checks a member's token and starts a session. Failures are
// counted per address; past the limit, attempts are refused with 429
// until the window has passed, whatever the token.
func (h *Handler) handleSignIn(w http.ResponseWriter, r *http.Request, rq *request) error {
	addr := clientAddr(r)
	next := localPath(r.PostForm.Get("next"))
	if wait := h.limiter.wait(addr); wait > 0 {
		secs := int(wait.Seconds()) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		h.Logger.Warn("sign-in refused: too many failures", "addr", addr)
		h.render(w, rq, http.StatusTooManyRequests, "signin.html", "signin", "signin", signInData{
			Next: next, Error: "Too many failed sign-ins from your address: try again in " + strconv.Itoa(secs) + " seconds.",
		})
		return nil
	}
	token := strings.TrimSpace(r.PostForm.Get("token"))
	var m *truce.Member
	var err error
	switch {
	case token == "":
		err = truce.Invalidf("token", "is required: paste the token your operator gave you")
	case len(token) > MaxToken:
		err = truce.Invalidf("token", "must be at most %d characters", MaxToken)
	default:
		m, err = h.Service.Authenticate(r.Context(), token)
		if err == nil && m == nil {
			err = truce.Errorf(truce.EUNAUTHORIZED, "the token matches no member")
		}
	}
	if err != nil {
		code := truce.ErrorCode(err)
		if code == truce.EINTERNAL {
			return err
		}
		h.limiter.fail(addr)
		msg := truce.ErrorMessage(err)
		if f := truce.ErrorField(err); f != "" && !strings.HasPrefix(msg, f) {
			msg = f + ": " + msg
		}
		status := http.StatusUnauthorized
		if code == truce.EINVALID {
			status = http.StatusBadRequest
		}
		h.render(w, rq, status, "signin.html", "signin", "signin", signInData{Next: next, Error: msg})
		return nil
	}
	h.limiter.succeed(addr)
	// A new session id at sign-in: an id planted before it is worthless.
	if old := rq.session; old != nil {
		if err := h.sessions.end(r.Context(), old.id); err != nil {
			return err
		}
	}
	ss, err := h.sessions.create(r.Context(), m)
	if err != nil {
		return err
	}
	setCookie(w, r, sessionCookie, ss.id, 0)
	h.Logger.Info("signed in", "member", m.ID, "organisation", m.Organisation, "role", m.Role)
	if next == "/" || next == "/signin" {
		next = "/map"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (h *Handler) handleSignOut(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.session != nil {
		if err := h.sessions.end(r.Context(), rq.session.id); err != nil {
			return err
		}
	}
	setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

// handleLang keeps the language the user chose, for a year.
func (h *Handler) handleLang(w http.ResponseWriter, r *http.Request, rq *request) error {
	l, err := i18n.Parse(r.PostForm.Get("lang"))
	if err != nil {
		return truce.Invalidf("lang", "%s", err)
	}
	setCookie(w, r, langCookie, string(l), 365*24*3600)
	http.Redirect(w, r, localPath(r.PostForm.Get("next")), http.StatusSeeOther)
	return nil
}

// agreementData is the agreement page: its actors by standing and the
// accession registry to date.
type agreementData struct {
	Agreement  *truce.Agreement
	Name       string
	Guarantors []truce.Actor
	Parties    []truce.Actor
	Designated []truce.Actor
	Observers  []truce.Actor
	Accessions *workflow.AccessionTotals
}

func (h *Handler) handleAgreement(w http.ResponseWriter, r *http.Request, rq *request) error {
	a, err := h.Service.Agreement(r.Context())
	if err != nil {
		return err
	}
	acc, err := h.Service.Accessions(r.Context(), "")
	if err != nil {
		return err
	}
	d := agreementData{Agreement: a, Name: a.Names[string(rq.lang)], Accessions: acc}
	if d.Name == "" {
		d.Name = a.Names["en"]
	}
	for _, x := range a.Actors {
		switch x.Standing {
		case truce.Guarantor:
			d.Guarantors = append(d.Guarantors, x)
		case truce.Party:
			d.Parties = append(d.Parties, x)
		case truce.Excluded:
			d.Designated = append(d.Designated, x)
		case truce.Observer:
			d.Observers = append(d.Observers, x)
		}
	}
	h.render(w, rq, http.StatusOK, "agreement.html", "agreement", "agr", d)
	return nil
}

// logData is the log page: the latest checkpoint as /log/checkpoint
// serves it, verbatim, and the names of the witnesses whose cosignatures
// it carries.
type logData struct {
	Checkpoint   *truce.Checkpoint
	Verifier     string
	Cosignatures []string // the names of the keys other than the log's that signed it
}

// cosigners returns the names of the signatures on a signed note other
// than its origin's own (the first line of its text): the witnesses'
// cosignatures, as C2SP tlog-cosignature adds them to a checkpoint.
func cosigners(note string) []string {
	i := strings.LastIndex(note, "\n\n")
	if i < 0 {
		return nil
	}
	origin, _, _ := strings.Cut(note, "\n")
	var names []string
	for _, line := range strings.Split(note[i+2:], "\n") {
		rest, ok := strings.CutPrefix(line, "\u2014 ")
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(rest, " ")
		if name != origin {
			names = append(names, name)
		}
	}
	return names
}

func (h *Handler) handleLog(w http.ResponseWriter, r *http.Request, rq *request) error {
	var d logData
	// As /log/checkpoint serves it: with the cosignatures received.
	c, err := h.Service.CosignedCheckpoint(r.Context(), 0)
	if err != nil && truce.ErrorCode(err) != truce.ENOTFOUND {
		return err
	}
	d.Checkpoint = c
	if c != nil {
		d.Cosignatures = cosigners(c.Note)
	}
	if d.Verifier, err = h.Service.VerifierKey(r.Context()); err != nil {
		return err
	}
	h.render(w, rq, http.StatusOK, "log.html", "log", "log", d)
	return nil
}

type bulletinsData struct {
	Date  string
	Error string
}

// handleBulletins shows the bulletin of a day (today by default) in the
// user's language, in a frame that holds the bulletin's own HTML as
// package bulletin renders it.
func (h *Handler) handleBulletins(w http.ResponseWriter, r *http.Request, rq *request) error {
	date := r.URL.Query().Get("date")
	if date == "" {
		date = h.Service.Now().UTC().Format(time.DateOnly)
	}
	if _, err := bulletin.ParseDate(date); err != nil {
		return err
	}
	h.render(w, rq, http.StatusOK, "bulletins.html", "bulletins", "bull", bulletinsData{Date: date})
	return nil
}

// handleBulletinDocument serves the bulletin's HTML itself, for the
// bulletins page's frame.
func (h *Handler) handleBulletinDocument(w http.ResponseWriter, r *http.Request) {
	pageHeaders(w)
	rq, err := h.newRequest(w, r)
	if err != nil {
		h.errorPage(w, r, rq, err)
		return
	}
	lang := r.URL.Query().Get("lang")
	if lang == "" {
		lang = string(rq.lang)
	}
	b, err := h.Service.Bulletin(r.Context(), r.PathValue("date"), workflow.BulletinOptions{Lang: lang})
	if err != nil {
		h.errorPage(w, r, rq, err)
		return
	}
	data, err := bulletin.Bytes(b, bulletin.HTML)
	if err != nil {
		h.errorPage(w, r, rq, err)
		return
	}
	w.Header().Set("Content-Type", bulletin.HTML.ContentType())
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(data)
}

// queueItem is a report awaiting the organisation's answer.
type queueItem struct {
	Report   *workflow.ReportView
	Deadline time.Time
	Left     string // time left to the deadline, rounded
}

// rfiItem is a request for information awaiting the organisation's
// answer, with the form that answers it when the member may.
type rfiItem struct {
	*workflow.RFIView
	AnswerForm *answerForm
}

type queueData struct {
	CanAssess bool
	Reports   []queueItem
	RFIs      []rfiItem
	Agreement *truce.Agreement
	Now       time.Time
}

// maxQueuePages bounds how many pages of pending reports the queue reads.
const maxQueuePages = 25

// handleQueue shows what awaits the member's organisation: for a
// guarantor, the pending reports it has not answered, oldest first, with
// their deadlines; for anyone asked, the open and overdue requests for
// information addressed to it, nearest deadline first, each with the
// form that answers it.
func (h *Handler) handleQueue(w http.ResponseWriter, r *http.Request, rq *request) error {
	return h.showQueue(w, r, rq, http.StatusOK, sentForm{})
}

// showQueue shows the queue with the answer form sent back, if any.
func (h *Handler) showQueue(w http.ResponseWriter, r *http.Request, rq *request, status int, sent sentForm) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	ctx := r.Context()
	a, err := h.Service.Agreement(ctx)
	if err != nil {
		return err
	}
	now := h.Service.Now()
	d := queueData{Agreement: a, Now: now, CanAssess: m.Role.CanAssess() && a.IsGuarantor(m.Organisation)}
	if d.CanAssess {
		q := workflow.ReportQuery{Consensus: string(truce.Pending), Limit: strconv.Itoa(workflow.MaxPageSize)}
		for range maxQueuePages {
			page, err := h.Service.ListReports(ctx, m, q)
			if err != nil {
				return err
			}
			for _, v := range page.Reports {
				if _, answered := v.Answers[m.Organisation]; !answered {
					d.Reports = append(d.Reports, queueItem{Report: v, Deadline: v.Deadline, Left: roundLeft(v.Deadline.Sub(now))})
				}
			}
			if page.Next == "" {
				break
			}
			q.Cursor = page.Next
		}
		slices.SortStableFunc(d.Reports, func(x, y queueItem) int { return x.Report.FiledAt.Compare(y.Report.FiledAt) })
	}
	answering := false // whether the answer form sent back is still offered
	if truce.CanListRFIs(a, m) {
		for _, state := range []truce.RFIState{truce.RFIOverdue, truce.RFIOpen} {
			page, err := h.Service.ListRFIs(ctx, m, workflow.RFIQuery{State: string(state), Organisation: string(m.Organisation), Limit: strconv.Itoa(workflow.MaxPageSize)})
			if err != nil {
				return err
			}
			for _, x := range page.RFIs {
				item := rfiItem{RFIView: x}
				if truce.CanAnswerRFI(m, x.RFI) {
					item.AnswerForm = newAnswerForm(rq, x.ID, "queue", sent)
					answering = answering || sent.Sent("answer", x.ID)
				}
				d.RFIs = append(d.RFIs, item)
			}
		}
		slices.SortStableFunc(d.RFIs, func(x, y rfiItem) int { return x.Deadline.Compare(y.Deadline) })
	}
	if sent.Name != "" && !answering {
		return sent.err
	}
	h.render(w, rq, status, "queue.html", "queue", "queue", d)
	return nil
}

// roundLeft writes a duration to a deadline as hours and minutes, with a
// minus sign once it has passed.
func roundLeft(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "−", -d
	}
	d = d.Round(time.Minute)
	return sign + strconv.Itoa(int(d.Hours())) + " h " + strconv.Itoa(int(d.Minutes())%60) + " min"
}

// mustJSON is v as JSON, for data the templates embed.
func mustJSON(v any) string {
	var b bytes.Buffer
	if err := jsonEncode(&b, v); err != nil {
		panic(err)
	}
	return b.String()
}
