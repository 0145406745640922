package workflow

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"truce"
)

// buildMeetingRequest returns the payload and sidecar a meeting request
// gives; the agenda's note is sealed.
func buildMeetingRequest(in *truce.MeetingInput, now time.Time, ids idSource, salt salts) (*truce.MeetingRequested, *truce.Sidecar, error) {
	date, err := in.Validate(now)
	if err != nil {
		return nil, nil, err
	}
	id, err := ids("mtg_")
	if err != nil {
		return nil, nil, err
	}
	p := &truce.MeetingRequested{ID: truce.MeetingID(id), Date: date, Venue: in.Venue, Reports: in.Agenda.Reports, RFIs: in.Agenda.RFIs}
	var side *truce.Sidecar
	if in.Agenda.Note != "" {
		ref, err := seal(&side, "note", in.Agenda.Note, salt)
		if err != nil {
			return nil, nil, err
		}
		p.Note = &ref
	}
	return p, side, nil
}

// buildMinutes returns the payload and sidecar of a meeting's minutes;
// the minutes are sealed, the decisions are not.
func buildMinutes(id truce.MeetingID, in *truce.MinutesInput, salt salts) (*truce.MeetingMinuted, *truce.Sidecar, error) {
	if err := in.Validate(); err != nil {
		return nil, nil, err
	}
	var side *truce.Sidecar
	minutes, err := seal(&side, "minutes", in.Minutes, salt)
	if err != nil {
		return nil, nil, err
	}
	return &truce.MeetingMinuted{Meeting: id, Minutes: minutes, Decisions: in.Decisions}, side, nil
}

// buildProposal returns the payload a new date and venue give.
func buildProposal(id truce.MeetingID, in *truce.MeetingInput, now time.Time) (*truce.MeetingProposed, error) {
	if len(in.Agenda.Reports)+len(in.Agenda.RFIs) > 0 || in.Agenda.Note != "" {
		return nil, truce.Invalidf("agenda", "a new proposal changes the date and venue only")
	}
	date, err := in.Validate(now)
	if err != nil {
		return nil, err
	}
	return &truce.MeetingProposed{Meeting: id, Date: date, Venue: in.Venue}, nil
}

// RequestMeeting records a guarantor's request for a meeting of the joint
// body, which the requesting guarantor approves by asking.
func (s *Service) RequestMeeting(ctx context.Context, by *truce.Member, in *truce.MeetingInput) (*truce.Meeting, error) {
	if !truce.CanManageMeetings(by) {
		return nil, Forbidden(by, "request meetings; only guarantor officers may")
	}
	return command(s, ctx, by, func(tx *wtx) (*truce.Meeting, error) {
		p, side, err := buildMeetingRequest(in, tx.now, s.newID, s.newSalt)
		if err != nil {
			return nil, err
		}
		for i, id := range p.Reports {
			if _, _, err := tx.Report(id); err != nil {
				return nil, notOnAgenda(err, "agenda.reports", i)
			}
		}
		for i, id := range p.RFIs {
			if _, err := tx.RFI(id); err != nil {
				return nil, notOnAgenda(err, "agenda.rfis", i)
			}
		}
		if _, err := s.appendEntry(tx, truce.EntryMeetingRequested, p, side); err != nil {
			return nil, err
		}
		return tx.Meeting(p.ID)
	})
}

// notOnAgenda turns a missing object named in a body into an invalid
// field: field[i], or field itself when i is negative.
func notOnAgenda(err error, field string, i int) error {
	if truce.ErrorCode(err) == truce.ENOTFOUND {
		if i >= 0 {
			field += "[" + strconv.Itoa(i) + "]"
		}
		return truce.Invalidf(field, "%s", truce.ErrorMessage(err))
	}
	return err
}

// ProposeMeeting records a new date and venue for a meeting not yet held;
// earlier approvals lapse, and the proposer approves.
func (s *Service) ProposeMeeting(ctx context.Context, by *truce.Member, id truce.MeetingID, in *truce.MeetingInput) (*truce.Meeting, error) {
	if !truce.CanManageMeetings(by) {
		return nil, Forbidden(by, "propose meeting dates; only guarantor officers may")
	}
	return command(s, ctx, by, func(tx *wtx) (*truce.Meeting, error) {
		m, err := s.openMeeting(tx, id)
		if err != nil {
			return nil, err
		}
		p, err := buildProposal(m.ID, in, tx.now)
		if err != nil {
			return nil, err
		}
		if _, err := s.appendEntry(tx, truce.EntryMeetingProposed, p, nil); err != nil {
			return nil, err
		}
		return tx.Meeting(id)
	})
}

