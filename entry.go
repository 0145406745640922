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
)

// EntryKinds lists every kind.
var EntryKinds = []EntryKind{EntryAgreementLoaded, EntryMemberAdded, EntryReportFiled, EntryAssessmentMade}

// Attestations say who vouches that the author made the entry.
const (
	// AttestedByServer: the server authenticated the member's token and
	// appended the entry; the log key's checkpoints vouch for it.
	AttestedByServer = "server"
)

// Author is who made an entry. Entries the system makes by itself (the
// agreement and the first operator at init) have none.
type Author struct {
	Member       MemberID `json:"member"`
	Organisation ActorID  `json:"organisation"`
	Role         Role     `json:"role"`
	Attestation  string   `json:"attestation"`
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
}

// AssessmentMade is the payload of an assessment.made entry.
type AssessmentMade struct {
	Report  ReportID `json:"report"`
	Verdict Verdict  `json:"verdict"`
	Reason  string   `json:"reason,omitempty"`
}
