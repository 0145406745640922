package workflow

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"time"

	"truce"
	tlog "truce/log"
)

// ReportView is a report as one viewer may see it: coordinates and source
// identity disclosed by the agreement's policy for the viewer, with its
// assessments, each guarantor's current answer, the consensus at the time
// of reading, the accused's replies, the meetings' decisions, and its
// evidence for those who may read it.
type ReportView struct {
	ID                 truce.ReportID    `json:"id"`
	OccurredAt         time.Time         `json:"occurred_at"`
	TimePrecision      int               `json:"time_precision"`
	Lon                *float64          `json:"lon"`
	Lat                *float64          `json:"lat"`
	Coordinates        string            `json:"coordinates"` // the disclosure applied
	GeoPrecision       int               `json:"geo_precision"`
	UncertaintyM       int               `json:"uncertainty_m"`
	Place              string            `json:"place,omitempty"`
	EventType          string            `json:"event_type"`
	SubEventType       string            `json:"sub_event_type"`
	Perpetrator        truce.ActorID     `json:"perpetrator,omitempty"`
	PerpetratorAsGiven string            `json:"perpetrator_as_given,omitempty"`
	Target             truce.ActorID     `json:"target,omitempty"`
	TargetAsGiven      string            `json:"target_as_given,omitempty"`
	Description        string            `json:"description"`
	Casualties         *truce.Casualties `json:"casualties,omitempty"`
	Fire               *truce.Fire       `json:"fire,omitempty"`
	Sources            []string          `json:"sources,omitempty"`
	SourceIdentity     string            `json:"source_identity,omitempty"`
	// Origin is shown only to viewers who see the coordinates exactly: a
	// source's columns may name the place or give its coordinates.
	Origin         *truce.Origin           `json:"origin,omitempty"`
	FiledAt        time.Time               `json:"filed_at"`
	FiledBy        truce.MemberID          `json:"filed_by"`
	Organisation   truce.ActorID           `json:"organisation"`
	Entry          int64                   `json:"entry"`
	Assessments    []truce.Assessment      `json:"assessments"`
	Answers        truce.Tally             `json:"answers"`
	Consensus      truce.State             `json:"consensus"`
	Deadline       time.Time               `json:"consensus_deadline"`
	Replies        []truce.Reply           `json:"replies"`
	Decisions      []truce.MeetingDecision `json:"decisions"`
	Evidence       []truce.Evidence        `json:"evidence,omitempty"`
	Classification *truce.Classification   `json:"classification,omitempty"`
}

// readParts reads the records a report view gathers beside the report.
func readParts(tx truce.Tx, id truce.ReportID) (*truce.ReportParts, error) {
	ps, err := tx.ReportParts([]truce.ReportID{id})
	if err != nil {
		return nil, err
	}
	return ps[id], nil
}

// partsBefore returns the parts of p recorded by entries before size.
func partsBefore(p *truce.ReportParts, size int64) *truce.ReportParts {
	return &truce.ReportParts{
		Assessments: entriesBefore(p.Assessments, size, func(x truce.Assessment) int64 { return x.Entry }),
		Replies:     entriesBefore(p.Replies, size, func(x truce.Reply) int64 { return x.Entry }),
		Decisions:   entriesBefore(p.Decisions, size, func(x truce.MeetingDecision) int64 { return x.Entry }),
		Evidence:    entriesBefore(p.Evidence, size, func(x truce.Evidence) int64 { return x.Entry }),
	}
}

func entriesBefore[T any](xs []T, size int64, entry func(T) int64) []T {
	var out []T
	for _, x := range xs {
		if entry(x) < size {
			out = append(out, x)
		}
	}
	return out
}

