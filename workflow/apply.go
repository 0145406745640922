package workflow

import (
	"encoding/json"
	"fmt"
	"slices"

	"truce"
	tlog "truce/log"
)

// applier applies entries to the projections. It is the only code that
// writes projections, for new entries and for replays alike, so that a
// rebuilt database is the same as the one built entry by entry. It MUST
// depend on nothing but the entries, their sidecars and the agreement they
// carry: not the clock, not randomness, not the store's previous state
// beyond what earlier entries wrote.
type applier struct {
	agreement *truce.Agreement
	changed   bool // an entry changed the agreement (an accession)
	// signatures, when set, checks every entry by a member against the
	// member's registered key: verify sets it.
	signatures *signatureCheck
}

// apply applies entry e with its sidecar (nil when none). payload, when not
// nil, is e's payload as the caller encoded it, which spares decoding it
// again; replays pass nil.
func (a *applier) apply(tx truce.Tx, e *truce.Entry, sidecar *truce.Sidecar, payload any) error {
	if e.Kind != truce.EntryAgreementLoaded && a.agreement == nil {
		return fmt.Errorf("%s: no agreement has been loaded before it", e.Kind)
	}
	if a.signatures != nil {
		if err := a.signatures.check(tx, a.agreement, e, sidecar); err != nil {
			return fmt.Errorf("%s: %w", e.Kind, err)
		}
	}
	h, ok := handlers[e.Kind]
	if !ok {
		return fmt.Errorf("unknown kind %q", e.Kind)
	}
	if err := h(a, tx, e, sidecar, payload); err != nil {
		return fmt.Errorf("%s: %w", e.Kind, err)
	}
	return nil
}

// handler applies one kind of entry.
type handler func(a *applier, tx truce.Tx, e *truce.Entry, sidecar *truce.Sidecar, payload any) error

// handle adapts a function of a typed payload to a handler: the payload is
// the caller's when it has the type, decoded from the entry otherwise.
func handle[P any](fn func(a *applier, tx truce.Tx, e *truce.Entry, s *truce.Sidecar, p *P) error) handler {
	return func(a *applier, tx truce.Tx, e *truce.Entry, s *truce.Sidecar, payload any) error {
		p, ok := payload.(*P)
		if !ok || p == nil {
			p = new(P)
			if err := tlog.DecodePayload(e, p); err != nil {
				return err
			}
		}
		return fn(a, tx, e, s, p)
	}
}

// handlers applies each kind of entry.
var handlers = map[truce.EntryKind]handler{
	truce.EntryAgreementLoaded:   handle((*applier).agreementLoaded),
	truce.EntryMemberAdded:       handle((*applier).memberAdded),
	truce.EntryReportFiled:       handle((*applier).reportFiled),
	truce.EntryAssessmentMade:    handle((*applier).assessmentMade),
	truce.EntryReplyMade:         handle((*applier).replyMade),
	truce.EntryRFISent:           handle((*applier).rfiSent),
	truce.EntryRFIAnswered:       handle((*applier).rfiAnswered),
	truce.EntryEvidenceAdded:     handle((*applier).evidenceAdded),
	truce.EntryAccessionRecorded: handle((*applier).accessionRecorded),
	truce.EntryMeetingRequested:  handle((*applier).meetingRequested),
	truce.EntryMeetingProposed:   handle((*applier).meetingProposed),
	truce.EntryMeetingApproved:   handle((*applier).meetingApproved),
	truce.EntryMeetingMinuted:    handle((*applier).meetingMinuted),
	truce.EntryKeyRegistered:     handle((*applier).keyRegistered),
	truce.EntryZoneProposed:      handle((*applier).zoneProposed),
	truce.EntryZoneApproved:      handle((*applier).zoneApproved),
	truce.EntryPositionClaimed:   handle((*applier).positionClaimed),
	truce.EntryPositionAssessed:  handle((*applier).positionAssessed),
	truce.EntryReportClassified:  handle((*applier).reportClassified),
}

// decodeSidecar reads a stored sidecar; nil for none.
func decodeSidecar(b []byte) (*truce.Sidecar, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var s truce.Sidecar
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("sidecar: %w", err)
	}
	return &s, nil
}

