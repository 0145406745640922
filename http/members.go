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

// me is the caller as GET /api/v1/me shows it: the member, and its
// signing key when it has one.
type me struct {
	*truce.Member
	Key *truce.MemberKey `json:"key,omitempty"`
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil {
		return truce.Errorf(truce.EUNAUTHORIZED, "a member's bearer token is required")
	}
	out := me{Member: m}
	k, err := s.Service.MemberKey(r.Context(), m.ID)
	if err == nil {
		out.Key = k
	} else if truce.ErrorCode(err) != truce.ENOTFOUND {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
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
	var in workflow.MemberInput
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	added, token, err := s.Service.AddMember(ctx, m, in.Name, in.Organisation, in.Role)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, &memberWithToken{Member: added, Token: token})
}

func (s *Server) handleRegisterKey(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if !truce.CanRegisterKey(m) {
		return workflow.Forbidden(m, "register a key")
	}
	var in workflow.KeyInput
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	k, err := s.Service.RegisterKey(ctx, m, in.Key)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, k)
}
