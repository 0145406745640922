package log_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"truce"
	tlog "truce/log"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	moscow = time.FixedZone("MSK", 3*60*60)
	delhi  = time.FixedZone("IST", 5*60*60+30*60)
)

var (
	operator = &truce.Author{
		Member:       "mem_aaaaaaaaaaaaaaaa",
		Organisation: "JOC",
		Role:         truce.RoleOperator,
		Attestation:  truce.AttestedByServer,
	}
	monitor = &truce.Author{
		Member:       "mem_bbbbbbbbbbbbbbbb",
		Organisation: "RU",
		Role:         truce.RoleMonitor,
		Attestation:  truce.AttestedByServer,
	}
	guarantor = &truce.Author{
		Member:       "mem_cccccccccccccccc",
		Organisation: "TR",
		Role:         truce.RoleGuarantor,
		Attestation:  truce.AttestedByServer,
	}
)

var (
	agreementPayload = truce.AgreementLoaded{Agreement: &truce.Agreement{
		ID:        "test-truce",
		Names:     map[string]string{"en": "Test truce", "ar": "هدنة"},
		Effective: time.Date(2016, 12, 30, 0, 0, 0, 0, time.UTC),
		Area:      [4]float64{35.5, 32.25, 42.5, 37.5},
		Actors: []truce.Actor{
			{ID: "RU", Standing: truce.Guarantor, Kind: truce.KindState, Names: map[string]string{"en": "Russia", "ar": "روسيا"}},
			{ID: "SYG", Standing: truce.Party, Kind: truce.KindStateForce, Names: map[string]string{"en": "Syrian government forces", "ar": "القوات الحكومية"}, ACLEDInter: 1, Guarantors: []truce.ActorID{"RU"}},
		},
		Rules: truce.Rules{
			AnswerWindow: truce.Duration(72 * time.Hour),
			Consensus:    []truce.ConsensusRule{{State: truce.Confirmed, Confirm: "all"}, {State: truce.Pending}},
		},
		Disclosure: map[truce.Role]truce.Disclosure{
			truce.RolePublic:    {Coordinates: truce.DiscloseCoarse, Grid: 0.1},
			truce.RoleGuarantor: {Coordinates: truce.DiscloseExact},
		},
	}}
	memberPayload = truce.MemberAdded{
		ID:           "mem_bbbbbbbbbbbbbbbb",
		Name:         "Ivan Petrov",
		Organisation: "RU",
		Role:         truce.RoleMonitor,
	}
	reportPayload = truce.ReportFiled{
		ID:           "rpt_dddddddddddddddd",
		OccurredAt:   time.Date(2017, 1, 6, 5, 0, 0, 0, time.UTC),
		Lon:          37.1612,
		Lat:          36.2021,
		EventType:    "Explosions/Remote violence",
		SubEventType: "Shelling/artillery/missile attack",
		Perpetrator:  "SYG",
		Description:  "Shelling near the \"old school\" in حلب\n<2 km from the line",
	}
	assessmentPayload = truce.AssessmentMade{
		Report:  "rpt_dddddddddddddddd",
		Verdict: truce.Dispute,
		Reason:  "Our post saw no fire & no damage",
	}
)

// goldenEntries are one entry of each kind. The agreement has no author and
// a time in Moscow, which must be written in UTC; the member and the report
// have fractions of a second.
func goldenEntries(t *testing.T) []struct {
	name  string
	entry *truce.Entry
} {
	t.Helper()
	return []struct {
		name  string
		entry *truce.Entry
	}{
		{"agreement-loaded", &truce.Entry{
			Index:   0,
			Kind:    truce.EntryAgreementLoaded,
			Time:    time.Date(2017, 1, 5, 15, 0, 0, 0, moscow),
			Payload: mustCanonical(t, agreementPayload),
		}},
		{"member-added", &truce.Entry{
			Index:   1,
			Kind:    truce.EntryMemberAdded,
			Time:    time.Date(2017, 1, 5, 12, 0, 0, 250_000_000, time.UTC),
			Author:  operator,
			Payload: mustCanonical(t, memberPayload),
		}},
		{"report-filed", &truce.Entry{
			Index:   2,
			Kind:    truce.EntryReportFiled,
			Time:    time.Date(2017, 1, 6, 8, 30, 0, 123_456_789, time.UTC),
			Author:  monitor,
			Payload: mustCanonical(t, reportPayload),
		}},
		{"assessment-made", &truce.Entry{
			Index:   3,
			Kind:    truce.EntryAssessmentMade,
			Time:    time.Date(2017, 1, 7, 9, 0, 0, 0, time.UTC),
			Author:  guarantor,
			Payload: mustCanonical(t, assessmentPayload),
		}},
	}
}

