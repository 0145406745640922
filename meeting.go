package truce

import (
	"fmt"
	"regexp"
	"time"
)

// Limits on meetings.
const (
	MaxVenue       = 200
	MaxMinutes     = 50000
	MaxDecision    = 4000
	MaxAgendaItems = 100
)

// MeetingID identifies a meeting of the joint body: "mtg_" and 16 base32
// characters.
type MeetingID string

var meetingIDPattern = regexp.MustCompile(`^mtg_[a-z2-7]{16}$`)

// Valid reports whether id has the form of a meeting id.
func (id MeetingID) Valid() bool { return meetingIDPattern.MatchString(string(id)) }

// Agenda is what a meeting is to examine.
type Agenda struct {
	Reports []ReportID `json:"reports,omitempty"` // reports to investigate
	RFIs    []RFIID    `json:"rfis,omitempty"`    // requests overdue or disputed
	Note    string     `json:"note,omitempty"`
}

// Decision is what a meeting decided about one report.
type Decision struct {
	Report   ReportID `json:"report"`
	Decision string   `json:"decision"`
}

// Meeting states.
const (
	MeetingStateRequested = "requested" // waiting for every guarantor's approval
	MeetingStateConvened  = "convened"  // every guarantor approved date and venue
	MeetingStateMinuted   = "minuted"   // held; minutes and decisions recorded
)

// Meeting is a meeting of the joint body. It is convened only when every
// guarantor has approved its current date and venue: the Joint Group
// decides by unanimity.
type Meeting struct {
	ID          MeetingID `json:"id"`
	RequestedBy ActorID   `json:"requested_by"`
	Date        time.Time `json:"date"`
	Venue       string    `json:"venue"`
	Agenda      Agenda    `json:"agenda"`
	// Proposal counts the date-and-venue proposals: 1 for the request, one
	// more for each new proposal. Approvals are of the current one.
	Proposal  int        `json:"proposal"`
	Approvals []ActorID  `json:"approvals"`
	State     string     `json:"state"`
	Minutes   string     `json:"minutes,omitempty"`
	Decisions []Decision `json:"decisions,omitempty"`
	Entry     int64      `json:"entry"`                   // the request
	MinutedAt int64      `json:"minutes_entry,omitempty"` // the minutes and decisions
}

// Convened reports whether every guarantor approved the current proposal.
func (m *Meeting) Convened(a *Agreement) bool {
	for _, g := range a.Guarantors() {
		if !oneOf(g, m.Approvals) {
			return false
		}
	}
	return true
}

// MeetingInput is what a guarantor officer submits to request a meeting
// or to propose another date and venue (without an agenda).
type MeetingInput struct {
	Date   string `json:"date"` // RFC 3339
	Venue  string `json:"venue"`
	Agenda Agenda `json:"agenda"`
}

// Validate checks the date (in the future, within a year) and the venue,
// and returns the date.
func (in *MeetingInput) Validate(now time.Time) (time.Time, error) {
	d, err := time.Parse(time.RFC3339, in.Date)
	if err != nil {
		return d, Invalidf("date", "%q is not an RFC 3339 time", clip(in.Date))
	}
	if !d.After(now) || d.After(now.Add(366*24*time.Hour)) {
		return d, Invalidf("date", "must be in the future, within a year")
	}
	if err := checkLine("venue", in.Venue, 1, MaxVenue); err != nil {
		return d, err
	}
	if n := len(in.Agenda.Reports) + len(in.Agenda.RFIs); n > MaxAgendaItems {
		return d, Invalidf("agenda", "at most %d reports and requests", MaxAgendaItems)
	}
	for i, r := range in.Agenda.Reports {
		if !r.Valid() {
			return d, Invalidf(fmt.Sprintf("agenda.reports[%d]", i), "%q is not a report id", clip(string(r)))
		}
	}
	for i, r := range in.Agenda.RFIs {
		if !r.Valid() {
			return d, Invalidf(fmt.Sprintf("agenda.rfis[%d]", i), "%q is not a request id", clip(string(r)))
		}
	}
	return d.UTC(), checkText("agenda.note", in.Agenda.Note, 0, MaxReason)
}

// MinutesInput is what a guarantor officer submits to record a meeting's
// minutes and decisions.
type MinutesInput struct {
	Minutes   string     `json:"minutes"`
	Decisions []Decision `json:"decisions,omitempty"`
}

// Validate checks the minutes and each decision.
func (in *MinutesInput) Validate() error {
	if err := checkText("minutes", in.Minutes, 1, MaxMinutes); err != nil {
		return err
	}
	if len(in.Decisions) > MaxAgendaItems {
		return Invalidf("decisions", "at most %d decisions", MaxAgendaItems)
	}
	for i, d := range in.Decisions {
		if !d.Report.Valid() {
			return Invalidf(fmt.Sprintf("decisions[%d].report", i), "%q is not a report id", clip(string(d.Report)))
		}
		if err := checkText(fmt.Sprintf("decisions[%d].decision", i), d.Decision, 1, MaxDecision); err != nil {
			return err
		}
	}
	return nil
}
