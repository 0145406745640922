package truce

import (
	"regexp"
	"time"
)

// Limits on correspondence.
const (
	MaxReply       = 10000 // characters
	MaxQuestion    = 4000
	MaxAnswer      = 10000
	MaxRFIDeadline = 90 * 24 * time.Hour // how far ahead a deadline may be
	MinRFIDeadline = time.Hour
)

// Reply is an accused party's answer to a report alleging a violation by it.
type Reply struct {
	Report       ReportID  `json:"report"`
	Text         string    `json:"text"`
	Member       MemberID  `json:"member"`
	Organisation ActorID   `json:"organisation"`
	MadeAt       time.Time `json:"made_at"`
	Entry        int64     `json:"entry"`
}

// ReplyInput is what a party liaison submits to reply.
type ReplyInput struct {
	Text string `json:"text"`
}

// Validate checks the reply's text.
func (in *ReplyInput) Validate() error { return checkText("text", in.Text, 1, MaxReply) }

// RFIID identifies a request for information: "rfi_" and 16 base32
// characters.
type RFIID string

var rfiIDPattern = regexp.MustCompile(`^rfi_[a-z2-7]{16}$`)

// Valid reports whether id has the form of an RFI id.
func (id RFIID) Valid() bool { return rfiIDPattern.MatchString(string(id)) }

// RFIState is where a request for information stands.
type RFIState string

const (
	RFIOpen     RFIState = "open"     // unanswered, deadline ahead
	RFIAnswered RFIState = "answered" // answered (late or not)
	RFIOverdue  RFIState = "overdue"  // unanswered, deadline passed
)

// RFIStates lists every state.
var RFIStates = []RFIState{RFIOpen, RFIAnswered, RFIOverdue}

// RFI is a guarantor's request for information about a report, sent to a
// party or another guarantor, with a deadline.
type RFI struct {
	ID       RFIID     `json:"id"`
	Report   ReportID  `json:"report"`
	From     ActorID   `json:"from"` // the asking guarantor
	SentBy   MemberID  `json:"sent_by"`
	To       ActorID   `json:"to"`
	Question string    `json:"question"`
	Deadline time.Time `json:"deadline"`
	SentAt   time.Time `json:"sent_at"`
	Entry    int64     `json:"entry"`
	// The answer, once given.
	Answer     string     `json:"answer,omitempty"`
	AnsweredBy MemberID   `json:"answered_by,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
	AnswerAt   int64      `json:"answer_entry,omitempty"`
}

// State returns the RFI's state at time now: overdue from the deadline on.
func (r *RFI) State(now time.Time) RFIState {
	switch {
	case r.AnsweredAt != nil:
		return RFIAnswered
	case now.Before(r.Deadline):
		return RFIOpen
	}
	return RFIOverdue
}

// RFIInput is what a guarantor officer submits to send a request.
type RFIInput struct {
	Report   ReportID `json:"report"`
	To       ActorID  `json:"to"`
	Question string   `json:"question"`
	Deadline string   `json:"deadline"` // RFC 3339
}

// Validate checks the request against the agreement: the addressee is a
// party or another guarantor than the sender's organisation, the deadline
// between an hour and 90 days ahead.
func (in *RFIInput) Validate(a *Agreement, from ActorID, now time.Time) (time.Time, error) {
	if !in.Report.Valid() {
		return time.Time{}, Invalidf("report", "is required: the id of the report the request is about")
	}
	x := a.Actor(in.To)
	if x == nil || (x.Standing != Party && x.Standing != Guarantor) {
		return time.Time{}, Invalidf("to", "%q is not a party or guarantor of agreement %s", clip(string(in.To)), a.ID)
	}
	if in.To == from {
		return time.Time{}, Invalidf("to", "a guarantor does not send requests to itself")
	}
	if err := checkText("question", in.Question, 1, MaxQuestion); err != nil {
		return time.Time{}, err
	}
	d, err := time.Parse(time.RFC3339, in.Deadline)
	if err != nil {
		return time.Time{}, Invalidf("deadline", "%q is not an RFC 3339 time", clip(in.Deadline))
	}
	if d.Before(now.Add(MinRFIDeadline)) || d.After(now.Add(MaxRFIDeadline)) {
		return time.Time{}, Invalidf("deadline", "must be between an hour and 90 days from now")
	}
	return d.UTC(), nil
}

// AnswerInput is what the organisation asked submits to answer.
type AnswerInput struct {
	Text string `json:"text"`
}

// Validate checks the answer's text.
func (in *AnswerInput) Validate() error { return checkText("text", in.Text, 1, MaxAnswer) }

// Valid reports whether s is a known state.
func (s RFIState) Valid() bool { return oneOf(s, RFIStates) }
