package interchange

import (
	"bytes"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/agreements"
	"truce/places"
)

func astana(tb testing.TB) *truce.Agreement {
	tb.Helper()
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// readAll reads every record of a file.
func readAll(tb testing.TB, format string, r io.Reader, opt *Options) []*Record {
	tb.Helper()
	rd, err := NewReader(format, r, astana(tb), opt)
	if err != nil {
		tb.Fatalf("NewReader(%s) = %v", format, err)
	}
	var out []*Record
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return out
		} else if err != nil {
			tb.Fatalf("Next = %v", err)
		}
		out = append(out, rec)
	}
}

func readFile(tb testing.TB, format, path string) []*Record {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	return readAll(tb, format, f, nil)
}

func TestUCDPRead(t *testing.T) {
	recs := readFile(t, UCDP, "testdata/ucdp_syria.csv")
	if len(recs) != 9 {
		t.Fatalf("read %d records, want 9", len(recs))
	}
	type want struct {
		row, line        int
		occurred         string
		sub, perp, targ  string
		tp, gp, radius   int
		killed, civilian truce.Estimate
		sources          []string
		notes            int
	}
	wants := map[string]want{
		"214797": {2, 2, "2016-01-01T12:00:00+02:00", "Shelling/artillery/missile attack", "Government of Syria", "Syrian insurgents", 1, 1, 0, truce.Estimate{Low: 4, Best: 4, High: 4}, truce.Estimate{}, []string{"UCDP GED event 214797", "SOHR"}, 0},
		"275026": {3, 3, "2018-12-13T12:00:00+02:00", "Armed clash", "", "SDF", 1, 1, 0, truce.Estimate{Low: 1, Best: 1, High: 5}, truce.Estimate{}, []string{"UCDP GED event 275026", "Sputnik News Service", "Al Masdar News"}, 0},
		// low 177 > best 142: the range is widened to hold best.
		"219459": {4, 6, "2016-01-16T12:00:00+02:00", "Armed clash", "Government of Syria", "IS", 2, 2, 25000, truce.Estimate{Low: 142, Best: 142, High: 177}, truce.Estimate{}, []string{"UCDP GED event 219459", "SOHR"}, 1},
		"215936": {5, 7, "2016-01-02T12:00:00+02:00", "Attack", "IS", "", 1, 1, 0, truce.Estimate{Low: 2, Best: 2, High: 2}, truce.Estimate{Low: 2, Best: 2, High: 2}, []string{"UCDP GED event 215936", "SOHR"}, 0},
		"214814": {6, 8, "2016-01-01T12:00:00+02:00", "Armed clash", "", "SDF", 1, 2, 25000, truce.Estimate{Low: 2, Best: 2, High: 2}, truce.Estimate{}, []string{"UCDP GED event 214814", "SOHR"}, 0},
		"233200": {7, 9, "2016-01-01T12:00:00+02:00", "Armed clash", "Government of Syria", "Syrian insurgents", 3, 3, 0, truce.Estimate{Low: 8179, Best: 8179, High: 8179}, truce.Estimate{}, []string{"UCDP GED event 233200", "SOHR"}, 0},
		"218702": {8, 10, "2016-01-06T12:00:00+02:00", "Armed clash", "IS", "SDF", 2, 2, 25000, truce.Estimate{Low: 7, Best: 7, High: 7}, truce.Estimate{}, []string{"UCDP GED event 218702", "SOHR"}, 0},
		"241856": {9, 11, "2016-02-03T12:00:00+02:00", "Armed clash", "Turkey", "IS", 1, 1, 0, truce.Estimate{Low: 13, Best: 13, High: 13}, truce.Estimate{}, []string{"UCDP GED event 241856", "SOHR"}, 0},
		"223866": {10, 12, "2016-01-26T12:00:00+02:00", "Suicide bomb", "Government of Syria", "IS", 1, 1, 0, truce.Estimate{Low: 29, Best: 29, High: 29}, truce.Estimate{Low: 14, Best: 14, High: 14}, []string{"UCDP GED event 223866", "SOHR", "Crisis Watch"}, 0},
	}
	for _, r := range recs {
		w, ok := wants[r.ID]
		if !ok {
			t.Errorf("unexpected record %s", r.ID)
			continue
		}
		if r.Err != nil {
			t.Errorf("%s: %v", r.ID, r.Err)
			continue
		}
		in := r.Input
		got := want{r.Row, r.Line, in.OccurredAt, in.SubEventType, in.Perpetrator, in.Target, in.TimePrecision, in.GeoPrecision, in.UncertaintyM,
			*in.Casualties.Killed, *in.Casualties.KilledCivilians, in.Sources, len(r.Notes)}
		if !slices.Equal(got.sources, w.sources) || got.row != w.row || got.line != w.line || got.occurred != w.occurred || got.sub != w.sub ||
			got.perp != w.perp || got.targ != w.targ || got.tp != w.tp || got.gp != w.gp || got.radius != w.radius ||
			got.killed != w.killed || got.civilian != w.civilian || got.notes != w.notes {
			t.Errorf("%s:\n got %+v\nwant %+v", r.ID, got, w)
		}
		if r.Key != "import:ucdp:"+r.ID {
			t.Errorf("%s: key %q", r.ID, r.Key)
		}
		if !strings.Contains(in.Description, "UCDP GED event "+r.ID) {
			t.Errorf("%s: description %q does not cite the event", r.ID, in.Description)
		}
	}
}

