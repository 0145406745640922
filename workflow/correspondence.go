package workflow

import (
	"context"
	"strconv"
	"time"

	"truce"
)

// Reply records the reply of a party to a report that accuses it.
func (s *Service) Reply(ctx context.Context, by *truce.Member, id truce.ReportID, in *truce.ReplyInput) (*ReportView, error) {
	if by == nil || by.Role != truce.RoleParty {
		return nil, Forbidden(by, "reply to reports; only the accused party's liaison may")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return command(s, ctx, by, func(tx *wtx) (*ReportView, error) {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return nil, err
		}
		r, _, err := tx.Report(id)
		if err != nil {
			return nil, err
		}
		if !truce.CanReply(by, r) {
			return nil, truce.Errorf(truce.EFORBIDDEN, "report %s does not accuse %s: only the accused party may reply", id, by.Organisation)
		}
		e, err := s.appendEntry(tx, truce.EntryReplyMade, &truce.ReplyMade{Report: id, Text: in.Text}, nil)
		if err != nil {
			return nil, err
		}
		return s.readReport(tx, a, by, id, e.Time)
	})
}

// RFIView is a request for information with its state at the time of
// reading.
type RFIView struct {
	*truce.RFI
	State truce.RFIState `json:"state"`
}

// buildRFI returns the payload and sidecar a request input gives; the
// question is sealed.
func buildRFI(a *truce.Agreement, from truce.ActorID, in *truce.RFIInput, now time.Time, ids idSource, salt salts) (*truce.RFISent, *truce.Sidecar, error) {
	deadline, err := in.Validate(a, from, now)
	if err != nil {
		return nil, nil, err
	}
	id, err := ids("rfi_")
	if err != nil {
		return nil, nil, err
	}
	var side *truce.Sidecar
	q, err := seal(&side, "question", in.Question, salt)
	if err != nil {
		return nil, nil, err
	}
	return &truce.RFISent{ID: truce.RFIID(id), Report: in.Report, To: in.To, Question: q, Deadline: deadline}, side, nil
}

// buildAnswer returns the payload and sidecar an answer gives; the text
// is sealed.
func buildAnswer(id truce.RFIID, in *truce.AnswerInput, salt salts) (*truce.RFIAnswer, *truce.Sidecar, error) {
	if err := in.Validate(); err != nil {
		return nil, nil, err
	}
	var side *truce.Sidecar
	text, err := seal(&side, "text", in.Text, salt)
	if err != nil {
		return nil, nil, err
	}
	return &truce.RFIAnswer{RFI: id, Text: text}, side, nil
}

// SendRFI records a guarantor's request for information about a report.
func (s *Service) SendRFI(ctx context.Context, by *truce.Member, in *truce.RFIInput) (*RFIView, error) {
	if !truce.CanSendRFI(by) {
		return nil, Forbidden(by, "send requests for information; only guarantor officers may")
	}
	return command(s, ctx, by, func(tx *wtx) (*RFIView, error) {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return nil, err
		}
		p, side, err := buildRFI(a, by.Organisation, in, tx.now, s.newID, s.newSalt)
		if err != nil {
			return nil, err
		}
		if _, _, err := tx.Report(p.Report); err != nil {
			if truce.ErrorCode(err) == truce.ENOTFOUND {
				return nil, truce.Invalidf("report", "report %s not found", p.Report)
			}
			return nil, err
		}
		e, err := s.appendEntry(tx, truce.EntryRFISent, p, side)
		if err != nil {
			return nil, err
		}
		return s.readRFI(tx, a, by, p.ID, e.Time)
	})
}

// AnswerRFI records the answer of the organisation asked.
func (s *Service) AnswerRFI(ctx context.Context, by *truce.Member, id truce.RFIID, in *truce.AnswerInput) (*RFIView, error) {
	if by == nil || (by.Role != truce.RoleParty && by.Role != truce.RoleGuarantor) {
		return nil, Forbidden(by, "answer requests for information")
	}
	p, side, err := buildAnswer(id, in, s.newSalt)
	if err != nil {
		return nil, err
	}
	return command(s, ctx, by, func(tx *wtx) (*RFIView, error) {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return nil, err
		}
		r, err := s.visibleRFI(tx, a, by, id)
		if err != nil {
			return nil, err
		}
		if !truce.CanAnswerRFI(by, r) {
			return nil, truce.Errorf(truce.EFORBIDDEN, "request %s is addressed to %s, not %s", id, r.To, by.Organisation)
		}
		if r.AnsweredAt != nil {
			return nil, truce.Errorf(truce.ECONFLICT, "request %s has already been answered", id)
		}
		e, err := s.appendEntry(tx, truce.EntryRFIAnswered, p, side)
		if err != nil {
			return nil, err
		}
		return s.readRFI(tx, a, by, id, e.Time)
	})
}