func mustCanonical(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := tlog.Canonical(v)
	if err != nil {
		t.Fatalf("Canonical(%#v): %v", v, err)
	}
	return b
}

// assessmentEntry is testdata/entries/assessment-made.golden, spelled out:
// the header, then the object with sorted keys and no whitespace, then
// nothing.
const assessmentEntry = "truce-entry v1\n" +
	`{"author":{"attestation":"server","member":"mem_cccccccccccccccc","organisation":"TR","role":"guarantor"},` +
	`"index":3,"kind":"assessment.made",` +
	`"payload":{"reason":"Our post saw no fire & no damage","report":"rpt_dddddddddddddddd","verdict":"dispute"},` +
	`"time":"2017-01-07T09:00:00Z"}`

func TestEncodeEntryGolden(t *testing.T) {
	for _, tt := range goldenEntries(t) {
		got, err := tlog.EncodeEntry(tt.entry)
		if err != nil {
			t.Errorf("EncodeEntry(%s): %v", tt.name, err)
			continue
		}
		file := filepath.Join("testdata", "entries", tt.name+".golden")
		if *update {
			if err := os.WriteFile(file, got, 0o666); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("EncodeEntry(%s) =\n%s\nwant (%s)\n%s", tt.name, got, file, want)
		}
	}
}

