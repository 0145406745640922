package http

import (
	"context"
	"net/http"

	"truce"
	"truce/workflow"
)

func (s *Server) handleRecordAccession(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if !truce.CanRecordAccession(m) {
		return workflow.Forbidden(m, "record accessions; only guarantor officers may")
	}
	var in truce.AccessionInput
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	a, err := s.Service.RecordAccession(ctx, m, &in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a)
}

func (s *Server) handleAccessions(w http.ResponseWriter, r *http.Request) error {
	t, err := s.Service.Accessions(r.Context(), r.URL.Query().Get("at"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

func (s *Server) handleRequestMeeting(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if !truce.CanManageMeetings(m) {
		return workflow.Forbidden(m, "request meetings; only guarantor officers may")
	}
	var in truce.MeetingInput
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	mt, err := s.Service.RequestMeeting(ctx, m, &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/meetings/"+string(mt.ID))
	return writeJSON(w, http.StatusCreated, mt)
}

// meetingID reads the {id} of a meeting route; a malformed one is missing.
func meetingID(r *http.Request) (truce.MeetingID, error) {
	id := truce.MeetingID(r.PathValue("id"))
	if !id.Valid() {
		return "", workflow.NotFound("meeting", string(id))
	}
	return id, nil
}

// meetingCommand decodes and runs a command on one meeting.
func meetingCommand[In any](s *Server, w http.ResponseWriter, r *http.Request, what string,
	run func(ctx context.Context, m *truce.Member, id truce.MeetingID, in *In) (*truce.Meeting, error)) error {
	m := memberOf(r)
	if !truce.CanManageMeetings(m) {
		return workflow.Forbidden(m, what+"; only guarantor officers may")
	}
	id, err := meetingID(r)
	if err != nil {
		return err
	}
	var in In
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	mt, err := run(ctx, m, id, &in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, mt)
}

func (s *Server) handleProposeMeeting(w http.ResponseWriter, r *http.Request) error {
	return meetingCommand(s, w, r, "propose meeting dates", s.Service.ProposeMeeting)
}

func (s *Server) handleApproveMeeting(w http.ResponseWriter, r *http.Request) error {
	return meetingCommand(s, w, r, "approve meetings", s.Service.ApproveMeeting)
}

func (s *Server) handleMinuteMeeting(w http.ResponseWriter, r *http.Request) error {
	return meetingCommand(s, w, r, "record minutes", s.Service.MinuteMeeting)
}

func (s *Server) handleGetMeeting(w http.ResponseWriter, r *http.Request) error {
	if m := memberOf(r); m == nil {
		return workflow.Forbidden(m, "read the joint body's meetings")
	}
	id, err := meetingID(r)
	if err != nil {
		return err
	}
	mt, err := s.Service.Meeting(r.Context(), memberOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, mt)
}

func (s *Server) handleListMeetings(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, err := s.Service.Meetings(r.Context(), memberOf(r), q.Get("limit"), q.Get("cursor"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}