// visibleRFI returns an RFI the viewer may read; one it may not read is
// ENOTFOUND, exactly as a missing one.
func (s *Service) visibleRFI(tx truce.Tx, a *truce.Agreement, viewer *truce.Member, id truce.RFIID) (*truce.RFI, error) {
	r, err := tx.RFI(id)
	if err == nil && !truce.CanReadRFI(a, viewer, r) {
		err = nil
		r = nil
	}
	if r == nil && err == nil {
		return nil, NotFound("request", string(id))
	}
	return r, err
}

// NotFound is the error for an object that is missing or that the caller
// may not know of: the two are indistinguishable by design.
func NotFound(what, id string) error {
	if len(id) > 40 {
		id = id[:40] + "…"
	}
	return truce.Errorf(truce.ENOTFOUND, "%s %s not found", what, id)
}

func (s *Service) readRFI(tx truce.Tx, a *truce.Agreement, viewer *truce.Member, id truce.RFIID, now time.Time) (*RFIView, error) {
	r, err := s.visibleRFI(tx, a, viewer, id)
	if err != nil {
		return nil, err
	}
	return &RFIView{RFI: r, State: r.State(now)}, nil
}

// RFI returns one request for information.
func (s *Service) RFI(ctx context.Context, viewer *truce.Member, id truce.RFIID) (*RFIView, error) {
	var v *RFIView
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		if !truce.CanListRFIs(a, viewer) {
			return Forbidden(viewer, "read requests for information")
		}
		v, err = s.readRFI(tx, a, viewer, id, s.Now())
		return err
	})
	return v, err
}

// RFIQuery selects requests for information, as strings from a query.
type RFIQuery struct {
	State        string
	Organisation string // the organisation asked
	From         string // the asking guarantor
	Report       string
	Cursor       string
	Limit        string
}

// RFIPage is a page of requests, newest first, with the number of those on
// the page addressed to each organisation.
type RFIPage struct {
	RFIs           []*RFIView            `json:"rfis"`
	ByOrganisation map[truce.ActorID]int `json:"by_organisation"`
	Next           string                `json:"next,omitempty"`
}

// ListRFIs lists the requests the viewer may read.
func (s *Service) ListRFIs(ctx context.Context, viewer *truce.Member, q RFIQuery) (*RFIPage, error) {
	page := &RFIPage{RFIs: []*RFIView{}, ByOrganisation: map[truce.ActorID]int{}}
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		if !truce.CanListRFIs(a, viewer) {
			return Forbidden(viewer, "read requests for information")
		}
		f, err := rfiFilter(a, q, s.Now())
		if err != nil {
			return err
		}
		// A party reads only what is addressed to it: the filter says so
		// before the store is asked, so that pages stay full.
		if viewer.Role == truce.RoleParty {
			if f.To != "" && f.To != viewer.Organisation {
				return nil
			}
			f.To = viewer.Organisation
		}
		rs, err := tx.FindRFIs(f)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if truce.CanReadRFI(a, viewer, r) {
				page.RFIs = append(page.RFIs, &RFIView{RFI: r, State: r.State(f.Now)})
				page.ByOrganisation[r.To]++
			}
		}
		if len(rs) == f.Limit {
			page.Next = strconv.FormatInt(rs[len(rs)-1].Entry, 10)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// rfiFilter checks a listing's query against the agreement.
func rfiFilter(a *truce.Agreement, q RFIQuery, now time.Time) (truce.RFIFilter, error) {
	f := truce.RFIFilter{Now: now}
	if q.State != "" {
		f.State = truce.RFIState(q.State)
		if !f.State.Valid() {
			return f, truce.Invalidf("state", "%q is not one of open, answered, overdue", q.State)
		}
	}
	for _, c := range []struct {
		field, value string
		into         *truce.ActorID
	}{{"organisation", q.Organisation, &f.To}, {"from", q.From, &f.From}} {
		if c.value == "" {
			continue
		}
		if a.Actor(truce.ActorID(c.value)) == nil {
			return f, truce.Invalidf(c.field, "%q is not an actor id of agreement %s", clipID(c.value), a.ID)
		}
		*c.into = truce.ActorID(c.value)
	}
	if q.Report != "" {
		if !truce.ReportID(q.Report).Valid() {
			return f, truce.Invalidf("report", "%q is not a report id", clipID(q.Report))
		}
		f.Report = truce.ReportID(q.Report)
	}
	var err error
	f.Limit, f.Before, err = paging(q.Limit, q.Cursor)
	return f, err
}

func clipID(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// paging reads a limit and a cursor from a query.
func paging(limit, cursor string) (int, int64, error) {
	n := DefaultPageSize
	if limit != "" {
		var err error
		n, err = strconv.Atoi(limit)
		if err != nil || n < 1 || n > MaxPageSize {
			return 0, 0, truce.Invalidf("limit", "must be a whole number from 1 to %d", MaxPageSize)
		}
	}
	var before int64
	if cursor != "" {
		var err error
		before, err = strconv.ParseInt(cursor, 10, 64)
		if err != nil || before < 1 || len(cursor) > 20 {
			return 0, 0, truce.Invalidf("cursor", "is not a cursor this server gave")
		}
	}
	return n, before, nil
}
