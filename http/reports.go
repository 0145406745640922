package http

import (
	"net/http"

	"truce"
	"truce/workflow"
)

func (s *Server) handleFileReport(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	// Roles are checked before the body is read, so that a caller who may
	// not file learns nothing from validation errors.
	if m == nil || !m.Role.CanFileReport() {
		return workflow.Forbidden(m, "file reports")
	}
	var in truce.ReportInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := s.Service.FileReport(r.Context(), m, &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/reports/"+string(v.ID))
	return writeJSON(w, http.StatusCreated, v)
}

func (s *Server) handleGetReport(w http.ResponseWriter, r *http.Request) error {
	id := truce.ReportID(r.PathValue("id"))
	if !id.Valid() {
		return truce.Errorf(truce.ENOTFOUND, "report %s not found", clipID(string(id)))
	}
	v, err := s.Service.Report(r.Context(), memberOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func (s *Server) handleListReports(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, err := s.Service.ListReports(r.Context(), memberOf(r), workflow.ReportQuery{
		From: q.Get("from"), To: q.Get("to"), Consensus: q.Get("consensus"),
		Perpetrator: q.Get("perpetrator"), Filer: q.Get("organisation"),
		Cursor: q.Get("cursor"), Limit: q.Get("limit"),
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

func (s *Server) handleAssess(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || !m.Role.CanAssess() {
		return workflow.Forbidden(m, "assess reports; only guarantor officers may")
	}
	id := truce.ReportID(r.PathValue("id"))
	if !id.Valid() {
		return truce.Errorf(truce.ENOTFOUND, "report %s not found", clipID(string(id)))
	}
	var in truce.AssessmentInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := s.Service.Assess(r.Context(), m, id, &in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, v)
}

// clipID shortens an id from a URL for an error message.
func clipID(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
