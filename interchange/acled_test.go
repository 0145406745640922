package interchange

import (
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"truce"
)

// acledRows reads the ACLED testdata as plain CSV: header, then rows.
func acledRows(tb testing.TB) ([]string, [][]string) {
	tb.Helper()
	f, err := os.Open("testdata/acled_syria.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	return all[0], all[1:]
}

func TestACLEDRead(t *testing.T) {
	recs := readFile(t, ACLED, "testdata/acled_syria.csv")
	if len(recs) != 7 {
		t.Fatalf("read %d records, want 7", len(recs))
	}
	for _, r := range recs {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.ID, r.Err)
		}
	}
	for _, tc := range []struct {
		id                     string
		occurred, perp, target string
		tp, gp                 int
		killed                 int
		sources                []string
		origin, notOrigin      []string // columns kept in the origin, and not
	}{
		{"SYR10001", "2017-02-14T12:00:00+02:00", "Military Forces of Syria (2000-)", "", 1, 1, 2,
			[]string{"ACLED event SYR10001", "Syrian Observatory for Human Rights"},
			[]string{"actor2", "assoc_actor_1", "inter1", "interaction", "civilian_targeting", "admin1", "source_scale", "tags", "timestamp", "disorder_type"},
			[]string{"event_id_cnty", "event_date", "actor1", "latitude", "longitude", "notes", "source", "fatalities"}},
		// The abbreviation resolves; ACLED's full name is kept.
		{"SYR10002", "2017-03-02T12:00:00+02:00", "HTS", "Military Forces of Syria (2000-)", 1, 1, 5,
			[]string{"ACLED event SYR10002", "SANA", "Step News Agency"},
			[]string{"actor1"}, []string{"actor2", "source"}},
		// Summer time: UTC+3.
		{"SYR10003", "2017-04-04T12:00:00+03:00", "Russia", "", 1, 1, 0,
			[]string{"ACLED event SYR10003", "Syrian Observatory for Human Rights", "Shaam Network"},
			[]string{"actor1", "actor2", "assoc_actor_2"}, nil},
		// 35.8660 is not how truce writes 35.866: the spelling is kept.
		{"SYR10005", "2017-05-04T12:00:00+03:00", "Turkey", "Russia", 1, 3, 0,
			[]string{"ACLED event SYR10005", "Anadolu Agency", "TASS"},
			[]string{"latitude"}, []string{"longitude"}},
	} {
		i := slices.IndexFunc(recs, func(r *Record) bool { return r.ID == tc.id })
		if i < 0 {
			t.Fatalf("no record %s", tc.id)
		}
		r := recs[i]
		in := r.Input
		if in.OccurredAt != tc.occurred || in.Perpetrator != tc.perp || in.Target != tc.target || in.TimePrecision != tc.tp ||
			in.GeoPrecision != tc.gp || in.Casualties.Killed.Best != tc.killed || !slices.Equal(in.Sources, tc.sources) {
			t.Errorf("%s: input %+v, killed %+v", tc.id, in, in.Casualties.Killed)
		}
		for _, c := range tc.origin {
			if _, ok := r.Origin.Fields[c]; !ok {
				t.Errorf("%s: origin lacks %s", tc.id, c)
			}
		}
		for _, c := range tc.notOrigin {
			if v, ok := r.Origin.Fields[c]; ok {
				t.Errorf("%s: origin keeps %s = %q, which the report gives back", tc.id, c, v)
			}
		}
		if r.Origin.Dataset != ACLED || r.Origin.ID != tc.id || r.Key != "import:acled:"+tc.id {
			t.Errorf("%s: origin %s %s, key %s", tc.id, r.Origin.Dataset, r.Origin.ID, r.Key)
		}
	}
}

// stored is the report truce stores and shows for a record: the input
// validated, the actors resolved, the origin kept.
func stored(tb testing.TB, a *truce.Agreement, r *Record) *Report {
	tb.Helper()
	rep, err := r.Input.Validate(a, time.Now())
	if err != nil {
		tb.Fatalf("%s: %v", r.ID, err)
	}
	actor := func(id truce.ActorID, asGiven string) Actor {
		if id == "" {
			return Actor{}
		}
		return Actor{ID: id, Name: asGiven, Inter: a.Actor(id).ACLEDInter}
	}
	lon, lat := rep.Lon, rep.Lat
	return &Report{
		ID: "rpt_aaaaaaaaaaaaaaaa", OccurredAt: rep.OccurredAt.UTC(), TimePrecision: rep.TimePrecision,
		Lon: &lon, Lat: &lat, Coordinates: truce.DiscloseExact, GeoPrecision: rep.GeoPrecision, Place: rep.Place,
		EventType: rep.EventType, SubEventType: rep.SubEventType,
		Perpetrator: actor(rep.Perpetrator, rep.PerpetratorAsGiven), Target: actor(rep.Target, rep.TargetAsGiven),
		Description: rep.Description, Casualties: rep.Casualties, Sources: rep.Sources,
		FiledAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Origin: r.Origin,
	}
}

