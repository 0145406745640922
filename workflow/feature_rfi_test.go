package workflow_test

import (
	"strings"
	"testing"
	"time"

	"truce"
	"truce/workflow"
)

// ftRFIStart is the clock of the RFI tests: whole seconds, so that
// deadlines written in RFC 3339 fall exactly on the window's edges, and
// ahead of the real clock that newService's entries were made by (entry
// times never go back, and commands validate at their entry's time).
var ftRFIStart = time.Now().UTC().Add(24 * time.Hour).Truncate(time.Second)

func ftDeadline(d time.Duration) string { return ftRFIStart.Add(d).Format(time.RFC3339) }

// TestFtSendRFIValidation runs the rules of a request: who may send one,
// to whom, about which report, with which deadline.
func TestFtSendRFIValidation(t *testing.T) {
	svc, op := newService(t)
	ftFixClock(svc, ftRFIStart)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	v, err := svc.FileReport(ftCtx, opp, ftReport(0, "SYG"))
	if err != nil {
		t.Fatal(err)
	}
	valid := func() *truce.RFIInput {
		return &truce.RFIInput{Report: v.ID, To: "SYG", Question: "Which unit held the position?", Deadline: ftDeadline(24 * time.Hour)}
	}
	before := ftLogSize(t, svc)
	for _, tc := range []struct {
		name  string
		edit  func(in *truce.RFIInput)
		field string
	}{
		{"no report", func(in *truce.RFIInput) { in.Report = "" }, "report"},
		{"malformed report", func(in *truce.RFIInput) { in.Report = "rpt_x" }, "report"},
		{"missing report", func(in *truce.RFIInput) { in.Report = "rpt_aaaaaaaaaaaaaaaa" }, "report"},
		{"to nobody", func(in *truce.RFIInput) { in.To = "" }, "to"},
		{"to an unknown actor", func(in *truce.RFIInput) { in.To = "XX" }, "to"},
		{"to itself", func(in *truce.RFIInput) { in.To = "RU" }, "to"},
		{"to a designated group", func(in *truce.RFIInput) { in.To = "JFS" }, "to"},
		{"to an observer", func(in *truce.RFIInput) { in.To = "UN" }, "to"},
		{"to the secretariat", func(in *truce.RFIInput) { in.To = "JWG" }, "to"},
		{"to an other actor", func(in *truce.RFIInput) { in.To = "SDF" }, "to"},
		{"no question", func(in *truce.RFIInput) { in.Question = "" }, "question"},
		{"question too long", func(in *truce.RFIInput) { in.Question = strings.Repeat("q", truce.MaxQuestion+1) }, "question"},
		{"no deadline", func(in *truce.RFIInput) { in.Deadline = "" }, "deadline"},
		{"date-only deadline", func(in *truce.RFIInput) { in.Deadline = ftRFIStart.Add(48 * time.Hour).Format(time.DateOnly) }, "deadline"},
		{"deadline past", func(in *truce.RFIInput) { in.Deadline = ftDeadline(-time.Hour) }, "deadline"},
		{"deadline under an hour", func(in *truce.RFIInput) { in.Deadline = ftDeadline(time.Hour - time.Second) }, "deadline"},
		{"deadline over 90 days", func(in *truce.RFIInput) { in.Deadline = ftDeadline(truce.MaxRFIDeadline + time.Second) }, "deadline"},
	} {
		in := valid()
		tc.edit(in)
		_, err := svc.SendRFI(ftCtx, ru, in)
		ftWantField(t, "SendRFI("+tc.name+")", err, tc.field)
	}
	for _, m := range []*truce.Member{
		opp, mustMember(t, svc, op, "RU", truce.RoleMonitor), mustMember(t, svc, op, "UN", truce.RoleObserver), op,
	} {
		_, err := svc.SendRFI(ftCtx, m, valid())
		ftWantCode(t, "SendRFI by a "+string(m.Role), err, truce.EFORBIDDEN)
	}
	_, err = svc.SendRFI(ftCtx, nil, valid())
	ftWantCode(t, "SendRFI by nobody", err, truce.EUNAUTHORIZED)
	before += 2 // the two members added above
	ftWantGrowth(t, svc, "refused requests", before, 0)

	// The window's edges are inside it; a deadline in another zone is
	// recorded in UTC.
	for _, d := range []string{
		ftDeadline(time.Hour), ftDeadline(truce.MaxRFIDeadline),
		ftRFIStart.Add(30 * time.Hour).In(time.FixedZone("", 3*3600)).Format(time.RFC3339),
	} {
		in := valid()
		in.Deadline = d
		r, err := svc.SendRFI(ftCtx, ru, in)
		if err != nil {
			t.Fatalf("SendRFI(deadline %s) = %v", d, err)
		}
		want, _ := time.Parse(time.RFC3339, d)
		if !r.Deadline.Equal(want) || r.Deadline.Location() != time.UTC {
			t.Errorf("deadline %s recorded as %v, want the same instant in UTC", d, r.Deadline)
		}
		if r.State != truce.RFIOpen || r.From != "RU" || r.SentBy != ru.ID || r.To != "SYG" || !truce.RFIID(r.ID).Valid() {
			t.Errorf("SendRFI = %+v, want an open request from RU to SYG", r)
		}
	}
	// A guarantor may ask another guarantor.
	in := valid()
	in.To = "TR"
	if _, err := svc.SendRFI(ftCtx, ru, in); err != nil {
		t.Errorf("SendRFI(to TR) = %v, want nil", err)
	}
	ftWantGrowth(t, svc, "four requests", before, 4)
	mustVerify(t, svc)
}

