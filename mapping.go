package truce

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"time"
)

// The map: zones the guarantors approve, positions parties and guarantors
// claim, and the classification of reports against them.

// ZoneKind says what a zone is.
type ZoneKind string

const (
	ZoneControl       ZoneKind = "control"       // the area an actor holds (or two contest)
	ZoneDeescalation  ZoneKind = "deescalation"  // a de-escalation area of the May 2017 memorandum
	ZoneSecurityBelt  ZoneKind = "security_belt" // the belt around a de-escalation area
	ZoneDemilitarised ZoneKind = "demilitarised" // a demilitarised zone
)

// ZoneKinds lists every kind.
var ZoneKinds = []ZoneKind{ZoneControl, ZoneDeescalation, ZoneSecurityBelt, ZoneDemilitarised}

// Zone states.
const (
	ZoneStateProposed = "proposed" // waiting for every guarantor's approval
	ZoneStateApproved = "approved" // on the map for its validity interval
)

// Limits on the map.
const (
	MaxZoneVertices    = 50000
	MaxImportZones     = 500
	MaxImportBytes     = 16 << 20
	MaxRadiusM         = 50000
	MaxPositionText    = 2000
	MaxZoneName        = 200
	DefaultSeparationM = 2000
	MaxSeparationM     = 100000
)

// ZoneID identifies a zone: "zon_" and 16 base32 characters.
type ZoneID string

var zoneIDPattern = regexp.MustCompile(`^zon_[a-z2-7]{16}$`)

// Valid reports whether id has the form of a zone id.
func (id ZoneID) Valid() bool { return zoneIDPattern.MatchString(string(id)) }

// Zone is a polygon of the map: its kind, who holds it (for control
// areas: one actor, or two that contest it), when it is valid, who
// proposed it and which guarantors approved it. Geometry is GeoJSON
// coordinates of a MultiPolygon: polygons of rings of [lon, lat].
type Zone struct {
	ID               ZoneID           `json:"id"`
	Kind             ZoneKind         `json:"kind"`
	Name             string           `json:"name,omitempty"`
	Controller       ActorID          `json:"controller,omitempty"`
	ContestedBetween []ActorID        `json:"contested_between,omitempty"`
	ValidFrom        time.Time        `json:"valid_from"`
	ValidTo          *time.Time       `json:"valid_to,omitempty"`
	Claimant         ActorID          `json:"claimant"`
	ProposedBy       MemberID         `json:"proposed_by"`
	Geometry         [][][][2]float64 `json:"geometry"`
	State            string           `json:"state"`
	Approvals        []ZoneApproval   `json:"approvals"`
	Entry            int64            `json:"entry"`                    // the proposal
	ApprovedEntry    int64            `json:"approved_entry,omitempty"` // the approval that put it on the map
}

// ZoneApproval is one guarantor's approval of a zone.
type ZoneApproval struct {
	Guarantor ActorID   `json:"guarantor"`
	Member    MemberID  `json:"member"`
	At        time.Time `json:"at"`
	Entry     int64     `json:"entry"`
}

// ValidAt reports whether the zone is valid at t: from ValidFrom
// (inclusive) until ValidTo (exclusive).
func (z *Zone) ValidAt(t time.Time) bool {
	return !t.Before(z.ValidFrom) && (z.ValidTo == nil || t.Before(*z.ValidTo))
}

// ZoneInput is a proposed zone: the properties of a GeoJSON feature.
type ZoneInput struct {
	Kind             ZoneKind  `json:"kind"`
	Name             string    `json:"name,omitempty"`
	Controller       ActorID   `json:"controller,omitempty"`
	ContestedBetween []ActorID `json:"contested_between,omitempty"`
	ValidFrom        string    `json:"valid_from"`         // RFC 3339 or YYYY-MM-DD
	ValidTo          string    `json:"valid_to,omitempty"` // exclusive
}

