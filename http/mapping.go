package http

import (
	"net/http"

	"truce"
	"truce/workflow"
)

func (s *Server) handleProposeZones(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || (m.Role != truce.RoleGuarantor && m.Role != truce.RoleParty) {
		return workflow.Forbidden(m, "propose zones; guarantor officers and party liaisons may")
	}
	var in workflow.ZoneCollectionInput
	ctx, err := s.decodeCommandLimit(w, r, &in, truce.MaxImportBytes)
	if err != nil {
		return err
	}
	if in.Type != "FeatureCollection" {
		return truce.Invalidf("type", "must be \"FeatureCollection\": send the zones as GeoJSON features")
	}
	zs, err := s.Service.ProposeZones(ctx, m, in.Features)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"zones": zs})
}

// zoneID reads the {id} of a zone route; a malformed one is missing.
func zoneID(r *http.Request) (truce.ZoneID, error) {
	id := truce.ZoneID(r.PathValue("id"))
	if !id.Valid() {
		return "", workflow.NotFound("zone", string(id))
	}
	return id, nil
}

func (s *Server) handleApproveZone(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || m.Role != truce.RoleGuarantor {
		return workflow.Forbidden(m, "approve zones; only guarantor officers may")
	}
	id, err := zoneID(r)
	if err != nil {
		return err
	}
	var in struct{}
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	z, err := s.Service.ApproveZone(ctx, m, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, z)
}

func (s *Server) handleZones(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fc, err := s.Service.Zones(r.Context(), memberOf(r), q.Get("at"), q.Get("state"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/geo+json")
	return writeBody(w, http.StatusOK, fc)
}

func (s *Server) handleZone(w http.ResponseWriter, r *http.Request) error {
	if m := memberOf(r); m == nil {
		return workflow.Forbidden(m, "read the map")
	}
	id, err := zoneID(r)
	if err != nil {
		return err
	}
	f, err := s.Service.Zone(r.Context(), memberOf(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/geo+json")
	return writeBody(w, http.StatusOK, f)
}

func (s *Server) handleLines(w http.ResponseWriter, r *http.Request) error {
	return s.lines(w, r, false)
}

func (s *Server) handleDesignatedLines(w http.ResponseWriter, r *http.Request) error {
	return s.lines(w, r, true)
}

func (s *Server) lines(w http.ResponseWriter, r *http.Request, designated bool) error {
	res, err := s.Service.Lines(r.Context(), memberOf(r), r.URL.Query().Get("at"), designated)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/geo+json")
	return writeBody(w, http.StatusOK, res)
}

func (s *Server) handleSeparation(w http.ResponseWriter, r *http.Request) error {
	res, err := s.Service.Separation(r.Context(), memberOf(r), r.URL.Query().Get("at"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleClaimPosition(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || (m.Role != truce.RoleGuarantor && m.Role != truce.RoleMonitor && m.Role != truce.RoleParty) {
		return workflow.Forbidden(m, "claim positions")
	}
	var in truce.PositionInput
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	v, err := s.Service.ClaimPosition(ctx, m, &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/positions/"+string(v.ID))
	return writeJSON(w, http.StatusCreated, v)
}

// positionID reads the {id} of a position route; a malformed one is
// missing.
func positionID(r *http.Request) (truce.PositionID, error) {
	id := truce.PositionID(r.PathValue("id"))
	if !id.Valid() {
		return "", workflow.NotFound("position", string(id))
	}
	return id, nil
}

func (s *Server) handleAssessPosition(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || !m.Role.CanAssess() {
		return workflow.Forbidden(m, "assess positions; only guarantor officers may")
	}
	id, err := positionID(r)
	if err != nil {
		return err
	}
	var in truce.AssessmentInput
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	v, err := s.Service.AssessPosition(ctx, m, id, &in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, v)
}

func (s *Server) handlePositions(w http.ResponseWriter, r *http.Request) error {
	fc, err := s.Service.Positions(r.Context(), memberOf(r), r.URL.Query().Get("at"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/geo+json")
	return writeBody(w, http.StatusOK, fc)
}

func (s *Server) handlePosition(w http.ResponseWriter, r *http.Request) error {
	if m := memberOf(r); m == nil {
		return workflow.Forbidden(m, "read positions")
	}
	id, err := positionID(r)
	if err != nil {
		return err
	}
	v, err := s.Service.Position(r.Context(), memberOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}
