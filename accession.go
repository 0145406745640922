package truce

import (
	"regexp"
	"strings"
	"time"
)

// Kinds of accession.
const (
	AccessionGroup      = "group"      // an armed group joins as a party
	AccessionSettlement = "settlement" // a town or village joins (reconciles)
)

// AccessionID identifies an accession: "acc_" and 16 base32 characters.
type AccessionID string

var (
	accessionIDPattern = regexp.MustCompile(`^acc_[a-z2-7]{16}$`)
	// Community P-codes of OCHA's Syria gazetteer: C and four or five digits.
	pcodePattern  = regexp.MustCompile(`^C[0-9]{4,5}$`)
	sha256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// Valid reports whether id has the form of an accession id.
func (id AccessionID) Valid() bool { return accessionIDPattern.MatchString(string(id)) }

// ValidSHA256 reports whether s is a lower-case hex SHA-256.
func ValidSHA256(s string) bool { return sha256Pattern.MatchString(s) }

// Accession is a group or settlement that joined the agreement.
type Accession struct {
	ID        AccessionID `json:"id"`
	Kind      string      `json:"kind"`
	Actor     ActorID     `json:"actor,omitempty"` // a group
	PCode     string      `json:"pcode,omitempty"` // a settlement
	Name      string      `json:"name"`
	Guarantor ActorID     `json:"guarantor"`
	Date      string      `json:"date"`
	Evidence  []string    `json:"evidence,omitempty"`
	Note      string      `json:"note,omitempty"`
	Member    MemberID    `json:"recorded_by"`
	Entry     int64       `json:"entry"`
}

// AccessionInput is what a guarantor officer submits to record an
// accession through its guarantor.
type AccessionInput struct {
	Kind string `json:"kind"`
	// A group: either an actor the agreement already names (not yet a
	// party), or a new one with its id, names and aliases.
	ActorID ActorID `json:"actor_id,omitempty"`
	Actor   *Actor  `json:"actor,omitempty"`
	// A settlement: its OCHA community P-code and name.
	PCode    string   `json:"pcode,omitempty"`
	Name     string   `json:"name,omitempty"`
	Date     string   `json:"date"`               // YYYY-MM-DD
	Evidence []string `json:"evidence,omitempty"` // SHA-256 of evidence files or other references
	Note     string   `json:"note,omitempty"`
}

// Validate checks the input against the agreement, for the guarantor g,
// at time now, and returns the payload it records (without its id).
func (in *AccessionInput) Validate(a *Agreement, g ActorID, now time.Time) (*AccessionRecorded, error) {
	p := &AccessionRecorded{Kind: in.Kind, Guarantor: g, Note: in.Note}
	d, err := time.Parse(time.DateOnly, in.Date)
	if err != nil {
		return nil, Invalidf("date", "%q is not a date YYYY-MM-DD", clip(in.Date))
	}
	// Dates compare as the agreement's own calendar writes its start.
	if in.Date < a.Effective.Format(time.DateOnly) || d.After(now) {
		return nil, Invalidf("date", "must be between the agreement's start (%s) and today", a.Effective.Format(time.DateOnly))
	}
	p.Date = in.Date
	switch in.Kind {
	case AccessionGroup:
		if err := in.validateGroup(a, g, p); err != nil {
			return nil, err
		}
	case AccessionSettlement:
		if in.ActorID != "" || in.Actor != nil {
			return nil, Invalidf("actor", "a settlement's accession names no actor")
		}
		if !pcodePattern.MatchString(in.PCode) {
			return nil, Invalidf("pcode", "%q is not an OCHA community P-code such as C1234", clip(in.PCode))
		}
		if err := checkLine("name", in.Name, 1, MaxPlace); err != nil {
			return nil, err
		}
		p.PCode, p.Name = in.PCode, in.Name
	default:
		return nil, Invalidf("kind", "must be group or settlement")
	}
	if len(in.Evidence) > MaxSources {
		return nil, Invalidf("evidence", "at most %d references", MaxSources)
	}
	for i, e := range in.Evidence {
		if err := checkLine("evidence", e, 1, MaxSourceLength); err != nil {
			return nil, err
		}
		in.Evidence[i] = strings.ToLower(e)
	}
	p.Evidence = in.Evidence
	if err := checkText("note", in.Note, 0, MaxReason); err != nil {
		return nil, err
	}
	return p, nil
}

func (in *AccessionInput) validateGroup(a *Agreement, g ActorID, p *AccessionRecorded) error {
	if in.PCode != "" {
		return Invalidf("pcode", "a group's accession names no settlement")
	}
	switch {
	case in.ActorID != "" && in.Actor != nil:
		return Invalidf("actor", "give either actor_id (an actor the agreement names) or actor (a new one), not both")
	case in.ActorID != "":
		x := a.Actor(in.ActorID)
		if x == nil {
			return Invalidf("actor_id", "%q is not an actor of agreement %s; describe a new group in actor", clip(string(in.ActorID)), a.ID)
		}
		if x.Standing != Other {
			return Invalidf("actor_id", "%s is a %s of the agreement, not a group that can join it", x.ID, x.Standing)
		}
		p.ActorID = x.ID
	case in.Actor != nil:
		if a.Actor(in.Actor.ID) != nil {
			return Invalidf("actor.id", "%s is already an actor of agreement %s; an actor the agreement names joins by actor_id", in.Actor.ID, a.ID)
		}
		x := *in.Actor
		x.Standing, x.Guarantors, x.Since = Party, []ActorID{g}, in.Date
		if x.Kind == "" {
			x.Kind = KindRebelGroup
		}
		if x.ACLEDInter == 0 {
			x.ACLEDInter = 2
		}
		if _, err := a.WithActor(x); err != nil {
			return err
		}
		p.Actor = &x
	default:
		return Invalidf("actor", "a group's accession needs actor_id or actor")
	}
	return nil
}

// WithActor returns a copy of the agreement with actor x added, or, when
// x has the id of an actor already there, with that actor replaced by x.
// It fails when the result is not a valid agreement (an id or a name
// already taken, for instance); errors name the field as "actor.…".
func (a *Agreement) WithActor(x Actor) (*Agreement, error) {
	b := &Agreement{
		ID: a.ID, Names: a.Names, Effective: a.Effective, Area: a.Area, SeparationM: a.SeparationM,
		ProhibitedActs: a.ProhibitedActs, Rules: a.Rules, Disclosure: a.Disclosure, Sources: a.Sources,
	}
	replaced := false
	for _, y := range a.Actors {
		if y.ID == x.ID {
			y, replaced = x, true
		}
		b.Actors = append(b.Actors, y)
	}
	if !replaced {
		b.Actors = append(b.Actors, x)
	}
	if err := b.Validate(); err != nil {
		if e, ok := err.(*Error); ok && strings.HasPrefix(e.Field, "actors[") {
			i := strings.Index(e.Field, "]")
			field := "actor" + e.Field[i+1:]
			msg := field + strings.TrimPrefix(e.Message, e.Field)
			return nil, &Error{Code: EINVALID, Field: field, Message: msg}
		}
		return nil, err
	}
	return b, nil
}