// Validate checks the zone's properties against the agreement and returns
// its validity interval. Geometry is checked by package geo.
func (in *ZoneInput) Validate(a *Agreement, field string) (time.Time, *time.Time, error) {
	if !oneOf(in.Kind, ZoneKinds) {
		return time.Time{}, nil, Invalidf(field+".kind", "%q is not one of %v", clip(string(in.Kind)), ZoneKinds)
	}
	if err := checkLine(field+".name", in.Name, 0, MaxZoneName); err != nil {
		return time.Time{}, nil, err
	}
	actor := func(f string, id ActorID) error {
		if a.Actor(id) == nil {
			return Invalidf(field+"."+f, "%q is not an actor of agreement %s", clip(string(id)), a.ID)
		}
		return nil
	}
	switch {
	case in.Kind != ZoneControl && (in.Controller != "" || len(in.ContestedBetween) > 0):
		return time.Time{}, nil, Invalidf(field+".controller", "only control areas have a controller")
	case in.Kind == ZoneControl && in.Controller != "" && len(in.ContestedBetween) > 0:
		return time.Time{}, nil, Invalidf(field+".contested_between", "a control area has a controller or is contested, not both")
	case in.Kind == ZoneControl && in.Controller == "" && len(in.ContestedBetween) < 2:
		return time.Time{}, nil, Invalidf(field+".controller", "a control area needs its controller, or contested_between with two or more actors")
	}
	if in.Controller != "" {
		if err := actor("controller", in.Controller); err != nil {
			return time.Time{}, nil, err
		}
	}
	if len(in.ContestedBetween) > 8 {
		return time.Time{}, nil, Invalidf(field+".contested_between", "at most 8 actors")
	}
	for i, id := range in.ContestedBetween {
		if err := actor(fmt.Sprintf("contested_between[%d]", i), id); err != nil {
			return time.Time{}, nil, err
		}
		if slices.Contains(in.ContestedBetween[:i], id) {
			return time.Time{}, nil, Invalidf(fmt.Sprintf("%s.contested_between[%d]", field, i), "%s is named twice: a contested area needs two or more different actors", id)
		}
	}
	from, err := parseDateOrTime(in.ValidFrom)
	if err != nil {
		return time.Time{}, nil, Invalidf(field+".valid_from", "%q is not an RFC 3339 time or a date YYYY-MM-DD", clip(in.ValidFrom))
	}
	var to *time.Time
	if in.ValidTo != "" {
		t, err := parseDateOrTime(in.ValidTo)
		if err != nil {
			return time.Time{}, nil, Invalidf(field+".valid_to", "%q is not an RFC 3339 time or a date YYYY-MM-DD", clip(in.ValidTo))
		}
		if !t.After(from) {
			return time.Time{}, nil, Invalidf(field+".valid_to", "must be after valid_from")
		}
		to = &t
	}
	return from, to, nil
}

func parseDateOrTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.DateOnly, s)
}

// PositionID identifies a claimed position: "pos_" and 16 base32
// characters.
type PositionID string

var positionIDPattern = regexp.MustCompile(`^pos_[a-z2-7]{16}$`)

// Valid reports whether id has the form of a position id.
func (id PositionID) Valid() bool { return positionIDPattern.MatchString(string(id)) }

// PositionInput is a claim that an actor's unit is at a place: a point
// and a radius. Guarantors and parties claim any actor's positions: a party
// most often the designated groups' it faces, for separation.
type PositionInput struct {
	Actor       string   `json:"actor"` // an actor id, name or alias
	Lon         *float64 `json:"lon"`
	Lat         *float64 `json:"lat"`
	RadiusM     int      `json:"radius_m"`
	ObservedAt  string   `json:"observed_at"`        // RFC 3339
	ValidTo     string   `json:"valid_to,omitempty"` // RFC 3339, exclusive
	Description string   `json:"description,omitempty"`
}

// Position is a claimed position with its assessments' consensus, like a
// report's.
type Position struct {
	ID           PositionID `json:"id"`
	Actor        ActorID    `json:"actor"`
	Lon          float64    `json:"lon"`
	Lat          float64    `json:"lat"`
	RadiusM      int        `json:"radius_m"`
	ObservedAt   time.Time  `json:"observed_at"`
	ValidTo      *time.Time `json:"valid_to,omitempty"`
	Description  string     `json:"description,omitempty"`
	Organisation ActorID    `json:"organisation"` // who claims it
	ClaimedBy    MemberID   `json:"claimed_by"`
	ClaimedAt    time.Time  `json:"claimed_at"`
	Entry        int64      `json:"entry"`
}