// sizeAt returns the size the log had at time at: how many entries were
// appended at or before it. Entry times never go back, so it searches.
func sizeAt(tx truce.Tx, at time.Time) (int64, error) {
	n, err := tx.LogSize()
	if err != nil {
		return 0, err
	}
	lo, hi := int64(0), n
	for lo < hi {
		mid := lo + (hi-lo)/2
		data, err := tx.EntryData(mid)
		if err != nil {
			return 0, err
		}
		e, err := tlog.DecodeEntry(data)
		if err != nil {
			return 0, fmt.Errorf("entry %d: %w", mid, err)
		}
		if e.Time.After(at) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo, nil
}

func (s *Service) view(a *truce.Agreement, viewer *truce.Member, r *truce.Report, p *truce.ReportParts, now time.Time) *ReportView {
	d := a.Disclose(viewer, r)
	v := &ReportView{
		ID: r.ID, OccurredAt: r.OccurredAt, TimePrecision: r.TimePrecision,
		Lon: d.Lon, Lat: d.Lat, Coordinates: d.Coordinates, GeoPrecision: r.GeoPrecision, UncertaintyM: r.UncertaintyM,
		Place: r.Place, EventType: r.EventType, SubEventType: r.SubEventType,
		Perpetrator: r.Perpetrator, PerpetratorAsGiven: r.PerpetratorAsGiven, Target: r.Target, TargetAsGiven: r.TargetAsGiven,
		Description: r.Description, Casualties: r.Casualties, Fire: r.Fire, Sources: r.Sources,
		SourceIdentity: d.SourceIdentity, Classification: d.Classification,
		Origin:  originFor(d, r),
		FiledAt: r.FiledAt, FiledBy: r.FiledBy, Organisation: r.Organisation, Entry: r.Entry,
		Assessments: nonNil(p.Assessments), Answers: truce.Answers(a, r.Organisation, p.Assessments),
		Deadline: a.Rules.Deadline(r.FiledAt),
		Replies:  nonNil(p.Replies), Decisions: nonNil(p.Decisions),
	}
	if truce.CanReadEvidence(a, viewer, r) {
		v.Evidence = p.Evidence
	}
	// The consensus is recomputed from the assessments, not read from the
	// projection's cached states, so that what a reader sees is always the
	// rules' verdict.
	v.Consensus = truce.Consensus(a, v.Answers, r.FiledAt, now)
	return v
}

// originFor returns a report's origin for a viewer who sees its
// coordinates exactly, nil for others.
func originFor(d truce.Disclosed, r *truce.Report) *truce.Origin {
	if d.Coordinates != truce.DiscloseExact {
		return nil
	}
	return r.Origin
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// idSource gives the ids a command assigns: random ones for new commands,
// the recorded ones when a signed entry is checked against its command.
type idSource func(prefix string) (string, error)

// salts gives the salt of each sealed field: random ones for new commands,
// the recorded ones when a signed entry is checked against its command.
type salts func(field string) ([]byte, error)

// seal commits v under field: it returns the reference the payload holds
// and adds the value to the sidecar, which it creates when needed.
func seal(side **truce.Sidecar, field string, v any, salt salts) (truce.SealedRef, error) {
	b, err := tlog.Canonical(v)
	if err != nil {
		return truce.SealedRef{}, err
	}
	sb, err := salt(field)
	if err != nil {
		return truce.SealedRef{}, err
	}
	sv := truce.SealedValue{Salt: sb, Value: b}
	if *side == nil {
		*side = &truce.Sidecar{}
	}
	if (*side).Sealed == nil {
		(*side).Sealed = map[string]truce.SealedValue{}
	}
	(*side).Sealed[field] = sv
	return truce.Commit(field, sv), nil
}

// newSalt returns 32 random bytes, for any field.
func (s *Service) newSalt(string) ([]byte, error) {
	b := make([]byte, 32)
	_, err := io.ReadFull(s.Rand, b)
	return b, err
}

// buildReport returns the payload and sidecar that a report input gives:
// the validated report, its id, and its source identity sealed. It is
// pure, so that verify can check a signed entry by building it again.
func buildReport(a *truce.Agreement, in *truce.ReportInput, now time.Time, ids idSource, salt salts) (*truce.ReportFiled, *truce.Sidecar, error) {
	r, err := in.Validate(a, now)
	if err != nil {
		return nil, nil, err
	}
	id, err := ids("rpt_")
	if err != nil {
		return nil, nil, err
	}
	p := &truce.ReportFiled{
		ID: truce.ReportID(id), OccurredAt: r.OccurredAt.UTC(), Lon: r.Lon, Lat: r.Lat,
		EventType: r.EventType, SubEventType: r.SubEventType,
		Perpetrator: r.Perpetrator, PerpetratorAsGiven: r.PerpetratorAsGiven, Description: r.Description,
		TimePrecision: r.TimePrecision, GeoPrecision: r.GeoPrecision, UncertaintyM: r.UncertaintyM,
		Place: r.Place, Target: r.Target, TargetAsGiven: r.TargetAsGiven,
		Casualties: r.Casualties, Fire: r.Fire, Sources: r.Sources, Origin: r.Origin,
	}
	var side *truce.Sidecar
	if r.SourceIdentity != "" {
		ref, err := seal(&side, "source_identity", r.SourceIdentity, salt)
		if err != nil {
			return nil, nil, err
		}
		p.SourceIdentity = &ref
	}
	return p, side, nil
}

// FileReport validates a report and records it.
func (s *Service) FileReport(ctx context.Context, by *truce.Member, in *truce.ReportInput) (*ReportView, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "file reports")
	}
	return command(s, ctx, by, func(tx *wtx) (*ReportView, error) {
		return s.fileReport(tx, by, in)
	})
}