// TestEncodeEntryForm checks the golden encodings against the rules of the
// package documentation, independently of the golden files.
func TestEncodeEntryForm(t *testing.T) {
	for _, tt := range goldenEntries(t) {
		b, err := tlog.EncodeEntry(tt.entry)
		if err != nil {
			t.Fatal(err)
		}
		body, ok := bytes.CutPrefix(b, []byte("truce-entry v1\n"))
		if !ok {
			t.Errorf("EncodeEntry(%s) = %q, want header %q", tt.name, b, "truce-entry v1\n")
			continue
		}
		if c, err := tlog.Canonicalize(body); err != nil || !bytes.Equal(c, body) {
			t.Errorf("EncodeEntry(%s) body = %q, want canonical JSON (Canonicalize = %q, %v)", tt.name, body, c, err)
		}
		if bytes.HasSuffix(b, []byte("\n")) {
			t.Errorf("EncodeEntry(%s) ends in a newline", tt.name)
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		wantTime := tt.entry.Time.UTC().Format(time.RFC3339Nano)
		if m["time"] != wantTime || !strings.HasSuffix(wantTime, "Z") {
			t.Errorf("EncodeEntry(%s) time = %v, want %q", tt.name, m["time"], wantTime)
		}
		if _, ok := m["author"]; ok != (tt.entry.Author != nil) {
			t.Errorf("EncodeEntry(%s) has author: %v, want %v", tt.name, ok, tt.entry.Author != nil)
		}
	}

	got, err := tlog.EncodeEntry(goldenEntries(t)[3].entry)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != assessmentEntry {
		t.Errorf("EncodeEntry(assessment) =\n%s\nwant\n%s", got, assessmentEntry)
	}
}

func TestDecodeEntryRoundTrip(t *testing.T) {
	for _, tt := range goldenEntries(t) {
		b, err := tlog.EncodeEntry(tt.entry)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tlog.DecodeEntry(b)
		if err != nil {
			t.Errorf("DecodeEntry(EncodeEntry(%s)): %v", tt.name, err)
			continue
		}
		checkEntry(t, got, tt.entry)
		if got.Time.Location() != time.UTC {
			t.Errorf("DecodeEntry(%s).Time.Location() = %v, want UTC", tt.name, got.Time.Location())
		}
	}
}

// checkEntry reports how got differs from want; times are compared as
// instants.
func checkEntry(t *testing.T, got, want *truce.Entry) {
	t.Helper()
	if got.Index != want.Index || got.Kind != want.Kind {
		t.Errorf("entry = %d %s, want %d %s", got.Index, got.Kind, want.Index, want.Kind)
	}
	if !got.Time.Equal(want.Time) {
		t.Errorf("entry %d: Time = %v, want %v", want.Index, got.Time, want.Time)
	}
	if !reflect.DeepEqual(got.Author, want.Author) {
		t.Errorf("entry %d: Author = %+v, want %+v", want.Index, got.Author, want.Author)
	}
	if !bytes.Equal(got.Payload, want.Payload) {
		t.Errorf("entry %d: Payload = %s, want %s", want.Index, got.Payload, want.Payload)
	}
}

func TestDecodeEntryErrors(t *testing.T) {
	if _, err := tlog.DecodeEntry([]byte(assessmentEntry)); err != nil {
		t.Fatalf("DecodeEntry(assessmentEntry): %v", err)
	}
	report, err := tlog.EncodeEntry(goldenEntries(t)[2].entry)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.TrimPrefix(assessmentEntry, "truce-entry v1\n")
	replace := func(s, old, new string) string {
		t.Helper()
		if !strings.Contains(s, old) {
			t.Fatalf("%q is not in %q", old, s)
		}
		return strings.Replace(s, old, new, 1)
	}
	for _, tt := range []struct {
		name, in string
	}{
		{"empty", ""},
		{"no header", body},
		{"header only", "truce-entry v1\n"},
		{"header v2", "truce-entry v2\n" + body},
		{"header v10", "truce-entry v10\n" + body},
		{"header without newline", "truce-entry v1" + body},
		{"header with CR LF", "truce-entry v1\r\n" + body},
		{"header upper case", "TRUCE-ENTRY V1\n" + body},
		{"header with space", " truce-entry v1\n" + body},
		{"two headers", "truce-entry v1\n" + assessmentEntry},

		{"keys reordered", replace(assessmentEntry, `"index":3,"kind":"assessment.made"`, `"kind":"assessment.made","index":3`)},
		{"payload keys reordered", replace(assessmentEntry, `"report":"rpt_dddddddddddddddd","verdict":"dispute"`, `"verdict":"dispute","report":"rpt_dddddddddddddddd"`)},
		{"space after colon", replace(assessmentEntry, `"index":3`, `"index": 3`)},
		{"space after comma", replace(assessmentEntry, `3,"kind"`, `3, "kind"`)},
		{"indented", "truce-entry v1\n{\n\t" + body[1:]},
		{"trailing newline", assessmentEntry + "\n"},
		{"trailing CR LF", assessmentEntry + "\r\n"},
		{"trailing space", assessmentEntry + " "},
		{"second value", assessmentEntry + "{}"},
		{"truncated", assessmentEntry[:len(assessmentEntry)-1]},
		{"escaped letter", replace(assessmentEntry, `"dispute"`, `"disp\u0075te"`)},
		{"escaped ampersand", replace(assessmentEntry, `fire & no`, `fire \u0026 no`)},
		{"escaped less-than", replace(string(report), `<2 km`, `\u003c2 km`)},
		{"escaped Arabic", replace(string(report), `حلب`, `\u062d\u0644\u0628`)},
		{"newline as \\u000a", replace(string(report), `\n<2`, `\u000a<2`)},
		{"quote as \\u0022", replace(string(report), `\"old`, `\u0022old`)},
		{"number with fraction", replace(assessmentEntry, `"index":3`, `"index":3.0`)},
		{"number with exponent", replace(assessmentEntry, `"index":3`, `"index":3e0`)},
		{"upper-case key", replace(assessmentEntry, `"index":3`, `"Index":3`)},
		{"duplicate key", replace(assessmentEntry, `"index":3`, `"index":3,"index":3`)},

		{"unknown field", replace(assessmentEntry, `"kind"`, `"extra":1,"kind"`)},
		{"unknown author field", replace(assessmentEntry, `"member"`, `"mood":"x","member"`)},
		{"null author", replace(assessmentEntry, `{"author":{"attestation":"server","member":"mem_cccccccccccccccc","organisation":"TR","role":"guarantor"},`, `{"author":null,`)},
		{"no payload", replace(assessmentEntry, `"payload":{"reason":"Our post saw no fire & no damage","report":"rpt_dddddddddddddddd","verdict":"dispute"},`, ``)},
		{"index as string", replace(assessmentEntry, `"index":3`, `"index":"3"`)},

		{"time +02:00", replace(assessmentEntry, `"2017-01-07T09:00:00Z"`, `"2017-01-07T11:00:00+02:00"`)},
		{"time +00:00", replace(assessmentEntry, `"2017-01-07T09:00:00Z"`, `"2017-01-07T09:00:00+00:00"`)},
		{"time lower-case z", replace(assessmentEntry, `"2017-01-07T09:00:00Z"`, `"2017-01-07T09:00:00z"`)},
		{"time with zero fraction", replace(assessmentEntry, `"2017-01-07T09:00:00Z"`, `"2017-01-07T09:00:00.0Z"`)},
		{"time with trailing zeros", replace(string(report), `08:30:00.123456789Z`, `08:30:00.1234567890Z`)},
		{"time with trailing zero", replace(assessmentEntry, `"2017-01-07T09:00:00Z"`, `"2017-01-07T09:00:00.250Z"`)},
		{"time without seconds", replace(assessmentEntry, `"2017-01-07T09:00:00Z"`, `"2017-01-07T09:00Z"`)},
		{"time with space", replace(assessmentEntry, `"2017-01-07T09:00:00Z"`, `"2017-01-07 09:00:00Z"`)},
	} {
		if e, err := tlog.DecodeEntry([]byte(tt.in)); err == nil {
			t.Errorf("%s: DecodeEntry(%q) = %+v, want error", tt.name, tt.in, e)
		}
	}
}

// TestEntrySizeLimit checks that an entry of exactly MaxEntrySize bytes is
// encoded and decoded, and one a byte longer is refused both ways.
func TestEntrySizeLimit(t *testing.T) {
	e := &truce.Entry{
		Index:   7,
		Kind:    truce.EntryReportFiled,
		Time:    time.Date(2017, 1, 6, 8, 30, 0, 0, time.UTC),
		Payload: json.RawMessage(`{"description":""}`),
	}
	b, err := tlog.EncodeEntry(e)
	if err != nil {
		t.Fatal(err)
	}
	pad := tlog.MaxEntrySize - len(b)
	e.Payload = json.RawMessage(`{"description":"` + strings.Repeat("x", pad) + `"}`)
	b, err = tlog.EncodeEntry(e)
	if err != nil {
		t.Fatalf("EncodeEntry(%d bytes): %v", tlog.MaxEntrySize, err)
	}
	if len(b) != tlog.MaxEntrySize {
		t.Fatalf("len(EncodeEntry(e)) = %d, want %d", len(b), tlog.MaxEntrySize)
	}
	if _, err := tlog.DecodeEntry(b); err != nil {
		t.Errorf("DecodeEntry(%d bytes): %v", len(b), err)
	}

	e.Payload = json.RawMessage(`{"description":"` + strings.Repeat("x", pad+1) + `"}`)
	if _, err := tlog.EncodeEntry(e); err == nil {
		t.Errorf("EncodeEntry(%d bytes) succeeded, want error", tlog.MaxEntrySize+1)
	}
	big := bytes.Replace(b, []byte(`"xx`), []byte(`"xxx`), 1)
	if len(big) != tlog.MaxEntrySize+1 {
		t.Fatalf("len(big) = %d, want %d", len(big), tlog.MaxEntrySize+1)
	}
	if _, err := tlog.DecodeEntry(big); err == nil {
		t.Errorf("DecodeEntry(%d bytes) succeeded, want error", len(big))
	}
}

func TestEncodeEntryErrors(t *testing.T) {
	for _, e := range []*truce.Entry{
		{Kind: truce.EntryReportFiled, Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Payload: json.RawMessage(`{}`)},
		{Kind: truce.EntryReportFiled, Time: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), Payload: json.RawMessage(`{"a":1,"a":2}`)},
		{Kind: truce.EntryReportFiled, Time: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), Payload: json.RawMessage(`{"a":1e400}`)},
	} {
		if b, err := tlog.EncodeEntry(e); err == nil {
			t.Errorf("EncodeEntry(%+v) = %q, want error", e, b)
		}
	}
}

