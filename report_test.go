package truce_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"truce"
)

func ptr(f float64) *float64 { return &f }

func validReport() truce.ReportInput {
	return truce.ReportInput{
		OccurredAt: "2017-01-05T14:30:00+02:00", Lon: ptr(36.63), Lat: ptr(35.93),
		EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack",
		Perpetrator: "Jabhat al-Nusra", Description: "Shelling of Kafr Nabl from the south.",
	}
}

func TestReportInputValidate(t *testing.T) {
	a := testAgreement()
	now := time.Date(2017, 1, 6, 0, 0, 0, 0, time.UTC)
	in := validReport()
	r, err := in.Validate(a, now)
	if err != nil {
		t.Fatalf("Validate(valid) = %v", err)
	}
	if r.Perpetrator != "JFS" || r.PerpetratorAsGiven != "Jabhat al-Nusra" {
		t.Errorf("perpetrator = %q as %q, want JFS as Jabhat al-Nusra", r.Perpetrator, r.PerpetratorAsGiven)
	}
	if !r.OccurredAt.Equal(time.Date(2017, 1, 5, 12, 30, 0, 0, time.UTC)) {
		t.Errorf("occurred_at = %v", r.OccurredAt)
	}
	lower := validReport()
	lower.EventType, lower.SubEventType = "battles", "armed CLASH"
	if r, err := lower.Validate(a, now); err != nil || r.EventType != "Battles" || r.SubEventType != "Armed clash" {
		t.Errorf("Validate(lower-case types) = %+v, %v; want canonical spelling", r, err)
	}
	unknown := validReport()
	unknown.Perpetrator = ""
	if r, err := unknown.Validate(a, now); err != nil || r.Perpetrator != "" {
		t.Errorf("Validate(no perpetrator) = %v, %v; want an unknown perpetrator", r, err)
	}

	for _, tc := range []struct {
		name  string
		edit  func(in *truce.ReportInput)
		field string
	}{
		{"no time", func(in *truce.ReportInput) { in.OccurredAt = "" }, "occurred_at"},
		{"date only", func(in *truce.ReportInput) { in.OccurredAt = "2017-01-05" }, "occurred_at"},
		{"future", func(in *truce.ReportInput) { in.OccurredAt = "2017-01-07T00:00:00Z" }, "occurred_at"},
		{"ancient", func(in *truce.ReportInput) { in.OccurredAt = "1999-12-31T00:00:00Z" }, "occurred_at"},
		{"no lon", func(in *truce.ReportInput) { in.Lon = nil }, "lon"},
		{"no lat", func(in *truce.ReportInput) { in.Lat = nil }, "lat"},
		{"lon out of range", func(in *truce.ReportInput) { in.Lon = ptr(181) }, "lon"},
		{"lat out of range", func(in *truce.ReportInput) { in.Lat = ptr(-90.5) }, "lat"},
		{"lat NaN", func(in *truce.ReportInput) { in.Lat = ptr(math.NaN()) }, "lat"},
		{"no event type", func(in *truce.ReportInput) { in.EventType = "" }, "event_type"},
		{"unknown event type", func(in *truce.ReportInput) { in.EventType = "Skirmish" }, "event_type"},
		{"sub-event of another type", func(in *truce.ReportInput) { in.SubEventType = "Armed clash" }, "sub_event_type"},
		{"unknown perpetrator", func(in *truce.ReportInput) { in.Perpetrator = "Martians" }, "perpetrator"},
		{"perpetrator too long", func(in *truce.ReportInput) { in.Perpetrator = strings.Repeat("x", 201) }, "perpetrator"},
		{"perpetrator with newline", func(in *truce.ReportInput) { in.Perpetrator = "JFS\nISIL" }, "perpetrator"},
		{"no description", func(in *truce.ReportInput) { in.Description = "" }, "description"},
		{"description too long", func(in *truce.ReportInput) { in.Description = strings.Repeat("ش", truce.MaxDescription+1) }, "description"},
		{"control character", func(in *truce.ReportInput) { in.Description = "bad\x00byte" }, "description"},
		{"invalid UTF-8", func(in *truce.ReportInput) { in.Description = "bad\xffbyte" }, "description"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := validReport()
			tc.edit(&in)
			_, err := in.Validate(a, now)
			if truce.ErrorCode(err) != truce.EINVALID || truce.ErrorField(err) != tc.field {
				t.Fatalf("Validate() = %v, want an invalid error about %s", err, tc.field)
			}
			if msg := truce.ErrorMessage(err); !strings.HasPrefix(msg, tc.field+": ") {
				t.Errorf("message %q does not start with the field name", msg)
			}
		})
	}
}

