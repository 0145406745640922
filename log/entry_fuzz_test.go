package log_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"truce"
	tlog "truce/log"
)

// FuzzDecodeEntry checks that an entry that decodes is canonical (it
// encodes back to the same bytes, its payload is canonical JSON, its time
// is UTC), and that the payloads written by hand for speed are the bytes
// the general encoder writes for the same values.
func FuzzDecodeEntry(f *testing.F) {
	goldens, _ := filepath.Glob("testdata/entries/*.golden")
	for _, file := range goldens {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	at := time.Date(2017, 1, 5, 12, 0, 0, 1, time.UTC)
	for _, p := range []any{
		&truce.ReportFiled{ID: "rpt_dddddddddddddddd", OccurredAt: at, Lon: -0.5, Lat: 1e-7, EventType: "Battles",
			SubEventType: "Armed clash", Description: "\u2028<&>\x01", TimePrecision: 1, GeoPrecision: 3,
			Classification: &truce.Classification{Scope: "covered", ADM1: "SY07", Zones: []truce.ZoneRef{{Zone: "zon_a", Entry: 3}}, OnLine: true}},
		&truce.AssessmentMade{Report: "rpt_dddddddddddddddd", Verdict: truce.Dispute, Reason: "no"},
		&truce.MemberAdded{ID: "mem_bbbbbbbbbbbbbbbb", Name: "A. Officer", Organisation: "RU", Role: truce.RoleGuarantor},
	} {
		_, b, err := tlog.BuildEntry(7, kindOf(p), at, guarantor, p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := tlog.DecodeEntry(b)
		if err != nil {
			if e != nil {
				t.Fatalf("DecodeEntry(%q) failed (%v) but returned an entry", b, err)
			}
			if !strings.HasPrefix(err.Error(), "entry") && !strings.HasPrefix(err.Error(), "encode entry") {
				t.Fatalf("DecodeEntry(%q) error %q does not name the entry", b, err)
			}
			return
		}
		again, err := tlog.EncodeEntry(e)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("EncodeEntry(DecodeEntry(%q)) = %q, %v", b, again, err)
		}
		if e.Time.Location() != time.UTC {
			t.Fatalf("DecodeEntry(%q) time %v is not UTC", b, e.Time)
		}
		if c, err := tlog.Canonicalize(e.Payload); err != nil || !bytes.Equal(c, e.Payload) {
			t.Fatalf("DecodeEntry(%q) payload %q is not canonical", b, e.Payload)
		}
		if tlog.LeafHash(b) != tlog.LeafHash(again) {
			t.Fatal("same bytes, different leaf hashes")
		}
		p := payloadOf(e.Kind)
		if p == nil || tlog.DecodePayload(e, p) != nil {
			return
		}
		// BuildEntry writes these payloads by hand; Canonical is the rule.
		fast, fastBytes, err := tlog.BuildEntry(e.Index, e.Kind, e.Time, e.Author, p)
		if err != nil {
			return // a value the encoder refuses, such as a year past 9999
		}
		slow, err := tlog.Canonical(p)
		if err != nil {
			t.Fatalf("BuildEntry accepted %#v, which Canonical refuses: %v", p, err)
		}
		if !bytes.Equal(fast.Payload, slow) {
			t.Fatalf("BuildEntry payload of %#v:\n%s\nCanonical:\n%s", p, fast.Payload, slow)
		}
		d, err := tlog.DecodeEntry(fastBytes)
		if err != nil || !reflect.DeepEqual(d, fast) {
			t.Fatalf("DecodeEntry(BuildEntry(%#v)) = %+v, %v; want %+v", p, d, err, fast)
		}
	})
}

func kindOf(p any) truce.EntryKind {
	switch p.(type) {
	case *truce.ReportFiled:
		return truce.EntryReportFiled
	case *truce.AssessmentMade:
		return truce.EntryAssessmentMade
	}
	return truce.EntryMemberAdded
}

// payloadOf returns a new payload of the kinds BuildEntry writes by hand.
func payloadOf(k truce.EntryKind) any {
	switch k {
	case truce.EntryReportFiled:
		return new(truce.ReportFiled)
	case truce.EntryAssessmentMade:
		return new(truce.AssessmentMade)
	case truce.EntryMemberAdded:
		return new(truce.MemberAdded)
	}
	return nil
}
