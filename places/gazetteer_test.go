package places

import (
	"fmt"
	"strings"
	"testing"
)

// required are the names Lookup must resolve, each to the place that
// must rank first.
var required = []struct {
	want    string
	queries []string
}{
	{"C3987", []string{"Khan Sheikhoun", "Khan Shaykhun", "Khan Shaykun", "Khan Shaykhoun", "Khan Sheikhun", "khan shaykhun", "خان شيخون"}},
	{"C3985", []string{"Maarat al-Numan", "Ma'arrat An Nu'man", "Maarrat al-Nouman", "Ma'arat al-Nu'man", "Maarat an-Numan", "Maaret al-Numan", "معرة النعمان"}},
	{"C5086", []string{"Deir ez-Zor", "Dayr az-Zawr", "Deir Ezzor", "Deir-ez-Zor", "Deir al-Zour", "Deir Ez Zor", "دير الزور"}},
	{"C1202", []string{"Al Bab", "al-Bab", "Bab", "Albab", "El-Bab", "el Bab", "Al-Bab", "AL BAB", "الباب", "باب"}},
	{"C2870", []string{"Ar-Rastan", "Rastan", "Al Rastan", "al-Rastan", "Er-Rastan", "Arrastan", "الرستن"}},
	{"C2154", []string{"As-Safira", "Safira", "As Safira", "al-Safira", "Assafira", "Es-Safira", "السفيرة"}},
	{"C2419", []string{"An Nabk", "Nabk", "an-Nabk", "al-Nabk", "En Nabk", "Annabk"}},
	{"C2395", []string{"At Tall", "at-Tall", "al-Tall", "Attall", "Et Tell"}},
	{"C4199", []string{"Jisr ash-Shughur", "Jisr al-Shughur", "Jisr Ash Shugur", "Jisr-Ash-Shugur", "Jisr el-Shughour", "جسر الشغور"}},
	{"C6021", []string{"Ash-Shajara", "Ash Shajarah", "al-Shajara", "Shajara"}},
	{"C2429", []string{"Az-Zabdani", "Zabadani", "al-Zabadani", "Ez-Zabadani", "Zabdani"}},
	{"C5929", []string{"Al-Thawrah", "Ath-Thawrah", "Thawrah", "Tabqa", "al-Tabqa"}},
	{"C2338", []string{"Douma", "Duma", "Doumah", "دوما"}},
	{"C1007", []string{"Aleppo", "Halab", "Haleb", "حلب", "حَلَب", "حلـب"}},
	{"C3871", []string{"Idlib", "Idleb", "إدلب", "ادلب", "Edlib"}},
	{"C2528", []string{"Homs", "Hims", "حمص", "Homs city"}},
	{"C2987", []string{"Hama", "Hamah", "Hamat", "حماة", "حماه"}},
	{"C5993", []string{"Daraa", "Dar'a", "Deraa", "Dara'a", "Der'a", "درعا"}},
	{"C5710", []string{"Raqqa", "Ar-Raqqa", "Al Raqqah", "Raqqah", "ar-Raqqah", "Rakka", "الرقة", "الرقه"}},
	{"C2889", []string{"Palmyra", "Tadmur", "Tadmor", "تدمر"}},
	{"C1946", []string{"Kobani", "Kobane", "Ain al-Arab", "Ayn al-Arab", "Ain Al Arab"}},
	{"C4564", []string{"Qamishli", "Qamishlo", "Al-Qamishli", "Kamishli", "Quamishli"}},
	{"C6147", []string{"Sweida", "Suwayda", "As-Suwayda", "Al-Suwaida", "السويداء"}},
	{"C3480", []string{"Latakia", "Lattakia", "Al-Ladhiqiyah", "Ladhiqiyah", "اللاذقية"}},
	{"C5221", []string{"Tartus", "Tartous", "Tartouss"}},
	{"C1767", []string{"Manbij", "Menbij", "Membij"}},
	{"C6268", []string{"Quneitra", "Qunaytirah", "Kuneitra", "al-Quneitra"}},
	{"C1001", []string{"Damascus", "Dimashq", "دمشق"}},
	{"C6002", []string{"Busra Esh-Sham", "Bosra al-Sham", "Busra ash-Sham", "بصرى الشام", "بصري الشام"}},
	{"C2227", []string{"Jarablus", "Jarabulus", "Jerablus"}},
	{"C5792", []string{"Tell Abiad", "Tal Abyad", "Tell Abyad", "Gire Spi"}},
	// Al-Qusayr of the news is the town in Homs, which the communities
	// layer lacks: its district ranks before the two villages of that name.
	{"SY0402", []string{"Qusayr", "Al-Qusayr", "al Qusayr", "Qusair", "القصير"}},
}