func TestAssessmentInputValidate(t *testing.T) {
	for _, tc := range []struct {
		in   truce.AssessmentInput
		want string // the error field, or "" for valid
	}{
		{truce.AssessmentInput{Verdict: truce.Confirm}, ""},
		{truce.AssessmentInput{Verdict: truce.Dispute, Reason: "Our post recorded no fire."}, ""},
		{truce.AssessmentInput{Verdict: truce.CannotVerify, Reason: "No post within range."}, ""},
		{truce.AssessmentInput{Verdict: truce.Dispute}, "reason"},
		{truce.AssessmentInput{Verdict: truce.CannotVerify}, "reason"},
		{truce.AssessmentInput{Verdict: "maybe"}, "verdict"},
		{truce.AssessmentInput{}, "verdict"},
		{truce.AssessmentInput{Verdict: truce.Confirm, Reason: strings.Repeat("a", truce.MaxReason+1)}, "reason"},
	} {
		err := tc.in.Validate()
		if got := truce.ErrorField(err); got != tc.want || (tc.want == "") != (err == nil) {
			t.Errorf("Validate(%+v) = %v, want field %q", tc.in, err, tc.want)
		}
	}
}

func TestValidateMember(t *testing.T) {
	a := testAgreement()
	for _, tc := range []struct {
		name string
		org  truce.ActorID
		role truce.Role
		want string
	}{
		{"officer", "RU", truce.RoleGuarantor, ""},
		{"guarantor monitor", "TR", truce.RoleMonitor, ""},
		{"UN expert", "UN", truce.RoleMonitor, ""},
		{"liaison", "SYG", truce.RoleParty, ""},
		{"observer", "UN", truce.RoleObserver, ""},
		{"operator", "JWG", truce.RoleOperator, ""},
		{"party as guarantor", "SYG", truce.RoleGuarantor, "role"},
		{"guarantor as party", "RU", truce.RoleParty, "role"},
		{"designated group", "JFS", truce.RoleParty, "role"},
		{"operator of a guarantor", "RU", truce.RoleOperator, "role"},
		{"public", "UN", truce.RolePublic, "role"},
		{"unknown role", "UN", "admin", "role"},
		{"unknown org", "XX", truce.RoleObserver, "organisation"},
	} {
		err := truce.ValidateMember(a, "A. Member", tc.org, tc.role)
		if got := truce.ErrorField(err); got != tc.want || (tc.want == "") != (err == nil) {
			t.Errorf("%s: ValidateMember(%s, %s) = %v, want field %q", tc.name, tc.org, tc.role, err, tc.want)
		}
	}
	if err := truce.ValidateMember(a, "", "RU", truce.RoleGuarantor); truce.ErrorField(err) != "name" {
		t.Errorf("ValidateMember(no name) = %v, want a name error", err)
	}
}

