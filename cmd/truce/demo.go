package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"truce"
	"truce/demo"
	"truce/demo/controlmap"
	"truce/geo"
	"truce/workflow"
)

// demoToken is one line of demo-tokens.json.
type demoToken struct {
	Name         string        `json:"name"`
	Organisation truce.ActorID `json:"organisation"`
	Role         truce.Role    `json:"role"`
	Token        string        `json:"token"`
}

// seedDemo initialises dir with the Astana agreement and replays the demo
// fixture through the service with a simulated clock that ends now: members
// join first, then reports are filed and assessed at the times the fixture
// gives. It writes every member's token to demo-tokens.json.
func seedDemo(ctx context.Context, dir string, progress io.Writer) error {
	return seedDemoDB(ctx, dir, "", progress)
}

// seedDemoDB is seedDemo with the log in the PostgreSQL database dsn
// ("" for the directory's SQLite file).
func seedDemoDB(ctx context.Context, dir, dsn string, progress io.Writer) error {
	fx, err := demo.Load()
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	start := now
	for i := range fx.Reports {
		if t := fx.Reports[i].FiledAt(now); t.Before(start) {
			start = t
		}
	}
	clock := start.Add(-time.Hour)
	tick := func() time.Time { return clock }

	d, opToken, err := initDataDir(ctx, dir, dsn, "astana-2017", "", "Demo operator", tick)
	if err != nil {
		return err
	}
	unlock, err := d.lock()
	if err != nil {
		return err
	}
	defer unlock()
	svc, db, err := d.service(true)
	if err != nil {
		return err
	}
	defer db.Close()
	svc.Now = tick

	a, err := svc.Agreement(ctx)
	if err != nil {
		return err
	}
	ms, err := svc.Members(ctx, &truce.Member{Role: truce.RoleOperator})
	if err != nil {
		return err
	}
	operator := ms[0]
	tokens := []demoToken{{operator.Name, operator.Organisation, operator.Role, opToken}}
	members := map[demo.Filer]*truce.Member{}
	add := func(x *truce.Actor, role truce.Role, title string) error {
		m, tok, err := svc.AddMember(ctx, operator, x.Name()+" "+title, x.ID, role)
		if err != nil {
			return err
		}
		members[demo.Filer{Organisation: x.ID, Role: role}] = m
		tokens = append(tokens, demoToken{m.Name, m.Organisation, m.Role, tok})
		return nil
	}
	clock = start.Add(-30 * time.Minute)
	for i := range a.Actors {
		x := &a.Actors[i]
		var err error
		switch x.Standing {
		case truce.Guarantor:
			if err = add(x, truce.RoleGuarantor, "guarantor officer"); err == nil {
				err = add(x, truce.RoleMonitor, "monitor")
			}
		case truce.Party:
			err = add(x, truce.RoleParty, "liaison")
		case truce.Observer:
			if err = add(x, truce.RoleObserver, "observer"); err == nil && x.Kind == truce.KindObserverBody {
				err = add(x, truce.RoleMonitor, "technical expert")
			}
		}
		if err != nil {
			return err
		}
	}

	// The script, in time order: each report is filed, then assessed.
	var script []action
	for i := range fx.Reports {
		r := &fx.Reports[i]
		filed := r.FiledAt(now)
		script = append(script, action{at: filed, report: i})
		for j := range r.Assessments {
			script = append(script, action{at: r.Assessments[j].MadeAt(filed), report: i, assess: &r.Assessments[j]})
		}
	}
	ids := make([]truce.ReportID, len(fx.Reports))
	script = append(script, bodyActions(ctx, svc, fx, now, ids, members)...)
	mapActs, err := mapActions(ctx, svc, a, start, now, members)
	if err != nil {
		return err
	}
	script = append(script, mapActs...)
	sort.SliceStable(script, func(i, j int) bool { return script[i].at.Before(script[j].at) })
	for n, act := range script {
		clock = act.at
		if act.do != nil {
			if err := act.do(); err != nil {
				return fmt.Errorf("demo at %s: %w", act.at.Format(time.RFC3339), err)
			}
			continue
		}
		r := &fx.Reports[act.report]
		if act.assess == nil {
			m := members[r.Filer]
			if m == nil {
				return fmt.Errorf("report %d (UCDP %d): no demo member is a %s of %s", act.report, r.UCDPID, r.Filer.Role, r.Filer.Organisation)
			}
			in := r.Report
			v, err := svc.FileReport(ctx, m, &in)
			if err != nil {
				return fmt.Errorf("report %d (UCDP %d): %w", act.report, r.UCDPID, err)
			}
			ids[act.report] = v.ID
		} else {
			m := members[demo.Filer{Organisation: act.assess.Organisation, Role: truce.RoleGuarantor}]
			in := truce.AssessmentInput{Verdict: act.assess.Verdict, Reason: act.assess.Reason}
			if _, err := svc.Assess(ctx, m, ids[act.report], &in); err != nil {
				return fmt.Errorf("report %d (UCDP %d): assessment by %s: %w", act.report, r.UCDPID, act.assess.Organisation, err)
			}
		}
		if n%10 == 9 {
			if _, err := svc.IssueCheckpoint(ctx); err != nil {
				return err
			}
		}
	}
	clock = now
	if _, err := svc.IssueCheckpoint(ctx); err != nil {
		return err
	}

	// The demo is only useful if it shows what it means to show.
	viewer := members[demo.Filer{Organisation: "RU", Role: truce.RoleGuarantor}]
	for i, id := range ids {
		v, err := svc.Report(ctx, viewer, id)
		if err != nil {
			return err
		}
		if want := fx.Reports[i].Expect; v.Consensus != want {
			return fmt.Errorf("report %d (UCDP %d): consensus %s, the fixture expects %s", i, fx.Reports[i].UCDPID, v.Consensus, want)
		}
	}
	if err := writeJSONFile(d.file(demoTokensFile), map[string]any{"members": tokens}); err != nil {
		return err
	}
	fmt.Fprintf(stderrOr(progress), "demo: seeded %s with %d members and %d reports; tokens in %s\n",
		dir, len(tokens), len(ids), d.file(demoTokensFile))
	return nil
}