// unseal returns the restricted value a payload commits to under field,
// checking the sidecar's value against the commitment.
func unseal(ref *truce.SealedRef, s *truce.Sidecar, field string, v any) error {
	if ref == nil {
		return nil
	}
	if !ref.Valid() {
		return fmt.Errorf("%s: %q is not a commitment", field, ref.Sealed)
	}
	var sv truce.SealedValue
	if s != nil {
		sv = s.Sealed[field]
	}
	if sv.Value == nil {
		return fmt.Errorf("%s: the sidecar has no value for the commitment", field)
	}
	if got := truce.Commit(field, sv); got != *ref {
		return fmt.Errorf("%s: the sidecar's value does not match the entry's commitment", field)
	}
	return json.Unmarshal(sv.Value, v)
}

func needAuthor(e *truce.Entry) error {
	if e.Author == nil {
		return fmt.Errorf("a %s entry needs an author", e.Kind)
	}
	return nil
}

func (a *applier) agreementLoaded(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.AgreementLoaded) error {
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

func (a *applier) memberAdded(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.MemberAdded) error {
	return tx.InsertMember(&truce.Member{
		ID: p.ID, Name: p.Name, Organisation: p.Organisation, Role: p.Role,
		AddedAt: e.Time, Entry: e.Index,
	})
}

func (a *applier) reportFiled(tx truce.Tx, e *truce.Entry, s *truce.Sidecar, p *truce.ReportFiled) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	r := filedReport(e, p)
	if err := unseal(p.SourceIdentity, s, "source_identity", &r.SourceIdentity); err != nil {
		return err
	}
	if c := p.Classification; c != nil && !oneOfScope(c.Scope) {
		return fmt.Errorf("unknown scope %q", c.Scope)
	}
	return tx.InsertReport(r, a.state(r, nil))
}

// filedReport is the report a report.filed entry records, but for its
// sealed source identity.
func filedReport(e *truce.Entry, p *truce.ReportFiled) *truce.Report {
	return &truce.Report{
		ID: p.ID, OccurredAt: p.OccurredAt.UTC(), Lon: p.Lon, Lat: p.Lat,
		EventType: p.EventType, SubEventType: p.SubEventType,
		Perpetrator: p.Perpetrator, PerpetratorAsGiven: p.PerpetratorAsGiven, Description: p.Description,
		TimePrecision: p.TimePrecision, GeoPrecision: p.GeoPrecision, UncertaintyM: p.UncertaintyM,
		Place: p.Place, Target: p.Target, TargetAsGiven: p.TargetAsGiven,
		Casualties: p.Casualties, Fire: p.Fire, Sources: p.Sources, Origin: p.Origin, Classification: p.Classification,
		FiledAt: e.Time, FiledBy: e.Author.Member, Organisation: e.Author.Organisation, Entry: e.Index,
	}
}

func (a *applier) assessmentMade(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.AssessmentMade) error {
	if err := needAuthor(e); err != nil {
		return err
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

func (a *applier) replyMade(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.ReplyMade) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	if _, _, err := tx.Report(p.Report); err != nil {
		return err
	}
	return tx.InsertReply(&truce.Reply{
		Report: p.Report, Text: p.Text, Member: e.Author.Member, Organisation: e.Author.Organisation,
		MadeAt: e.Time, Entry: e.Index,
	})
}

func (a *applier) rfiSent(tx truce.Tx, e *truce.Entry, s *truce.Sidecar, p *truce.RFISent) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	if _, _, err := tx.Report(p.Report); err != nil {
		return err
	}
	r := &truce.RFI{
		ID: p.ID, Report: p.Report, From: e.Author.Organisation, SentBy: e.Author.Member, To: p.To,
		Deadline: p.Deadline.UTC(), SentAt: e.Time, Entry: e.Index,
	}
	if err := unseal(&p.Question, s, "question", &r.Question); err != nil {
		return err
	}
	return tx.InsertRFI(r)
}

func (a *applier) rfiAnswered(tx truce.Tx, e *truce.Entry, s *truce.Sidecar, p *truce.RFIAnswer) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	var text string
	if err := unseal(&p.Text, s, "text", &text); err != nil {
		return err
	}
	return tx.AnswerRFI(p.RFI, text, e.Author.Member, e.Time, e.Index)
}

func (a *applier) evidenceAdded(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.EvidenceAdded) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	if _, _, err := tx.Report(p.Report); err != nil {
		return err
	}
	return tx.InsertEvidence(&truce.Evidence{
		Report: p.Report, SHA256: p.SHA256, Size: p.Size, MediaType: p.MediaType,
		Member: e.Author.Member, Organisation: e.Author.Organisation, AddedAt: e.Time, Entry: e.Index,
	})
}