// ucdpRow returns the testdata's header and first row, with the columns
// named in set replaced.
func ucdpRow(tb testing.TB, set map[string]string) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/ucdp_syria.csv")
	if err != nil {
		tb.Fatal(err)
	}
	lines := strings.SplitN(string(b), "\n", 3)
	header := strings.Split(lines[0], ",")
	t, err := newTable(strings.NewReader(lines[0]+"\n"+lines[1]+"\n"), 1)
	if err != nil {
		tb.Fatal(err)
	}
	rec, err := t.next()
	if err != nil {
		tb.Fatal(err)
	}
	for i, h := range header {
		if v, ok := set[h]; ok {
			rec[i] = v
		}
	}
	var sb strings.Builder
	sb.WriteString(lines[0] + "\n")
	for i, v := range rec {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`"` + strings.ReplaceAll(v, `"`, `""`) + `"`)
	}
	sb.WriteString("\n")
	return sb.String()
}

func TestUCDPBadRows(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  map[string]string
		want string // in the error; "" for none
	}{
		{"ok", nil, ""},
		{"no id", map[string]string{"id": ""}, "id: is empty"},
		{"bad date", map[string]string{"date_start": "2016-13-01"}, `date_start: "2016-13-01" is not a date`},
		{"end before start", map[string]string{"date_end": "2015-12-31"}, "date_end:"},
		{"too early", map[string]string{"date_start": "1999-12-31", "date_end": "1999-12-31"}, "date_start: must not be before 2000-01-01"},
		{"no latitude", map[string]string{"latitude": ""}, "latitude: is empty"},
		{"bad longitude", map[string]string{"longitude": "east"}, `longitude: "east" is not a number`},
		{"longitude range", map[string]string{"longitude": "236.7"}, "longitude: must be between -180 and 180"},
		{"violence", map[string]string{"type_of_violence": "4"}, "type_of_violence: 4 is not"},
		{"precision", map[string]string{"where_prec": "9"}, "where_prec: 9 is not"},
		{"negative", map[string]string{"best": "-1"}, `best: "-1" is not a count`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := readAll(t, UCDP, strings.NewReader(ucdpRow(t, tc.set)), nil)
			if len(recs) != 1 {
				t.Fatalf("%d records, want 1", len(recs))
			}
			r := recs[0]
			if tc.want == "" {
				if r.Err != nil || r.Input == nil {
					t.Fatalf("Err = %v, want none", r.Err)
				}
				return
			}
			if r.Err == nil || !strings.Contains(truce.ErrorMessage(r.Err), tc.want) || r.Input != nil {
				t.Errorf("Err = %v, want one saying %q and no input", r.Err, tc.want)
			}
			if r.Row != 2 {
				t.Errorf("Row = %d, want 2", r.Row)
			}
		})
	}
}

func TestUCDPFuture(t *testing.T) {
	now := func() time.Time { return time.Date(2015, 6, 1, 0, 0, 0, 0, time.UTC) }
	recs := readAll(t, UCDP, strings.NewReader(ucdpRow(t, nil)), &Options{Now: now})
	if e := truce.ErrorMessage(recs[0].Err); e != "date_start: must not be in the future" {
		t.Errorf("an event after the clock: %q, want date_start: must not be in the future", e)
	}
}

func TestUCDPHeader(t *testing.T) {
	_, err := NewReader(UCDP, strings.NewReader("id,year\n1,2016\n"), astana(t), nil)
	if err == nil || !strings.Contains(err.Error(), "type_of_violence") || !strings.Contains(err.Error(), "UCDP GED") {
		t.Errorf("NewReader of a file without UCDP columns = %v, want an error naming them", err)
	}
	if _, err := NewReader(UCDP, strings.NewReader(""), astana(t), nil); err == nil {
		t.Error("NewReader of an empty file: no error")
	}
}

