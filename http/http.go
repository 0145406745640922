// Package http serves truce's JSON API under /api/v1, the log under /log,
// health at /healthz and Prometheus metrics at /metrics. Routes are listed
// in one function, Server.routes; errors are written in one place, Error,
// from one code-to-status table.
package http

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"truce"
	"truce/workflow"
)

// Limits on requests.
const (
	MaxBodyBytes   = 64 << 10 // JSON bodies
	ReadTimeout    = 30 * time.Second
	WriteTimeout   = 60 * time.Second
	MaxHeaderBytes = 16 << 10
)

// Server is truce's HTTP handler.
type Server struct {
	Service *workflow.Service
	Logger  *slog.Logger
	// Pages serves the requests that no route matches outside /api/ and
	// /log/: the map room's pages (package web). Nil answers them as
	// unknown routes.
	Pages http.Handler

	mux      *http.ServeMux
	patterns []string
	metrics  *metrics
	limit    *limiter
}

// NewServer returns a handler for svc, registering its metrics with reg.
func NewServer(svc *workflow.Service, logger *slog.Logger, reg *prometheus.Registry) *Server {
	s := &Server{Service: svc, Logger: logger, mux: http.NewServeMux(), limit: newLimiter(DefaultMaxInFlight, DefaultQueueWait)}
	s.metrics = newMetrics(reg, svc)
	s.routes()
	return s
}

// routes lists every route the server answers. http/authz.csv says who
// may call each, and the OpenAPI document describes each; tests hold all
// three to the same set.
func (s *Server) routes() {
	s.handle("GET /healthz", s.handleHealth)
	s.route("GET /metrics", s.metrics.handler())
	s.handle("GET /api/v1/openapi.json", s.handleOpenAPI)

	s.handle("GET /api/v1/agreement", s.handleAgreement)
	s.handle("GET /api/v1/actors", s.handleActors)
	s.handle("GET /api/v1/me", s.handleMe)
	s.handle("POST /api/v1/me/keys", s.handleRegisterKey)
	s.handle("GET /api/v1/members", s.handleListMembers)
	s.handle("POST /api/v1/members", s.handleAddMember)

	s.handle("GET /api/v1/reports", s.handleListReports)
	s.handle("GET /api/v1/reports/export", s.handleExportReports)
	s.handle("POST /api/v1/reports", s.handleFileReport)
	s.handle("POST /api/v1/intake", s.handleIntake)
	s.handle("GET /api/v1/drafts", s.handleDrafts)
	s.handle("POST /api/v1/drafts", s.handleQueueDrafts)
	s.handle("POST /api/v1/drafts/{id}/file", s.handleFileDraft)
	s.handle("POST /api/v1/drafts/{id}/discard", s.handleDiscardDraft)
	s.handle("GET /api/v1/reports/{id}", s.handleGetReport)
	s.handle("POST /api/v1/reports/{id}/assessments", s.handleAssess)
	s.handle("POST /api/v1/reports/{id}/replies", s.handleReply)
	s.handle("POST /api/v1/reports/{id}/evidence", s.handleAddEvidence)
	s.handle("GET /api/v1/evidence/{sha256}", s.handleGetEvidence)

	s.handle("GET /api/v1/rfis", s.handleListRFIs)
	s.handle("POST /api/v1/rfis", s.handleSendRFI)
	s.handle("GET /api/v1/rfis/{id}", s.handleGetRFI)
	s.handle("POST /api/v1/rfis/{id}/answers", s.handleAnswerRFI)

	s.handle("GET /api/v1/accessions", s.handleAccessions)
	s.handle("POST /api/v1/accessions", s.handleRecordAccession)

	s.handle("GET /api/v1/meetings", s.handleListMeetings)
	s.handle("POST /api/v1/meetings", s.handleRequestMeeting)
	s.handle("GET /api/v1/meetings/{id}", s.handleGetMeeting)
	s.handle("POST /api/v1/meetings/{id}/proposals", s.handleProposeMeeting)
	s.handle("POST /api/v1/meetings/{id}/approvals", s.handleApproveMeeting)
	s.handle("POST /api/v1/meetings/{id}/minutes", s.handleMinuteMeeting)

	s.handle("GET /api/v1/bulletins/{date}", s.handleBulletin)

	s.handle("GET /api/v1/zones", s.handleZones)
	s.handle("POST /api/v1/zones", s.handleProposeZones)
	s.handle("GET /api/v1/zones/{id}", s.handleZone)
	s.handle("POST /api/v1/zones/{id}/approvals", s.handleApproveZone)
	s.handle("GET /api/v1/lines", s.handleLines)
	s.handle("GET /api/v1/lines/designated", s.handleDesignatedLines)
	s.handle("GET /api/v1/separation", s.handleSeparation)
	s.handle("GET /api/v1/positions", s.handlePositions)
	s.handle("POST /api/v1/positions", s.handleClaimPosition)
	s.handle("GET /api/v1/positions/{id}", s.handlePosition)
	s.handle("POST /api/v1/positions/{id}/assessments", s.handleAssessPosition)

	s.handle("GET /log/checkpoint", s.handleCheckpoint)
	s.handle("GET /log/entries/{index}", s.handleEntry)
	s.handle("GET /log/proof/inclusion", s.handleInclusionProof)
	s.handle("GET /log/proof/consistency", s.handleConsistencyProof)
	s.handle("GET /log/evidence/{sha256}", s.handleEvidenceEntries)
	s.handle("GET /log/tile/{tile...}", s.handleHashTile)
	s.handle("GET /log/tile/entries/{tile...}", s.handleEntryBundle)

	s.mux.HandleFunc("/", s.handleNoRoute)
}

