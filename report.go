package truce

import (
	"maps"
	"math"
	"regexp"
	"time"
)

// ReportID identifies a report: "rpt_" and 16 lower-case base32 characters,
// chosen at random when it is filed and recorded in its log entry.
type ReportID string

var reportIDPattern = regexp.MustCompile(`^rpt_[a-z2-7]{16}$`)

// Valid reports whether id has the form of a report id.
func (id ReportID) Valid() bool { return reportIDPattern.MatchString(string(id)) }

// Limits on report fields.
const (
	MaxDescription = 10000 // characters
	MaxReason      = 4000  // characters
	MaxActorName   = 200   // characters
)

// ReportInput is what a member submits to file a report.
type ReportInput struct {
	OccurredAt   string   `json:"occurred_at"` // RFC 3339
	Lon          *float64 `json:"lon"`
	Lat          *float64 `json:"lat"`
	EventType    string   `json:"event_type"`
	SubEventType string   `json:"sub_event_type"`
	Perpetrator  string   `json:"perpetrator"` // an actor id, name or alias; empty when unknown
	Description  string   `json:"description"`

	TimePrecision int         `json:"time_precision,omitempty"` // 1 (default) to 3, as ACLED
	GeoPrecision  int         `json:"geo_precision,omitempty"`  // 1 (default) to 3, as ACLED
	UncertaintyM  int         `json:"uncertainty_m,omitempty"`  // radius around the point, metres
	Place         string      `json:"place,omitempty"`          // a place name, for the gazetteer
	Target        string      `json:"target,omitempty"`         // an actor id, name or alias
	Casualties    *Casualties `json:"casualties,omitempty"`
	Fire          *Fire       `json:"fire,omitempty"`
	Sources       []string    `json:"sources,omitempty"` // public references
	// SourceIdentity names who told the filer; restricted to the filing
	// organisation and the guarantors.
	SourceIdentity string `json:"source_identity,omitempty"`
	// Origin is where an imported report comes from, with the source's
	// columns that have no field here, so that it can be exported again.
	Origin *Origin `json:"origin,omitempty"`
}

