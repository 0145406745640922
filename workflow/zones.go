package workflow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"truce"
	"truce/geo"
)

// ZoneFeature is a zone proposed as a GeoJSON feature: its properties are
// a truce.ZoneInput, its geometry a Polygon or MultiPolygon.
type ZoneFeature struct {
	Type       string          `json:"type"`
	Properties truce.ZoneInput `json:"properties"`
	Geometry   geo.Geometry    `json:"geometry"`
}

// ZoneCollectionInput is the body that proposes zones: a GeoJSON
// FeatureCollection of zone features.
type ZoneCollectionInput struct {
	Type     string         `json:"type"`
	Features []*ZoneFeature `json:"features"`
}

// buildZone returns the payload a proposed zone gives.
func buildZone(a *truce.Agreement, f *ZoneFeature, field string, ids idSource) (*truce.ZoneProposed, error) {
	if f.Type != "Feature" {
		return nil, truce.Invalidf(field+".type", "must be \"Feature\"")
	}
	from, to, err := f.Properties.Validate(a, field+".properties")
	if err != nil {
		return nil, err
	}
	if err := f.Geometry.Validate(field+".geometry", truce.MaxZoneVertices); err != nil {
		return nil, err
	}
	mp, err := f.Geometry.MultiPolygon()
	if err != nil {
		return nil, truce.Invalidf(field+".geometry.type", "must be Polygon or MultiPolygon, not %q", f.Geometry.Type)
	}
	id, err := ids("zon_")
	if err != nil {
		return nil, err
	}
	return &truce.ZoneProposed{
		ID: truce.ZoneID(id), Kind: f.Properties.Kind, Name: f.Properties.Name,
		Controller: f.Properties.Controller, ContestedBetween: f.Properties.ContestedBetween,
		ValidFrom: from, ValidTo: to, Geometry: mp.Coordinates(),
	}, nil
}

// canProposeZones: guarantor officers propose zones of any actor; a
// party's liaison, its own areas.
func canProposeZones(m *truce.Member) bool {
	return m != nil && (m.Role == truce.RoleGuarantor || m.Role == truce.RoleParty)
}

// ProposeZones records zones proposed as GeoJSON features, in one
// command: all of them, or none when one breaks a rule. A party proposes
// only areas it controls or contests.
func (s *Service) ProposeZones(ctx context.Context, by *truce.Member, fs []*ZoneFeature) ([]*truce.Zone, error) {
	if !canProposeZones(by) {
		return nil, Forbidden(by, "propose zones; guarantor officers and party liaisons may")
	}
	if len(fs) == 0 || len(fs) > truce.MaxImportZones {
		return nil, truce.Invalidf("features", "give from 1 to %d zones", truce.MaxImportZones)
	}
	return command(s, ctx, by, func(tx *wtx) ([]*truce.Zone, error) {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return nil, err
		}
		var out []*truce.Zone
		for i, f := range fs {
			field := "features[" + fmt.Sprint(i) + "]"
			p, err := buildZone(a, f, field, s.newID)
			if err != nil {
				return nil, err
			}
			if by.Role == truce.RoleParty && p.Controller != by.Organisation && !slices.Contains(p.ContestedBetween, by.Organisation) {
				return nil, truce.Errorf(truce.EFORBIDDEN, "%s: a party proposes only areas it holds or contests", field)
			}
			if _, err := s.appendEntry(tx, truce.EntryZoneProposed, p, nil); err != nil {
				return nil, err
			}
			z, err := tx.Zone(p.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, z)
		}
		return out, nil
	})
}

// ApproveZone records a guarantor's approval of a zone. Once the
// agreement's rule holds (by default, every guarantor approved it), the
// zone is on the map for its validity, and the reports it changes are
// classified again.
func (s *Service) ApproveZone(ctx context.Context, by *truce.Member, id truce.ZoneID) (*truce.Zone, error) {
	if by == nil || by.Role != truce.RoleGuarantor {
		return nil, Forbidden(by, "approve zones; only guarantor officers may")
	}
	return command(s, ctx, by, func(tx *wtx) (*truce.Zone, error) {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return nil, err
		}
		z, err := tx.Zone(id)
		if err != nil {
			return nil, err
		}
		if !a.IsGuarantor(by.Organisation) {
			return nil, truce.Errorf(truce.EFORBIDDEN, "%s is not a guarantor of %s", by.Organisation, a.ID)
		}
		for _, ap := range z.Approvals {
			if ap.Guarantor == by.Organisation {
				return nil, truce.Errorf(truce.ECONFLICT, "%s has already approved zone %s", by.Organisation, id)
			}
		}
		if _, err := s.appendEntry(tx, truce.EntryZoneApproved, &truce.ZoneApproved{Zone: id}, nil); err != nil {
			return nil, err
		}
		if z, err = tx.Zone(id); err != nil {
			return nil, err
		}
		if z.State == truce.ZoneStateApproved {
			tx.mapChanged = true
			if err := s.reclassify(tx, a, z); err != nil {
				return nil, err
			}
		}
		return z, nil
	})
}

