package truce

import (
	"encoding/json"
	"time"
)

// EntryKind names what an entry of the log records. Kinds are never renamed
// or reused: an entry's meaning is fixed for as long as the log exists.
type EntryKind string

const (
	// EntryAgreementLoaded records the agreement the log monitors. It is the
	// first entry of every log.
	EntryAgreementLoaded EntryKind = "agreement.loaded"
	// EntryMemberAdded records a member joining, with organisation and role.
	// Credentials are not in the log.
	EntryMemberAdded EntryKind = "member.added"
	// EntryReportFiled records a report as filed, after validation.
	EntryReportFiled EntryKind = "report.filed"
	// EntryAssessmentMade records a guarantor's verdict on a report.
	EntryAssessmentMade EntryKind = "assessment.made"

	// EntryReplyMade records the reply of an accused party to a report.
	EntryReplyMade EntryKind = "reply.made"
	// EntryRFISent records a guarantor's request for information about a
	// report, to a party or another guarantor, with a deadline.
	EntryRFISent EntryKind = "rfi.sent"
	// EntryRFIAnswered records the answer of the organisation asked.
	EntryRFIAnswered EntryKind = "rfi.answered"
	// EntryEvidenceAdded records the SHA-256 of an evidence file of a report.
	EntryEvidenceAdded EntryKind = "evidence.added"
	// EntryAccessionRecorded records an armed group or a settlement joining
	// the agreement through a guarantor.
	EntryAccessionRecorded EntryKind = "accession.recorded"
	// EntryMeetingRequested, EntryMeetingProposed, EntryMeetingApproved and
	// EntryMeetingMinuted record the joint body's meetings: a request with
	// a date and venue, a new date or venue, a guarantor's approval of the
	// current proposal, and the minutes with the decisions taken.
	EntryMeetingRequested EntryKind = "meeting.requested"
	EntryMeetingProposed  EntryKind = "meeting.proposed"
	EntryMeetingApproved  EntryKind = "meeting.approved"
	EntryMeetingMinuted   EntryKind = "meeting.minuted"
	// EntryKeyRegistered records a member's Ed25519 key, with which the
	// member signs its submissions from then on.
	EntryKeyRegistered EntryKind = "key.registered"
	// EntryZoneProposed and EntryZoneApproved record a zone of the map
	// proposed, and a guarantor's approval of it; it is on the map once
	// every guarantor approved.
	EntryZoneProposed EntryKind = "zone.proposed"
	EntryZoneApproved EntryKind = "zone.approved"
	// EntryPositionClaimed and EntryPositionAssessed record a claim that an
	// actor's unit is at a place, and a guarantor's verdict on it.
	EntryPositionClaimed  EntryKind = "position.claimed"
	EntryPositionAssessed EntryKind = "position.assessed"
	// EntryReportClassified records where a report happened, who held the
	// place, and whether the ceasefire covers it: at intake, and again
	// whenever the approved map changes it. The system appends it.
	EntryReportClassified EntryKind = "report.classified"
)

// EntryKinds lists every kind.
var EntryKinds = []EntryKind{
	EntryAgreementLoaded, EntryMemberAdded, EntryReportFiled, EntryAssessmentMade,
	EntryReplyMade, EntryRFISent, EntryRFIAnswered, EntryEvidenceAdded, EntryAccessionRecorded,
	EntryMeetingRequested, EntryMeetingProposed, EntryMeetingApproved, EntryMeetingMinuted,
	EntryKeyRegistered, EntryZoneProposed, EntryZoneApproved, EntryPositionClaimed, EntryPositionAssessed,
	EntryReportClassified,
}

// Attestations say who vouches that the author made the entry.
const (
	// AttestedByServer: the server authenticated the member's token and
	// appended the entry; the log key's checkpoints vouch for it.
	AttestedByServer = "server"
	// AttestedBySignature: the member signed the command with its
	// registered key; the signed note is in the entry's sidecar, and the
	// entry names the key and the note's hash.
	AttestedBySignature = "signed"
)