// action is one step of the demo's script: a report filed, an assessment
// made, or (do) anything else the joint body does.
type action struct {
	at     time.Time
	report int
	assess *demo.FixtureAssessment
	do     func() error
}

// bodyActions are what the joint body does around the reports, so that
// the demo shows it: requests for information (answered, open, overdue),
// an accused party's reply, a meeting held and minuted and one convened,
// and settlements that joined the truce through Russia (the villages of
// Wadi Barada, reconciled at the end of January 2017).
func bodyActions(ctx context.Context, svc *workflow.Service, fx *demo.Fixture, now time.Time, ids []truce.ReportID, members map[demo.Filer]*truce.Member) []action {
	day := 24 * time.Hour
	at := func(days float64) time.Time { return now.Add(time.Duration(days * float64(day))) }
	officer := func(org truce.ActorID) *truce.Member {
		return members[demo.Filer{Organisation: org, Role: truce.RoleGuarantor}]
	}
	liaison := func(org truce.ActorID) *truce.Member {
		return members[demo.Filer{Organisation: org, Role: truce.RoleParty}]
	}
	// pick returns the first report accusing perpetrator, filed before t.
	pick := func(perpetrator string, t time.Time, skip int) int {
		for i := range fx.Reports {
			if fx.Reports[i].Report.Perpetrator == perpetrator && fx.Reports[i].FiledAt(now).Before(t) {
				if skip == 0 {
					return i
				}
				skip--
			}
		}
		return 0
	}
	rfi := func(days float64, from, to truce.ActorID, report int, question string, deadlineDays float64, answer string, answerDays float64) []action {
		var id truce.RFIID
		acts := []action{{at: at(days), do: func() error {
			v, err := svc.SendRFI(ctx, officer(from), &truce.RFIInput{
				Report: ids[report], To: to, Question: question, Deadline: at(deadlineDays).Format(time.RFC3339),
			})
			if err == nil {
				id = v.ID
			}
			return err
		}}}
		if answer != "" {
			acts = append(acts, action{at: at(answerDays), do: func() error {
				_, err := svc.AnswerRFI(ctx, liaison(to), id, &truce.AnswerInput{Text: answer})
				return err
			}})
		}
		return acts
	}
	var acts []action
	acts = append(acts, rfi(-10, "TR", "SYG", pick("SYG", at(-10), 0),
		"Which units fired from the positions north of the town on the day reported, and on what targets?", -7, "", 0)...)
	acts = append(acts, rfi(-9, "TR", "SYG", pick("SYG", at(-9), 1),
		"Please state whether government aircraft operated over the area on that day.", -2,
		"No sorties were flown over the area on that day; the flight log is available to the guarantors.", -6)...)
	acts = append(acts, rfi(-3, "RU", "OPP", pick("OPP", at(-3), 0),
		"Which group held the checkpoint from which the fire is alleged to have come?", 4, "", 0)...)
	acts = append(acts, action{at: at(-5), do: func() error {
		_, err := svc.Reply(ctx, liaison("SYG"), ids[pick("SYG", at(-5), 2)], &truce.ReplyInput{
			Text: "The army returned fire at a position of Jabhat al-Nusra, which the ceasefire does not cover.",
		})
		return err
	}})

	// A meeting requested, approved by all three, held and minuted.
	var held, next truce.MeetingID
	acts = append(acts,
		action{at: at(-13), do: func() error {
			m, err := svc.RequestMeeting(ctx, officer("RU"), &truce.MeetingInput{
				Date: at(-11).Format(time.RFC3339), Venue: "Astana",
				Agenda: truce.Agenda{Reports: []truce.ReportID{ids[pick("SYG", at(-13), 0)]}, Note: "Contested reports of the first week."},
			})
			if err == nil {
				held = m.ID
			}
			return err
		}},
		action{at: at(-12.8), do: func() error {
			_, err := svc.ApproveMeeting(ctx, officer("IR"), held, &workflow.ApprovalInput{Proposal: 1})
			return err
		}},
		action{at: at(-12.6), do: func() error {
			_, err := svc.ApproveMeeting(ctx, officer("TR"), held, &workflow.ApprovalInput{Proposal: 1})
			return err
		}},
		action{at: at(-10.9), do: func() error {
			_, err := svc.MinuteMeeting(ctx, officer("RU"), held, &truce.MinutesInput{
				Minutes: "The Joint Group examined the contested reports of the first week and agreed to investigate one on the ground.",
				Decisions: []truce.Decision{{Report: ids[pick("SYG", at(-13), 0)],
					Decision: "A joint patrol of the guarantors' monitors will visit the site and report within ten days."}},
			})
			return err
		}},
		// The next meeting: convened, not held yet.
		action{at: at(-1), do: func() error {
			m, err := svc.RequestMeeting(ctx, officer("TR"), &truce.MeetingInput{Date: at(6).Format(time.RFC3339), Venue: "Geneva"})
			if err == nil {
				next = m.ID
			}
			return err
		}},
		action{at: at(-0.8), do: func() error {
			_, err := svc.ProposeMeeting(ctx, officer("RU"), next, &truce.MeetingInput{Date: at(7).Format(time.RFC3339), Venue: "Astana"})
			return err
		}},
		action{at: at(-0.6), do: func() error {
			_, err := svc.ApproveMeeting(ctx, officer("TR"), next, &workflow.ApprovalInput{Proposal: 2})
			return err
		}},
		action{at: at(-0.5), do: func() error {
			_, err := svc.ApproveMeeting(ctx, officer("IR"), next, &workflow.ApprovalInput{Proposal: 2})
			return err
		}},
	)
	for i, s := range []struct{ pcode, name string }{
		{"C2447", "Ein Elfijeh"}, {"C2445", "Deir Qanun"}, {"C2444", "Deir Maqran"}, {"C2443", "Afra"},
	} {
		s := s
		acts = append(acts, action{at: at(-13.5 + float64(i)*0.01), do: func() error {
			_, err := svc.RecordAccession(ctx, officer("RU"), &truce.AccessionInput{
				Kind: truce.AccessionSettlement, PCode: s.pcode, Name: s.name, Date: "2017-01-29",
				Note: "Wadi Barada: reconciliation announced by the Russian Centre for Reconciliation.",
			})
			return err
		}})
	}
	return acts
}

