// Package web is the map room: the pages that officers of the joint body,
// party liaisons and observers use every day — a map of the agreed zones,
// lines of contact, designated groups' positions and reports; a report
// form; each report's timeline, where guarantor officers assess it and
// ask for information and the accused party replies; the queue of what
// awaits an organisation's answer, requests for information answered
// there; the drafts read from published news texts, reviewed and filed
// as reports; bulletins; the agreement; the log.
//
// Pages are rendered on the server with html/template in the user's
// language (English, Arabic, Russian, Turkish or Persian; Arabic and
// Persian right to left). The map is drawn by Leaflet, embedded from
// static/vendor (see vendor.sh), over Syria's governorates from package
// places: no tile server, no CDN. Every page and every map layer asks
// workflow.Service, with the signed-in member, exactly as the JSON API
// does, so that the same authorisation and disclosure rules apply.
//
// Members sign in with their token; the browser then holds a session
// cookie (HttpOnly, SameSite=Lax), the store the session (session.go),
// and every form carries a CSRF token. Sign-in attempts are rate-limited
// per address, by each server. New log entries reach
// open maps as server-sent events.
package web

import (
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"truce"
	trucehttp "truce/http"
	"truce/i18n"
	"truce/workflow"
)

//go:embed templates/*.html
var templateFS embed.FS

// static holds the map room's own CSS and JavaScript and, in
// static/vendor, the npm libraries vendor.sh copies there. The vendor
// directory is not in the repository: a build without it still works,
// and its map page says what is missing.
//
//go:embed static
var staticFS embed.FS

// Options tune the map room; zero values take the defaults.
type Options struct {
	SessionIdle    time.Duration // a session unused this long ends (default 12 h)
	SessionMax     time.Duration // no session lasts longer (default 7 days)
	SignInAttempts int           // failed sign-ins an address may make per window (default 5)
	SignInWindow   time.Duration // (default 10 min)
	PollInterval   time.Duration // how often the log's size is read for live maps (default 500 ms)
}

func (o *Options) defaults() {
	if o.SessionIdle == 0 {
		o.SessionIdle = 12 * time.Hour
	}
	if o.SessionMax == 0 {
		o.SessionMax = 7 * 24 * time.Hour
	}
	if o.SignInAttempts == 0 {
		o.SignInAttempts = 5
	}
	if o.SignInWindow == 0 {
		o.SignInWindow = 10 * time.Minute
	}
	if o.PollInterval == 0 {
		o.PollInterval = 500 * time.Millisecond
	}
}

// Handler serves the map room. truce serve mounts it as the Pages of the
// API's server, which keeps /api, /log, /healthz and /metrics.
type Handler struct {
	Service *workflow.Service
	Logger  *slog.Logger

	mux       *http.ServeMux
	pages     map[string]*template.Template
	static    fs.FS
	hasMapLib bool
	sessions  *sessions
	limiter   *limiter
	events    *broadcaster
}

// New returns the map room over svc.
func New(svc *workflow.Service, logger *slog.Logger, opt Options) *Handler {
	opt.defaults()
	if logger == nil {
		logger = slog.Default()
	}
	h := &Handler{
		Service: svc, Logger: logger, mux: http.NewServeMux(),
		sessions: newSessions(svc.Store, opt.SessionIdle, opt.SessionMax, func() time.Time { return svc.Now() }),
		limiter:  newLimiter(opt.SignInAttempts, opt.SignInWindow),
		events:   newBroadcaster(svc, opt.PollInterval, logger),
	}
	h.static, _ = fs.Sub(staticFS, "static")
	_, err := fs.Stat(h.static, "vendor/leaflet.js")
	h.hasMapLib = err == nil
	h.pages = parsePages()
	h.routes()
	return h
}

