package workflow_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/workflow"
)

func ftNewGroup(id truce.ActorID, en, ar string, aliases ...string) *truce.Actor {
	return &truce.Actor{ID: id, Kind: truce.KindRebelGroup, Names: map[string]string{"en": en, "ar": ar}, Aliases: aliases}
}

func ftAgreement(tb testing.TB, svc *workflow.Service) *truce.Agreement {
	tb.Helper()
	a, err := svc.Agreement(ftCtx)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// TestFtAccessions records settlements and groups joining through their
// guarantors: a new group becomes a party that reports can name, an
// actor the agreement names as "other" can join, and the totals to a date
// count only what had joined by then. The agreement, changed by the
// accessions, replays identically.
func TestFtAccessions(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	tr := mustMember(t, svc, op, "TR", truce.RoleGuarantor)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)

	settlement, err := svc.RecordAccession(ftCtx, ru, &truce.AccessionInput{
		Kind: truce.AccessionSettlement, PCode: "C1234", Name: "Kafr Nabl", Date: "2017-02-01",
		Evidence: []string{strings.Repeat("AB", 32)}, Note: "Reconciliation agreement signed at the town council.",
	})
	if err != nil {
		t.Fatalf("RecordAccession(settlement) = %v", err)
	}
	if !settlement.ID.Valid() || settlement.Kind != truce.AccessionSettlement || settlement.PCode != "C1234" || settlement.Name != "Kafr Nabl" ||
		settlement.Guarantor != "RU" || settlement.Member != ru.ID || settlement.Date != "2017-02-01" || settlement.Actor != "" {
		t.Errorf("settlement = %+v, want C1234 Kafr Nabl through RU on 2017-02-01", settlement)
	}
	if len(settlement.Evidence) != 1 || settlement.Evidence[0] != strings.Repeat("ab", 32) {
		t.Errorf("settlement evidence = %q, want the hash in lower case", settlement.Evidence)
	}

	group, err := svc.RecordAccession(ftCtx, tr, &truce.AccessionInput{
		Kind: truce.AccessionGroup, Date: "2017-03-15",
		Actor: ftNewGroup("LWT", "Liwa al-Tawhid al-Jadid", "لواء التوحيد الجديد", "New Tawhid Brigade"),
	})
	if err != nil {
		t.Fatalf("RecordAccession(new group) = %v", err)
	}
	if group.Kind != truce.AccessionGroup || group.Actor != "LWT" || group.Name != "Liwa al-Tawhid al-Jadid" || group.Guarantor != "TR" || group.Member != tr.ID {
		t.Errorf("group accession = %+v, want LWT through TR", group)
	}
	checkParty := func(stage string, id truce.ActorID, g truce.ActorID, since string) {
		t.Helper()
		x := ftAgreement(t, svc).Actor(id)
		if x == nil || x.Standing != truce.Party || !slices.Equal(x.Guarantors, []truce.ActorID{g}) || x.Since != since {
			t.Errorf("%s: actor %s = %+v, want a party answered for by %s since %s", stage, id, x, g, since)
		}
	}
	checkParty("after accession", "LWT", "TR", "2017-03-15")
	if x := ftAgreement(t, svc).Actor("LWT"); x != nil && (x.Kind != truce.KindRebelGroup || x.ACLEDInter != 2) {
		t.Errorf("new group kind %s, ACLED type %d; want rebel_group, 2", x.Kind, x.ACLEDInter)
	}
	for _, name := range []string{"New Tawhid Brigade", "new tawhid brigade", "لواء التوحيد الجديد", "LWT"} {
		v, err := svc.FileReport(ftCtx, opp, ftReport(0, name))
		if err != nil || v.Perpetrator != "LWT" {
			t.Errorf("FileReport(perpetrator %q) = %v, %v; want LWT", name, v, err)
		}
	}
	// The new party has a liaison, who may reply to allegations.
	lwt := mustMember(t, svc, op, "LWT", truce.RoleParty)
	v, err := svc.FileReport(ftCtx, opp, ftReport(1, "New Tawhid Brigade"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Reply(ftCtx, lwt, v.ID, &truce.ReplyInput{Text: "Not our unit."}); err != nil {
		t.Errorf("Reply by the new party = %v", err)
	}

	// An actor the agreement names as other joins by its id.
	sdf, err := svc.RecordAccession(ftCtx, tr, &truce.AccessionInput{Kind: truce.AccessionGroup, ActorID: "SDF", Date: "2017-04-01"})
	if err != nil {
		t.Fatalf("RecordAccession(SDF) = %v", err)
	}
	if sdf.Actor != "SDF" || sdf.Name != "Syrian Democratic Forces" {
		t.Errorf("SDF accession = %+v, want actor SDF named Syrian Democratic Forces", sdf)
	}
	checkParty("after SDF's accession", "SDF", "TR", "2017-04-01")
	if id, ok := ftAgreement(t, svc).ResolveActor("YPG"); !ok || id != "SDF" {
		t.Errorf("ResolveActor(YPG) = %s, %v; want SDF, its aliases kept", id, ok)
	}

	for _, tc := range []struct {
		at                  string
		groups, settlements int
	}{
		{"2017-01-31", 0, 0},
		{"2017-02-01", 0, 1},
		{"2017-03-14", 0, 1},
		{"2017-03-15", 1, 1},
		{"2017-04-01", 2, 1},
		{"", 2, 1},
	} {
		got, err := svc.Accessions(ftCtx, tc.at)
		if err != nil {
			t.Fatalf("Accessions(%q) = %v", tc.at, err)
		}
		if got.Groups != tc.groups || got.Settlements != tc.settlements || len(got.Accessions) != tc.groups+tc.settlements {
			t.Errorf("Accessions(%q) = %d groups, %d settlements, %d listed; want %d, %d", tc.at, got.Groups, got.Settlements, len(got.Accessions), tc.groups, tc.settlements)
		}
		for _, x := range got.Accessions {
			if tc.at != "" && x.Date > tc.at {
				t.Errorf("Accessions(%q) lists %s of %s", tc.at, x.ID, x.Date)
			}
		}
		if want := tc.at; want != "" && got.At != want {
			t.Errorf("Accessions(%q).At = %q", tc.at, got.At)
		}
	}
	if got, _ := svc.Accessions(ftCtx, ""); got != nil && got.At != time.Now().UTC().Format(time.DateOnly) {
		t.Errorf("Accessions(\"\").At = %q, want today", got.At)
	}
	for _, at := range []string{"2017-4-1", "01/04/2017", "2017-04-01T00:00:00Z", "yesterday"} {
		_, err := svc.Accessions(ftCtx, at)
		ftWantField(t, "Accessions("+at+")", err, "at")
	}

	mustVerify(t, svc)
	ftRebuildSame(t, svc)
	checkParty("after rebuild", "LWT", "TR", "2017-03-15")
	checkParty("after rebuild", "SDF", "TR", "2017-04-01")
	if v, err := svc.FileReport(ftCtx, opp, ftReport(2, "Liwa al-Tawhid al-Jadid")); err != nil || v.Perpetrator != "LWT" {
		t.Errorf("FileReport(new group) after rebuild = %v, %v; want LWT", v, err)
	}
	mustVerify(t, svc)
}

// TestFtAccessionRefused runs the rules of accession: who may record one,
// which actors may join, names that must not collide, and dates.
func TestFtAccessionRefused(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	group := func(a *truce.Actor) *truce.AccessionInput {
		return &truce.AccessionInput{Kind: truce.AccessionGroup, Actor: a, Date: "2017-03-15"}
	}
	tomorrow := time.Now().UTC().Add(24 * time.Hour).Format(time.DateOnly)
	before := ftLogSize(t, svc)
	for _, tc := range []struct {
		name  string
		in    *truce.AccessionInput
		field string // the field, or its prefix when it ends in "*"
	}{
		{"no kind", &truce.AccessionInput{Date: "2017-03-15"}, "kind"},
		{"unknown kind", &truce.AccessionInput{Kind: "town", Date: "2017-03-15"}, "kind"},
		{"party joins again", &truce.AccessionInput{Kind: truce.AccessionGroup, ActorID: "FLS", Date: "2017-03-15"}, "actor_id"},
		{"government joins", &truce.AccessionInput{Kind: truce.AccessionGroup, ActorID: "SYG", Date: "2017-03-15"}, "actor_id"},
		{"excluded joins", &truce.AccessionInput{Kind: truce.AccessionGroup, ActorID: "JFS", Date: "2017-03-15"}, "actor_id"},
		{"guarantor joins", &truce.AccessionInput{Kind: truce.AccessionGroup, ActorID: "TR", Date: "2017-03-15"}, "actor_id"},
		{"observer joins", &truce.AccessionInput{Kind: truce.AccessionGroup, ActorID: "UN", Date: "2017-03-15"}, "actor_id"},
		{"unknown actor", &truce.AccessionInput{Kind: truce.AccessionGroup, ActorID: "XYZ", Date: "2017-03-15"}, "actor_id"},
		{"both id and actor", &truce.AccessionInput{Kind: truce.AccessionGroup, ActorID: "SDF", Actor: ftNewGroup("NEW", "New", "جديد"), Date: "2017-03-15"}, "actor"},
		{"neither id nor actor", &truce.AccessionInput{Kind: truce.AccessionGroup, Date: "2017-03-15"}, "actor"},
		{"group with a P-code", &truce.AccessionInput{Kind: truce.AccessionGroup, ActorID: "SDF", PCode: "C1234", Date: "2017-03-15"}, "pcode"},
		{"name of another actor", group(ftNewGroup("NEW", "Jabhat al-Nusra", "جديد")), "actor*"},
		{"name of another actor, folded", group(ftNewGroup("NEW", "JABHAT AL NUSRA", "جديد")), "actor*"},
		{"Arabic name of another actor", group(ftNewGroup("NEW", "New group", "جبهة النصرة")), "actor*"},
		{"alias of another actor", group(ftNewGroup("NEW", "New group", "جديد", "HTS")), "actor*"},
		{"id of a guarantor", group(ftNewGroup("RU", "Russian Volunteers", "متطوعون روس")), "actor*"},
		{"malformed id", group(ftNewGroup("new", "New group", "جديد")), "actor*"},
		{"no Arabic name", group(&truce.Actor{ID: "NEW", Kind: truce.KindRebelGroup, Names: map[string]string{"en": "New group"}}), "actor*"},
		{"kind of a designated group", group(&truce.Actor{ID: "NEW", Kind: truce.KindDesignatedGroup, Names: map[string]string{"en": "New group", "ar": "جديد"}}), "actor*"},
		{"settlement naming an actor", &truce.AccessionInput{Kind: truce.AccessionSettlement, ActorID: "SDF", PCode: "C1234", Name: "Kafr Nabl", Date: "2017-03-15"}, "actor"},
		{"settlement without P-code", &truce.AccessionInput{Kind: truce.AccessionSettlement, Name: "Kafr Nabl", Date: "2017-03-15"}, "pcode"},
		{"P-code of a governorate", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "SY07", Name: "Idlib", Date: "2017-03-15"}, "pcode"},
		{"P-code too short", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C123", Name: "Kafr Nabl", Date: "2017-03-15"}, "pcode"},
		{"P-code too long", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C123456", Name: "Kafr Nabl", Date: "2017-03-15"}, "pcode"},
		{"P-code lower case", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "c1234", Name: "Kafr Nabl", Date: "2017-03-15"}, "pcode"},
		{"settlement without name", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C1234", Date: "2017-03-15"}, "name"},
		{"settlement name of two lines", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C1234", Name: "Kafr\nNabl", Date: "2017-03-15"}, "name"},
		{"no date", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C1234", Name: "Kafr Nabl"}, "date"},
		{"date with time", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C1234", Name: "Kafr Nabl", Date: "2017-03-15T00:00:00Z"}, "date"},
		{"date long before the agreement", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C1234", Name: "Kafr Nabl", Date: "2016-06-01"}, "date"},
		{"date in the future", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C1234", Name: "Kafr Nabl", Date: tomorrow}, "date"},
		{"too much evidence", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C1234", Name: "Kafr Nabl", Date: "2017-03-15", Evidence: make([]string, truce.MaxSources+1)}, "evidence"},
		{"empty evidence", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C1234", Name: "Kafr Nabl", Date: "2017-03-15", Evidence: []string{""}}, "evidence"},
		{"note too long", &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C1234", Name: "Kafr Nabl", Date: "2017-03-15", Note: strings.Repeat("n", truce.MaxReason+1)}, "note"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.RecordAccession(ftCtx, ru, tc.in)
			field := truce.ErrorField(err)
			ok := truce.ErrorCode(err) == truce.EINVALID && field == tc.field
			if p, wild := strings.CutSuffix(tc.field, "*"); wild {
				ok = truce.ErrorCode(err) == truce.EINVALID && (field == p || strings.HasPrefix(field, p+"."))
			}
			if !ok {
				t.Errorf("RecordAccession(%s) = %v (field %q), want %s about %s", tc.name, err, field, truce.EINVALID, tc.field)
			}
		})
	}
	ftWantGrowth(t, svc, "refused accessions", before, 0)
	a := ftAgreement(t, svc)
	for id, want := range map[truce.ActorID]truce.Standing{"JFS": truce.Excluded, "SYG": truce.Party, "RU": truce.Guarantor, "SDF": truce.Other} {
		if x := a.Actor(id); x == nil || x.Standing != want {
			t.Errorf("after refused accessions, actor %s is %+v, want a %s", id, x, want)
		}
	}

	// Roles that may not record.
	for _, m := range []*truce.Member{
		mustMember(t, svc, op, "SYG", truce.RoleParty), mustMember(t, svc, op, "TR", truce.RoleMonitor),
		mustMember(t, svc, op, "UN", truce.RoleObserver), mustMember(t, svc, op, "US", truce.RoleObserver), op,
	} {
		_, err := svc.RecordAccession(ftCtx, m, &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C1234", Name: "Kafr Nabl", Date: "2017-03-15"})
		ftWantCode(t, "RecordAccession by a "+string(m.Role)+" of "+string(m.Organisation), err, truce.EFORBIDDEN)
	}
	_, err := svc.RecordAccession(ftCtx, nil, &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C1234", Name: "Kafr Nabl", Date: "2017-03-15"})
	ftWantCode(t, "RecordAccession by nobody", err, truce.EUNAUTHORIZED)

	// A group that joined may not join again by its id.
	if _, err := svc.RecordAccession(ftCtx, ru, group(ftNewGroup("NEW", "New group", "جديد"))); err != nil {
		t.Fatalf("RecordAccession(new group) = %v", err)
	}
	_, err = svc.RecordAccession(ftCtx, ru, &truce.AccessionInput{Kind: truce.AccessionGroup, ActorID: "NEW", Date: "2017-03-16"})
	ftWantField(t, "RecordAccession(NEW again by id)", err, "actor_id")
	// (Joining again as a new actor under the same id is the bug that
	// TestFtAccessionActorIDTaken shows.)
	mustVerify(t, svc)
}

// TestFtAccessionDateBeforeAgreement records an accession dated the day
// before the agreement took effect (30 December 2016, Damascus time):
// it must be refused, as the error message itself says.
func TestFtAccessionDateBeforeAgreement(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	in := &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C1234", Name: "Kafr Nabl", Date: "2016-12-30"}
	if _, err := svc.RecordAccession(ftCtx, ru, in); err != nil {
		t.Fatalf("RecordAccession(on the agreement's first day) = %v, want it recorded", err)
	}
	in.Date = "2016-12-29"
	_, err := svc.RecordAccession(ftCtx, ru, in)
	if truce.ErrorField(err) != "date" {
		t.Errorf("BUG: RecordAccession(date 2016-12-29, before the agreement's effective 2016-12-30T00:00+02:00) = %v, want %s about date", err, truce.EINVALID)
	}
	mustVerify(t, svc)
}

// TestFtAccessionActorIDTaken describes a new group under the id of an
// actor the agreement already names. The group is new, so its id must be
// free: taking an existing id must be refused, not replace that actor
// (which would turn a designated group or the government into a new
// party, or an other actor into a party under new names).
func TestFtAccessionActorIDTaken(t *testing.T) {
	var bugs []string
	for _, id := range []truce.ActorID{"JFS", "ISIL", "SYG", "FLS", "SDF", "UN"} {
		svc, op := newService(t)
		ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
		was := *ftAgreement(t, svc).Actor(id)
		before := ftLogSize(t, svc)
		_, err := svc.RecordAccession(ftCtx, ru, &truce.AccessionInput{
			Kind: truce.AccessionGroup, Date: "2017-03-15",
			Actor: ftNewGroup(id, "Liwa "+string(id)+" al-Jadid", "لواء جديد "+string(id)),
		})
		if truce.ErrorCode(err) == truce.EINVALID && strings.HasPrefix(truce.ErrorField(err), "actor") {
			ftWantGrowth(t, svc, "refused accession", before, 0)
			continue
		}
		now := ftAgreement(t, svc).Actor(id)
		bugs = append(bugs, fmt.Sprintf("new actor with id %s = %v: %s (%s %q) became %s %q", id, err, id, was.Standing, was.Name(), now.Standing, now.Name()))
		mustVerify(t, svc)
	}
	if len(bugs) > 0 {
		t.Errorf("BUG: RecordAccession(kind group, actor with an id already taken) replaces the actor instead of refusing (want %s, field actor.id):\n%s",
			truce.EINVALID, strings.Join(bugs, "\n"))
	}
}
