package log

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"truce"
)

// TestAppendPayload holds the direct payload encoders to the general path:
// for every payload type they handle, with fields full and empty and with
// text that canonical JSON escapes, they must write what Canonical writes.
func TestAppendPayload(t *testing.T) {
	tricky := "Qu\"ote\\ <b>&</b> \u2028 \x01 tab\t line\nجبهة النصرة"
	occurred := time.Date(2017, 1, 5, 12, 30, 0, 250_000_000, time.UTC)
	for _, p := range []any{
		&truce.ReportFiled{ID: "rpt_aaaaaaaaaaaaaaaa", OccurredAt: occurred, Lon: 36.6347, Lat: -1e-7,
			EventType: "Battles", SubEventType: "Armed clash", Perpetrator: "JFS", PerpetratorAsGiven: tricky, Description: tricky},
		&truce.ReportFiled{ID: "rpt_bbbbbbbbbbbbbbbb", OccurredAt: occurred.In(time.FixedZone("", 7200)), Lon: 1e21, Lat: 0, Description: ""},
		&truce.ReportFiled{ID: "rpt_cccccccccccccccc", OccurredAt: occurred, TimePrecision: 2, GeoPrecision: 3, UncertaintyM: 2500,
			Place: tricky, Target: "SYG", TargetAsGiven: tricky, Description: "d"},
		&truce.ReportFiled{ID: "rpt_dddddddddddddddd", OccurredAt: occurred, Description: "d",
			Classification: &truce.Classification{ADM1: "SY07", ADM2: "SY0702", ADM3: "SY070201", Controller: "OPP", OnLine: true,
				Scope: truce.ScopeCovered, Zones: []truce.ZoneRef{{Zone: "zon_aaaaaaaaaaaaaaaa", Entry: 12}, {Zone: "zon_bbbbbbbbbbbbbbbb", Entry: 9}}}},
		&truce.ReportFiled{ID: "rpt_eeeeeeeeeeeeeeee", OccurredAt: occurred, Description: "d",
			Classification: &truce.Classification{ContestedBetween: []truce.ActorID{"JFS", "OPP"}, Positions: []truce.PositionID{"pos_aaaaaaaaaaaaaaaa"}, Scope: truce.ScopeExcluded}},
		&truce.ReportFiled{ID: "rpt_ffffffffffffffff", OccurredAt: occurred, Description: "d", Classification: &truce.Classification{Scope: truce.ScopeOutside}},
		&truce.AssessmentMade{Report: "rpt_aaaaaaaaaaaaaaaa", Verdict: truce.Dispute, Reason: tricky},
		&truce.AssessmentMade{Report: "rpt_aaaaaaaaaaaaaaaa", Verdict: truce.Confirm},
		&truce.MemberAdded{ID: "mem_aaaaaaaaaaaaaaaa", Name: tricky, Organisation: "RU", Role: truce.RoleGuarantor},
		&truce.MemberAdded{},
	} {
		got, ok := appendPayload(nil, p)
		if !ok {
			t.Fatalf("appendPayload(%T) did not handle it", p)
		}
		want, err := Canonical(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("appendPayload(%+v) =\n%s\nwant\n%s", p, got, want)
		}
	}
	for _, p := range []any{
		&truce.AgreementLoaded{},
		&truce.ReportFiled{Casualties: &truce.Casualties{}},
		&truce.ReportFiled{Fire: &truce.Fire{}},
		&truce.ReportFiled{Sources: []string{"x"}},
		&truce.ReportFiled{SourceIdentity: &truce.SealedRef{}},
	} {
		if _, ok := appendPayload(nil, p); ok {
			t.Errorf("appendPayload(%+v) handled it; it takes the general path", p)
		}
	}
	if _, ok := appendPayload(nil, &truce.AgreementLoaded{}); ok {
		t.Errorf("appendPayload handled an agreement, which it does not know")
	}
}

// TestAppendPayloadKnowsEveryField fails when a payload type gains a field:
// the direct encoder must be taught to write it.
func TestAppendPayloadKnowsEveryField(t *testing.T) {
	for typ, fields := range map[reflect.Type]int{
		reflect.TypeFor[truce.ReportFiled]():    21, // Origin takes the general path
		reflect.TypeFor[truce.Classification](): 9,
		reflect.TypeFor[truce.AssessmentMade](): 3,
		reflect.TypeFor[truce.MemberAdded]():    4,
	} {
		if n := typ.NumField(); n != fields {
			t.Errorf("%s has %d fields; appendPayload writes %d: teach it the new ones", typ, n, fields)
		}
	}
}

// TestEncodeAuthor holds the hand-written envelope to the general encoding
// for every author field, so that a field added to truce.Author cannot be
// left out of the entry.
func TestEncodeAuthor(t *testing.T) {
	for _, a := range []*truce.Author{
		{Member: "mem_aaaaaaaaaaaaaaaa", Organisation: "RU", Role: truce.RoleGuarantor, Attestation: truce.AttestedByServer},
		{Member: "mem_aaaaaaaaaaaaaaaa", Organisation: "RU", Role: truce.RoleGuarantor, Attestation: truce.AttestedBySignature,
			Key: "67c4a256", Note: "0f0e0d0c0b0a09080706050403020100000102030405060708090a0b0c0d0e0f"},
	} {
		e := &truce.Entry{Index: 7, Kind: truce.EntryReplyMade, Time: time.Date(2017, 1, 5, 0, 0, 0, 0, time.UTC), Author: a, Payload: []byte(`{"x":1}`)}
		got, err := EncodeEntry(e)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Canonical(e)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[len(EntryHeader):], want) {
			t.Errorf("EncodeEntry(author %+v) =\n%s\nwant\n%s", a, got[len(EntryHeader):], want)
		}
	}
	if n := reflect.TypeFor[truce.Author]().NumField(); n != 6 {
		t.Errorf("truce.Author has %d fields; encode writes 6: teach it the new ones", n)
	}
}
