package workflow

import (
	"context"
	"time"

	"truce"
	"truce/geo"
)

// buildPosition returns the payload a position claim gives.
func buildPosition(a *truce.Agreement, in *truce.PositionInput, now time.Time, ids idSource) (*truce.PositionClaimed, error) {
	p, err := in.Validate(a, now)
	if err != nil {
		return nil, err
	}
	id, err := ids("pos_")
	if err != nil {
		return nil, err
	}
	return &truce.PositionClaimed{
		ID: truce.PositionID(id), Actor: p.Actor, Lon: p.Lon, Lat: p.Lat, RadiusM: p.RadiusM,
		ObservedAt: p.ObservedAt, ValidTo: p.ValidTo, Description: p.Description,
	}, nil
}

// canClaimPositions: guarantors' officers and monitors, and parties'
// liaisons, claim where actors' units are.
func canClaimPositions(m *truce.Member) bool {
	return m != nil && (m.Role == truce.RoleGuarantor || m.Role == truce.RoleMonitor || m.Role == truce.RoleParty)
}

// PositionView is a position with its assessments and consensus, its
// coordinates disclosed as the viewer's role allows.
type PositionView struct {
	*truce.Position
	Lon         *float64           `json:"lon"`
	Lat         *float64           `json:"lat"`
	Coordinates string             `json:"coordinates"`
	Assessments []truce.Assessment `json:"assessments"`
	Answers     truce.Tally        `json:"answers"`
	Consensus   truce.State        `json:"consensus"`
	// OnMap is whether the guarantors have confirmed the position under
	// the agreement's rule for the map: a designated group's position then
	// excludes the reports within its radius, and counts for separation.
	OnMap bool `json:"on_map"`
}

func positionView(a *truce.Agreement, viewer *truce.Member, p *truce.Position, as []truce.Assessment, now time.Time) *PositionView {
	v := &PositionView{Position: p, Assessments: nonNil(as), Answers: truce.Answers(a, p.Organisation, as)}
	v.Consensus = truce.Consensus(a, v.Answers, p.ClaimedAt, now)
	v.OnMap = onMap(a, v.Answers)
	role, org := truce.RolePublic, truce.ActorID("")
	if viewer != nil {
		role, org = viewer.Role, viewer.Organisation
	}
	d := a.DisclosureFor(role, org, p.Organisation)
	v.Coordinates = d.Coordinates
	if lon, lat, ok := d.Apply(p.Lon, p.Lat); ok {
		v.Lon, v.Lat = &lon, &lat
	}
	return v
}

// ClaimPosition records a claim that an actor's unit is at a place.
func (s *Service) ClaimPosition(ctx context.Context, by *truce.Member, in *truce.PositionInput) (*PositionView, error) {
	if !canClaimPositions(by) {
		return nil, Forbidden(by, "claim positions")
	}
	return command(s, ctx, by, func(tx *wtx) (*PositionView, error) {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return nil, err
		}
		p, err := buildPosition(a, in, tx.now, s.newID)
		if err != nil {
			return nil, err
		}
		if _, err := s.appendEntry(tx, truce.EntryPositionClaimed, p, nil); err != nil {
			return nil, err
		}
		if err := s.mapPosition(tx, a, p.ID, false); err != nil {
			return nil, err
		}
		return s.readPosition(tx, a, by, p.ID, tx.now)
	})
}

// AssessPosition records a guarantor's verdict on a claimed position.
func (s *Service) AssessPosition(ctx context.Context, by *truce.Member, id truce.PositionID, in *truce.AssessmentInput) (*PositionView, error) {
	if by == nil || !by.Role.CanAssess() {
		return nil, Forbidden(by, "assess positions; only guarantor officers may")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return command(s, ctx, by, func(tx *wtx) (*PositionView, error) {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return nil, err
		}
		was, err := s.positionOnMap(tx, a, id)
		if err != nil {
			return nil, err
		}
		p := &truce.PositionAssessed{Position: id, Verdict: in.Verdict, Reason: in.Reason}
		if _, err := s.appendEntry(tx, truce.EntryPositionAssessed, p, nil); err != nil {
			return nil, err
		}
		if err := s.mapPosition(tx, a, id, was); err != nil {
			return nil, err
		}
		return s.readPosition(tx, a, by, id, tx.now)
	})
}

// positionOnMap reports whether a position of a designated group is on
// the agreed map, where it excludes the reports within its radius from the
// ceasefire.
func (s *Service) positionOnMap(tx truce.Tx, a *truce.Agreement, id truce.PositionID) (bool, error) {
	p, _, err := tx.Position(id)
	if err != nil {
		return false, err
	}
	if x := a.Actor(p.Actor); x == nil || x.Standing != truce.Excluded {
		return false, nil
	}
	as, err := tx.PositionAssessments(id)
	if err != nil {
		return false, err
	}
	return onMap(a, truce.Answers(a, p.Organisation, as)), nil
}

// mapPosition classifies again the reports near a designated group's
// position that came onto the map or left it, was saying where it stood
// before the command.
func (s *Service) mapPosition(tx *wtx, a *truce.Agreement, id truce.PositionID, was bool) error {
	is, err := s.positionOnMap(tx, a, id)
	if err != nil || is == was {
		return err
	}
	p, _, err := tx.Position(id)
	if err != nil {
		return err
	}
	return s.reclassifyNear(tx, a, p)
}

func (s *Service) readPosition(tx truce.Tx, a *truce.Agreement, viewer *truce.Member, id truce.PositionID, now time.Time) (*PositionView, error) {
	p, _, err := tx.Position(id)
	if err != nil {
		return nil, err
	}
	as, err := tx.PositionAssessments(id)
	if err != nil {
		return nil, err
	}
	return positionView(a, viewer, p, as, now), nil
}

// Position returns one claimed position.
func (s *Service) Position(ctx context.Context, viewer *truce.Member, id truce.PositionID) (*PositionView, error) {
	if viewer == nil {
		return nil, Forbidden(viewer, "read positions")
	}
	var v *PositionView
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		v, err = s.readPosition(tx, a, viewer, id, s.Now())
		return err
	})
	return v, err
}

// Positions returns the positions standing at a time (all when at is
// empty) as a GeoJSON FeatureCollection of points; a position whose
// coordinates the viewer may not see has a null geometry.
func (s *Service) Positions(ctx context.Context, viewer *truce.Member, at string) (*ZoneCollection, error) {
	if viewer == nil {
		return nil, Forbidden(viewer, "read positions")
	}
	t, err := optionalAt(at)
	if err != nil {
		return nil, err
	}
	out := &ZoneCollection{Type: "FeatureCollection", At: t, Features: []geo.Feature{}}
	now := s.Now()
	err = s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		ps, _, err := tx.Positions(t)
		if err != nil {
			return err
		}
		for _, p := range ps {
			as, err := tx.PositionAssessments(p.ID)
			if err != nil {
				return err
			}
			v := positionView(a, viewer, p, as, now)
			f := geo.Feature{ID: string(p.ID), Type: "Feature", Properties: map[string]any{
				"actor": p.Actor, "radius_m": p.RadiusM, "observed_at": p.ObservedAt, "organisation": p.Organisation,
				"consensus": v.Consensus, "answers": v.Answers, "on_map": v.OnMap, "coordinates": v.Coordinates, "entry": p.Entry,
			}}
			if v.Lon != nil {
				f.Geometry = geo.PointGeometry(geo.Point{Lon: *v.Lon, Lat: *v.Lat})
			}
			out.Features = append(out.Features, f)
		}
		return nil
	})
	return out, err
}
