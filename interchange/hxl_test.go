package interchange

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"truce"
)

func TestParseHXLTag(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" when not a hashtag
	}{
		{"#geo+lat", "#geo+lat"},
		{" #Affected +Killed +civilians ", "#affected+civilians+killed"},
		{"#adm1 +code", "#adm1+code"},
		{"#date", "#date"},
		{"Latitude", ""},
		{"#", ""},
		{"#geo+", ""},
		{"#geo lat", "#geolat"}, // spaces do not separate: HXL writes +
		{"#événement", ""},
	} {
		tag, ok := parseHXLTag(tc.in)
		if got := tag.String(); ok != (tc.want != "") || (ok && got != tc.want) {
			t.Errorf("parseHXLTag(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestHXLPattern(t *testing.T) {
	for _, tc := range []struct {
		pattern, tag string
		want         bool
	}{
		{"#affected+killed", "#affected+killed+civilians", true},
		{"#affected+killed-civilians", "#affected+killed+civilians", false},
		{"#affected+killed-civilians", "#affected+killed", true},
		{"#event+type-sub", "#event+type+sub", false},
		{"#event+type+sub", "#event+sub+type", true},
		{"#date-reported", "#date+reported", false},
		{"#date-reported", "#date", true},
		{"#geo+lat", "#geo+lon", false},
	} {
		tag, _ := parseHXLTag(tc.tag)
		if got := parsePattern(tc.pattern).match(tag); got != tc.want {
			t.Errorf("%s matches %s = %v, want %v", tc.pattern, tc.tag, got, tc.want)
		}
	}
}

const hxlSample = `Incident,Date,Type,Sub-type,Perpetrator,Where,Point,Dead,Dead (min),Dead (max),Civilians dead,Governorate,Summary,Source
,#date +occurred,#event +type,#event +type +sub,#group +name +first,#loc +name,#geo +coord,#affected +killed,#affected +killed +min,#affected +killed +max,#affected +killed +civilians,#adm1 +name,#description,#meta +source
OB-17,2017-01-05,Explosions/Remote violence,Shelling/artillery/missile attack,Syrian Arab Army,Kafr Nabl,"35.6134,36.561",3,2,5,1,Idleb,Shells hit the market.,Local council; https://example.org/ob17
OB-18,2017-01-06T06:15:00+02:00,Battles,Armed clash,Unknown militia,Hish,"35.54,36.64",,,,,Idleb,,
OB-19,2017-13-01,Battles,Armed clash,,Hish,"35.54,36.64",,,,,Idleb,Bad date.,
`

func TestHXLRead(t *testing.T) {
	recs := readAll(t, HXL, strings.NewReader(hxlSample), &Options{Source: "Observatory"})
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3", len(recs))
	}
	r := recs[0]
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	in := r.Input
	wantKilled := truce.Estimate{Low: 2, Best: 3, High: 5}
	if r.Row != 3 {
		t.Errorf("row %d, want 3 (under two header rows)", r.Row)
	}
	// The untagged first column has no id hashtag: the row's hash is its id.
	if !strings.HasPrefix(r.ID, "sha256:") || r.Key != "import:hxl:"+r.ID {
		t.Errorf("id %q key %q, want a content hash", r.ID, r.Key)
	}
	if in.OccurredAt != "2017-01-05T12:00:00+02:00" || *in.Lat != 35.6134 || *in.Lon != 36.561 || in.Place != "Kafr Nabl" ||
		in.Perpetrator != "Syrian Arab Army" || *in.Casualties.Killed != wantKilled || in.Casualties.KilledCivilians.Best != 1 ||
		in.Description != "Shells hit the market." || !slices.Equal(in.Sources, []string{"Local council", "https://example.org/ob17"}) {
		t.Errorf("input %+v", in)
	}
	if r.Origin.Fields["#adm1+name"] != "Idleb" {
		t.Errorf("origin %v, want the unmapped #adm1+name kept", r.Origin.Fields)
	}
	r = recs[1]
	if r.Err != nil || r.Input.OccurredAt != "2017-01-06T06:15:00+02:00" || r.Input.Perpetrator != "" || r.Input.Casualties != nil ||
		!strings.Contains(r.Input.Description, "row 4") {
		t.Errorf("second row: %v %+v", r.Err, r.Input)
	}
	if r = recs[2]; r.Err == nil || !strings.Contains(truce.ErrorMessage(r.Err), `#date+occurred: "2017-13-01" is not a date`) || r.Row != 5 {
		t.Errorf("third row: row %d, %v; want a bad #date+occurred", r.Row, r.Err)
	}
}

func TestHXLHeader(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"no hashtags", "a,b\n1,2\n", "no row of HXL hashtags"},
		{"no date", "#event+type,#geo+lat,#geo+lon\nBattles,35,36\n", "#date+occurred"},
		{"no point", "#date,#event+type\n2017-01-01,Battles\n", "#geo+lat and #geo+lon"},
	} {
		if _, err := NewReader(HXL, strings.NewReader(tc.in), astana(t), nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error naming %s", tc.name, err, tc.want)
		}
	}
	// The hashtag row may be the first.
	recs := readAll(t, HXL, strings.NewReader("#event+code,#date,#event+type,#event+type+sub,#geo+lat,#geo+lon,#description\n7,2017-01-01,Battles,Armed clash,35.5,36.6,x\n"), nil)
	if recs[0].Err != nil || recs[0].ID != "7" || recs[0].Row != 2 || !slices.Equal(recs[0].Input.Sources, []string{"HXL event 7"}) {
		t.Errorf("hashtags in the first row: %+v %v", recs[0], recs[0].Err)
	}
}

