package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"truce"
	"truce/demo"
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

	d, opToken, err := initDataDir(ctx, dir, "astana-2017", "", "Demo operator", tick)
	if err != nil {
		return err
	}
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
	type action struct {
		at     time.Time
		report int
		assess *demo.FixtureAssessment
	}
	var script []action
	for i := range fx.Reports {
		r := &fx.Reports[i]
		filed := r.FiledAt(now)
		script = append(script, action{at: filed, report: i})
		for j := range r.Assessments {
			script = append(script, action{at: r.Assessments[j].MadeAt(filed), report: i, assess: &r.Assessments[j]})
		}
	}
	sort.SliceStable(script, func(i, j int) bool { return script[i].at.Before(script[j].at) })
	ids := make([]truce.ReportID, len(fx.Reports))
	for n, act := range script {
		clock = act.at
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

// writeJSONFile writes v as indented JSON, readable only by its owner.
func writeJSONFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}