// TestEncodeEntryDoesNotModify checks that EncodeEntry leaves its argument
// as it was.
func TestEncodeEntryDoesNotModify(t *testing.T) {
	e := goldenEntries(t)[0].entry
	if _, err := tlog.EncodeEntry(e); err != nil {
		t.Fatal(err)
	}
	if e.Time.Location() != moscow {
		t.Errorf("after EncodeEntry, e.Time.Location() = %v, want %v", e.Time.Location(), moscow)
	}
}

func TestNewEntry(t *testing.T) {
	at := time.Date(2017, 1, 5, 17, 30, 0, 250_000_000, delhi) // 12:00:00.25Z
	e, err := tlog.NewEntry(1, truce.EntryMemberAdded, at, operator, memberPayload)
	if err != nil {
		t.Fatal(err)
	}
	if e.Time.Location() != time.UTC {
		t.Errorf("NewEntry(%v).Time.Location() = %v, want UTC", at, e.Time.Location())
	}
	const wantPayload = `{"id":"mem_bbbbbbbbbbbbbbbb","name":"Ivan Petrov","organisation":"RU","role":"monitor"}`
	if string(e.Payload) != wantPayload {
		t.Errorf("NewEntry(…).Payload = %s, want %s", e.Payload, wantPayload)
	}
	checkEntry(t, e, goldenEntries(t)[1].entry)

	if _, err := tlog.NewEntry(2, truce.EntryReportFiled, at, monitor, truce.ReportFiled{Lon: math.Inf(1)}); err == nil {
		t.Errorf("NewEntry(report with infinite longitude) succeeded, want error")
	}
	if _, err := tlog.NewEntry(2, truce.EntryReportFiled, at, monitor, func() {}); err == nil {
		t.Errorf("NewEntry(func payload) succeeded, want error")
	}
}

