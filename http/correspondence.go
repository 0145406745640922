package http

import (
	"net/http"

	"truce"
	"truce/workflow"
)

func (s *Server) handleSendRFI(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if !truce.CanSendRFI(m) {
		return workflow.Forbidden(m, "send requests for information; only guarantor officers may")
	}
	var in truce.RFIInput
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	v, err := s.Service.SendRFI(ctx, m, &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/rfis/"+string(v.ID))
	return writeJSON(w, http.StatusCreated, v)
}

// rfiID reads the {id} of an RFI route; a malformed one is missing.
func rfiID(r *http.Request) (truce.RFIID, error) {
	id := truce.RFIID(r.PathValue("id"))
	if !id.Valid() {
		return "", workflow.NotFound("request", string(id))
	}
	return id, nil
}

func (s *Server) handleGetRFI(w http.ResponseWriter, r *http.Request) error {
	if m := memberOf(r); m == nil {
		return workflow.Forbidden(m, "read requests for information")
	}
	id, err := rfiID(r)
	if err != nil {
		return err
	}
	v, err := s.Service.RFI(r.Context(), memberOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func (s *Server) handleListRFIs(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, err := s.Service.ListRFIs(r.Context(), memberOf(r), workflow.RFIQuery{
		State: q.Get("state"), Organisation: q.Get("organisation"), From: q.Get("from"),
		Report: q.Get("report"), Cursor: q.Get("cursor"), Limit: q.Get("limit"),
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

func (s *Server) handleAnswerRFI(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || (m.Role != truce.RoleParty && m.Role != truce.RoleGuarantor) {
		return workflow.Forbidden(m, "answer requests for information")
	}
	id, err := rfiID(r)
	if err != nil {
		return err
	}
	var in truce.AnswerInput
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	v, err := s.Service.AnswerRFI(ctx, m, id, &in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, v)
}
