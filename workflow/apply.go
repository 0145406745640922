package workflow

import (
	"fmt"

	"truce"
	tlog "truce/log"
)

// applier applies entries to the projections. It is the only code that
// writes projections, for new entries and for replays alike, so that a
// rebuilt database is the same as the one built entry by entry. It MUST
// depend on nothing but the entries and the agreement they carry: not the
// clock, not randomness, not the store's previous state beyond what earlier
// entries wrote.
type applier struct {
	agreement *truce.Agreement
}

// apply applies entry e. payload, when not nil, is e's payload as the
// caller encoded it, which spares decoding it again; replays pass nil.
func (a *applier) apply(tx truce.Tx, e *truce.Entry, payload any) error {
	if e.Kind != truce.EntryAgreementLoaded && a.agreement == nil {
		return fmt.Errorf("entry %d (%s): no agreement has been loaded before it", e.Index, e.Kind)
	}
	var err error
	switch e.Kind {
	case truce.EntryAgreementLoaded:
		p, _ := payload.(*truce.AgreementLoaded)
		if p, err = decoded(e, p); err == nil {
			err = a.agreementLoaded(tx, e, p)
		}
	case truce.EntryMemberAdded:
		p, _ := payload.(*truce.MemberAdded)
		if p, err = decoded(e, p); err == nil {
			err = a.memberAdded(tx, e, p)
		}
	case truce.EntryReportFiled:
		p, _ := payload.(*truce.ReportFiled)
		if p, err = decoded(e, p); err == nil {
			err = a.reportFiled(tx, e, p)
		}
	case truce.EntryAssessmentMade:
		p, _ := payload.(*truce.AssessmentMade)
		if p, err = decoded(e, p); err == nil {
			err = a.assessmentMade(tx, e, p)
		}
	default:
		err = fmt.Errorf("unknown kind")
	}
	if err != nil {
		return fmt.Errorf("apply entry %d (%s): %w", e.Index, e.Kind, err)
	}
	return nil
}

// decoded returns p, or e's payload decoded when p is nil.
func decoded[P any](e *truce.Entry, p *P) (*P, error) {
	if p != nil {
		return p, nil
	}
	p = new(P)
	if err := tlog.DecodePayload(e, p); err != nil {
		return nil, err
	}
	return p, nil
}

func (a *applier) agreementLoaded(tx truce.Tx, e *truce.Entry, p *truce.AgreementLoaded) error {
	if a.agreement != nil {
		return fmt.Errorf("an agreement is already loaded")
	}
	if p.Agreement == nil {
		return fmt.Errorf("payload has no agreement")
	}
	if err := p.Agreement.Validate(); err != nil {
		return err
	}
	a.agreement = p.Agreement
	return tx.PutAgreement(p.Agreement, e.Index)
}

func (a *applier) memberAdded(tx truce.Tx, e *truce.Entry, p *truce.MemberAdded) error {
	return tx.InsertMember(&truce.Member{
		ID: p.ID, Name: p.Name, Organisation: p.Organisation, Role: p.Role,
		AddedAt: e.Time, Entry: e.Index,
	})
}

func (a *applier) reportFiled(tx truce.Tx, e *truce.Entry, p *truce.ReportFiled) error {
	if e.Author == nil {
		return fmt.Errorf("a report needs an author")
	}
	r := filedReport(e, p)
	return tx.InsertReport(r, a.state(r, nil))
}

// filedReport is the report a report.filed entry records.
func filedReport(e *truce.Entry, p *truce.ReportFiled) *truce.Report {
	return &truce.Report{
		ID: p.ID, OccurredAt: p.OccurredAt.UTC(), Lon: p.Lon, Lat: p.Lat,
		EventType: p.EventType, SubEventType: p.SubEventType,
		Perpetrator: p.Perpetrator, PerpetratorAsGiven: p.PerpetratorAsGiven, Description: p.Description,
		FiledAt: e.Time, FiledBy: e.Author.Member, Organisation: e.Author.Organisation, Entry: e.Index,
	}
}

func (a *applier) assessmentMade(tx truce.Tx, e *truce.Entry, p *truce.AssessmentMade) error {
	if e.Author == nil {
		return fmt.Errorf("an assessment needs an author")
	}
	r, _, err := tx.Report(p.Report)
	if err != nil {
		return err
	}
	as := &truce.Assessment{
		Report: p.Report, Verdict: p.Verdict, Reason: p.Reason,
		Member: e.Author.Member, Organisation: e.Author.Organisation, MadeAt: e.Time, Entry: e.Index,
	}
	if err := tx.InsertAssessment(as); err != nil {
		return err
	}
	all, err := tx.Assessments(p.Report)
	if err != nil {
		return err
	}
	return tx.SetReportState(r.ID, a.state(r, all))
}

// state computes what the projection keeps of a report's consensus.
func (a *applier) state(r *truce.Report, assessments []truce.Assessment) truce.ReportState {
	return reportState(a.agreement, r, assessments)
}

func reportState(ag *truce.Agreement, r *truce.Report, assessments []truce.Assessment) truce.ReportState {
	t := truce.Answers(ag, r.Organisation, assessments)
	g := ag.Guarantors()
	return truce.ReportState{
		Deadline: ag.Rules.Deadline(r.FiledAt),
		Open:     ag.Rules.Decide(g, t, true),
		Closed:   ag.Rules.Decide(g, t, false),
	}
}