// accessionRecorded records the accession and, for a group, makes it a
// party of the agreement from its date, answered for by the guarantor.
func (a *applier) accessionRecorded(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.AccessionRecorded) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	acc := &truce.Accession{
		ID: p.ID, Kind: p.Kind, PCode: p.PCode, Name: p.Name, Guarantor: p.Guarantor, Date: p.Date,
		Evidence: p.Evidence, Note: p.Note, Member: e.Author.Member, Entry: e.Index,
	}
	if p.Kind == truce.AccessionGroup {
		var x truce.Actor
		switch {
		case p.Actor != nil:
			x = *p.Actor
		case a.agreement.Actor(p.ActorID) != nil:
			x = *a.agreement.Actor(p.ActorID)
			x.Standing, x.Guarantors, x.Since = truce.Party, []truce.ActorID{p.Guarantor}, p.Date
		default:
			return fmt.Errorf("actor %q is not in the agreement", p.ActorID)
		}
		b, err := a.agreement.WithActor(x)
		if err != nil {
			return err
		}
		if err := tx.PutAgreement(b, e.Index); err != nil {
			return err
		}
		a.agreement, a.changed = b, true
		acc.Actor, acc.Name = x.ID, x.Name()
	}
	return tx.InsertAccession(acc)
}

func (a *applier) meetingRequested(tx truce.Tx, e *truce.Entry, s *truce.Sidecar, p *truce.MeetingRequested) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	m := &truce.Meeting{
		ID: p.ID, RequestedBy: e.Author.Organisation, Date: p.Date.UTC(), Venue: p.Venue,
		Agenda:   truce.Agenda{Reports: p.Reports, RFIs: p.RFIs},
		Proposal: 1, Approvals: []truce.ActorID{e.Author.Organisation}, Entry: e.Index,
	}
	if err := unseal(p.Note, s, "note", &m.Agenda.Note); err != nil {
		return err
	}
	return a.putMeeting(tx, m)
}

func (a *applier) meetingProposed(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.MeetingProposed) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	m, err := tx.Meeting(p.Meeting)
	if err != nil {
		return err
	}
	if m.State == truce.MeetingStateMinuted {
		return fmt.Errorf("meeting %s has been held", m.ID)
	}
	m.Date, m.Venue, m.Proposal = p.Date.UTC(), p.Venue, m.Proposal+1
	m.Approvals = []truce.ActorID{e.Author.Organisation}
	return a.putMeeting(tx, m)
}

func (a *applier) meetingApproved(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.MeetingApproved) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	m, err := tx.Meeting(p.Meeting)
	if err != nil {
		return err
	}
	if p.Proposal != m.Proposal || m.State == truce.MeetingStateMinuted {
		return fmt.Errorf("approval of proposal %d of meeting %s, which is at proposal %d (%s)", p.Proposal, m.ID, m.Proposal, m.State)
	}
	if !slices.Contains(m.Approvals, e.Author.Organisation) {
		m.Approvals = append(m.Approvals, e.Author.Organisation)
	}
	return a.putMeeting(tx, m)
}

func (a *applier) meetingMinuted(tx truce.Tx, e *truce.Entry, s *truce.Sidecar, p *truce.MeetingMinuted) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	m, err := tx.Meeting(p.Meeting)
	if err != nil {
		return err
	}
	if m.State != truce.MeetingStateConvened {
		return fmt.Errorf("meeting %s is %s, not convened", m.ID, m.State)
	}
	if err := unseal(&p.Minutes, s, "minutes", &m.Minutes); err != nil {
		return err
	}
	m.Decisions, m.State, m.MinutedAt = p.Decisions, truce.MeetingStateMinuted, e.Index
	return tx.PutMeeting(m)
}

// putMeeting stores a meeting with its state: convened once every
// guarantor approved the current proposal.
func (a *applier) putMeeting(tx truce.Tx, m *truce.Meeting) error {
	m.State = truce.MeetingStateRequested
	if m.Convened(a.agreement) {
		m.State = truce.MeetingStateConvened
	}
	return tx.PutMeeting(m)
}

func (a *applier) keyRegistered(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.KeyRegistered) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	if p.Member != e.Author.Member {
		return fmt.Errorf("member %s registers a key for member %s", e.Author.Member, p.Member)
	}
	hash, err := KeyHash(p.Key)
	if err != nil {
		return err
	}
	return tx.PutMemberKey(&truce.MemberKey{Member: p.Member, Key: p.Key, Hash: hash, Since: e.Time, Entry: e.Index})
}