// routes lists the map room's routes.
func (h *Handler) routes() {
	h.handle("GET /{$}", h.handleHome)
	h.handle("GET /signin", h.handleSignInPage)
	h.handle("POST /signin", h.handleSignIn)
	h.handle("POST /signout", h.handleSignOut)
	h.handle("POST /lang", h.handleLang)

	h.handle("GET /map", h.handleMap)
	h.mux.HandleFunc("GET /map/base.geojson", h.handleBaseMap)
	h.mux.HandleFunc("GET /attribution", h.handleAttribution)
	h.data("GET /map/zones", h.handleZonesData)
	h.data("GET /map/lines", h.handleLinesData)
	h.data("GET /map/positions", h.handlePositionsData)
	h.data("GET /map/reports", h.handleReportsData)
	h.data("GET /places", h.handlePlaces)
	h.mux.HandleFunc("GET /map/events", h.handleEvents)

	h.handle("GET /reports/new", h.handleReportForm)
	h.handle("POST /reports/new", h.handleFileReport)
	h.handle("GET /reports/{id}", h.handleReport)
	h.handle("POST /reports/{id}/assess", h.handleAssess)
	h.handleLimit("POST /reports/{id}/reply", MaxTextFormBytes, h.handleReply)
	h.handle("POST /reports/{id}/rfis", h.handleSendRFI)
	h.handleLimit("POST /rfis/{id}/answer", MaxTextFormBytes, h.handleAnswerRFI)
	h.handle("GET /queue", h.handleQueue)
	h.handle("GET /drafts", h.handleDrafts)
	h.handleLimit("POST /drafts", MaxIntakeFormBytes, h.handleQueueDrafts)
	h.handle("GET /drafts/{id}", h.handleDraft)
	h.handle("POST /drafts/{id}/file", h.handleFileDraft)
	h.handle("POST /drafts/{id}/discard", h.handleDiscardDraft)
	h.handle("GET /bulletins", h.handleBulletins)
	h.mux.HandleFunc("GET /bulletins/{date}", h.handleBulletinDocument)
	h.handle("GET /agreement", h.handleAgreement)
	h.handle("GET /log", h.handleLog)

	h.mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler(h.static)))
	h.mux.HandleFunc("/", h.handleNoRoute)
}

// handleNoRoute answers a path the map room does not serve as the API
// answers one: 404, as JSON.
func (h *Handler) handleNoRoute(w http.ResponseWriter, r *http.Request) {
	h.jsonError(w, r, truce.Errorf(truce.ENOTFOUND, "no such route: %s", r.URL.Path))
}

// ServeHTTP serves a request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// Shutdown ends the live streams of open maps, which would otherwise keep
// a server that is shutting down waiting for them.
func (h *Handler) Shutdown() { h.events.close() }

// pageFunc is a page handler: it returns an error to be shown as a page.
type pageFunc func(w http.ResponseWriter, r *http.Request, rq *request) error

// request is what every page handler knows of the request: the
// language, the signed-in member's session (nil for a visitor) and the
// CSRF secret its forms carry.
type request struct {
	lang    i18n.Lang
	session *session
	csrf    string
	path    string // the request's path and query
}

func (rq *request) member() *truce.Member {
	if rq.session == nil {
		return nil
	}
	return rq.session.member
}

// handle registers a page: security headers, the session, the CSRF check
// of every POST (whose form may be MaxFormBytes), and errors shown as
// pages.
func (h *Handler) handle(pattern string, fn pageFunc) {
	h.handleLimit(pattern, MaxFormBytes, fn)
}

// handleLimit is handle for a page whose form may be up to limit bytes.
func (h *Handler) handleLimit(pattern string, limit int64, fn pageFunc) {
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		pageHeaders(w)
		rq, err := h.newRequest(w, r)
		if err != nil {
			h.errorPage(w, r, rq, err)
			return
		}
		if r.Method == http.MethodPost {
			if err := h.checkForm(w, r, rq, limit); err != nil {
				h.errorPage(w, r, rq, err)
				return
			}
		}
		if err := fn(w, r, rq); err != nil {
			h.errorPage(w, r, rq, err)
		}
	})
}

// dataFunc is a JSON endpoint of the map; it needs a signed-in member.
type dataFunc func(r *http.Request, m *truce.Member) (any, error)