// ValidAt reports whether the position stands at t.
func (p *Position) ValidAt(t time.Time) bool {
	return !t.Before(p.ObservedAt) && (p.ValidTo == nil || t.Before(*p.ValidTo))
}

// Validate checks the claim and returns the position it describes
// (without its id and claim fields).
func (in *PositionInput) Validate(a *Agreement, now time.Time) (*Position, error) {
	id, ok := a.ResolveActor(in.Actor)
	if in.Actor == "" || !ok || len(in.Actor) > MaxActorName {
		return nil, Invalidf("actor", "%q is not an actor of agreement %s", clip(in.Actor), a.ID)
	}
	p := &Position{Actor: id, RadiusM: in.RadiusM, Description: in.Description}
	if in.Lon == nil {
		return nil, Invalidf("lon", "is required")
	}
	if in.Lat == nil {
		return nil, Invalidf("lat", "is required")
	}
	if v := *in.Lon; v != v || v < -180 || v > 180 {
		return nil, Invalidf("lon", "must be between -180 and 180")
	}
	if v := *in.Lat; v != v || v < -90 || v > 90 {
		return nil, Invalidf("lat", "must be between -90 and 90")
	}
	p.Lon, p.Lat = *in.Lon+0, *in.Lat+0
	if in.RadiusM < 0 || in.RadiusM > MaxRadiusM {
		return nil, Invalidf("radius_m", "must be from 0 to %d metres", MaxRadiusM)
	}
	t, err := time.Parse(time.RFC3339, in.ObservedAt)
	if err != nil {
		return nil, Invalidf("observed_at", "%q is not an RFC 3339 time", clip(in.ObservedAt))
	}
	if t.After(now.Add(maxClockSkew)) || t.Before(earliestOccurrence) {
		return nil, Invalidf("observed_at", "must be between 2000 and now")
	}
	p.ObservedAt = t.UTC()
	if in.ValidTo != "" {
		to, err := time.Parse(time.RFC3339, in.ValidTo)
		if err != nil || !to.After(t) {
			return nil, Invalidf("valid_to", "must be an RFC 3339 time after observed_at")
		}
		to = to.UTC()
		p.ValidTo = &to
	}
	return p, checkText("description", in.Description, 0, MaxPositionText)
}

// Scopes of a classified report.
const (
	ScopeCovered  = "covered"  // the ceasefire covers the place
	ScopeExcluded = "excluded" // a designated group's area, or within a designated position's radius
	ScopeDisputed = "disputed" // contested control, or on a line of contact
	ScopeOutside  = "outside"  // outside the agreement's area, or held by an actor it does not bind
)

// Scopes lists every scope.
var Scopes = []string{ScopeCovered, ScopeExcluded, ScopeDisputed, ScopeOutside}

// ZoneRef names a zone version that decided a classification: the zone
// and the entry that approved it.
type ZoneRef struct {
	Zone  ZoneID `json:"zone"`
	Entry int64  `json:"entry"`
}

// Classification is where a report happened, who held the place then,
// and whether the ceasefire covers it, with what decided it.
type Classification struct {
	ADM1             string       `json:"adm1,omitempty"`
	ADM2             string       `json:"adm2,omitempty"`
	ADM3             string       `json:"adm3,omitempty"`
	Controller       ActorID      `json:"controller,omitempty"`
	ContestedBetween []ActorID    `json:"contested_between,omitempty"`
	Scope            string       `json:"scope"`
	OnLine           bool         `json:"on_line,omitempty"` // on the edge of a control area
	Zones            []ZoneRef    `json:"zones,omitempty"`
	Positions        []PositionID `json:"positions,omitempty"` // designated positions within their radius
}

// Equal reports whether two classifications say the same.
func (c *Classification) Equal(d *Classification) bool {
	a, _ := json.Marshal(c)
	b, _ := json.Marshal(d)
	return string(a) == string(b)
}