func TestDecodePayload(t *testing.T) {
	entries := goldenEntries(t)

	var a truce.AgreementLoaded
	if err := tlog.DecodePayload(entries[0].entry, &a); err != nil {
		t.Fatal(err)
	}
	if !a.Agreement.Effective.Equal(agreementPayload.Agreement.Effective) {
		t.Errorf("DecodePayload(agreement).Effective = %v, want %v", a.Agreement.Effective, agreementPayload.Agreement.Effective)
	}
	a.Agreement.Effective = agreementPayload.Agreement.Effective
	if !reflect.DeepEqual(a, agreementPayload) {
		t.Errorf("DecodePayload(agreement) = %+v, want %+v", a.Agreement, agreementPayload.Agreement)
	}

	var r truce.ReportFiled
	if err := tlog.DecodePayload(entries[2].entry, &r); err != nil {
		t.Fatal(err)
	}
	if !r.OccurredAt.Equal(reportPayload.OccurredAt) {
		t.Errorf("DecodePayload(report).OccurredAt = %v, want %v", r.OccurredAt, reportPayload.OccurredAt)
	}
	r.OccurredAt = reportPayload.OccurredAt
	if !reflect.DeepEqual(r, reportPayload) {
		t.Errorf("DecodePayload(report) = %+v, want %+v", r, reportPayload)
	}

	var m truce.MemberAdded
	if err := tlog.DecodePayload(entries[1].entry, &m); err != nil || m != memberPayload {
		t.Errorf("DecodePayload(member) = %+v, %v, want %+v", m, err, memberPayload)
	}
	var s truce.AssessmentMade
	if err := tlog.DecodePayload(entries[3].entry, &s); err != nil || s != assessmentPayload {
		t.Errorf("DecodePayload(assessment) = %+v, %v, want %+v", s, err, assessmentPayload)
	}

	// An unknown field, and a payload of another kind, are refused.
	e := *entries[3].entry
	e.Payload = json.RawMessage(`{"colour":"red","report":"rpt_dddddddddddddddd","verdict":"dispute"}`)
	if err := tlog.DecodePayload(&e, &s); err == nil {
		t.Errorf("DecodePayload(%s) succeeded, want error", e.Payload)
	}
	if err := tlog.DecodePayload(entries[1].entry, &s); err == nil {
		t.Errorf("DecodePayload(member.added payload into AssessmentMade) succeeded, want error")
	}
	e.Payload = json.RawMessage(`{"report":"rpt_dddddddddddddddd","verdict":7}`)
	if err := tlog.DecodePayload(&e, &s); err == nil {
		t.Errorf("DecodePayload(%s) succeeded, want error", e.Payload)
	}
}

func ExampleEncodeEntry() {
	e, err := tlog.NewEntry(4, truce.EntryAssessmentMade,
		time.Date(2017, 1, 7, 12, 0, 0, 500_000_000, moscow),
		guarantor,
		truce.AssessmentMade{Report: "rpt_dddddddddddddddd", Verdict: truce.Confirm})
	if err != nil {
		panic(err)
	}
	b, err := tlog.EncodeEntry(e)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s\n", b)
	// Output:
	// truce-entry v1
	// {"author":{"attestation":"server","member":"mem_cccccccccccccccc","organisation":"TR","role":"guarantor"},"index":4,"kind":"assessment.made","payload":{"report":"rpt_dddddddddddddddd","verdict":"confirm"},"time":"2017-01-07T09:00:00.5Z"}
}