// mapActions put the control map of mid-2017 on the agreed map: Russia's
// officer proposes its areas before the first report, Iran approves them
// at once and Turkey a week before the demo ends, so that the reports
// filed before are classified again, in the log, when the map changes.
// Around it, the positions of the designated groups the guarantors
// identified: claimed by Russia and confirmed by the others, but for one
// that Turkey disputes.
func mapActions(ctx context.Context, svc *workflow.Service, agreement *truce.Agreement, start, now time.Time, members map[demo.Filer]*truce.Member) ([]action, error) {
	areas, err := controlmap.Load()
	if err != nil {
		return nil, err
	}
	officer := func(org truce.ActorID) *truce.Member {
		return members[demo.Filer{Organisation: org, Role: truce.RoleGuarantor}]
	}
	var fs []*workflow.ZoneFeature
	name := func(id string) string {
		if x := agreement.Actor(truce.ActorID(id)); x != nil {
			return x.Name()
		}
		return id
	}
	for _, a := range areas {
		in := truce.ZoneInput{Kind: truce.ZoneControl, ValidFrom: controlmap.ValidFrom.Format(time.DateOnly)}
		if a.Controller != "" {
			in.Controller = truce.ActorID(a.Controller)
			in.Name = "Held by " + name(a.Controller) + ", July 2017"
		} else {
			var names []string
			for _, c := range a.ContestedBetween {
				in.ContestedBetween = append(in.ContestedBetween, truce.ActorID(c))
				names = append(names, name(c))
			}
			in.Name = "Mixed or contested: " + strings.Join(names, " and ") + ", July 2017"
		}
		fs = append(fs, &workflow.ZoneFeature{Type: "Feature", Properties: in, Geometry: geo.PolygonGeometry(geo.FromCoordinates(a.Polygon))})
	}
	var zones []truce.ZoneID
	approve := func(org truce.ActorID) func() error {
		return func() error {
			for _, id := range zones {
				if _, err := svc.ApproveZone(ctx, officer(org), id); err != nil {
					return fmt.Errorf("zone %s: approval by %s: %w", id, org, err)
				}
			}
			return nil
		}
	}
	day := 24 * time.Hour
	acts := []action{
		{at: start.Add(-20 * time.Minute), do: func() error {
			zs, err := svc.ProposeZones(ctx, officer("RU"), fs)
			for _, z := range zs {
				zones = append(zones, z.ID)
			}
			return err
		}},
		{at: start.Add(-19 * time.Minute), do: approve("RU")},
		{at: start.Add(-10 * time.Minute), do: approve("IR")},
		{at: now.Add(-7 * day), do: approve("TR")},
	}
	// Positions the guarantors identified, each a unit of a designated
	// group at a place it held in July 2017.
	for i, p := range []struct {
		actor      truce.ActorID
		lon, lat   float64
		radius     int
		what       string
		trDisputes bool
	}{
		{"JFS", 36.6339, 35.9306, 3000, "Hay'at Tahrir al-Sham headquarters in Idlib city", false},
		{"JFS", 36.3333, 35.8167, 1500, "Hay'at Tahrir al-Sham checkpoint at Jisr al-Shughur", true},
		{"ISIL", 38.9846, 35.9513, 5000, "ISIL garrison in Raqqa", false},
		{"ISIL", 40.1408, 35.3359, 2000, "ISIL positions in Deir ez-Zor city", false},
	} {
		var id truce.PositionID
		at := now.Add(-time.Duration(12-i) * day)
		acts = append(acts, action{at: at, do: func() error {
			lon, lat := p.lon, p.lat
			v, err := svc.ClaimPosition(ctx, officer("RU"), &truce.PositionInput{
				Actor: string(p.actor), Lon: &lon, Lat: &lat, RadiusM: p.radius,
				ObservedAt: controlmap.ValidFrom.Add(9 * day).Format(time.RFC3339), Description: p.what,
			})
			if err == nil {
				id = v.ID
			}
			return err
		}})
		for j, org := range []truce.ActorID{"IR", "TR"} {
			in := truce.AssessmentInput{Verdict: truce.Confirm}
			if org == "TR" && p.trDisputes {
				in = truce.AssessmentInput{Verdict: truce.Dispute, Reason: "The checkpoint is held by a group that joined the ceasefire, not by Hay'at Tahrir al-Sham."}
			}
			acts = append(acts, action{at: at.Add(time.Duration(j+1) * 3 * time.Hour), do: func() error {
				_, err := svc.AssessPosition(ctx, officer(org), id, &in)
				return err
			}})
		}
	}
	return acts, nil
}

// writeJSONFile writes v as indented JSON, readable only by its owner.
func writeJSONFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}