// TestACLEDRecordRoundTrip writes each row's report, with its origin,
// back as ACLED: the row must come back field for field. This is the
// round trip through truce once reports keep their origin.
func TestACLEDRecordRoundTrip(t *testing.T) {
	a := astana(t)
	header, rows := acledRows(t)
	if !slices.Equal(header, ACLEDColumns) {
		t.Fatalf("testdata header %v, want ACLEDColumns", header)
	}
	for i, r := range readFile(t, ACLED, "testdata/acled_syria.csv") {
		got := acledRow(stored(t, a, r), damascus)
		for j, col := range ACLEDColumns {
			if got[j] != rows[i][j] {
				t.Errorf("%s: %s = %q, want %q", r.ID, col, got[j], rows[i][j])
			}
		}
	}
}

func TestACLEDWriteDerived(t *testing.T) {
	lon, lat := 36.5610263, 35.6134143
	killed := &truce.Estimate{Low: 1, Best: 2, High: 4}
	r := &Report{
		ID: "rpt_bbbbbbbbbbbbbbbb", OccurredAt: time.Date(2017, 1, 5, 12, 30, 0, 0, time.UTC), TimePrecision: 1,
		Lon: &lon, Lat: &lat, GeoPrecision: 1, Place: "Kafr Nabl",
		EventType: "Violence against civilians", SubEventType: "Attack",
		Perpetrator: Actor{ID: "SYG", Name: "Syrian Arab Army", Inter: 1}, Target: Actor{ID: "OPP", Name: "rebels", Inter: 2},
		Description: "Shelling of the eastern edge of Kafr Nabl.", Casualties: &truce.Casualties{Killed: killed},
		Sources:        []string{"https://example.org/a", "SOHR"},
		Classification: &truce.Classification{ADM1: "SY07", ADM2: "SY0702", ADM3: "SY070203", Scope: truce.ScopeCovered},
		FiledAt:        time.Date(2017, 1, 6, 8, 0, 0, 0, time.UTC),
	}
	got := map[string]string{}
	for i, v := range acledRow(r, damascus) {
		got[ACLEDColumns[i]] = v
	}
	want := map[string]string{
		"event_id_cnty": "rpt_bbbbbbbbbbbbbbbb", "event_date": "2017-01-05", "year": "2017", "time_precision": "1",
		"disorder_type": "Political violence", "event_type": "Violence against civilians", "sub_event_type": "Attack",
		"actor1": "Syrian Arab Army", "assoc_actor_1": "", "inter1": "1", "actor2": "rebels", "assoc_actor_2": "", "inter2": "2",
		"interaction": "12", "civilian_targeting": "Civilian targeting", "iso": "760", "region": "Middle East", "country": "Syria",
		"admin1": "Idleb", "admin2": "Al Ma'ra", "admin3": "Kafr Nobol", "location": "Kafr Nabl",
		"latitude": "35.6134143", "longitude": "36.5610263", "geo_precision": "1", "source": "https://example.org/a; SOHR",
		"source_scale": "", "notes": "Shelling of the eastern edge of Kafr Nabl.", "fatalities": "2", "tags": "", "timestamp": "1483689600",
	}
	for _, col := range ACLEDColumns {
		if got[col] != want[col] {
			t.Errorf("%s = %q, want %q", col, got[col], want[col])
		}
	}
	// Withheld coordinates and classification leave their columns empty.
	r.Lon, r.Lat, r.Classification, r.Casualties = nil, nil, nil, nil
	row := acledRow(r, damascus)
	for _, col := range []string{"latitude", "longitude", "admin1", "iso", "country"} {
		if v := row[slices.Index(ACLEDColumns, col)]; v != "" {
			t.Errorf("hidden: %s = %q, want empty", col, v)
		}
	}
	if v := row[slices.Index(ACLEDColumns, "fatalities")]; v != "0" {
		t.Errorf("no casualties: fatalities = %q, want 0", v)
	}
}