func (h *Handler) data(pattern string, fn dataFunc) {
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		rq, err := h.newRequest(w, r)
		if err != nil {
			h.jsonError(w, r, err)
			return
		}
		m := rq.member()
		if m == nil {
			h.jsonError(w, r, truce.Errorf(truce.EUNAUTHORIZED, "sign in first: the map's data is for members"))
			return
		}
		v, err := fn(r, m)
		if err != nil {
			h.jsonError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, v)
	})
}

// newRequest reads the session and language cookies, and gives a visitor
// without a session a CSRF secret of their own, so that the sign-in form
// is protected too. It returns the request as a visitor's, for the error
// page, when the session cannot be read.
func (h *Handler) newRequest(w http.ResponseWriter, r *http.Request) (*request, error) {
	rq := &request{lang: chooseLang(r), path: r.URL.RequestURI()}
	ss, err := h.sessions.get(r.Context(), cookieValue(r, sessionCookie))
	if ss != nil {
		rq.session, rq.csrf = ss, ss.csrf
		return rq, nil
	}
	rq.csrf = cookieValue(r, anonCookie)
	if len(rq.csrf) != 43 {
		rq.csrf = randomToken()
		setCookie(w, r, anonCookie, rq.csrf, 0)
	}
	return rq, err
}

// MaxFormBytes bounds a form's body.
const MaxFormBytes = 64 << 10

// checkForm reads a POST's form, at most limit bytes, and checks that it
// came from one of this site's pages: the CSRF token it carries is the
// session's (or the visitor's), and its Origin, when sent, is this host.
func (h *Handler) checkForm(w http.ResponseWriter, r *http.Request, rq *request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return truce.Errorf(truce.ETOOLARGE, "the form is over %d bytes", limit)
		}
		return truce.Invalidf("body", "is not a form: %v", err)
	}
	if !sameOrigin(r) {
		return truce.Errorf(truce.EFORBIDDEN, "the form was sent from another site (Origin %.80q)", r.Header.Get("Origin"))
	}
	if !sameSecret(r.PostForm.Get("csrf"), rq.csrf) {
		return truce.Errorf(truce.EFORBIDDEN, "csrf: the form's security token is missing or stale; reload the page and send it again")
	}
	return nil
}

// pageHeaders are the security headers of every page: scripts only from
// this site, no framing by others, no referrer to other sites.
func pageHeaders(w http.ResponseWriter) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'; object-src 'none'")
	hd.Set("X-Frame-Options", "SAMEORIGIN")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "no-store")
}

// errorPage shows err as a page with the status its code has in the API:
// a 4xx that says what was wrong, or for an internal error, a 500 that
// says only that. A visitor sent to a members' page is sent to sign in.
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	code := truce.ErrorCode(err)
	if (code == truce.EFORBIDDEN || code == truce.EUNAUTHORIZED) && rq.member() == nil && r.Method == http.MethodGet {
		http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	msg := truce.ErrorMessage(err)
	if code == truce.EINTERNAL {
		h.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = "internal error"
	}
	h.render(w, rq, trucehttp.StatusOf(code), "error.html", "error", "", map[string]string{
		"Message": msg, "Field": truce.ErrorField(err), "Code": code,
	})
}

// jsonError writes an error as the API does.
func (h *Handler) jsonError(w http.ResponseWriter, r *http.Request, err error) {
	code := truce.ErrorCode(err)
	msg := truce.ErrorMessage(err)
	if code == truce.EINTERNAL {
		h.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Field   string `json:"field,omitempty"`
		} `json:"error"`
	}
	body.Error.Code, body.Error.Message, body.Error.Field = code, msg, truce.ErrorField(err)
	writeJSON(w, trucehttp.StatusOf(code), &body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// staticHandler serves the embedded files, cacheable for an hour.
func staticHandler(files fs.FS) http.Handler {
	fsrv := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fsrv.ServeHTTP(w, r)
	})
}
