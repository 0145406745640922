package agreements

import (
	"encoding/csv"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"truce"
)

// mustLoadAstana loads the shipped agreement or stops the test.
func mustLoadAstana(tb testing.TB) *truce.Agreement {
	tb.Helper()
	data, ok := Builtin(Default)
	if !ok {
		tb.Fatalf("Builtin(%q) not found", Default)
	}
	a, err := Parse(Default+".yaml", data)
	if err != nil {
		tb.Fatalf("Parse(%s) = %v", Default, err)
	}
	return a
}

func TestAstanaActors(t *testing.T) {
	a := mustLoadAstana(t)
	if got, want := a.ID, "astana-2017"; got != want {
		t.Errorf("id = %q, want %q", got, want)
	}
	// Other packages use these ids; they must not change.
	want := map[truce.ActorID]truce.Standing{
		"RU": truce.Guarantor, "IR": truce.Guarantor, "TR": truce.Guarantor,
		"SYG": truce.Party, "FLS": truce.Party, "AHS": truce.Party, "JAI": truce.Party,
		"TSH": truce.Party, "JMJ": truce.Party, "JID": truce.Party, "JSH": truce.Party,
		"JAS": truce.Party, "OPP": truce.Party,
		"ISIL": truce.Excluded, "JFS": truce.Excluded,
		"UN": truce.Observer, "US": truce.Observer,
		"JWG": truce.Secretariat,
		"SDF": truce.Other,
	}
	if got, want := len(a.Actors), len(want); got != want {
		t.Errorf("len(Actors) = %d, want %d", got, want)
	}
	for id, standing := range want {
		x := a.Actor(id)
		if x == nil {
			t.Errorf("Actor(%s) = nil, want an actor", id)
			continue
		}
		if x.Standing != standing {
			t.Errorf("Actor(%s).Standing = %s, want %s", id, x.Standing, standing)
		}
		if x.ACLEDInter == 0 && x.Standing != truce.Secretariat && id != "UN" {
			t.Errorf("Actor(%s).ACLEDInter = 0, want an ACLED actor type", id)
		}
	}
	if got, want := a.Guarantors(), []truce.ActorID{"RU", "IR", "TR"}; !slices.Equal(got, want) {
		t.Errorf("Guarantors() = %v, want %v", got, want)
	}
	if got, want := a.Actor("SYG").Guarantors, []truce.ActorID{"RU", "IR"}; !slices.Equal(got, want) {
		t.Errorf("SYG guarantors = %v, want %v", got, want)
	}
	for _, x := range a.Actors {
		if x.Standing == truce.Party && x.ID != "SYG" && !slices.Equal(x.Guarantors, []truce.ActorID{"TR"}) {
			t.Errorf("%s guarantors = %v, want [TR]", x.ID, x.Guarantors)
		}
	}
}

func TestAstanaResolveActor(t *testing.T) {
	a := mustLoadAstana(t)
	tests := []struct {
		name string
		want truce.ActorID
	}{
		{"Jabhat al-Nusra", "JFS"},
		{"Jabhat Fateh al-Sham", "JFS"},
		{"Hayat Tahrir al-Sham", "JFS"},
		{"HTS", "JFS"},
		{"جبهة النصرة", "JFS"},
		{"daesh", "ISIL"},
		{"ISIS", "ISIL"},
		{"داعش", "ISIL"},
		{"الدولة الإسلامية", "ISIL"},
		{"Syrian Arab Army", "SYG"},
		{"الجيش العربي السوري", "SYG"},
		{"Government of Syria", "SYG"},
		{"Sham Legion", "FLS"},
		{"فيلق الشام", "FLS"},
		{"أحرار الشام", "AHS"},
		{"احرار الشام", "AHS"}, // without the hamza
		{"Free Idlib Army", "JID"},
		{"Levant Front", "JSH"},
		{"Army of Mujahideen", "JMJ"},
		{"FSA", "OPP"},
		{"الجيش السوري الحر", "OPP"},
		{"YPG", "SDF"},
		{"قوات سوريا الديمقراطية", "SDF"},
		{"Türkiye", "TR"},
		{"turkiye", "TR"},
		{"ru", "RU"},
		{"Российская Федерация", "RU"},
		{"U.N.", "UN"},
		{"Hezbollah", ""},
	}
	for _, tt := range tests {
		got, ok := a.ResolveActor(tt.name)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("ResolveActor(%q) = %q, %v, want %q", tt.name, got, ok, tt.want)
		}
	}
}