func TestLookupRequired(t *testing.T) {
	for _, r := range required {
		for _, q := range r.queries {
			got := Lookup(q, 3)
			if len(got) == 0 || got[0].PCode != r.want {
				t.Errorf("Lookup(%q): %s, want %s first", q, show(got), r.want)
			}
		}
	}
}

func show(cs []Candidate) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "[%s %s %.2f] ", c.PCode, c.Name, c.Score)
	}
	return b.String()
}

// TestLookupRanking checks the order among places that share a name.
func TestLookupRanking(t *testing.T) {
	for _, c := range []struct {
		query string
		want  []string
	}{
		// City, governorate, district, sub-district.
		{"Idlib", []string{"C3871", "SY07", "SY0700", "SY070000"}},
		{"إدلب", []string{"C3871", "SY07", "SY0700", "SY070000"}},
		{"Aleppo", []string{"C1007", "SY02"}},
		// District centre, district, sub-district, then others of the name.
		{"Al Bab", []string{"C1202", "SY0202", "SY020200"}},
		// A sub-district centre before the district named after it, then
		// the villages of the same name elsewhere.
		{"Duma", []string{"C2338", "SY0302", "SY030200", "C3076", "C6236"}},
		{"Hama", []string{"C2987", "SY05", "SY0501", "SY050100", "C2323"}},
		{"Al-Qusayr", []string{"SY0402", "SY040200", "C4572", "C6017"}},
		// A word for the kind of place puts that kind first.
		{"Idlib province", []string{"SY07", "C3871"}},
		{"Idlib governorate", []string{"SY07", "C3871"}},
		{"Idleb district", []string{"SY0700"}},
		{"محافظة حمص", []string{"SY04", "C2528"}},
		{"Homs city", []string{"C2528", "SY04"}},
	} {
		got := Lookup(c.query, len(c.want))
		var codes []string
		for _, g := range got {
			codes = append(codes, g.PCode)
		}
		if strings.Join(codes, " ") != strings.Join(c.want, " ") {
			t.Errorf("Lookup(%q): %s, want %v", c.query, show(got), c.want)
		}
	}
}

func TestLookupNotes(t *testing.T) {
	got := Lookup("Idlib", 3)
	if len(got) != 3 {
		t.Fatalf("Lookup(Idlib): %s", show(got))
	}
	for _, want := range []string{"governorate capital", `spelled "Idleb" here`, "4 places share this name; ranked by administrative importance"} {
		if !strings.Contains(got[0].Note, want) {
			t.Errorf("note %q lacks %q", got[0].Note, want)
		}
	}
	if !strings.Contains(got[1].Note, "governorate (ADM1)") || !strings.Contains(got[2].Note, "district (ADM2)") {
		t.Errorf("notes: %q, %q", got[1].Note, got[2].Note)
	}
	if n := Lookup("Palmyra", 1)[0].Note; !strings.Contains(n, "Palmyra is another name for Tadmor") {
		t.Errorf("Palmyra note %q", n)
	}
	if n := Lookup("Hjeileh", 1)[0].Note; !strings.Contains(n, "one of the names in") {
		t.Errorf("Hjeileh note %q", n)
	}
	// Governorates come with their centroid.
	g := Lookup("Idlib province", 1)[0]
	u, _ := UnitByPCode("SY07")
	if g.Lon != u.Centroid[0] || g.Lat != u.Centroid[1] || g.ADM1 != "SY07" || g.NameAR != "إدلب" {
		t.Errorf("governorate candidate %+v, unit centroid %v", g, u.Centroid)
	}
}