// zoneApproved decides a zone's state under the agreement's rule: on the
// map once enough of the agreement's guarantors have approved it.
func zoneApproved(a *truce.Agreement, z *truce.Zone) bool {
	n := 0
	for _, g := range a.Guarantors() {
		if slices.ContainsFunc(z.Approvals, func(ap truce.ZoneApproval) bool { return ap.Guarantor == g }) {
			n++
		}
	}
	return a.Rules.ZoneApproved(n, len(a.Guarantors()))
}

// ZoneCollection is zones as a GeoJSON FeatureCollection.
type ZoneCollection struct {
	Type     string        `json:"type"`
	At       *time.Time    `json:"at,omitempty"`
	Features []geo.Feature `json:"features"`
}

// zoneFeature is a zone as a GeoJSON feature: its record as properties.
func zoneFeature(z *truce.Zone) geo.Feature {
	props := map[string]any{
		"kind": z.Kind, "state": z.State, "valid_from": z.ValidFrom, "claimant": z.Claimant,
		"proposed_by": z.ProposedBy, "approvals": z.Approvals, "entry": z.Entry,
	}
	if z.Name != "" {
		props["name"] = z.Name
	}
	if z.Controller != "" {
		props["controller"] = z.Controller
	}
	if len(z.ContestedBetween) > 0 {
		props["contested_between"] = z.ContestedBetween
	}
	if z.ValidTo != nil {
		props["valid_to"] = z.ValidTo
	}
	if z.ApprovedEntry > 0 {
		props["approved_entry"] = z.ApprovedEntry
	}
	return geo.Feature{ID: string(z.ID), Type: "Feature", Properties: props, Geometry: geo.PolygonGeometry(geo.FromCoordinates(z.Geometry))}
}

// Zones returns the zones as GeoJSON: with at, the approved map at that
// time; without, every zone in the given state ("" for all).
func (s *Service) Zones(ctx context.Context, viewer *truce.Member, at, state string) (*ZoneCollection, error) {
	if viewer == nil {
		return nil, Forbidden(viewer, "read the map")
	}
	t, err := optionalAt(at)
	if err != nil {
		return nil, err
	}
	if t != nil && state == "" {
		state = truce.ZoneStateApproved
	}
	if state != "" && state != truce.ZoneStateApproved && state != truce.ZoneStateProposed {
		return nil, truce.Invalidf("state", "must be proposed or approved")
	}
	out := &ZoneCollection{Type: "FeatureCollection", At: t, Features: []geo.Feature{}}
	err = s.Store.View(ctx, func(tx truce.Tx) error {
		zs, err := tx.Zones(state, t)
		for _, z := range zs {
			out.Features = append(out.Features, zoneFeature(z))
		}
		return err
	})
	return out, err
}

// Zone returns one zone as a GeoJSON feature, with its history: who
// proposed it and which guarantors approved it, with the log entries.
func (s *Service) Zone(ctx context.Context, viewer *truce.Member, id truce.ZoneID) (*geo.Feature, error) {
	if viewer == nil {
		return nil, Forbidden(viewer, "read the map")
	}
	var f geo.Feature
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		z, err := tx.Zone(id)
		if err == nil {
			f = zoneFeature(z)
		}
		return err
	})
	return &f, err
}

// parseAt reads an ?at= parameter: RFC 3339 or a date.
// atOrNow is the time a map read asks for: at, or now when at is empty.
func (s *Service) atOrNow(at string) (time.Time, error) {
	if at == "" {
		return s.Now().UTC(), nil
	}
	return parseAt(at)
}

// optionalAt is at as a time, nil when empty.
func optionalAt(at string) (*time.Time, error) {
	if at == "" {
		return nil, nil
	}
	t, err := parseAt(at)
	return &t, err
}

func parseAt(s string) (time.Time, error) {
	if len(s) > 64 {
		return time.Time{}, truce.Invalidf("at", "must be at most 64 characters")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, truce.Invalidf("at", "%q is not an RFC 3339 time or a date YYYY-MM-DD", clipID(s))
}