// The consensus rules must decide as the comments in the file say.
func TestAstanaConsensus(t *testing.T) {
	a := mustLoadAstana(t)
	filed := time.Date(2017, 2, 1, 12, 0, 0, 0, time.UTC)
	open, closed := filed.Add(time.Hour), filed.Add(72*time.Hour)
	C, D, N := truce.Confirm, truce.Dispute, truce.CannotVerify
	tests := []struct {
		name  string
		tally truce.Tally
		now   time.Time
		want  truce.State
	}{
		{"all confirm", truce.Tally{"RU": C, "IR": C, "TR": C}, open, truce.Confirmed},
		{"all dispute", truce.Tally{"RU": D, "IR": D, "TR": D}, open, truce.Rejected},
		{"one confirms, one disputes", truce.Tally{"RU": C, "TR": D}, open, truce.Contested},
		{"no answers yet", truce.Tally{}, open, truce.Pending},
		{"two confirm, window open", truce.Tally{"RU": C, "IR": C}, open, truce.Pending},
		{"two confirm, window closed", truce.Tally{"RU": C, "IR": C}, closed, truce.Unilateral},
		{"no answers, window closed", truce.Tally{}, closed, truce.Unilateral},
		{"cannot verify, window closed", truce.Tally{"TR": N}, closed, truce.Unilateral},
		{"one dispute, window closed", truce.Tally{"TR": D}, closed, truce.Contested},
		{"two dispute, one cannot verify", truce.Tally{"RU": D, "IR": D, "TR": N}, closed, truce.Contested},
	}
	for _, tt := range tests {
		if got := truce.Consensus(a, tt.tally, filed, tt.now); got != tt.want {
			t.Errorf("%s: Consensus(%v) = %s, want %s", tt.name, tt.tally, got, tt.want)
		}
	}
	// A report filed by a guarantor's member is that guarantor's
	// confirmation: filed by Russia, confirmed by Iran and Turkey.
	tally := truce.Answers(a, "RU", []truce.Assessment{
		{Organisation: "IR", Verdict: C}, {Organisation: "TR", Verdict: C},
	})
	if got, want := truce.Consensus(a, tally, filed, open), truce.Confirmed; got != want {
		t.Errorf("filed by RU, confirmed by IR and TR: Consensus = %s, want %s", got, want)
	}
}

func TestAstanaTimeAreaDisclosure(t *testing.T) {
	a := mustLoadAstana(t)
	if got, want := a.Effective, time.Date(2016, 12, 29, 22, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Effective = %v, want %v", got, want)
	}
	want := map[truce.Role]truce.Disclosure{
		truce.RoleGuarantor: {Coordinates: truce.DiscloseExact},
		truce.RoleMonitor:   {Coordinates: truce.DiscloseExact},
		truce.RoleOperator:  {Coordinates: truce.DiscloseExact},
		truce.RoleParty:     {Coordinates: truce.DiscloseCoarse, Grid: 0.01},
		truce.RoleObserver:  {Coordinates: truce.DiscloseCoarse, Grid: 0.1},
		truce.RolePublic:    {Coordinates: truce.DiscloseGovernorate},
	}
	for r, d := range want {
		if got := a.Disclosure[r]; got != d {
			t.Errorf("Disclosure[%s] = %+v, want %+v", r, got, d)
		}
	}
}

// Every community of the OCHA gazetteer must lie inside the agreement's
// area. The gazetteer is shared data outside the module; without it the
// test is skipped.
func TestAstanaAreaHoldsGazetteer(t *testing.T) {
	f, err := os.Open("../../shared/data/gazetteer/syr_communities_ocha_adm4.csv")
	if err != nil {
		t.Skipf("gazetteer not available: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	b := mustLoadAstana(t).Area
	for _, r := range rows[1:] {
		lat, err1 := strconv.ParseFloat(r[col["LATITUDE"]], 64)
		lon, err2 := strconv.ParseFloat(r[col["LONGITUDE"]], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		if lon < b[0] || lat < b[1] || lon > b[2] || lat > b[3] {
			t.Errorf("%s %s (%v, %v) lies outside the area %v", r[col["PCODE"]], r[col["NAME_EN"]], lon, lat, b)
		}
	}
}