func TestDisclosure(t *testing.T) {
	a := testAgreement()
	for _, tc := range []struct {
		role          truce.Role
		org, owner    truce.ActorID
		lon, lat      float64
		ok            bool
		wantLon, wLat float64
	}{
		{truce.RoleGuarantor, "RU", "TR", 36.6347, 35.9321, true, 36.6347, 35.9321},
		{truce.RoleObserver, "US", "TR", 36.6347, 35.9321, true, 36.65, 35.95},
		{truce.RoleParty, "SYG", "TR", 36.6347, 35.9321, true, 36.635, 35.935},
		{truce.RoleParty, "SYG", "SYG", 36.6347, 35.9321, true, 36.6347, 35.9321}, // own report
		{truce.RoleObserver, "US", "TR", -0.05, -0.05, true, -0.05, -0.05},
		{truce.RolePublic, "", "TR", 36.6, 35.9, false, 0, 0},
	} {
		d := a.DisclosureFor(tc.role, tc.org, tc.owner)
		lon, lat, ok := d.Apply(tc.lon, tc.lat)
		if ok != tc.ok || math.Abs(lon-tc.wantLon) > 1e-9 || math.Abs(lat-tc.wLat) > 1e-9 {
			t.Errorf("%s of %s sees (%v, %v) of %s as (%v, %v, %v), want (%v, %v, %v)",
				tc.role, tc.org, tc.lon, tc.lat, tc.owner, lon, lat, ok, tc.wantLon, tc.wLat, tc.ok)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Jabhat Fateh al-Sham", "jabhatfatehalsham"},
		{"  JABHAT   fateh  AL SHAM ", "jabhatfatehalsham"},
		{"Ma'arrat An Nu'man", "maarratannuman"},
		{"Ḥayʼat Taḥrīr al-Shām", "hayattahriralsham"},
		{"جَبْهَة النُّصْرَة", "جبههالنصره"},
		{"أحرار الشام", "احرارالشام"},
		{"جيش الإسلام", "جيشالاسلام"},
		{"جیش الاسلام", "جيشالاسلام"},
		{"جبهـــة", "جبهه"},
		{"", ""},
	} {
		if got := truce.NormalizeName(tc.in); got != tc.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAgreementValidate(t *testing.T) {
	if err := testAgreement().Validate(); err != nil {
		t.Fatalf("Validate(test agreement) = %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(a *truce.Agreement)
		field string
	}{
		{"bad id", func(a *truce.Agreement) { a.ID = "Astana 2017" }, "id"},
		{"no Arabic name", func(a *truce.Agreement) { delete(a.Names, "ar") }, "names.ar"},
		{"unknown language", func(a *truce.Agreement) { a.Names["xx"] = "?" }, "names.xx"},
		{"no effective time", func(a *truce.Agreement) { a.Effective = time.Time{} }, "effective"},
		{"inverted area", func(a *truce.Agreement) { a.Area = [4]float64{42, 32, 35, 37} }, "area"},
		{"duplicate actor", func(a *truce.Agreement) { a.Actors[1].ID = "RU" }, "actors[1].id"},
		{"bad actor id", func(a *truce.Agreement) { a.Actors[0].ID = "ru" }, "actors[0].id"},
		{"colliding alias", func(a *truce.Agreement) { a.Actors[4].Aliases = []string{"Al Nusra Front"} }, "actors[5]"},
		{"party without guarantor", func(a *truce.Agreement) { a.Actors[4].Guarantors = nil }, "actors[4].guarantors"},
		{"party's guarantor not a guarantor", func(a *truce.Agreement) { a.Actors[4].Guarantors = []truce.ActorID{"UN"} }, "actors[4].guarantors[0]"},
		{"no guarantors", func(a *truce.Agreement) {
			for i := range a.Actors[:3] {
				a.Actors[i].Standing = truce.Other
			}
			a.Actors[3].Guarantors, a.Actors[4].Guarantors = nil, nil
			a.Actors[3].Standing, a.Actors[4].Standing = truce.Other, truce.Other
		}, "guarantors"},
		{"missing disclosure", func(a *truce.Agreement) { delete(a.Disclosure, truce.RolePublic) }, "disclosure.public"},
		{"coarse without grid", func(a *truce.Agreement) {
			a.Disclosure[truce.RoleObserver] = truce.Disclosure{Coordinates: truce.DiscloseCoarse}
		}, "disclosure.observer.grid"},
		{"bad rules", func(a *truce.Agreement) { a.Rules.Consensus = nil }, "rules.consensus"},
		{"impossible count", func(a *truce.Agreement) { a.Rules.Consensus[0].Confirm = ">=4" }, "rules.consensus[0].confirm"},
		{"designated group as a party", func(a *truce.Agreement) { a.Actors[4].Kind = truce.KindDesignatedGroup }, "actors[4].kind"},
		{"guarantor that is not a state", func(a *truce.Agreement) { a.Actors[0].Kind = truce.KindRebelGroup }, "actors[0].kind"},
		{"empty source", func(a *truce.Agreement) { a.Sources = []string{"ok", ""} }, "sources[1]"},
		{"long prohibited act", func(a *truce.Agreement) { a.ProhibitedActs = []string{strings.Repeat("x", 2001)} }, "prohibited_acts[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := testAgreement()
			tc.edit(a)
			if got := truce.ErrorField(a.Validate()); got != tc.field {
				t.Errorf("Validate() field = %q (%v), want %q", got, a.Validate(), tc.field)
			}
		})
	}
}

func TestResolveActor(t *testing.T) {
	a := testAgreement()
	for _, tc := range []struct {
		in   string
		want truce.ActorID
	}{
		{"JFS", "JFS"}, {"Jabhat al-Nusra", "JFS"}, {"al nusra front", "JFS"}, {"syrian arab army", "SYG"},
		{"Russia", "RU"}, {"Martians", ""}, {"", ""}, {"jfs", "JFS"},
	} {
		got, ok := a.ResolveActor(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("ResolveActor(%q) = %q, %v, want %q", tc.in, got, ok, tc.want)
		}
	}
}
