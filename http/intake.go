package http

import (
	"net/http"
	"regexp"

	"truce"
	"truce/intake"
	"truce/workflow"
)

// MaxIntakeBody bounds the body of POST /api/v1/intake: a text of
// intake.MaxText bytes and the fields around it.
const MaxIntakeBody = intake.MaxText + 16<<10

// handleIntake reads a published text into drafts (workflow.Service.Intake)
// and answers them with 200: nothing is recorded, so a retry is answered
// alike without an idempotency record.
func (s *Server) handleIntake(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || !m.Role.CanFileReport() {
		return workflow.Forbidden(m, "read texts into draft reports")
	}
	var in workflow.IntakeInput
	ctx, err := s.decodeCommandLimit(w, r, &in, MaxIntakeBody)
	if err != nil {
		return err
	}
	doc, err := s.Service.Intake(ctx, m, &in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, doc)
}

// draftID reads the {id} of a draft route. A malformed id is a missing
// draft.
func draftID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if !draftIDPattern.MatchString(id) {
		return "", workflow.NotFound("draft", id)
	}
	return id, nil
}

var draftIDPattern = regexp.MustCompile(`^drf_[a-z2-7]{16}$`)

// handleQueueDrafts reads a news text and queues its drafts for review
// (workflow.Service.QueueDrafts).
func (s *Server) handleQueueDrafts(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || !m.Role.CanFileReport() {
		return workflow.Forbidden(m, "queue draft reports")
	}
	var in workflow.IntakeInput
	ctx, err := s.decodeCommandLimit(w, r, &in, MaxIntakeBody)
	if err != nil {
		return err
	}
	q, err := s.Service.QueueDrafts(ctx, m, &in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, q)
}

// handleDrafts lists the queue of the caller's organisation.
func (s *Server) handleDrafts(w http.ResponseWriter, r *http.Request) error {
	q, err := s.Service.Drafts(r.Context(), memberOf(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, q)
}

// handleFileDraft files a queued draft, as the body edits its report, as
// an ordinary report (workflow.Service.FileDraft).
func (s *Server) handleFileDraft(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || !m.Role.CanFileReport() {
		return workflow.Forbidden(m, "file reports")
	}
	id, err := draftID(r)
	if err != nil {
		return err
	}
	var in truce.ReportInput
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	v, err := s.Service.FileDraft(ctx, m, id, &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/reports/"+string(v.ID))
	return writeJSON(w, http.StatusCreated, v)
}

// handleDiscardDraft takes a draft off the queue unfiled.
func (s *Server) handleDiscardDraft(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || !m.Role.CanFileReport() {
		return workflow.Forbidden(m, "discard draft reports")
	}
	id, err := draftID(r)
	if err != nil {
		return err
	}
	var in struct{}
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	if err := s.Service.DiscardDraft(ctx, m, id); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"discarded": id})
}
