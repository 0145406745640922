package truce

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"sync/atomic"
	"time"
)

// Agreement is the regime being monitored: who guarantees it, who is bound by
// it, who is excluded from it, who watches, and the rules by which the
// guarantors' answers become a consensus. It is loaded from a YAML file
// (package agreements) and recorded in the log as the first entry, so that
// every later entry is judged by the rules that were in force.
type Agreement struct {
	ID        string            `json:"id"`
	Names     map[string]string `json:"names"`
	Effective time.Time         `json:"effective"`
	// Area is the bounding box the agreement applies to, as
	// [west, south, east, north] in degrees.
	Area [4]float64 `json:"area"`
	// SeparationM is the distance in metres under which a party's area or
	// position and a designated group's are intermingled; 0 means
	// DefaultSeparationM.
	SeparationM    int                 `json:"separation_m,omitempty"`
	Actors         []Actor             `json:"actors"`
	ProhibitedActs []string            `json:"prohibited_acts,omitempty"`
	Rules          Rules               `json:"rules"`
	Disclosure     map[Role]Disclosure `json:"disclosure"`
	Sources        []string            `json:"sources,omitempty"`

	// names indexes every actor's folded names, built on first use. An
	// agreement MUST NOT change once ResolveActor has been called.
	names atomic.Pointer[map[string]ActorID]
}

var agreementIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Separation returns the agreement's separation threshold in metres.
func (a *Agreement) Separation() int {
	if a.SeparationM > 0 {
		return a.SeparationM
	}
	return DefaultSeparationM
}

// InArea reports whether a point is within the agreement's area.
func (a *Agreement) InArea(lon, lat float64) bool {
	return lon >= a.Area[0] && lon <= a.Area[2] && lat >= a.Area[1] && lat <= a.Area[3]
}

// Actor returns the actor with the given id, or nil.
func (a *Agreement) Actor(id ActorID) *Actor {
	for i := range a.Actors {
		if a.Actors[i].ID == id {
			return &a.Actors[i]
		}
	}
	return nil
}

// Guarantors returns the ids of the guarantors, in the file's order.
func (a *Agreement) Guarantors() []ActorID {
	var ids []ActorID
	for _, x := range a.Actors {
		if x.Standing == Guarantor {
			ids = append(ids, x.ID)
		}
	}
	return ids
}

// IsGuarantor reports whether id is one of the agreement's guarantors.
func (a *Agreement) IsGuarantor(id ActorID) bool {
	x := a.Actor(id)
	return x != nil && x.Standing == Guarantor
}

// ResolveActor finds the actor meant by s: its id (any case), or any of its
// names or aliases, compared after NormalizeName.
func (a *Agreement) ResolveActor(s string) (ActorID, bool) {
	if x := a.Actor(ActorID(s)); x != nil {
		return x.ID, true
	}
	key := NormalizeName(s)
	if key == "" {
		return "", false
	}
	names := a.names.Load()
	if names == nil {
		m := map[string]ActorID{}
		for _, x := range a.Actors {
			for _, n := range x.allNames() {
				if k := NormalizeName(n); m[k] == "" {
					m[k] = x.ID
				}
			}
		}
		names = &m
		a.names.Store(names)
	}
	id, ok := (*names)[key]
	return id, ok
}

func (x *Actor) allNames() []string {
	names := []string{string(x.ID)}
	for _, lang := range Languages {
		if n := x.Names[lang]; n != "" {
			names = append(names, n)
		}
	}
	return append(names, x.Aliases...)
}

// Validate checks the agreement as a whole. Package agreements reports the
// same rules with line numbers; Validate guards agreements built in code and
// read back from the log.
func (a *Agreement) Validate() error {
	if !agreementIDPattern.MatchString(a.ID) {
		return Invalidf("id", "must be lower-case letters, digits and hyphens, at most 63 characters")
	}
	if err := validateNames("names", a.Names, 200); err != nil {
		return err
	}
	if a.Effective.IsZero() {
		return Invalidf("effective", "is required")
	}
	if err := validateArea(a.Area); err != nil {
		return err
	}
	if a.SeparationM < 0 || a.SeparationM > MaxSeparationM {
		return Invalidf("separation_m", "must be from 1 to %d metres", MaxSeparationM)
	}
	seen := map[ActorID]bool{}
	names := map[string]ActorID{}
	for i := range a.Actors {
		x := &a.Actors[i]
		field := fmt.Sprintf("actors[%d]", i)
		if err := x.validate(field); err != nil {
			return err
		}
		if seen[x.ID] {
			return Invalidf(field+".id", "%q is used twice", x.ID)
		}
		seen[x.ID] = true
		for _, n := range x.allNames() {
			k := NormalizeName(n)
			if other, ok := names[k]; ok && other != x.ID {
				return Invalidf(field, "name %q is also a name of %s; names must tell actors apart", n, other)
			}
			names[k] = x.ID
		}
	}
	if len(a.Guarantors()) == 0 {
		return Invalidf("guarantors", "at least one guarantor is required")
	}
	for i, x := range a.Actors {
		for j, g := range x.Guarantors {
			if !a.IsGuarantor(g) {
				return Invalidf(fmt.Sprintf("actors[%d].guarantors[%d]", i, j), "%q is not a guarantor of this agreement", g)
			}
		}
	}
	if err := a.Rules.Validate(); err != nil {
		return err
	}
	if err := a.Rules.validateCounts(len(a.Guarantors())); err != nil {
		return err
	}
	if err := validateList("sources", a.Sources); err != nil {
		return err
	}
	if err := validateList("prohibited_acts", a.ProhibitedActs); err != nil {
		return err
	}
	for _, r := range Roles {
		d, ok := a.Disclosure[r]
		if !ok {
			return Invalidf("disclosure."+string(r), "a coordinate-disclosure policy is required for every role")
		}
		if err := d.Validate("disclosure." + string(r)); err != nil {
			return err
		}
	}
	if len(a.Disclosure) != len(Roles) {
		for _, r := range sortedKeys(a.Disclosure) {
			if !r.Valid() {
				return Invalidf("disclosure."+string(r), "unknown role")
			}
		}
	}
	return nil
}