// fileReport files a report in a command's transaction.
func (s *Service) fileReport(tx *wtx, by *truce.Member, in *truce.ReportInput) (*ReportView, error) {
	a, err := s.loadAgreement(tx)
	if err != nil {
		return nil, err
	}
	e, p, err := s.recordReport(tx, a, in)
	if err != nil {
		return nil, err
	}
	r := filedReport(e, p)
	r.SourceIdentity = in.SourceIdentity
	return s.view(a, by, r, &truce.ReportParts{}, e.Time), nil
}

// recordReport validates and classifies a report and appends its entry.
func (s *Service) recordReport(tx *wtx, a *truce.Agreement, in *truce.ReportInput) (*truce.Entry, *truce.ReportFiled, error) {
	p, side, err := buildReport(a, in, tx.now, s.newID, s.newSalt)
	if err != nil {
		return nil, nil, err
	}
	if p.Classification, err = s.classifyAt(tx, a, p.Lon, p.Lat, p.OccurredAt); err != nil {
		return nil, nil, err
	}
	e, err := s.appendEntry(tx, truce.EntryReportFiled, p, side)
	if err != nil {
		return nil, nil, err
	}
	return e, p, nil
}

// MaxBatch bounds how many reports FileReports takes at once.
const MaxBatch = 1000

// FileReports files several reports as one command: all of them are
// recorded, or, when one is invalid, none is. It returns their ids in
// order.
func (s *Service) FileReports(ctx context.Context, by *truce.Member, ins []*truce.ReportInput) ([]truce.ReportID, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "file reports")
	}
	if len(ins) > MaxBatch {
		return nil, truce.Errorf(truce.ETOOLARGE, "at most %d reports at once, not %d", MaxBatch, len(ins))
	}
	return command(s, ctx, by, func(tx *wtx) ([]truce.ReportID, error) {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return nil, err
		}
		ids := make([]truce.ReportID, 0, len(ins))
		for i, in := range ins {
			_, p, err := s.recordReport(tx, a, in)
			if err != nil {
				return nil, batchError(i, err)
			}
			ids = append(ids, p.ID)
		}
		return ids, nil
	})
}

// batchError says which report of a batch broke a rule.
func batchError(i int, err error) error {
	if e, ok := err.(*truce.Error); ok {
		field := fmt.Sprintf("reports[%d].%s", i, e.Field)
		return &truce.Error{Code: e.Code, Field: field, Message: fmt.Sprintf("reports[%d].%s", i, e.Message)}
	}
	return err
}

// buildAssessment returns the payload an assessment input gives.
func buildAssessment(id truce.ReportID, in *truce.AssessmentInput) (*truce.AssessmentMade, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return &truce.AssessmentMade{Report: id, Verdict: in.Verdict, Reason: in.Reason}, nil
}

// Assess records a guarantor's verdict on a report. A guarantor may assess
// again; the latest verdict counts and every one stays in the log.
func (s *Service) Assess(ctx context.Context, by *truce.Member, id truce.ReportID, in *truce.AssessmentInput) (*ReportView, error) {
	if by == nil || !by.Role.CanAssess() {
		return nil, Forbidden(by, "assess reports; only guarantor officers may")
	}
	p, err := buildAssessment(id, in)
	if err != nil {
		return nil, err
	}
	return command(s, ctx, by, func(tx *wtx) (*ReportView, error) {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return nil, err
		}
		if !a.IsGuarantor(by.Organisation) {
			return nil, truce.Errorf(truce.EFORBIDDEN, "%s is not a guarantor of %s", by.Organisation, a.ID)
		}
		if _, _, err := tx.Report(id); err != nil {
			return nil, err
		}
		e, err := s.appendEntry(tx, truce.EntryAssessmentMade, p, nil)
		if err != nil {
			return nil, err
		}
		return s.readReport(tx, a, by, id, e.Time)
	})
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
	p, err := readParts(tx, id)
	if err != nil {
		return nil, err
	}
	return s.view(a, viewer, r, p, now), nil
}