// Origin is the record of an event in another dataset that a report was
// imported from: the dataset, the event's id there, and verbatim the
// columns a report has no field for (or whose field would not give back
// the same text).
type Origin struct {
	Dataset string            `json:"dataset"` // "acled", "ucdp", "hxl"
	ID      string            `json:"id"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Limits of an origin.
const (
	MaxOriginFields = 64
	MaxOriginID     = 100
	MaxOriginColumn = 64
)

// Validate checks an origin: a known dataset, an id of one line (empty
// when the dataset gave the event none), at most
// MaxOriginFields fields, each named by a column ("assoc_actor_1",
// "#geo+lat") of one line and at most MaxOriginColumn characters.
func (o *Origin) Validate() error {
	switch o.Dataset {
	case "acled", "ucdp", "hxl":
	default:
		return Invalidf("origin.dataset", "%q is not acled, ucdp or hxl", clip(o.Dataset))
	}
	if err := checkLine("origin.id", o.ID, 0, MaxOriginID); err != nil {
		return err
	}
	if len(o.Fields) > MaxOriginFields {
		return Invalidf("origin.fields", "at most %d fields, not %d", MaxOriginFields, len(o.Fields))
	}
	for k, v := range o.Fields {
		if err := checkLine("origin.fields", k, 1, MaxOriginColumn); err != nil {
			return err
		}
		if err := checkText("origin.fields."+k, v, 0, MaxDescription); err != nil {
			return err
		}
	}
	return nil
}

// Report is a claim that something happened, as filed and recorded. Its
// assessments and consensus are computed when it is read.
type Report struct {
	ID           ReportID  `json:"id"`
	OccurredAt   time.Time `json:"occurred_at"`
	Lon          float64   `json:"lon"`
	Lat          float64   `json:"lat"`
	EventType    string    `json:"event_type"`
	SubEventType string    `json:"sub_event_type"`
	// Perpetrator is the resolved actor, empty when none was named;
	// PerpetratorAsGiven keeps the name the filer used.
	Perpetrator        ActorID `json:"perpetrator,omitempty"`
	PerpetratorAsGiven string  `json:"perpetrator_as_given,omitempty"`
	Description        string  `json:"description"`

	TimePrecision  int         `json:"time_precision"`
	GeoPrecision   int         `json:"geo_precision"`
	UncertaintyM   int         `json:"uncertainty_m"`
	Place          string      `json:"place,omitempty"`
	Target         ActorID     `json:"target,omitempty"`
	TargetAsGiven  string      `json:"target_as_given,omitempty"`
	Casualties     *Casualties `json:"casualties,omitempty"`
	Fire           *Fire       `json:"fire,omitempty"`
	Sources        []string    `json:"sources,omitempty"`
	SourceIdentity string      `json:"-"` // restricted: see Report views
	Origin         *Origin     `json:"origin,omitempty"`
	// Classification is where the report happened and whether the
	// ceasefire covers it, as last classified; nil before.
	Classification *Classification `json:"classification,omitempty"`

	FiledAt      time.Time `json:"filed_at"`
	FiledBy      MemberID  `json:"filed_by"`
	Organisation ActorID   `json:"organisation"` // the filer's organisation
	Entry        int64     `json:"entry"`        // the log entry that filed it
}

// earliestOccurrence bounds occurred_at from below: truce records the
// ceasefires of this century, and a date before this is a typing error.
var earliestOccurrence = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// maxClockSkew is how far in the future occurred_at may be, for clocks
// that run ahead of the server's.
const maxClockSkew = 5 * time.Minute

// Validate checks the input against the agreement and returns the report it
// describes (without the filing fields, which the caller sets).
func (in *ReportInput) Validate(a *Agreement, now time.Time) (*Report, error) {
	if in.OccurredAt == "" {
		return nil, Invalidf("occurred_at", "is required (RFC 3339, such as 2017-01-05T14:30:00+02:00)")
	}
	if len(in.OccurredAt) > 64 {
		return nil, Invalidf("occurred_at", "must be at most 64 characters")
	}
	occurred, err := time.Parse(time.RFC3339Nano, in.OccurredAt)
	if err != nil {
		return nil, Invalidf("occurred_at", "%q is not an RFC 3339 time such as 2017-01-05T14:30:00+02:00", in.OccurredAt)
	}
	if occurred.Before(earliestOccurrence) {
		return nil, Invalidf("occurred_at", "must not be before 2000-01-01")
	}
	if occurred.After(now.Add(maxClockSkew)) {
		return nil, Invalidf("occurred_at", "must not be in the future")
	}
	if in.Lon == nil {
		return nil, Invalidf("lon", "is required (degrees east, -180 to 180)")
	}
	if in.Lat == nil {
		return nil, Invalidf("lat", "is required (degrees north, -90 to 90)")
	}
	if v := *in.Lon; math.IsNaN(v) || v < -180 || v > 180 {
		return nil, Invalidf("lon", "must be between -180 and 180")
	}
	if v := *in.Lat; math.IsNaN(v) || v < -90 || v > 90 {
		return nil, Invalidf("lat", "must be between -90 and 90")
	}
	if in.EventType == "" {
		return nil, Invalidf("event_type", "is required (an ACLED event type such as \"Explosions/Remote violence\")")
	}
	et, sub, ok := CanonicalEventType(in.EventType, in.SubEventType)
	if et == "" {
		return nil, Invalidf("event_type", "%q is not an ACLED event type", clip(in.EventType))
	}
	if !ok {
		return nil, Invalidf("sub_event_type", "%q is not an ACLED sub-event type of %q; use one of %q", clip(in.SubEventType), et, ACLEDEventTypes[et])
	}
	r := &Report{
		OccurredAt: occurred,
		// Adding zero turns -0 into 0, which is how the log's canonical
		// JSON writes it: a replayed report must equal the filed one.
		Lon:          *in.Lon + 0,
		Lat:          *in.Lat + 0,
		EventType:    et,
		SubEventType: sub,
		Description:  in.Description,
	}
	if in.Perpetrator != "" {
		if err := checkLine("perpetrator", in.Perpetrator, 1, MaxActorName); err != nil {
			return nil, err
		}
		id, ok := a.ResolveActor(in.Perpetrator)
		if !ok {
			return nil, Invalidf("perpetrator", "%q is not an actor of agreement %s: give an actor id, name or alias (GET /api/v1/actors), or leave it empty when unknown", in.Perpetrator, a.ID)
		}
		r.Perpetrator, r.PerpetratorAsGiven = id, in.Perpetrator
	}
	if err := checkText("description", in.Description, 1, MaxDescription); err != nil {
		return nil, err
	}
	if err := in.validateDetails(a, r); err != nil {
		return nil, err
	}
	return r, nil
}

// validateDetails checks the fields beyond the first slice's and copies
// them into r.
func (in *ReportInput) validateDetails(a *Agreement, r *Report) error {
	r.TimePrecision, r.GeoPrecision = max(in.TimePrecision, 1), max(in.GeoPrecision, 1)
	if in.TimePrecision < 0 || in.TimePrecision > MaxTimePrecision {
		return Invalidf("time_precision", "must be 1 (the day), 2 (the week) or 3 (the month)")
	}
	if in.GeoPrecision < 0 || in.GeoPrecision > MaxGeoPrecision {
		return Invalidf("geo_precision", "must be 1 (the place), 2 (near it, or its district) or 3 (a larger region)")
	}
	if in.UncertaintyM < 0 || in.UncertaintyM > MaxUncertaintyM {
		return Invalidf("uncertainty_m", "must be from 0 to %d metres", MaxUncertaintyM)
	}
	r.UncertaintyM = in.UncertaintyM
	if err := checkLine("place", in.Place, 0, MaxPlace); err != nil {
		return err
	}
	r.Place = in.Place
	if in.Target != "" {
		if err := checkLine("target", in.Target, 1, MaxActorName); err != nil {
			return err
		}
		id, ok := a.ResolveActor(in.Target)
		if !ok {
			return Invalidf("target", "%q is not an actor of agreement %s: give an actor id, name or alias, or leave it empty", in.Target, a.ID)
		}
		r.Target, r.TargetAsGiven = id, in.Target
	}
	if in.Casualties != nil {
		if err := in.Casualties.Validate(); err != nil {
			return err
		}
		if *in.Casualties != (Casualties{}) {
			c := *in.Casualties
			r.Casualties = &c
		}
	}
	if in.Fire != nil {
		if err := in.Fire.Validate(); err != nil {
			return err
		}
		f := *in.Fire // a copy: the report must not share the caller's
		if f.BearingDeg != nil {
			b := *f.BearingDeg + 0 // -0 is 0, as the log writes it
			f.BearingDeg = &b
		}
		r.Fire = &f
	}
	if err := validateSources(in.Sources); err != nil {
		return err
	}
	if len(in.Sources) > 0 {
		r.Sources = append([]string(nil), in.Sources...)
	}
	if err := checkText("source_identity", in.SourceIdentity, 0, MaxIdentity); err != nil {
		return err
	}
	r.SourceIdentity = in.SourceIdentity
	if in.Origin != nil {
		if err := in.Origin.Validate(); err != nil {
			return err
		}
		o := *in.Origin // a copy: the report must not share the caller's
		o.Fields = maps.Clone(in.Origin.Fields)
		if len(o.Fields) == 0 {
			o.Fields = nil
		}
		r.Origin = &o
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

// AssessmentInput is what a guarantor officer submits to assess a report.
type AssessmentInput struct {
	Verdict Verdict `json:"verdict"`
	Reason  string  `json:"reason"`
}

// Validate checks the input. A dispute needs a reason; so does an answer
// that the guarantor cannot verify, because both leave the claim open.
func (in *AssessmentInput) Validate() error {
	if !in.Verdict.Valid() {
		return Invalidf("verdict", "%q is not one of confirm, dispute, cannot_verify", clip(string(in.Verdict)))
	}
	min := 0
	if in.Verdict != Confirm {
		min = 1
	}
	if err := checkText("reason", in.Reason, min, MaxReason); err != nil {
		if min == 1 && in.Reason == "" {
			return Invalidf("reason", "is required when the verdict is %s", in.Verdict)
		}
		return err
	}
	return nil
}

// Assessment is a guarantor's recorded answer to a report.
type Assessment struct {
	Report       ReportID  `json:"report,omitempty"` // empty for an assessment of a position
	Verdict      Verdict   `json:"verdict"`
	Reason       string    `json:"reason,omitempty"`
	Member       MemberID  `json:"member"`
	Organisation ActorID   `json:"organisation"`
	MadeAt       time.Time `json:"made_at"`
	Entry        int64     `json:"entry"`
}