func TestACLEDBadRows(t *testing.T) {
	header, rows := acledRows(t)
	for _, tc := range []struct {
		name string
		set  map[string]string
		want string
	}{
		{"ok", nil, ""},
		{"old date", map[string]string{"event_date": "14 February 2017"}, ""},
		{"no id", map[string]string{"event_id_cnty": " "}, "event_id_cnty: is empty"},
		{"bad date", map[string]string{"event_date": "2017-02-30"}, `event_date: "2017-02-30" is not a date`},
		{"precision", map[string]string{"time_precision": "4"}, `time_precision: "4" is not 1, 2 or 3`},
		{"event type", map[string]string{"event_type": "Skirmish"}, `event_type: "Skirmish" is not an ACLED event type`},
		{"sub-event type", map[string]string{"sub_event_type": "Armed clash"}, "sub_event_type:"},
		{"fatalities", map[string]string{"fatalities": "many"}, `fatalities: "many" is not a count`},
		{"latitude", map[string]string{"latitude": "95"}, "latitude: must be between -90 and 90"},
		{"no notes", map[string]string{"notes": ""}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			row := slices.Clone(rows[0])
			for k, v := range tc.set {
				row[slices.Index(header, k)] = v
			}
			var b strings.Builder
			w := csv.NewWriter(&b)
			w.Write(header)
			w.Write(row)
			w.Flush()
			recs := readAll(t, ACLED, strings.NewReader(b.String()), nil)
			r := recs[0]
			if tc.want == "" {
				if r.Err != nil {
					t.Fatalf("Err = %v, want none", r.Err)
				}
				return
			}
			if r.Err == nil || !strings.Contains(truce.ErrorMessage(r.Err), tc.want) {
				t.Errorf("Err = %v, want one saying %q", r.Err, tc.want)
			}
		})
	}
}

func TestACLEDNoNotes(t *testing.T) {
	in := "event_id_cnty,event_date,event_type,sub_event_type,latitude,longitude,notes\nSYR1,2017-01-05,Battles,Armed clash,35.6,36.5,\n"
	r := readAll(t, ACLED, strings.NewReader(in), nil)[0]
	if r.Err != nil || r.Input.Description != "ACLED event SYR1, which has no notes." {
		t.Errorf("a row without notes: %v, description %q", r.Err, r.Input.Description)
	}
	if v, ok := r.Origin.Fields["notes"]; !ok || v != "" {
		t.Errorf("origin notes = %q, %v; want the empty notes kept", v, ok)
	}
}

// TestACLEDOlderHeader reads an export of before 2023: upper-case
// columns, other order, columns since dropped.
func TestACLEDOlderHeader(t *testing.T) {
	in := "ISO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,SUB_EVENT_TYPE,ACTOR1,LATITUDE,LONGITUDE,FATALITIES\n" +
		"760,SYR2,2,05 January 2017,2017,1,Battles,Armed clash,Military Forces of Syria (2000-),35.6134,36.561,3\n"
	r := readAll(t, ACLED, strings.NewReader(in), nil)[0]
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if r.Input.OccurredAt != "2017-01-05T12:00:00+02:00" || r.Input.Perpetrator != "Military Forces of Syria (2000-)" || r.Input.Casualties.Killed.Best != 3 {
		t.Errorf("input %+v", r.Input)
	}
	if r.Origin.Fields["event_id_no_cnty"] != "2" || r.Origin.Fields["event_date"] != "05 January 2017" {
		t.Errorf("origin %v: want the dropped column and the old date spelling kept", r.Origin.Fields)
	}
}

func TestACLEDFieldCount(t *testing.T) {
	in := "event_id_cnty,event_date,event_type,sub_event_type,latitude,longitude\nSYR1,2017-01-05,Battles,Armed clash,35.6\nSYR2,2017-01-05,Battles,Armed clash,35.6,36.5\n"
	recs := readAll(t, ACLED, strings.NewReader(in), nil)
	if len(recs) != 2 || recs[0].Err == nil || !strings.Contains(recs[0].Err.Error(), "5 fields, the header 6") || recs[1].Err != nil {
		t.Errorf("a short row then a good one: %v, %v", recs[0].Err, recs[1].Err)
	}
	if recs[0].Row != 2 || recs[1].Row != 3 {
		t.Errorf("rows %d, %d; want 2, 3", recs[0].Row, recs[1].Row)
	}
}

func TestCSVBroken(t *testing.T) {
	in := "event_id_cnty,event_date,event_type,sub_event_type,latitude,longitude\nSYR1,2017-01-05,\"Battles,Armed clash,35.6,36.5\n"
	rd, err := NewReader(ACLED, strings.NewReader(in), astana(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rd.Next(); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("an unclosed quote: %v, want an error of the file at line 2", err)
	}
}

func TestInteraction(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"1", "2", "12"}, {"2", "1", "12"}, {"7", "", "70"}, {"", "3", "30"}, {"", "", ""}, {"8", "8", "88"},
	} {
		if got := interaction(tc.a, tc.b); got != tc.want {
			t.Errorf("interaction(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSplitSources(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want []string
	}{
		{"SOHR; SANA", 19, []string{"SOHR", "SANA"}},
		{"", 19, nil},
		{"A;B;C;D", 3, []string{"A", "B", "C; D"}},
		{"Radio ://x", 19, []string{"Radio : //x"}},
	} {
		if got := splitSources(tc.in, tc.max); !slices.Equal(got, tc.want) {
			t.Errorf("splitSources(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}