func TestLookupScores(t *testing.T) {
	for _, q := range []string{"Khan Shaykun", "Khan Sheikhoun", "Qunaytirah", "Khan Shaykhn", "Maarat", "Halab", "حلب", "Tel"} {
		got := Lookup(q, 50)
		for i, c := range got {
			if c.Score < 0 || c.Score > 1 {
				t.Errorf("Lookup(%q)[%d] score %v", q, i, c.Score)
			}
			if i > 0 && got[i-1].Score < c.Score {
				t.Errorf("Lookup(%q): %v before %v", q, got[i-1].Score, c.Score)
			}
		}
	}
	for _, c := range []struct {
		query    string
		min, max float64
	}{
		{"Khan Shaykun", 1, 1},        // the gazetteer's spelling
		{"KHAN-SHAYKUN", 1, 1},        // case and hyphen
		{"Khan Sheikhoun", 0.9, 0.94}, // a transliteration
		{"Khan Shaykhn", 0.8, 0.89},   // the same consonants
		{"Khan Shaykhum", 0.4, 0.79},  // approximate
	} {
		got := Lookup(c.query, 1)
		if len(got) == 0 || got[0].PCode != "C3987" || got[0].Score < c.min || got[0].Score > c.max {
			t.Errorf("Lookup(%q): %s, want C3987 scoring %v–%v", c.query, show(got), c.min, c.max)
		}
	}
}

func TestLookupLimit(t *testing.T) {
	if n := len(Lookup("Hama", 1)); n != 1 {
		t.Errorf("limit 1: %d", n)
	}
	if n := len(Lookup("Hama", 0)); n != DefaultLimit {
		t.Errorf("limit 0: %d, want %d", n, DefaultLimit)
	}
	if n := len(Lookup("Hama", -3)); n != DefaultLimit {
		t.Errorf("limit -3: %d, want %d", n, DefaultLimit)
	}
	all := Lookup("Hama", 10000)
	if len(all) <= DefaultLimit || len(all) >= 10000 {
		t.Errorf("limit 10000: %d", len(all))
	}
	if top := Lookup("Hama", 3); show(top) != show(all[:3]) {
		t.Errorf("limit changes the order: %s vs %s", show(top), show(all[:3]))
	}
}

func TestLookupGarbage(t *testing.T) {
	for _, q := range []string{"", " ", "\t\n", "!!!", "-", "'", "«»", "ـــ", "\xff\xfe", "٭"} {
		if got := Lookup(q, 5); got != nil {
			t.Errorf("Lookup(%q) = %s, want nil", q, show(got))
		}
	}
	for _, q := range []string{"12345", "xyz", "qqqqqqqq", "zzzz zzzz", "Lorem ipsum dolor sit amet", "日本", strings.Repeat("ab", 5000)} {
		for _, c := range Lookup(q, 5) {
			if c.Score >= scoreSkeleton {
				t.Errorf("Lookup(%.20q): %s %s scores %.2f", q, c.PCode, c.Name, c.Score)
			}
		}
	}
}

// TestExonyms checks that every exonym names a place of the gazetteer.
func TestExonyms(t *testing.T) {
	for _, e := range exonyms {
		got := Lookup(e.name, 1)
		if len(got) == 0 || got[0].Score != scoreExact {
			t.Errorf("exonym %s: %s not in the gazetteer (%s)", e.alias, e.name, show(got))
		}
		if a := Lookup(e.alias, 1); len(a) == 0 || len(got) == 0 || a[0].PCode != got[0].PCode {
			t.Errorf("Lookup(%q) = %s, want %s", e.alias, show(a), show(got))
		}
	}
}

func TestLookupAllCommunitiesFindThemselves(t *testing.T) {
	misses := 0
	for _, c := range Communities() {
		for _, name := range []string{c.NameEN, c.NameAR} {
			found := false
			for _, r := range Lookup(name, 100) {
				if r.PCode == c.PCode && r.Score == scoreExact {
					found = true
					break
				}
			}
			if !found && name != "" {
				misses++
				t.Errorf("Lookup(%q) lacks %s with score 1", name, c.PCode)
			}
		}
		if misses > 10 {
			t.Fatal("too many")
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	var queries []string
	for _, r := range required {
		queries = append(queries, r.queries...)
	}
	loadGazetteer()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Lookup(queries[i%len(queries)], DefaultLimit)
	}
}

func BenchmarkLookupMiss(b *testing.B) {
	loadGazetteer()
	for b.Loop() {
		Lookup("Xanadu Qarqaraz Shmeinkiyyeh", DefaultLimit)
	}
}

func BenchmarkBuildGazetteer(b *testing.B) {
	loadCommunities()
	unitIndex()
	for b.Loop() {
		buildGazetteer()
	}
}
