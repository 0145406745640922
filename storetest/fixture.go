package storetest

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/internal/trucetest"
)

// Fixtures. Ids are valid; their letters run backwards while entries run
// forwards, so that primary-key order and entry order differ. Times carry
// nanoseconds and zones other than UTC: a store must keep the instant.

var (
	t0  = time.Date(2017, 1, 5, 12, 0, 0, 0, time.UTC)
	eet = time.FixedZone("EET", 2*60*60)
)

func memberID(i int) truce.MemberID {
	return truce.MemberID("mem_" + strings.Repeat(string(rune('z'-i)), 16))
}

func reportID(i int) truce.ReportID {
	return truce.ReportID("rpt_" + strings.Repeat(string(rune('z'-i)), 16))
}

// member returns member i, added in the given entry.
func member(i int, entry int64) *truce.Member {
	orgs := []truce.ActorID{"RU", "IR", "TR", "SYG", "JWG"}
	roles := []truce.Role{truce.RoleGuarantor, truce.RoleGuarantor, truce.RoleGuarantor, truce.RoleParty, truce.RoleOperator}
	return &truce.Member{
		ID:           memberID(i),
		Name:         []string{"Ivan Petrov", "علي رضا", "Ayşe Yılmaz", "Officer <4> & co", "Operator\u2028Two"}[i%5],
		Organisation: orgs[i%5],
		Role:         roles[i%5],
		AddedAt:      t0.Add(time.Duration(entry)*time.Minute + 123456789).In(eet),
		Entry:        entry,
	}
}

// report returns report i, filed in the given entry, with its state.
func report(i int, entry int64) (*truce.Report, truce.ReportState) {
	r := &truce.Report{
		ID:                 reportID(i),
		OccurredAt:         t0.Add(time.Duration(i)*time.Hour + 987654321).In(eet),
		Lon:                36.123456789012345 + float64(i)/7,
		Lat:                -(33.5 + float64(i)/3),
		EventType:          "Explosions/Remote violence",
		SubEventType:       "Shelling/artillery/missile attack",
		Perpetrator:        "SYG",
		PerpetratorAsGiven: "Syrian Arab Army",
		Description:        "Shelling near <the> \"bridge\" & road\nsecond line\u2028 — ünïcode",
		FiledAt:            t0.Add(time.Duration(entry)*time.Minute + 1),
		FiledBy:            memberID(i % 3),
		Organisation:       []truce.ActorID{"RU", "IR", "TR"}[i%3],
		Entry:              entry,
	}
	if i%2 == 1 {
		r.Perpetrator, r.PerpetratorAsGiven = "", ""
		r.Lat = 1e-7 // a number that JSON encoders write in exponent form
	}
	st := truce.ReportState{Deadline: r.FiledAt.Add(72 * time.Hour).In(eet), Open: truce.Pending, Closed: truce.Unilateral}
	return r, st
}

// assessment returns an assessment of report, made in the given entry.
func assessment(report truce.ReportID, by int, entry int64, verdict truce.Verdict) *truce.Assessment {
	m := member(by, 0)
	return &truce.Assessment{
		Report:       report,
		Verdict:      verdict,
		Reason:       "reason of entry " + string(rune('A'+entry%26)) + " <&>",
		Member:       m.ID,
		Organisation: m.Organisation,
		MadeAt:       t0.Add(time.Duration(entry)*time.Hour + 5).In(eet),
		Entry:        entry,
	}
}

// testAgreement is a small valid agreement (trucetest.Agreement).
func testAgreement() *truce.Agreement { return trucetest.Agreement() }

// The check helpers compare every field; times compare as instants (Equal),
// since a store need not keep a time's zone.

func checkMember(t *testing.T, what string, got, want *truce.Member) {
	t.Helper()
	g, w := *got, *want
	g.AddedAt, w.AddedAt = g.AddedAt.UTC(), w.AddedAt.UTC()
	if g != w {
		t.Errorf("%s = %+v, want %+v", what, g, w)
	}
}

func checkReport(t *testing.T, what string, got, want *truce.Report) {
	t.Helper()
	g, w := *got, *want
	g.OccurredAt, w.OccurredAt = g.OccurredAt.UTC(), w.OccurredAt.UTC()
	g.FiledAt, w.FiledAt = g.FiledAt.UTC(), w.FiledAt.UTC()
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s = %+v, want %+v", what, g, w)
	}
}

func checkState(t *testing.T, what string, got, want truce.ReportState) {
	t.Helper()
	if !got.Deadline.Equal(want.Deadline) || got.Open != want.Open || got.Closed != want.Closed {
		t.Errorf("%s state = {%s %s %s}, want {%s %s %s}", what,
			got.Deadline, got.Open, got.Closed, want.Deadline, want.Open, want.Closed)
	}
}

func checkAssessment(t *testing.T, what string, got, want *truce.Assessment) {
	t.Helper()
	g, w := *got, *want
	g.MadeAt, w.MadeAt = g.MadeAt.UTC(), w.MadeAt.UTC()
	if g != w {
		t.Errorf("%s = %+v, want %+v", what, g, w)
	}
}