// TestFtRFILifecycle follows requests through open, overdue and answered;
// checks who may answer, who may read, and the listings by state, by
// organisation and by page.
func TestFtRFILifecycle(t *testing.T) {
	svc, op := newService(t)
	clock := ftFixClock(svc, ftRFIStart)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	ir := mustMember(t, svc, op, "IR", truce.RoleGuarantor)
	tr := mustMember(t, svc, op, "TR", truce.RoleGuarantor)
	irMon := mustMember(t, svc, op, "IR", truce.RoleMonitor)
	syg := mustMember(t, svc, op, "SYG", truce.RoleParty)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	jai := mustMember(t, svc, op, "JAI", truce.RoleParty)
	un := mustMember(t, svc, op, "UN", truce.RoleObserver)
	v, err := svc.FileReport(ftCtx, opp, ftReport(0, "SYG"))
	if err != nil {
		t.Fatal(err)
	}

	send := func(by *truce.Member, to truce.ActorID, d time.Duration) *workflow.RFIView {
		t.Helper()
		r, err := svc.SendRFI(ftCtx, by, &truce.RFIInput{Report: v.ID, To: to, Question: "What happened at " + string(to) + "?", Deadline: ftDeadline(d)})
		if err != nil {
			t.Fatalf("SendRFI(%s → %s) = %v", by.Organisation, to, err)
		}
		return r
	}
	a := send(ru, "SYG", 2*time.Hour)
	b := send(ru, "IR", 3*time.Hour)
	c := send(tr, "OPP", 4*time.Hour)
	d := send(ir, "SYG", 48*time.Hour)
	e := send(tr, "SYG", 2*time.Hour)
	all := []*workflow.RFIView{a, b, c, d, e}

	// Who may answer b, a request to IR.
	answer := &truce.AnswerInput{Text: "Our post recorded outgoing fire at 14:20."}
	_, err = svc.AnswerRFI(ftCtx, tr, b.ID, answer)
	ftWantCode(t, "AnswerRFI(request to IR) by TR", err, truce.EFORBIDDEN)
	_, err = svc.AnswerRFI(ftCtx, irMon, b.ID, answer)
	ftWantCode(t, "AnswerRFI(request to IR) by an IR monitor", err, truce.EFORBIDDEN)
	_, err = svc.AnswerRFI(ftCtx, un, b.ID, answer)
	ftWantCode(t, "AnswerRFI by an observer", err, truce.EFORBIDDEN)
	_, err = svc.AnswerRFI(ftCtx, op, b.ID, answer)
	ftWantCode(t, "AnswerRFI by the operator", err, truce.EFORBIDDEN)
	// A party that may not read b does not learn it exists.
	_, hidden := svc.AnswerRFI(ftCtx, syg, b.ID, answer)
	_, missing := svc.AnswerRFI(ftCtx, syg, "rfi_aaaaaaaaaaaaaaaa", answer)
	ftSameNotFound(t, "AnswerRFI by another party", hidden, string(b.ID), missing, "rfi_aaaaaaaaaaaaaaaa")
	_, err = svc.AnswerRFI(ftCtx, ir, b.ID, &truce.AnswerInput{})
	ftWantField(t, "AnswerRFI(empty)", err, "text")
	_, err = svc.AnswerRFI(ftCtx, ir, b.ID, &truce.AnswerInput{Text: strings.Repeat("a", truce.MaxAnswer+1)})
	ftWantField(t, "AnswerRFI(too long)", err, "text")

	clock.Add(time.Hour)
	got, err := svc.AnswerRFI(ftCtx, ir, b.ID, answer)
	if err != nil {
		t.Fatalf("AnswerRFI by IR = %v", err)
	}
	if got.State != truce.RFIAnswered || got.Answer != answer.Text || got.AnsweredBy != ir.ID || got.AnsweredAt == nil || !got.AnsweredAt.Equal(ftRFIStart.Add(time.Hour)) {
		t.Errorf("answered request = %+v, want answered by %s at %v", got, ir.ID, ftRFIStart.Add(time.Hour))
	}
	_, err = svc.AnswerRFI(ftCtx, ir, b.ID, &truce.AnswerInput{Text: "Correction."})
	ftWantCode(t, "second AnswerRFI", err, truce.ECONFLICT)

	// The question and the answer are sealed: the log holds commitments,
	// the readers of the request the text.
	sentEntry, sentData := ftEntry(t, svc, ru, b.Entry)
	_, answerData := ftEntry(t, svc, ru, got.AnswerAt)
	if sentEntry.Kind != truce.EntryRFISent || !strings.Contains(string(sentData), `"question":{"sealed":"sha256:`) || strings.Contains(string(sentData), b.Question) {
		t.Errorf("rfi.sent entry %s: want a sealed question, not %q", sentData, b.Question)
	}
	if !strings.Contains(string(answerData), `"text":{"sealed":"sha256:`) || strings.Contains(string(answerData), answer.Text) {
		t.Errorf("rfi.answered entry %s: want a sealed answer, not %q", answerData, answer.Text)
	}
	for _, m := range []*truce.Member{ru, ir, irMon, un} {
		r, err := svc.RFI(ftCtx, m, b.ID)
		if err != nil || r.Question != "What happened at IR?" || r.Answer != answer.Text {
			t.Errorf("RFI(%s) as %s %s = %+v, %v; want the question and answer", b.ID, m.Organisation, m.Role, r, err)
		}
	}

	// States by the clock.
	stateOf := func(m *truce.Member, r *workflow.RFIView) truce.RFIState {
		t.Helper()
		got, err := svc.RFI(ftCtx, m, r.ID)
		if err != nil {
			t.Fatalf("RFI(%s) as %s %s = %v", r.ID, m.Organisation, m.Role, err)
		}
		return got.State
	}
	if s := stateOf(syg, a); s != truce.RFIOpen {
		t.Errorf("1h after sending, a 2h request is %s, want open", s)
	}
	clock.Set(ftRFIStart.Add(2 * time.Hour))
	if s := stateOf(syg, a); s != truce.RFIOverdue {
		t.Errorf("at its deadline, a request is %s, want overdue", s)
	}
	clock.Set(ftRFIStart.Add(5 * time.Hour))
	for _, tc := range []struct {
		r    *workflow.RFIView
		want truce.RFIState
	}{{a, truce.RFIOverdue}, {b, truce.RFIAnswered}, {c, truce.RFIOverdue}, {d, truce.RFIOpen}, {e, truce.RFIOverdue}} {
		if s := stateOf(un, tc.r); s != tc.want {
			t.Errorf("request to %s at +5h is %s, want %s", tc.r.To, s, tc.want)
		}
	}

	// Listings by state, with counts per organisation asked.
	list := func(m *truce.Member, q workflow.RFIQuery) *workflow.RFIPage {
		t.Helper()
		p, err := svc.ListRFIs(ftCtx, m, q)
		if err != nil {
			t.Fatalf("ListRFIs(%+v) as %s %s = %v", q, m.Organisation, m.Role, err)
		}
		return p
	}
	ids := func(p *workflow.RFIPage) []truce.RFIID {
		var out []truce.RFIID
		for _, r := range p.RFIs {
			out = append(out, r.ID)
		}
		return out
	}
	eq := func(got []truce.RFIID, want ...*workflow.RFIView) bool {
		if len(got) != len(want) {
			return false
		}
		for i := range got {
			if got[i] != want[i].ID {
				return false
			}
		}
		return true
	}
	for _, m := range []*truce.Member{ru, irMon, un} {
		p := list(m, workflow.RFIQuery{State: "overdue"})
		if !eq(ids(p), e, c, a) {
			t.Errorf("overdue as %s %s = %v, want %v (newest first)", m.Organisation, m.Role, ids(p), []truce.RFIID{e.ID, c.ID, a.ID})
		}
		if len(p.ByOrganisation) != 2 || p.ByOrganisation["SYG"] != 2 || p.ByOrganisation["OPP"] != 1 {
			t.Errorf("overdue by organisation = %v, want SYG 2, OPP 1", p.ByOrganisation)
		}
		for _, r := range p.RFIs {
			if r.State != truce.RFIOverdue {
				t.Errorf("overdue listing holds %s in state %s", r.ID, r.State)
			}
		}
		if p := list(m, workflow.RFIQuery{State: "open"}); !eq(ids(p), d) {
			t.Errorf("open = %v, want [%s]", ids(p), d.ID)
		}
		if p := list(m, workflow.RFIQuery{State: "answered"}); !eq(ids(p), b) || p.ByOrganisation["IR"] != 1 {
			t.Errorf("answered = %v by %v, want [%s] by IR", ids(p), p.ByOrganisation, b.ID)
		}
		if p := list(m, workflow.RFIQuery{Organisation: "SYG"}); !eq(ids(p), e, d, a) {
			t.Errorf("to SYG = %v, want %v", ids(p), []truce.RFIID{e.ID, d.ID, a.ID})
		}
		if p := list(m, workflow.RFIQuery{From: "TR"}); !eq(ids(p), e, c) {
			t.Errorf("from TR = %v, want %v", ids(p), []truce.RFIID{e.ID, c.ID})
		}
		if p := list(m, workflow.RFIQuery{Report: string(v.ID)}); len(p.RFIs) != len(all) {
			t.Errorf("about report %s: %d requests, want %d", v.ID, len(p.RFIs), len(all))
		}
	}
	// A party sees only what is addressed to it.
	if p := list(syg, workflow.RFIQuery{State: "overdue"}); !eq(ids(p), e, a) || len(p.ByOrganisation) != 1 || p.ByOrganisation["SYG"] != 2 {
		t.Errorf("overdue as SYG = %v by %v, want [%s %s] by SYG 2", ids(p), p.ByOrganisation, e.ID, a.ID)
	}
	if p := list(syg, workflow.RFIQuery{Organisation: "OPP"}); len(p.RFIs) != 0 {
		t.Errorf("SYG asking for OPP's requests gets %v, want none", ids(p))
	}
	if p := list(opp, workflow.RFIQuery{}); !eq(ids(p), c) {
		t.Errorf("all as OPP = %v, want [%s]", ids(p), c.ID)
	}
	if p := list(jai, workflow.RFIQuery{}); len(p.RFIs) != 0 {
		t.Errorf("all as JAI = %v, want none", ids(p))
	}
	for _, r := range []*workflow.RFIView{a, b, d, e} {
		_, hidden := svc.RFI(ftCtx, opp, r.ID)
		_, missing := svc.RFI(ftCtx, opp, "rfi_aaaaaaaaaaaaaaaa")
		ftSameNotFound(t, "RFI(another party's request)", hidden, string(r.ID), missing, "rfi_aaaaaaaaaaaaaaaa")
	}
	// The operator reads no correspondence, nor does a monitor who is not
	// a guarantor's.
	unMon := mustMember(t, svc, op, "UN", truce.RoleMonitor)
	for _, m := range []*truce.Member{op, unMon} {
		_, err = svc.ListRFIs(ftCtx, m, workflow.RFIQuery{})
		ftWantCode(t, "ListRFIs by a "+string(m.Role)+" of "+string(m.Organisation), err, truce.EFORBIDDEN)
		_, err = svc.RFI(ftCtx, m, a.ID)
		ftWantCode(t, "RFI by a "+string(m.Role)+" of "+string(m.Organisation), err, truce.EFORBIDDEN)
	}
	_, err = svc.ListRFIs(ftCtx, nil, workflow.RFIQuery{})
	ftWantCode(t, "ListRFIs by nobody", err, truce.EUNAUTHORIZED)
	for _, q := range []struct {
		q     workflow.RFIQuery
		field string
	}{
		{workflow.RFIQuery{State: "late"}, "state"},
		{workflow.RFIQuery{Limit: "0"}, "limit"},
		{workflow.RFIQuery{Limit: "201"}, "limit"},
		{workflow.RFIQuery{Cursor: "abc"}, "cursor"},
		{workflow.RFIQuery{Cursor: "-4"}, "cursor"},
		{workflow.RFIQuery{Organisation: "XX"}, "organisation"},
		{workflow.RFIQuery{From: "nobody"}, "from"},
		{workflow.RFIQuery{Report: "rpt"}, "report"},
	} {
		_, err := svc.ListRFIs(ftCtx, un, q.q)
		ftWantField(t, "ListRFIs(bad query)", err, q.field)
	}

	// Paging visits each request once, newest first.
	seen := map[truce.RFIID]int{}
	var order []truce.RFIID
	cursor := ""
	for page := 0; ; page++ {
		if page > len(all) {
			t.Fatalf("paging did not end after %d pages", page)
		}
		p := list(un, workflow.RFIQuery{Limit: "2", Cursor: cursor})
		if len(p.RFIs) > 2 {
			t.Fatalf("page of %d requests, limit 2", len(p.RFIs))
		}
		for _, r := range p.RFIs {
			seen[r.ID]++
			order = append(order, r.ID)
		}
		if p.Next == "" {
			break
		}
		cursor = p.Next
	}
	if len(order) != len(all) {
		t.Errorf("paging visited %v, want each of %d requests once", order, len(all))
	}
	for i, r := range all {
		if seen[r.ID] != 1 {
			t.Errorf("paging visited %s %d times, want once", r.ID, seen[r.ID])
		}
		if j := len(all) - 1 - i; j < len(order) && order[j] != r.ID {
			t.Errorf("paging order %v, want newest first", order)
			break
		}
	}

	// Overdue requests may still be answered, and then are answered.
	if r, err := svc.AnswerRFI(ftCtx, opp, c.ID, answer); err != nil || r.State != truce.RFIAnswered {
		t.Errorf("late AnswerRFI by OPP = %+v, %v; want answered", r, err)
	}
	if r, err := svc.AnswerRFI(ftCtx, syg, a.ID, answer); err != nil || r.State != truce.RFIAnswered {
		t.Errorf("late AnswerRFI by SYG = %+v, %v; want answered", r, err)
	}
	if p := list(un, workflow.RFIQuery{State: "overdue"}); !eq(ids(p), e) || p.ByOrganisation["SYG"] != 1 || p.ByOrganisation["OPP"] != 0 {
		t.Errorf("overdue after late answers = %v by %v, want [%s] by SYG 1", ids(p), p.ByOrganisation, e.ID)
	}
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}
