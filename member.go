package truce

import (
	"math"
	"regexp"
	"time"
)

// Role is what a member may do, as DESIGN.md §3 lists it. A member holds one
// role in one organisation. RolePublic is the role of a request without
// credentials; no member holds it.
type Role string

const (
	RoleGuarantor Role = "guarantor" // an officer of a guarantor in the joint body
	RoleParty     Role = "party"     // the liaison of a party
	RoleMonitor   Role = "monitor"   // field staff: observation posts, patrols
	RoleObserver  Role = "observer"  // UN, US: read, do not decide
	RoleOperator  Role = "operator"  // runs the server; may not assess
	RolePublic    Role = "public"    // anyone, without a token
)

// Roles lists every role, public included.
var Roles = []Role{RoleGuarantor, RoleParty, RoleMonitor, RoleObserver, RoleOperator, RolePublic}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return oneOf(r, Roles) }

// MemberID identifies a member: "mem_" and 16 lower-case base32 characters.
type MemberID string

var memberIDPattern = regexp.MustCompile(`^mem_[a-z2-7]{16}$`)

// Valid reports whether id has the form of a member id.
func (id MemberID) Valid() bool { return memberIDPattern.MatchString(string(id)) }

// Member is a person or system account acting for one organisation.
type Member struct {
	ID           MemberID  `json:"id"`
	Name         string    `json:"name"`
	Organisation ActorID   `json:"organisation"`
	Role         Role      `json:"role"`
	AddedAt      time.Time `json:"added_at"`
	Entry        int64     `json:"entry"` // the log entry that added it
}

// roleStandings says which organisations may hold members of each role.
var roleStandings = map[Role][]Standing{
	RoleGuarantor: {Guarantor},
	RoleParty:     {Party},
	RoleMonitor:   {Guarantor, Observer},
	RoleObserver:  {Observer},
	RoleOperator:  {Secretariat},
}

// ValidateMember checks a new member against the agreement: a name, a
// known organisation, and a role that organisation may hold.
func ValidateMember(a *Agreement, name string, org ActorID, role Role) error {
	if err := checkLine("name", name, 1, 200); err != nil {
		return err
	}
	if !role.Valid() || role == RolePublic {
		return Invalidf("role", "%q is not one of guarantor, party, monitor, observer, operator", role)
	}
	x := a.Actor(org)
	if x == nil {
		return Invalidf("organisation", "%q is not an actor of agreement %s", org, a.ID)
	}
	if !oneOf(x.Standing, roleStandings[role]) {
		return Invalidf("role", "a %s of %s is not allowed: %s members must belong to a %v", role, org, role, roleStandings[role])
	}
	return nil
}

// CanFileReport reports whether the role may file reports.
func (r Role) CanFileReport() bool {
	return r == RoleGuarantor || r == RoleParty || r == RoleMonitor
}

// CanAssess reports whether the role may assess reports. Only guarantor
// officers may: the operator runs the server but never decides.
func (r Role) CanAssess() bool { return r == RoleGuarantor }

// CanAdminister reports whether the role may add members.
func (r Role) CanAdminister() bool { return r == RoleOperator }

// CanReadReports reports whether the role may read reports at all; what it
// sees of their coordinates is the agreement's disclosure policy.
func (r Role) CanReadReports() bool { return r != RolePublic }

// Coordinate-disclosure modes.
const (
	DiscloseExact       = "exact"       // coordinates as filed
	DiscloseCoarse      = "coarse"      // snapped to the centre of a grid cell
	DiscloseGovernorate = "governorate" // no coordinates: the governorate (ADM1) only
	DiscloseHidden      = "hidden"      // not shown
)

// Disclosure is what a role sees of the coordinates of reports filed by other
// organisations. An organisation always sees its own reports exactly.
type Disclosure struct {
	Coordinates string `json:"coordinates"`
	// Grid is the cell size in degrees for coarse disclosure.
	Grid float64 `json:"grid,omitempty"`
}

// Validate checks the policy.
func (d Disclosure) Validate(field string) error {
	switch d.Coordinates {
	case DiscloseExact, DiscloseHidden, DiscloseGovernorate:
		if d.Grid != 0 {
			return Invalidf(field+".grid", "only coarse disclosure has a grid")
		}
	case DiscloseCoarse:
		if !(d.Grid >= 0.001 && d.Grid <= 10) {
			return Invalidf(field+".grid", "must be between 0.001 and 10 degrees")
		}
	default:
		return Invalidf(field+".coordinates", "%q is not exact, coarse, governorate or hidden", d.Coordinates)
	}
	return nil
}

// Apply returns the coordinates as the policy discloses them; ok is false
// when they are hidden (or only the governorate is disclosed). Coarse coordinates are the centre of the grid cell
// holding the point, rounded to six decimals.
func (d Disclosure) Apply(lon, lat float64) (float64, float64, bool) {
	switch d.Coordinates {
	case DiscloseExact:
		return lon, lat, true
	case DiscloseCoarse:
		snap := func(v float64) float64 {
			c := (math.Floor(v/d.Grid) + 0.5) * d.Grid
			return math.Round(c*1e6) / 1e6
		}
		return snap(lon), snap(lat), true
	}
	return 0, 0, false
}

// Classify returns as much of a classification as the policy discloses:
// all of it with exact or coarse coordinates (administrative units, the
// agreed map's controller and zones are coarser than any grid a party is
// given to answer an allegation); the governorate and the scope alone
// with governorate disclosure; nothing when coordinates are hidden.
func (d Disclosure) Classify(c *Classification) *Classification {
	if c == nil {
		return nil
	}
	switch d.Coordinates {
	case DiscloseExact, DiscloseCoarse:
		return c
	case DiscloseGovernorate:
		return &Classification{ADM1: c.ADM1, Scope: c.Scope}
	}
	return nil
}

// ClassificationFilters returns the report filters on classification a
// role may use, as far as its disclosure of other organisations' reports
// allows: filtering by a field reveals it as surely as showing it.
func (d Disclosure) ClassificationFilters() (governorate, scope, controller bool) {
	switch d.Coordinates {
	case DiscloseExact, DiscloseCoarse:
		return true, true, true
	case DiscloseGovernorate:
		return true, true, false
	}
	return false, false, false
}

// DisclosureFor returns the policy for a viewer of the given role and
// organisation looking at a report filed by owner.
func (a *Agreement) DisclosureFor(role Role, org, owner ActorID) Disclosure {
	if org != "" && org == owner {
		return Disclosure{Coordinates: DiscloseExact}
	}
	if d, ok := a.Disclosure[role]; ok {
		return d
	}
	return Disclosure{Coordinates: DiscloseHidden}
}