// ApprovalInput names the proposal a guarantor approves, so that an
// approval never lands on a date and venue the guarantor did not see.
type ApprovalInput struct {
	Proposal int `json:"proposal"`
}

// ApproveMeeting records a guarantor's approval of a meeting's current
// date and venue. The meeting is convened when every guarantor approved.
func (s *Service) ApproveMeeting(ctx context.Context, by *truce.Member, id truce.MeetingID, in *ApprovalInput) (*truce.Meeting, error) {
	if !truce.CanManageMeetings(by) {
		return nil, Forbidden(by, "approve meetings; only guarantor officers may")
	}
	return command(s, ctx, by, func(tx *wtx) (*truce.Meeting, error) {
		m, err := s.openMeeting(tx, id)
		if err != nil {
			return nil, err
		}
		if in.Proposal != m.Proposal {
			return nil, truce.Errorf(truce.ECONFLICT, "meeting %s is at proposal %d (%s, %s), not %d: read it again and approve what it says",
				id, m.Proposal, m.Date.Format(time.RFC3339), m.Venue, in.Proposal)
		}
		for _, g := range m.Approvals {
			if g == by.Organisation {
				return nil, truce.Errorf(truce.ECONFLICT, "%s has already approved proposal %d of meeting %s", g, m.Proposal, id)
			}
		}
		if _, err := s.appendEntry(tx, truce.EntryMeetingApproved, &truce.MeetingApproved{Meeting: id, Proposal: in.Proposal}, nil); err != nil {
			return nil, err
		}
		return tx.Meeting(id)
	})
}

// MinuteMeeting records the minutes of a convened meeting and its
// decisions, which then show with the reports they concern.
func (s *Service) MinuteMeeting(ctx context.Context, by *truce.Member, id truce.MeetingID, in *truce.MinutesInput) (*truce.Meeting, error) {
	if !truce.CanManageMeetings(by) {
		return nil, Forbidden(by, "record minutes; only guarantor officers may")
	}
	p, side, err := buildMinutes(id, in, s.newSalt)
	if err != nil {
		return nil, err
	}
	return command(s, ctx, by, func(tx *wtx) (*truce.Meeting, error) {
		m, err := s.openMeeting(tx, id)
		if err != nil {
			return nil, err
		}
		if m.State != truce.MeetingStateConvened {
			return nil, truce.Errorf(truce.ECONFLICT, "meeting %s is not convened: every guarantor must approve its date and venue first", id)
		}
		for i, d := range in.Decisions {
			if _, _, err := tx.Report(d.Report); err != nil {
				return nil, notOnAgenda(err, fmt.Sprintf("decisions[%d].report", i), -1)
			}
		}
		if _, err := s.appendEntry(tx, truce.EntryMeetingMinuted, p, side); err != nil {
			return nil, err
		}
		return tx.Meeting(id)
	})
}

// openMeeting returns a meeting that has not been held yet.
func (s *Service) openMeeting(tx truce.Tx, id truce.MeetingID) (*truce.Meeting, error) {
	m, err := tx.Meeting(id)
	if err != nil {
		return nil, err
	}
	if m.State == truce.MeetingStateMinuted {
		return nil, truce.Errorf(truce.ECONFLICT, "meeting %s has been held and minuted", id)
	}
	return m, nil
}

// Meeting returns one meeting.
func (s *Service) Meeting(ctx context.Context, viewer *truce.Member, id truce.MeetingID) (*truce.Meeting, error) {
	var m *truce.Meeting
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		if !truce.CanReadMeetings(a, viewer) {
			return Forbidden(viewer, "read the joint body's meetings")
		}
		m, err = tx.Meeting(id)
		return err
	})
	return m, err
}

// MeetingPage is a page of meetings, newest first.
type MeetingPage struct {
	Meetings []*truce.Meeting `json:"meetings"`
	Next     string           `json:"next,omitempty"`
}

// Meetings lists meetings.
func (s *Service) Meetings(ctx context.Context, viewer *truce.Member, limit, cursor string) (*MeetingPage, error) {
	page := &MeetingPage{Meetings: []*truce.Meeting{}}
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		if !truce.CanReadMeetings(a, viewer) {
			return Forbidden(viewer, "read the joint body's meetings")
		}
		n, before, err := paging(limit, cursor)
		if err != nil {
			return err
		}
		ms, err := tx.Meetings(before, n)
		if err != nil {
			return err
		}
		page.Meetings = append(page.Meetings, ms...)
		if len(ms) == n {
			page.Next = strconv.FormatInt(ms[len(ms)-1].Entry, 10)
		}
		return nil
	})
	return page, err
}