func (a *applier) zoneProposed(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.ZoneProposed) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	return tx.PutZone(&truce.Zone{
		ID: p.ID, Kind: p.Kind, Name: p.Name, Controller: p.Controller, ContestedBetween: p.ContestedBetween,
		ValidFrom: p.ValidFrom.UTC(), ValidTo: p.ValidTo, Claimant: e.Author.Organisation, ProposedBy: e.Author.Member,
		Geometry: p.Geometry, State: truce.ZoneStateProposed, Approvals: []truce.ZoneApproval{}, Entry: e.Index,
	})
}

// zoneApproved adds a guarantor's approval; with every guarantor's, the
// zone is on the map from this entry.
func (a *applier) zoneApproved(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.ZoneApproved) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	if e.Author.Role != truce.RoleGuarantor || !a.agreement.IsGuarantor(e.Author.Organisation) {
		return fmt.Errorf("%s of %s may not approve zones", e.Author.Role, e.Author.Organisation)
	}
	z, err := tx.Zone(p.Zone)
	if err != nil {
		return err
	}
	for _, ap := range z.Approvals {
		if ap.Guarantor == e.Author.Organisation {
			return fmt.Errorf("%s approves zone %s a second time", ap.Guarantor, z.ID)
		}
	}
	z.Approvals = append(z.Approvals, truce.ZoneApproval{Guarantor: e.Author.Organisation, Member: e.Author.Member, At: e.Time, Entry: e.Index})
	if z.State == truce.ZoneStateProposed && zoneApproved(a.agreement, z) {
		z.State, z.ApprovedEntry = truce.ZoneStateApproved, e.Index
	}
	return tx.PutZone(z)
}

func (a *applier) positionClaimed(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.PositionClaimed) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	pos := &truce.Position{
		ID: p.ID, Actor: p.Actor, Lon: p.Lon, Lat: p.Lat, RadiusM: p.RadiusM, ObservedAt: p.ObservedAt.UTC(),
		ValidTo: p.ValidTo, Description: p.Description,
		Organisation: e.Author.Organisation, ClaimedBy: e.Author.Member, ClaimedAt: e.Time, Entry: e.Index,
	}
	return tx.InsertPosition(pos, positionState(a.agreement, pos, nil))
}

func (a *applier) positionAssessed(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.PositionAssessed) error {
	if err := needAuthor(e); err != nil {
		return err
	}
	if e.Author.Role != truce.RoleGuarantor {
		return fmt.Errorf("a %s may not assess positions", e.Author.Role)
	}
	pos, _, err := tx.Position(p.Position)
	if err != nil {
		return err
	}
	as := &truce.Assessment{Verdict: p.Verdict, Reason: p.Reason, Member: e.Author.Member,
		Organisation: e.Author.Organisation, MadeAt: e.Time, Entry: e.Index}
	if err := tx.InsertPositionAssessment(p.Position, as); err != nil {
		return err
	}
	all, err := tx.PositionAssessments(p.Position)
	if err != nil {
		return err
	}
	return tx.SetPositionState(p.Position, positionState(a.agreement, pos, all))
}

// positionState is a position's consensus, decided as a report's: the
// claimer's organisation confirms by claiming when it is a guarantor.
func positionState(ag *truce.Agreement, p *truce.Position, as []truce.Assessment) truce.ReportState {
	t := truce.Answers(ag, p.Organisation, as)
	g := ag.Guarantors()
	return truce.ReportState{
		Deadline: ag.Rules.Deadline(p.ClaimedAt),
		Open:     ag.Rules.Decide(g, t, true),
		Closed:   ag.Rules.Decide(g, t, false),
	}
}

func (a *applier) reportClassified(tx truce.Tx, e *truce.Entry, _ *truce.Sidecar, p *truce.ReportClassified) error {
	if e.Author != nil {
		return fmt.Errorf("classifications are the system's, not a member's")
	}
	if !oneOfScope(p.Classification.Scope) {
		return fmt.Errorf("unknown scope %q", p.Classification.Scope)
	}
	return tx.SetClassification(p.Report, &p.Classification, e.Index)
}

func oneOfScope(s string) bool { return slices.Contains(truce.Scopes, s) }
