package workflow_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/workflow"
)

func ftMeetingDate(d time.Duration) string {
	return time.Now().UTC().Add(d).Truncate(time.Second).Format(time.RFC3339)
}

// TestFtMeetingLifecycle follows a meeting of the joint body from request
// to minutes: convened only when every guarantor approved the current
// proposal, minuted once, its decisions shown on the reports.
func TestFtMeetingLifecycle(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	ir := mustMember(t, svc, op, "IR", truce.RoleGuarantor)
	tr := mustMember(t, svc, op, "TR", truce.RoleGuarantor)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	r1, err := svc.FileReport(ftCtx, opp, ftReport(0, "SYG"))
	if err != nil {
		t.Fatal(err)
	}
	r2, err := svc.FileReport(ftCtx, opp, ftReport(1, "SYG"))
	if err != nil {
		t.Fatal(err)
	}
	rfi, err := svc.SendRFI(ftCtx, ru, &truce.RFIInput{Report: r1.ID, To: "SYG", Question: "Which unit?", Deadline: ftMeetingDate(48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}

	date1 := ftMeetingDate(7 * 24 * time.Hour)
	m, err := svc.RequestMeeting(ftCtx, ru, &truce.MeetingInput{
		Date: date1, Venue: "Astana",
		Agenda: truce.Agenda{Reports: []truce.ReportID{r1.ID, r2.ID}, RFIs: []truce.RFIID{rfi.ID}, Note: "Shelling of Kafr Nabl."},
	})
	if err != nil {
		t.Fatalf("RequestMeeting = %v", err)
	}
	want1, _ := time.Parse(time.RFC3339, date1)
	if !m.ID.Valid() || m.RequestedBy != "RU" || m.Proposal != 1 || !slices.Equal(m.Approvals, []truce.ActorID{"RU"}) ||
		m.State != truce.MeetingStateRequested || m.Venue != "Astana" || !m.Date.Equal(want1) || len(m.Agenda.Reports) != 2 {
		t.Fatalf("requested meeting = %+v, want proposal 1 at Astana approved by RU", m)
	}
	// The agenda's note is sealed in the log, shown to the meetings' readers.
	if _, data := ftEntry(t, svc, ru, m.Entry); strings.Contains(string(data), "Shelling of Kafr Nabl.") || !strings.Contains(string(data), `"note":{"sealed":"sha256:`) {
		t.Errorf("meeting.requested entry %s: want the agenda's note sealed", data)
	}
	if got, err := svc.Meeting(ftCtx, ru, m.ID); err != nil || got.Agenda.Note != "Shelling of Kafr Nabl." || len(got.Agenda.RFIs) != 1 {
		t.Errorf("Meeting(%s) = %+v, %v; want the agenda with its note", m.ID, got, err)
	}
	minutes := &truce.MinutesInput{Minutes: "The body examined the shelling of Kafr Nabl.", Decisions: []truce.Decision{{Report: r1.ID, Decision: "Confirmed as a violation by SYG."}}}
	_, err = svc.MinuteMeeting(ftCtx, ru, m.ID, minutes)
	ftWantCode(t, "MinuteMeeting before it is convened", err, truce.ECONFLICT)

	approve := func(by *truce.Member, proposal int) (*truce.Meeting, error) {
		return svc.ApproveMeeting(ftCtx, by, m.ID, &workflow.ApprovalInput{Proposal: proposal})
	}
	_, err = approve(ru, 1)
	ftWantCode(t, "ApproveMeeting by the requester", err, truce.ECONFLICT)
	_, err = approve(ir, 2)
	ftWantCode(t, "ApproveMeeting of a proposal not made", err, truce.ECONFLICT)
	_, err = approve(ir, 0)
	ftWantCode(t, "ApproveMeeting of proposal 0", err, truce.ECONFLICT)
	got, err := approve(ir, 1)
	if err != nil || got.State != truce.MeetingStateRequested || !slices.Equal(got.Approvals, []truce.ActorID{"RU", "IR"}) {
		t.Fatalf("IR approves = %+v, %v; want requested, approved by RU and IR", got, err)
	}
	_, err = approve(ir, 1)
	ftWantCode(t, "ApproveMeeting twice", err, truce.ECONFLICT)

	// Turkey proposes another date and venue: approvals lapse to its own.
	date2 := ftMeetingDate(10 * 24 * time.Hour)
	_, err = svc.ProposeMeeting(ftCtx, tr, m.ID, &truce.MeetingInput{Date: date2, Venue: "Ankara", Agenda: truce.Agenda{Note: "More"}})
	ftWantField(t, "ProposeMeeting with an agenda", err, "agenda")
	_, err = svc.ProposeMeeting(ftCtx, tr, m.ID, &truce.MeetingInput{Date: ftMeetingDate(-time.Hour), Venue: "Ankara"})
	ftWantField(t, "ProposeMeeting in the past", err, "date")
	got, err = svc.ProposeMeeting(ftCtx, tr, m.ID, &truce.MeetingInput{Date: date2, Venue: "Ankara"})
	want2, _ := time.Parse(time.RFC3339, date2)
	if err != nil || got.Proposal != 2 || !slices.Equal(got.Approvals, []truce.ActorID{"TR"}) || got.State != truce.MeetingStateRequested ||
		got.Venue != "Ankara" || !got.Date.Equal(want2) || len(got.Agenda.Reports) != 2 {
		t.Fatalf("TR proposes = %+v, %v; want proposal 2 at Ankara approved by TR alone, agenda kept", got, err)
	}
	_, err = approve(ir, 1)
	ftWantCode(t, "ApproveMeeting of the lapsed proposal", err, truce.ECONFLICT)
	_, err = approve(tr, 2)
	ftWantCode(t, "ApproveMeeting by the proposer", err, truce.ECONFLICT)
	if got, err = approve(ir, 2); err != nil || got.State != truce.MeetingStateRequested {
		t.Fatalf("IR approves proposal 2 = %+v, %v; want still requested", got, err)
	}
	_, err = svc.MinuteMeeting(ftCtx, ru, m.ID, minutes)
	ftWantCode(t, "MinuteMeeting with two approvals of three", err, truce.ECONFLICT)
	if got, err = approve(ru, 2); err != nil || got.State != truce.MeetingStateConvened {
		t.Fatalf("RU approves proposal 2 = %+v, %v; want convened", got, err)
	}

	// Minutes: decisions must name reports that exist.
	before := ftLogSize(t, svc)
	for _, tc := range []struct {
		name  string
		in    *truce.MinutesInput
		field string
	}{
		{"no minutes", &truce.MinutesInput{}, "minutes"},
		{"minutes too long", &truce.MinutesInput{Minutes: strings.Repeat("m", truce.MaxMinutes+1)}, "minutes"},
		{"malformed report", &truce.MinutesInput{Minutes: "x", Decisions: []truce.Decision{{Report: "r1", Decision: "y"}}}, "decisions[0].report"},
		{"empty decision", &truce.MinutesInput{Minutes: "x", Decisions: []truce.Decision{{Report: r1.ID}}}, "decisions[0].decision"},
	} {
		_, err := svc.MinuteMeeting(ftCtx, ru, m.ID, tc.in)
		ftWantField(t, "MinuteMeeting("+tc.name+")", err, tc.field)
	}
	_, err = svc.MinuteMeeting(ftCtx, ru, m.ID, &truce.MinutesInput{Minutes: "x", Decisions: []truce.Decision{
		{Report: r1.ID, Decision: "Confirmed."}, {Report: "rpt_aaaaaaaaaaaaaaaa", Decision: "Missing."},
	}})
	if truce.ErrorCode(err) != truce.EINVALID || !strings.HasPrefix(truce.ErrorField(err), "decisions[1]") {
		t.Errorf("MinuteMeeting(decision on a missing report) = %v (field %q), want %s about decisions[1]", err, truce.ErrorField(err), truce.EINVALID)
	}
	ftWantGrowth(t, svc, "refused minutes", before, 0)

	minutes.Decisions = append(minutes.Decisions, truce.Decision{Report: r2.ID, Decision: "Referred back to the guarantors."}, truce.Decision{Report: r1.ID, Decision: "SYG to withdraw the battery."})
	got, err = svc.MinuteMeeting(ftCtx, tr, m.ID, minutes)
	if err != nil || got.State != truce.MeetingStateMinuted || got.Minutes != minutes.Minutes || len(got.Decisions) != 3 {
		t.Fatalf("MinuteMeeting = %+v, %v; want minuted with 3 decisions", got, err)
	}
	size := ftLogSize(t, svc)
	if _, data := ftEntry(t, svc, ru, size-1); strings.Contains(string(data), minutes.Minutes) || !strings.Contains(string(data), `"minutes":{"sealed":"sha256:`) ||
		!strings.Contains(string(data), "SYG to withdraw the battery.") {
		t.Errorf("meeting.minuted entry %s: want the minutes sealed and the decisions in the clear", data)
	}
	if got, err := svc.Meeting(ftCtx, mustMember(t, svc, op, "US", truce.RoleObserver), m.ID); err != nil || got.Minutes != minutes.Minutes {
		t.Errorf("Meeting(%s) as an observer = %+v, %v; want the minutes", m.ID, got, err)
	}
	_, err = svc.MinuteMeeting(ftCtx, ru, m.ID, minutes)
	ftWantCode(t, "MinuteMeeting twice", err, truce.ECONFLICT)
	_, err = approve(ir, 2)
	ftWantCode(t, "ApproveMeeting after the minutes", err, truce.ECONFLICT)
	_, err = svc.ProposeMeeting(ftCtx, ir, m.ID, &truce.MeetingInput{Date: date2, Venue: "Tehran"})
	ftWantCode(t, "ProposeMeeting after the minutes", err, truce.ECONFLICT)

	// The decisions show on the reports they concern, for every reader.
	checkDecisions := func(stage string) {
		t.Helper()
		for _, viewer := range []*truce.Member{opp, ru, op} {
			v1, err := svc.Report(ftCtx, viewer, r1.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(v1.Decisions) != 2 || v1.Decisions[0].Meeting != m.ID || v1.Decisions[0].Decision != "Confirmed as a violation by SYG." ||
				v1.Decisions[1].Decision != "SYG to withdraw the battery." {
				t.Errorf("%s: report %s shows decisions %+v, want the meeting's two, in order", stage, r1.ID, v1.Decisions)
			}
			v2, _ := svc.Report(ftCtx, viewer, r2.ID)
			if len(v2.Decisions) != 1 || v2.Decisions[0].Decision != "Referred back to the guarantors." {
				t.Errorf("%s: report %s shows decisions %+v, want one", stage, r2.ID, v2.Decisions)
			}
		}
	}
	checkDecisions("live")
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
	checkDecisions("after rebuild")
}

// TestFtMeetingRules checks the request's validation, who may manage and
// read meetings, and the listing's pages.
func TestFtMeetingRules(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	ruMon := mustMember(t, svc, op, "RU", truce.RoleMonitor)
	syg := mustMember(t, svc, op, "SYG", truce.RoleParty)
	un := mustMember(t, svc, op, "UN", truce.RoleObserver)
	unMon := mustMember(t, svc, op, "UN", truce.RoleMonitor)
	valid := func() *truce.MeetingInput {
		return &truce.MeetingInput{Date: ftMeetingDate(72 * time.Hour), Venue: "Astana"}
	}
	before := ftLogSize(t, svc)
	for _, tc := range []struct {
		name  string
		edit  func(in *truce.MeetingInput)
		field string
	}{
		{"no date", func(in *truce.MeetingInput) { in.Date = "" }, "date"},
		{"past", func(in *truce.MeetingInput) { in.Date = ftMeetingDate(-time.Minute) }, "date"},
		{"over a year ahead", func(in *truce.MeetingInput) { in.Date = ftMeetingDate(367 * 24 * time.Hour) }, "date"},
		{"no venue", func(in *truce.MeetingInput) { in.Venue = "" }, "venue"},
		{"venue of two lines", func(in *truce.MeetingInput) { in.Venue = "Astana\nAnkara" }, "venue"},
		{"malformed report", func(in *truce.MeetingInput) { in.Agenda.Reports = []truce.ReportID{"r"} }, "agenda.reports[0]"},
		{"missing report", func(in *truce.MeetingInput) { in.Agenda.Reports = []truce.ReportID{"rpt_aaaaaaaaaaaaaaaa"} }, "agenda.reports[0]"},
		{"missing request", func(in *truce.MeetingInput) { in.Agenda.RFIs = []truce.RFIID{"rfi_aaaaaaaaaaaaaaaa"} }, "agenda.rfis[0]"},
		{"malformed request", func(in *truce.MeetingInput) { in.Agenda.RFIs = []truce.RFIID{"rfi"} }, "agenda.rfis[0]"},
		{"agenda too long", func(in *truce.MeetingInput) {
			in.Agenda.Reports = make([]truce.ReportID, truce.MaxAgendaItems+1)
		}, "agenda"},
		{"note too long", func(in *truce.MeetingInput) { in.Agenda.Note = strings.Repeat("n", truce.MaxReason+1) }, "agenda.note"},
	} {
		in := valid()
		tc.edit(in)
		_, err := svc.RequestMeeting(ftCtx, ru, in)
		ftWantField(t, "RequestMeeting("+tc.name+")", err, tc.field)
	}
	for _, m := range []*truce.Member{syg, ruMon, un, op} {
		_, err := svc.RequestMeeting(ftCtx, m, valid())
		ftWantCode(t, "RequestMeeting by a "+string(m.Role), err, truce.EFORBIDDEN)
	}
	ftWantGrowth(t, svc, "refused requests", before, 0)

	var ids []truce.MeetingID
	for i := 0; i < 5; i++ {
		m, err := svc.RequestMeeting(ftCtx, ru, valid())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	for _, m := range []*truce.Member{syg, ruMon, un, op} {
		_, err := svc.ApproveMeeting(ftCtx, m, ids[0], &workflow.ApprovalInput{Proposal: 1})
		ftWantCode(t, "ApproveMeeting by a "+string(m.Role), err, truce.EFORBIDDEN)
		_, err = svc.ProposeMeeting(ftCtx, m, ids[0], valid())
		ftWantCode(t, "ProposeMeeting by a "+string(m.Role), err, truce.EFORBIDDEN)
		_, err = svc.MinuteMeeting(ftCtx, m, ids[0], &truce.MinutesInput{Minutes: "x"})
		ftWantCode(t, "MinuteMeeting by a "+string(m.Role), err, truce.EFORBIDDEN)
	}
	_, err := svc.ApproveMeeting(ftCtx, ru, "mtg_aaaaaaaaaaaaaaaa", &workflow.ApprovalInput{Proposal: 1})
	ftWantCode(t, "ApproveMeeting of a missing meeting", err, truce.ENOTFOUND)

	// Readers: guarantors' staff and observers.
	for _, tc := range []struct {
		who  string
		m    *truce.Member
		code string
	}{
		{"guarantor officer", ru, ""},
		{"guarantor's monitor", ruMon, ""},
		{"observer", un, ""},
		{"UN monitor", unMon, truce.EFORBIDDEN},
		{"party", syg, truce.EFORBIDDEN},
		{"operator", op, truce.EFORBIDDEN},
		{"nobody", nil, truce.EUNAUTHORIZED},
	} {
		_, err := svc.Meetings(ftCtx, tc.m, "", "")
		ftWantCode(t, "Meetings as "+tc.who, err, tc.code)
		_, err = svc.Meeting(ftCtx, tc.m, ids[0])
		ftWantCode(t, "Meeting as "+tc.who, err, tc.code)
	}

	// Pages: newest first, each meeting once.
	var seen []truce.MeetingID
	cursor := ""
	for page := 0; ; page++ {
		if page > len(ids) {
			t.Fatalf("paging did not end")
		}
		p, err := svc.Meetings(ftCtx, un, "2", cursor)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Meetings) > 2 {
			t.Fatalf("page of %d meetings, limit 2", len(p.Meetings))
		}
		for _, m := range p.Meetings {
			seen = append(seen, m.ID)
		}
		if p.Next == "" {
			break
		}
		cursor = p.Next
	}
	want := slices.Clone(ids)
	slices.Reverse(want)
	if !slices.Equal(seen, want) {
		t.Errorf("paged meetings = %v, want %v", seen, want)
	}
	if p, err := svc.Meetings(ftCtx, ru, "", ""); err != nil || len(p.Meetings) != len(ids) || p.Next != "" {
		t.Errorf("Meetings() = %d meetings, next %q, %v; want %d, no next page", len(p.Meetings), p.Next, err, len(ids))
	}
	_, err = svc.Meetings(ftCtx, ru, "0", "")
	ftWantField(t, "Meetings(limit 0)", err, "limit")
	mustVerify(t, svc)
}

// TestFtDecisionEntry checks the entry a report's decisions name: like a
// reply's or an assessment's, it is the entry that recorded them, the
// meeting's minutes, not its request.
func TestFtDecisionEntry(t *testing.T) {
	svc, op := newService(t)
	g := map[truce.ActorID]*truce.Member{}
	for _, id := range []truce.ActorID{"RU", "IR", "TR"} {
		g[id] = mustMember(t, svc, op, id, truce.RoleGuarantor)
	}
	v, err := svc.FileReport(ftCtx, g["RU"], ftReport(0, "JFS"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := svc.RequestMeeting(ftCtx, g["RU"], &truce.MeetingInput{Date: ftMeetingDate(48 * time.Hour), Venue: "Astana"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []truce.ActorID{"IR", "TR"} {
		if _, err := svc.ApproveMeeting(ftCtx, g[id], m.ID, &workflow.ApprovalInput{Proposal: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.MinuteMeeting(ftCtx, g["TR"], m.ID, &truce.MinutesInput{Minutes: "Held.", Decisions: []truce.Decision{{Report: v.ID, Decision: "Not a violation."}}}); err != nil {
		t.Fatal(err)
	}
	minutedAt := ftLogSize(t, svc) - 1
	if e, _ := ftEntry(t, svc, g["RU"], minutedAt); e.Kind != truce.EntryMeetingMinuted {
		t.Fatalf("entry %d is %s, want %s", minutedAt, e.Kind, truce.EntryMeetingMinuted)
	}
	mustVerify(t, svc)
	rv, err := svc.Report(ftCtx, g["IR"], v.ID)
	if err != nil || len(rv.Decisions) != 1 {
		t.Fatalf("Report = %+v, %v; want one decision", rv, err)
	}
	if got := rv.Decisions[0].Entry; got != minutedAt {
		t.Errorf("BUG: the report's decision names entry %d (the meeting.requested entry, %d), want %d, the meeting.minuted entry that recorded it", got, m.Entry, minutedAt)
	}
}
