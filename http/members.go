package http

import (
	"net/http"

	"truce"
	"truce/workflow"
)

func (s *Server) handleAgreement(w http.ResponseWriter, r *http.Request) error {
	a, err := s.Service.Agreement(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

func (s *Server) handleActors(w http.ResponseWriter, r *http.Request) error {
	a, err := s.Service.Agreement(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"actors": a.Actors})
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil {
		return truce.Errorf(truce.EUNAUTHORIZED, "a member's bearer token is required")
	}
	return writeJSON(w, http.StatusOK, m)
}

func (s *Server) handleListMembers(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.Service.Members(r.Context(), memberOf(r))
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []*truce.Member{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"members": ms})
}

// newMember is the body of POST /api/v1/members.
type newMember struct {
	Name         string        `json:"name"`
	Organisation truce.ActorID `json:"organisation"`
	Role         truce.Role    `json:"role"`
}

// memberWithToken is a new member and its token, shown this once.
type memberWithToken struct {
	*truce.Member
	Token string `json:"token"`
}

func (s *Server) handleAddMember(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || !m.Role.CanAdminister() {
		return workflow.Forbidden(m, "add members")
	}
	var in newMember
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	added, token, err := s.Service.AddMember(r.Context(), m, in.Name, in.Organisation, in.Role)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, &memberWithToken{Member: added, Token: token})
}