// TestHXLWriteRead writes reports as HXL and reads them back: what a
// report holds comes back.
func TestHXLWriteRead(t *testing.T) {
	lon, lat := 36.561, 35.6134
	reports := []*Report{{
		ID: "rpt_cccccccccccccccc", OccurredAt: time.Date(2017, 1, 5, 12, 30, 0, 0, time.UTC), TimePrecision: 2,
		Lon: &lon, Lat: &lat, Coordinates: truce.DiscloseExact, GeoPrecision: 2, UncertaintyM: 500, Place: "Kafr Nabl",
		EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack",
		Perpetrator: Actor{ID: "SYG", Name: "Syrian Arab Army", Inter: 1}, Target: Actor{ID: "OPP", Name: "Armed opposition (group not identified)"},
		Description:    "Shelling, \"heavy\", of the market;\nthree shells.",
		Casualties:     &truce.Casualties{Killed: &truce.Estimate{Low: 1, Best: 2, High: 4}, KilledCivilians: &truce.Estimate{Low: 1, Best: 1, High: 1}, Injured: &truce.Estimate{Low: 5, Best: 5, High: 5}},
		Sources:        []string{"SOHR", "https://example.org/x"},
		Classification: &truce.Classification{ADM1: "SY07", ADM2: "SY0702", Scope: truce.ScopeCovered},
		Organisation:   "TR", FiledAt: time.Date(2017, 1, 6, 8, 0, 0, 0, time.UTC), Consensus: truce.Pending,
	}}
	var b bytes.Buffer
	w, err := NewWriter(HXL, &b, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, HXL, &b, nil)
	if len(recs) != 1 || recs[0].Err != nil {
		t.Fatalf("read back: %+v", recs)
	}
	r, in := recs[0], recs[0].Input
	if r.ID != "rpt_cccccccccccccccc" || in.OccurredAt != "2017-01-05T14:30:00+02:00" || in.TimePrecision != 2 || in.GeoPrecision != 2 || in.UncertaintyM != 500 ||
		*in.Lon != lon || *in.Lat != lat || in.Place != "Kafr Nabl" || in.EventType != reports[0].EventType || in.SubEventType != reports[0].SubEventType ||
		in.Perpetrator != "Syrian Arab Army" || in.Target != "Armed opposition (group not identified)" || in.Description != reports[0].Description ||
		*in.Casualties.Killed != *reports[0].Casualties.Killed || *in.Casualties.KilledCivilians != *reports[0].Casualties.KilledCivilians ||
		*in.Casualties.Injured != *reports[0].Casualties.Injured ||
		!slices.Equal(in.Sources, []string{"HXL event rpt_cccccccccccccccc", "SOHR", "https://example.org/x"}) {
		t.Errorf("read back %+v", in)
	}
	if r.Origin.Fields["#adm1+code"] != "SY07" || r.Origin.Fields["#status+consensus"] != "pending" {
		t.Errorf("origin %v", r.Origin.Fields)
	}
}

func TestNewWriterFormats(t *testing.T) {
	for _, f := range ExportFormats {
		var b bytes.Buffer
		w, err := NewWriter(f, &b, nil)
		if err != nil {
			t.Fatalf("NewWriter(%s) = %v", f, err)
		}
		if err := w.Close(); err != nil || b.Len() == 0 {
			t.Errorf("%s: an empty export = %q, %v; want the header alone", f, b.String(), err)
		}
		if ContentType(f) == "" || Extension(f) == "" {
			t.Errorf("%s: no content type or extension", f)
		}
	}
	if _, err := NewWriter(UCDP, &bytes.Buffer{}, nil); err == nil {
		t.Error("NewWriter(ucdp): no error; truce does not write UCDP")
	}
	if ContentType("pdf") != "" {
		t.Error(`ContentType("pdf") is not empty`)
	}
}