// Author is who made an entry. Entries the system makes by itself (the
// agreement and the first operator at init) have none.
type Author struct {
	Member       MemberID `json:"member"`
	Organisation ActorID  `json:"organisation"`
	Role         Role     `json:"role"`
	Attestation  string   `json:"attestation"`
	// Key and Note are set for signed entries: the signing key (as its
	// note key hash, hex) and the SHA-256 (hex) of the signed note.
	Key  string `json:"key,omitempty"`
	Note string `json:"note,omitempty"`
}

// Entry is one record of the log. Its encoding, defined in package log, is
// canonical: the same entry always encodes to the same bytes, and the
// Merkle leaf is the hash of those bytes.
type Entry struct {
	Index   int64           `json:"index"`
	Kind    EntryKind       `json:"kind"`
	Time    time.Time       `json:"time"` // UTC, when the server appended it
	Author  *Author         `json:"author,omitempty"`
	Payload json.RawMessage `json:"payload"`
}

// AgreementLoaded is the payload of an agreement.loaded entry.
type AgreementLoaded struct {
	Agreement *Agreement `json:"agreement"`
}

// MemberAdded is the payload of a member.added entry.
type MemberAdded struct {
	ID           MemberID `json:"id"`
	Name         string   `json:"name"`
	Organisation ActorID  `json:"organisation"`
	Role         Role     `json:"role"`
}

// ReportFiled is the payload of a report.filed entry: the validated report,
// with the id it was given. Filing time, filer and organisation are the
// entry's time and author.
type ReportFiled struct {
	ID                 ReportID  `json:"id"`
	OccurredAt         time.Time `json:"occurred_at"`
	Lon                float64   `json:"lon"`
	Lat                float64   `json:"lat"`
	EventType          string    `json:"event_type"`
	SubEventType       string    `json:"sub_event_type"`
	Perpetrator        ActorID   `json:"perpetrator,omitempty"`
	PerpetratorAsGiven string    `json:"perpetrator_as_given,omitempty"`
	Description        string    `json:"description"`

	TimePrecision  int         `json:"time_precision"`
	GeoPrecision   int         `json:"geo_precision"`
	UncertaintyM   int         `json:"uncertainty_m,omitempty"`
	Place          string      `json:"place,omitempty"`
	Target         ActorID     `json:"target,omitempty"`
	TargetAsGiven  string      `json:"target_as_given,omitempty"`
	Casualties     *Casualties `json:"casualties,omitempty"`
	Fire           *Fire       `json:"fire,omitempty"`
	Sources        []string    `json:"sources,omitempty"`
	SourceIdentity *SealedRef  `json:"source_identity,omitempty"` // the value is in the sidecar
	Origin         *Origin     `json:"origin,omitempty"`
	// Classification is the system's, against the approved map at intake:
	// not part of what the filer submits or signs.
	Classification *Classification `json:"classification,omitempty"`
}

// AssessmentMade is the payload of an assessment.made entry.
type AssessmentMade struct {
	Report  ReportID `json:"report"`
	Verdict Verdict  `json:"verdict"`
	Reason  string   `json:"reason,omitempty"`
}

// ReplyMade is the payload of a reply.made entry.
type ReplyMade struct {
	Report ReportID `json:"report"`
	Text   string   `json:"text"`
}

// RFISent is the payload of an rfi.sent entry. Requests are read only by
// the guarantors, observers and the organisation asked: the question is
// sealed (its value in the sidecar).
type RFISent struct {
	ID       RFIID     `json:"id"`
	Report   ReportID  `json:"report"`
	To       ActorID   `json:"to"`
	Question SealedRef `json:"question"`
	Deadline time.Time `json:"deadline"`
}

// RFIAnswer is the payload of an rfi.answered entry; the answer is sealed.
type RFIAnswer struct {
	RFI  RFIID     `json:"rfi"`
	Text SealedRef `json:"text"`
}

// EvidenceAdded is the payload of an evidence.added entry.
type EvidenceAdded struct {
	Report    ReportID `json:"report"`
	SHA256    string   `json:"sha256"`
	Size      int64    `json:"size"`
	MediaType string   `json:"media_type"`
}