// validateList checks a list of references or texts: at most 64 items of
// 1 to 2000 characters.
func validateList(field string, items []string) error {
	if len(items) > 64 {
		return Invalidf(field, "at most 64 items")
	}
	for i, s := range items {
		if err := checkText(fmt.Sprintf("%s[%d]", field, i), s, 1, 2000); err != nil {
			return err
		}
	}
	return nil
}

// standingKinds says which kinds of actor each standing admits.
var standingKinds = map[Standing][]ActorKind{
	Guarantor:   {KindState},
	Party:       {KindStateForce, KindRebelGroup},
	Excluded:    {KindDesignatedGroup, KindRebelGroup},
	Observer:    {KindState, KindObserverBody},
	Secretariat: {KindSecretariat},
	Other:       {KindState, KindStateForce, KindRebelGroup, KindDesignatedGroup, KindObserverBody},
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

func (x *Actor) validate(field string) error {
	if !x.ID.Valid() {
		return Invalidf(field+".id", "%q must be 2 to 16 upper-case letters or digits, starting with a letter", x.ID)
	}
	if !oneOf(x.Standing, Standings) {
		return Invalidf(field+".standing", "%q is not one of %v", x.Standing, Standings)
	}
	if !oneOf(x.Kind, ActorKinds) {
		return Invalidf(field+".kind", "%q is not one of %v", x.Kind, ActorKinds)
	}
	if !oneOf(x.Kind, standingKinds[x.Standing]) {
		return Invalidf(field+".kind", "a %s cannot be a %s; use one of %v", x.Standing, x.Kind, standingKinds[x.Standing])
	}
	if err := validateNames(field+".names", x.Names, 200); err != nil {
		return err
	}
	if len(x.Aliases) > 64 {
		return Invalidf(field+".aliases", "at most 64 aliases")
	}
	for i, s := range x.Aliases {
		if err := checkText(fmt.Sprintf("%s.aliases[%d]", field, i), s, 1, 200); err != nil {
			return err
		}
	}
	if x.ACLEDInter < 0 || x.ACLEDInter > 8 {
		return Invalidf(field+".acled_inter", "must be an ACLED actor type from 1 to 8")
	}
	if x.Standing == Party && len(x.Guarantors) == 0 {
		return Invalidf(field+".guarantors", "a party needs the guarantor that answers for it")
	}
	if x.Standing != Party && len(x.Guarantors) > 0 {
		return Invalidf(field+".guarantors", "only parties have guarantors answering for them")
	}
	if x.Since != "" {
		if _, err := time.Parse(time.DateOnly, x.Since); err != nil {
			return Invalidf(field+".since", "%q must be a date YYYY-MM-DD", x.Since)
		}
	}
	return checkText(field+".note", x.Note, 0, 2000)
}

func validateNames(field string, names map[string]string, max int) error {
	for _, lang := range []string{"en", "ar"} {
		if names[lang] == "" {
			return Invalidf(field+"."+lang, "a name in %s is required", lang)
		}
	}
	for _, lang := range sortedKeys(names) {
		n := names[lang]
		if !oneOf(lang, Languages) {
			return Invalidf(field+"."+lang, "unknown language; use one of %v", Languages)
		}
		if err := checkText(field+"."+lang, n, 1, max); err != nil {
			return err
		}
	}
	return nil
}

func validateArea(b [4]float64) error {
	for _, v := range b {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Invalidf("area", "coordinates must be finite numbers")
		}
	}
	if b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 || b[0] >= b[2] || b[1] >= b[3] {
		return Invalidf("area", "must be [west, south, east, north] with west < east and south < north, in degrees")
	}
	return nil
}

func oneOf[T comparable](v T, set []T) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}