// Routes returns the patterns of every route, in the order served.
func (s *Server) Routes() []string { return append([]string(nil), s.patterns...) }

func (s *Server) route(pattern string, h http.Handler) {
	s.patterns = append(s.patterns, pattern)
	s.mux.Handle(pattern, h)
}

// handlerFunc is a handler that returns its error, to be written by Error.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) handle(pattern string, h handlerFunc) {
	s.route(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.Error(w, r, err)
		}
	}))
}

// ServeHTTP runs the middleware (recovery, metrics, logging, authentication)
// around the routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	_, pattern := s.mux.Handler(r)
	if pattern == "/" && s.Pages != nil && !apiPath(r.URL.Path) {
		s.Pages.ServeHTTP(w, r)
		return
	}
	defer func() {
		p := recover()
		if p == http.ErrAbortHandler {
			// A response that failed after its first bytes (an export):
			// the handler logged why; the connection is cut so that the
			// client sees a truncated response, not a complete one.
			s.metrics.observe(r.Method, pattern, rec.status, time.Since(start))
			panic(p)
		}
		if p != nil {
			s.Logger.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", p)
			if !rec.wrote {
				s.Error(rec, r, errors.New("panic"))
			}
		}
		s.metrics.observe(r.Method, pattern, rec.status, time.Since(start))
		s.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration", time.Since(start).Round(time.Microsecond))
	}()
	w.Header().Set("X-Content-Type-Options", "nosniff")
	var m *truce.Member
	// Probes and scrapers are answered whatever the load and whatever
	// token they carry.
	if pattern != "GET /healthz" && pattern != "GET /metrics" {
		if !s.limit.acquire(r.Context()) {
			s.shed(rec, r)
			return
		}
		defer s.limit.release()
		var err error
		if m, err = s.authenticate(r); err != nil {
			s.Error(rec, r, err)
			return
		}
	}
	s.mux.ServeHTTP(rec, r.WithContext(withMember(r.Context(), m)))
}

// apiPath reports whether a path is under the API's or the log's
// prefixes, which the server answers itself even when no route matches;
// other paths that no route matches go to Pages.
func apiPath(p string) bool {
	return p == "/api" || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/log/") || p == "/healthz" || p == "/metrics"
}

// authenticate returns the member named by the request's bearer token, nil
// for a request without one, and an error for a token that is malformed or
// matches nobody: a bad token is refused, never treated as public.
func (s *Server) authenticate(r *http.Request) (*truce.Member, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, nil
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, truce.Errorf(truce.EUNAUTHORIZED, "Authorization must be \"Bearer <token>\"")
	}
	return s.Service.Authenticate(r.Context(), strings.TrimSpace(token))
}

type memberKey struct{}

func withMember(ctx context.Context, m *truce.Member) context.Context {
	return context.WithValue(ctx, memberKey{}, m)
}

// memberOf returns the authenticated member of a request, or nil.
func memberOf(r *http.Request) *truce.Member {
	m, _ := r.Context().Value(memberKey{}).(*truce.Member)
	return m
}

// recorder remembers the status a handler wrote.
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// handleNoRoute answers paths no route serves: 405 with Allow when the path
// exists under other methods, 404 otherwise.
func (s *Server) handleNoRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := s.mux.Handler(probe); p != "/" && p != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.Error(w, r, truce.Errorf(truce.EMETHOD, "%s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allow, " or ")))
		return
	}
	s.Error(w, r, truce.Errorf(truce.ENOTFOUND, "no such route: %s", r.URL.Path))
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	n, err := s.Service.LogSize(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "log_size": n})
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	return writeBody(w, status, v)
}

// writeBody writes v as JSON, keeping the Content-Type already set.
func writeBody(w http.ResponseWriter, status int, v any) error {
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