var governoratePattern = regexp.MustCompile(`^SY[0-9]{2}$`)

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
	Governorate string // an ADM1 P-code, by classification
	Scope       string // covered, excluded, disputed or outside
	Controller  string // the actor holding the place, by classification
	// AsOf (RFC 3339, or a date for its midnight, UTC) lists the reports
	// as they stood then: those filed by then, each with the assessments,
	// replies, decisions and evidence recorded by then and its consensus
	// then; Consensus filters by that consensus. Empty, or a time to come:
	// as they stand now. Classifications are today's.
	AsOf   string
	Cursor string // the next value of a previous page
	Limit  string
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
	if f.Limit, f.Before, err = paging(q.Limit, q.Cursor); err != nil {
		return nil, err
	}
	asOf, err := parseBound("as_of", q.AsOf)
	if err != nil {
		return nil, err
	}
	if !asOf.Before(now) {
		asOf = time.Time{}
	}
	// As of a past time, the consensus to filter by is the one then,
	// computed from the assessments; the store knows only today's.
	consensus := f.Consensus
	if !asOf.IsZero() {
		f.Now, f.Consensus = asOf, ""
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
		policy := a.DisclosureFor(viewer.Role, "", "")
		byADM1, byScope, byController := policy.ClassificationFilters()
		for _, f := range []struct {
			name, value string
			ok          bool
		}{{"governorate", q.Governorate, byADM1}, {"scope", q.Scope, byScope}, {"controller", q.Controller, byController}} {
			if f.value != "" && !f.ok {
				return truce.Errorf(truce.EFORBIDDEN, "%s: a %s sees %s coordinates of other organisations' reports and may not filter them by %s", f.name, viewer.Role, policy.Coordinates, f.name)
			}
		}
		if q.Governorate != "" {
			if !governoratePattern.MatchString(q.Governorate) {
				return truce.Invalidf("governorate", "%q is not a governorate P-code such as SY07", clipID(q.Governorate))
			}
			f.ADM1 = q.Governorate
		}
		if q.Scope != "" {
			if !slices.Contains(truce.Scopes, q.Scope) {
				return truce.Invalidf("scope", "%q is not one of %v", clipID(q.Scope), truce.Scopes)
			}
			f.Scope = q.Scope
		}
		if q.Controller != "" {
			if a.Actor(truce.ActorID(q.Controller)) == nil {
				return truce.Invalidf("controller", "%q is not an actor id of agreement %s", clipID(q.Controller), a.ID)
			}
			f.Controller = truce.ActorID(q.Controller)
		}
		if q.Filer != "" {
			if a.Actor(truce.ActorID(q.Filer)) == nil {
				return truce.Invalidf("organisation", "%q is not an actor id of agreement %s", q.Filer, a.ID)
			}
			f.Organisation = truce.ActorID(q.Filer)
		}
		size := int64(-1) // as of now: every entry
		if !asOf.IsZero() {
			if size, err = sizeAt(tx, asOf); err != nil {
				return err
			}
			if size == 0 {
				return nil // nothing was filed yet
			}
			if f.Before == 0 || f.Before > size {
				f.Before = size
			}
		}
		rs, _, err := tx.FindReports(f)
		if err != nil {
			return err
		}
		ids := make([]truce.ReportID, len(rs))
		for i, r := range rs {
			ids[i] = r.ID
		}
		parts, err := tx.ReportParts(ids)
		if err != nil {
			return err
		}
		for _, r := range rs {
			p := parts[r.ID]
			if size < 0 {
				page.Reports = append(page.Reports, s.view(a, viewer, r, p, now))
				continue
			}
			v := s.view(a, viewer, r, partsBefore(p, size), asOf)
			if consensus == "" || v.Consensus == consensus {
				page.Reports = append(page.Reports, v)
			}
		}
		// As of a past time with a consensus, a page may hold fewer
		// reports than its limit, and yet others follow.
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
