package workflow

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"truce"
)

// ReportView is a report as one viewer may see it: coordinates disclosed by
// the agreement's policy for the viewer's role, with its assessments, each
// guarantor's current answer, and the consensus at the time of reading.
type ReportView struct {
	ID                 truce.ReportID     `json:"id"`
	OccurredAt         time.Time          `json:"occurred_at"`
	Lon                *float64           `json:"lon"`
	Lat                *float64           `json:"lat"`
	Coordinates        string             `json:"coordinates"` // exact, coarse or hidden
	EventType          string             `json:"event_type"`
	SubEventType       string             `json:"sub_event_type"`
	Perpetrator        truce.ActorID      `json:"perpetrator,omitempty"`
	PerpetratorAsGiven string             `json:"perpetrator_as_given,omitempty"`
	Description        string             `json:"description"`
	FiledAt            time.Time          `json:"filed_at"`
	FiledBy            truce.MemberID     `json:"filed_by"`
	Organisation       truce.ActorID      `json:"organisation"`
	Entry              int64              `json:"entry"`
	Assessments        []truce.Assessment `json:"assessments"`
	Answers            truce.Tally        `json:"answers"`
	Consensus          truce.State        `json:"consensus"`
	Deadline           time.Time          `json:"consensus_deadline"`
}

func (s *Service) view(a *truce.Agreement, viewer *truce.Member, r *truce.Report, as []truce.Assessment, now time.Time) *ReportView {
	v := &ReportView{
		ID: r.ID, OccurredAt: r.OccurredAt, EventType: r.EventType, SubEventType: r.SubEventType,
		Perpetrator: r.Perpetrator, PerpetratorAsGiven: r.PerpetratorAsGiven, Description: r.Description,
		FiledAt: r.FiledAt, FiledBy: r.FiledBy, Organisation: r.Organisation, Entry: r.Entry,
		Assessments: as, Answers: truce.Answers(a, r.Organisation, as),
		Deadline: a.Rules.Deadline(r.FiledAt),
	}
	if v.Assessments == nil {
		v.Assessments = []truce.Assessment{}
	}
	// The consensus is recomputed from the assessments, not read from the
	// projection's cached states, so that what a reader sees is always the
	// rules' verdict.
	v.Consensus = truce.Consensus(a, v.Answers, r.FiledAt, now)
	d := a.DisclosureFor(viewer.Role, viewer.Organisation, r.Organisation)
	v.Coordinates = d.Coordinates
	if lon, lat, ok := d.Apply(r.Lon, r.Lat); ok {
		v.Lon, v.Lat = &lon, &lat
	}
	return v
}

// FileReport validates a report and records it.
func (s *Service) FileReport(ctx context.Context, by *truce.Member, in *truce.ReportInput) (*ReportView, error) {
	vs, err := s.fileReports(ctx, by, []*truce.ReportInput{in}, true)
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// MaxBatch bounds how many reports FileReports takes at once.
const MaxBatch = 1000

// FileReports files several reports in one transaction: all of them are
// recorded, or, when one is invalid, none is. It returns their ids in order.
func (s *Service) FileReports(ctx context.Context, by *truce.Member, ins []*truce.ReportInput) ([]truce.ReportID, error) {
	if len(ins) > MaxBatch {
		return nil, truce.Errorf(truce.ETOOLARGE, "at most %d reports at once, not %d", MaxBatch, len(ins))
	}
	vs, err := s.fileReports(ctx, by, ins, false)
	if err != nil {
		return nil, err
	}
	ids := make([]truce.ReportID, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	return ids, nil
}

// fileReports validates and records reports in one transaction. With
// views, it returns each as the filer sees it; otherwise only the ids are
// set.
func (s *Service) fileReports(ctx context.Context, by *truce.Member, ins []*truce.ReportInput, views bool) ([]*ReportView, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "file reports")
	}
	out := make([]*ReportView, 0, len(ins))
	err := s.update(ctx, func(tx *wtx) error {
		out = out[:0]
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		now := s.Now()
		for i, in := range ins {
			r, err := in.Validate(a, now)
			if err != nil {
				if len(ins) > 1 {
					return batchError(i, err)
				}
				return err
			}
			id, err := s.newID("rpt_")
			if err != nil {
				return err
			}
			p := &truce.ReportFiled{
				ID: truce.ReportID(id), OccurredAt: r.OccurredAt.UTC(), Lon: r.Lon, Lat: r.Lat,
				EventType: r.EventType, SubEventType: r.SubEventType,
				Perpetrator: r.Perpetrator, PerpetratorAsGiven: r.PerpetratorAsGiven, Description: r.Description,
			}
			e, err := s.appendEntry(tx, truce.EntryReportFiled, authorOf(by), p)
			if err != nil {
				return err
			}
			if !views {
				out = append(out, &ReportView{ID: p.ID})
				continue
			}
			out = append(out, s.view(a, by, filedReport(e, p), nil, e.Time))
		}
		return nil
	})
	return out, err
}

// batchError says which report of a batch broke a rule.
func batchError(i int, err error) error {
	if e, ok := err.(*truce.Error); ok {
		field := fmt.Sprintf("reports[%d].%s", i, e.Field)
		return &truce.Error{Code: e.Code, Field: field, Message: fmt.Sprintf("reports[%d].%s", i, e.Message)}
	}
	return err
}