func TestUCDPGovernorates(t *testing.T) {
	seen := map[string]string{}
	for name, p := range ucdpGovernorates {
		u, ok := places.UnitByPCode(p)
		if !ok || u.Level != places.ADM1 {
			t.Errorf("%s → %s, not a governorate", name, p)
		}
		if other, dup := seen[p]; dup {
			t.Errorf("%s and %s both → %s", name, other, p)
		}
		seen[p] = name
	}
	if len(seen) != len(places.Governorates()) {
		t.Errorf("%d governorates mapped, want all %d", len(seen), len(places.Governorates()))
	}
	if p, ok := UCDPGovernorate("Idlib Governorate"); !ok || p != "SY07" {
		t.Errorf(`UCDPGovernorate("Idlib Governorate") = %q, %v; want SY07`, p, ok)
	}
	if _, ok := UCDPGovernorate(""); ok {
		t.Error(`UCDPGovernorate("") is ok`)
	}
}

func TestUCDPEventType(t *testing.T) {
	for _, tc := range []struct {
		violence        int
		sideA, headline string
		eventType, sub  string
	}{
		{3, "IS", "Air strike kills family", "Violence against civilians", "Attack"},
		{1, "Government of Syria", "Regime warplanes raid Kafr Nabl", "Explosions/Remote violence", "Air/drone strike"},
		{2, "IS", "Drone hits SDF post", "Battles", "Armed clash"}, // no aircraft on either side
		{1, "Government of Syria", "Mortar shells hit Jaramana", "Explosions/Remote violence", "Shelling/artillery/missile attack"},
		{1, "Government of Syria", "Landmine explosion in Tasil", "Explosions/Remote violence", "Remote explosive/landmine/IED"},
		{1, "Government of Syria", "Suicide car bomb in Homs", "Explosions/Remote violence", "Suicide bomb"},
		{1, "Government of Syria", "Clashes continue in Daraya", "Battles", "Armed clash"},
		{1, "Government of Syria", "IEDs found near Jasim", "Explosions/Remote violence", "Remote explosive/landmine/IED"},
		{1, "Government of Syria", "Fighters determined to hold Mineral hill", "Battles", "Armed clash"}, // not a mine
		{1, "Government of Syria", "Jets raid Hish", "Explosions/Remote violence", "Air/drone strike"},
	} {
		et, sub := ucdpEventType(tc.violence, tc.sideA, tc.headline)
		if et != tc.eventType || sub != tc.sub {
			t.Errorf("ucdpEventType(%d, %q, %q) = %q, %q; want %q, %q", tc.violence, tc.sideA, tc.headline, et, sub, tc.eventType, tc.sub)
		}
	}
}

func TestResolveName(t *testing.T) {
	a := astana(t)
	for _, tc := range []struct {
		name, spelling string
		id             truce.ActorID
	}{
		{"Government of Syria", "Government of Syria", "SYG"},
		{"Military Forces of Syria (2000-)", "Military Forces of Syria (2000-)", "SYG"},
		{"Military Forces of Russia (2000-)", "Russia", "RU"},
		{"Government of Russia (Soviet Union)", "Russia", "RU"},
		{"Government of Turkey", "Turkey", "TR"},
		{"HTS: Hayat Tahrir al Sham", "HTS", "JFS"},
		{"Islamic State (Syria)", "Islamic State", "ISIL"},
		{"SDF: Syrian Democratic Forces", "SDF", "SDF"},
		{"Sham Legion", "Sham Legion", "FLS"},
		{"Civilians (Syria)", "", ""},
		{"Ahrar al-Sham, Jabhat Fateh al-Sham", "", ""}, // a coalition is not one actor
		{"Government of Israel", "", ""},
		{"", "", ""},
	} {
		s, id, ok := resolveName(a, tc.name)
		if s != tc.spelling || id != tc.id || ok != (tc.id != "") {
			t.Errorf("resolveName(%q) = %q, %q, %v; want %q, %q", tc.name, s, id, ok, tc.spelling, tc.id)
		}
	}
}

// BenchmarkReadUCDP reads and validates the shared UCDP file: the part of
// an import that is this package's.
func BenchmarkReadUCDP(b *testing.B) {
	data, err := os.ReadFile("../../shared/data/events_ucdp/ucdp_ged_syria_652.1601.1911_2016_2018_2019.csv")
	if err != nil {
		b.Skip(err)
	}
	a := astana(b)
	rows := 0
	types := map[string]int{}
	for b.Loop() {
		rd, err := NewReader(UCDP, bytes.NewReader(data), a, nil)
		if err != nil {
			b.Fatal(err)
		}
		for {
			r, err := rd.Next()
			if err == io.EOF {
				break
			} else if err != nil || r.Err != nil {
				b.Fatal(err, r.Err)
			}
			rows++
			types[r.Input.SubEventType]++
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.Logf("sub-event types: %v", types)
}