// AccessionRecorded is the payload of an accession.recorded entry. A group
// is an actor (Actor for one new to the agreement, ActorID for one it
// already names); a settlement is an OCHA community P-code and its name.
type AccessionRecorded struct {
	ID        AccessionID `json:"id"`
	Kind      string      `json:"kind"` // AccessionGroup or AccessionSettlement
	Actor     *Actor      `json:"actor,omitempty"`
	ActorID   ActorID     `json:"actor_id,omitempty"`
	PCode     string      `json:"pcode,omitempty"`
	Name      string      `json:"name,omitempty"`
	Guarantor ActorID     `json:"guarantor"`
	Date      string      `json:"date"` // YYYY-MM-DD
	Evidence  []string    `json:"evidence,omitempty"`
	Note      string      `json:"note,omitempty"`
}

// MeetingRequested is the payload of a meeting.requested entry; the
// requesting guarantor approves its own proposal. The joint body's
// meetings are read by the guarantors and observers only: the agenda's
// note is sealed.
type MeetingRequested struct {
	ID      MeetingID  `json:"id"`
	Date    time.Time  `json:"date"`
	Venue   string     `json:"venue"`
	Reports []ReportID `json:"reports,omitempty"`
	RFIs    []RFIID    `json:"rfis,omitempty"`
	Note    *SealedRef `json:"note,omitempty"`
}

// MeetingProposed is the payload of a meeting.proposed entry: a new date
// and venue, which the proposer approves; earlier approvals lapse.
type MeetingProposed struct {
	Meeting MeetingID `json:"meeting"`
	Date    time.Time `json:"date"`
	Venue   string    `json:"venue"`
}

// MeetingApproved is the payload of a meeting.approved entry: approval of
// the proposal with the given number (1 for the request, then one more for
// each meeting.proposed).
type MeetingApproved struct {
	Meeting  MeetingID `json:"meeting"`
	Proposal int       `json:"proposal"`
}

// MeetingMinuted is the payload of a meeting.minuted entry. The minutes
// are sealed; the decisions, which show on the reports they concern, are
// not.
type MeetingMinuted struct {
	Meeting   MeetingID  `json:"meeting"`
	Minutes   SealedRef  `json:"minutes"`
	Decisions []Decision `json:"decisions,omitempty"`
}

// KeyRegistered is the payload of a key.registered entry: a member's note
// verifier key ("name+hash+key").
type KeyRegistered struct {
	Member MemberID `json:"member"`
	Key    string   `json:"key"`
}

// ZoneProposed is the payload of a zone.proposed entry.
type ZoneProposed struct {
	ID               ZoneID           `json:"id"`
	Kind             ZoneKind         `json:"kind"`
	Name             string           `json:"name,omitempty"`
	Controller       ActorID          `json:"controller,omitempty"`
	ContestedBetween []ActorID        `json:"contested_between,omitempty"`
	ValidFrom        time.Time        `json:"valid_from"`
	ValidTo          *time.Time       `json:"valid_to,omitempty"`
	Geometry         [][][][2]float64 `json:"geometry"` // MultiPolygon coordinates
}

// ZoneApproved is the payload of a zone.approved entry.
type ZoneApproved struct {
	Zone ZoneID `json:"zone"`
}

// PositionClaimed is the payload of a position.claimed entry.
type PositionClaimed struct {
	ID          PositionID `json:"id"`
	Actor       ActorID    `json:"actor"`
	Lon         float64    `json:"lon"`
	Lat         float64    `json:"lat"`
	RadiusM     int        `json:"radius_m"`
	ObservedAt  time.Time  `json:"observed_at"`
	ValidTo     *time.Time `json:"valid_to,omitempty"`
	Description string     `json:"description,omitempty"`
}

// PositionAssessed is the payload of a position.assessed entry.
type PositionAssessed struct {
	Position PositionID `json:"position"`
	Verdict  Verdict    `json:"verdict"`
	Reason   string     `json:"reason,omitempty"`
}

// ReportClassified is the payload of a report.classified entry.
type ReportClassified struct {
	Report         ReportID       `json:"report"`
	Classification Classification `json:"classification"`
}