// Assess records a guarantor's verdict on a report. A guarantor may assess
// again; the latest verdict counts and every one stays in the log.
func (s *Service) Assess(ctx context.Context, by *truce.Member, id truce.ReportID, in *truce.AssessmentInput) (*ReportView, error) {
	if by == nil || !by.Role.CanAssess() {
		return nil, Forbidden(by, "assess reports; only guarantor officers may")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var v *ReportView
	err := s.update(ctx, func(tx *wtx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		if !a.IsGuarantor(by.Organisation) {
			return truce.Errorf(truce.EFORBIDDEN, "%s is not a guarantor of %s", by.Organisation, a.ID)
		}
		if _, _, err := tx.Report(id); err != nil {
			return err
		}
		p := &truce.AssessmentMade{Report: id, Verdict: in.Verdict, Reason: in.Reason}
		e, err := s.appendEntry(tx, truce.EntryAssessmentMade, authorOf(by), p)
		if err != nil {
			return err
		}
		v, err = s.readReport(tx, a, by, id, e.Time)
		return err
	})
	return v, err
}

// Report returns one report as the viewer may see it.
func (s *Service) Report(ctx context.Context, viewer *truce.Member, id truce.ReportID) (*ReportView, error) {
	if viewer == nil || !viewer.Role.CanReadReports() {
		return nil, Forbidden(viewer, "read reports")
	}
	var v *ReportView
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		v, err = s.readReport(tx, a, viewer, id, s.Now())
		return err
	})
	return v, err
}

func (s *Service) readReport(tx truce.Tx, a *truce.Agreement, viewer *truce.Member, id truce.ReportID, now time.Time) (*ReportView, error) {
	r, _, err := tx.Report(id)
	if err != nil {
		return nil, err
	}
	as, err := tx.Assessments(id)
	if err != nil {
		return nil, err
	}
	return s.view(a, viewer, r, as, now), nil
}

// Paging limits of report listings.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// ReportQuery selects reports for a listing. Strings come from the query
// string as given; ListReports validates them.
type ReportQuery struct {
	From, To    string // RFC 3339 bounds on occurred_at: [from, to)
	Consensus   string
	Perpetrator string // an actor id, name or alias
	Filer       string // the filing organisation's actor id
	Cursor      string // the next value of a previous page
	Limit       string
}

// ReportPage is one page of a listing, newest filing first.
type ReportPage struct {
	Reports []*ReportView `json:"reports"`
	// Next is the cursor of the next page, empty on the last.
	Next string `json:"next,omitempty"`
}

// ListReports returns a page of reports matching q.
func (s *Service) ListReports(ctx context.Context, viewer *truce.Member, q ReportQuery) (*ReportPage, error) {
	if viewer == nil || !viewer.Role.CanReadReports() {
		return nil, Forbidden(viewer, "read reports")
	}
	now := s.Now()
	f := truce.ReportFilter{Now: now, Limit: DefaultPageSize}
	var err error
	if f.OccurredFrom, err = parseBound("from", q.From); err != nil {
		return nil, err
	}
	if f.OccurredTo, err = parseBound("to", q.To); err != nil {
		return nil, err
	}
	if q.Consensus != "" {
		if !truce.State(q.Consensus).Valid() {
			return nil, truce.Invalidf("consensus", "%q is not one of %v", q.Consensus, truce.States)
		}
		f.Consensus = truce.State(q.Consensus)
	}
	if q.Limit != "" {
		n, err := strconv.Atoi(q.Limit)
		if err != nil || n < 1 || n > MaxPageSize {
			return nil, truce.Invalidf("limit", "must be a whole number from 1 to %d", MaxPageSize)
		}
		f.Limit = n
	}
	if q.Cursor != "" {
		n, err := strconv.ParseInt(q.Cursor, 10, 64)
		if err != nil || n < 1 || len(q.Cursor) > 20 {
			return nil, truce.Invalidf("cursor", "is not a cursor this server gave")
		}
		f.Before = n
	}
	page := &ReportPage{Reports: []*ReportView{}}
	err = s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		if q.Perpetrator != "" {
			id, ok := a.ResolveActor(q.Perpetrator)
			if !ok || len(q.Perpetrator) > truce.MaxActorName {
				return truce.Invalidf("perpetrator", "%q is not an actor of agreement %s", q.Perpetrator, a.ID)
			}
			f.Perpetrator = id
		}
		if q.Filer != "" {
			if a.Actor(truce.ActorID(q.Filer)) == nil {
				return truce.Invalidf("organisation", "%q is not an actor id of agreement %s", q.Filer, a.ID)
			}
			f.Organisation = truce.ActorID(q.Filer)
		}
		rs, _, err := tx.FindReports(f)
		if err != nil {
			return err
		}
		for _, r := range rs {
			as, err := tx.Assessments(r.ID)
			if err != nil {
				return err
			}
			page.Reports = append(page.Reports, s.view(a, viewer, r, as, now))
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

func parseBound(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) > 64 {
		return time.Time{}, truce.Invalidf(field, "must be at most 64 characters")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		if d, err2 := time.Parse(time.DateOnly, s); err2 == nil {
			return d, nil
		}
		return time.Time{}, truce.Invalidf(field, "%q is not an RFC 3339 time or a date YYYY-MM-DD", s)
	}
	return t, nil
}
