package places

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// Candidate is a place a name may mean, as Lookup returns it.
type Candidate struct {
	PCode  string `json:"pcode"`   // Cnnnn for a community, SYnn… for an administrative unit
	Name   string `json:"name"`    // English name as the data writes it
	NameAR string `json:"name_ar"` // Arabic name
	ADM1   string `json:"adm1"`    // P-code of the governorate the place is in (its own, for a governorate)
	// Lat and Lon are the community's point, or the unit's centroid.
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
	// Score says how well the name matched, in [0,1], in hundredths: 1
	// the same name (up to case, diacritics, apostrophes, hyphens and the
	// article; or through the exonym table); 0.90–0.94 another
	// transliteration of it, closer spellings higher; 0.80–0.89 the same
	// consonants (a Latin name against an Arabic one, or vowels written or
	// not); below 0.8 an approximate match, 0.8 × similarity. A match with
	// one of the names a place lists ("Khan Mamid - Khan Mohammed") scores
	// 0.03 less than with its name.
	Score float64 `json:"score"`
	// Note says what the place is and where, how the name matched, and
	// when several places share the name, that they were ranked by
	// administrative importance.
	Note string `json:"note,omitempty"`
}

// DefaultLimit is the number of candidates Lookup returns when asked for
// none or fewer.
const DefaultLimit = 10

// maxQueryRunes bounds the work one query can ask for; longer input is cut.
const maxQueryRunes = 200

// Match strengths. Candidates sort by Score, so a stronger kind of match
// always ranks before a weaker one; at equal scores (places that share a
// name), by administrative importance.
const (
	scoreExact    = 1.0
	scoreVariant  = 0.9  // + 0.05 × Jaro–Winkler of the folds, at most 0.94
	scoreSkeleton = 0.8  // + 0.1 × Jaro–Winkler of the keys, at most 0.89
	scoreFuzzy    = 0.8  // × similarity, at most 0.79
	partPenalty   = 0.03 // for a match with one of the names a place lists
	minSkeleton   = 3    // consonants, for a skeleton to be worth matching
	minFuzzy      = 4    // letters of the key, for approximate matching
	minSimilarity = 0.65 // of an approximate match: (trigram Dice + Jaro–Winkler) / 2
	minDice       = 0.3  // of trigrams, before computing Jaro–Winkler
)

// Kinds of place, as a query may ask for one ("Idlib province").
const (
	anyKind       = -1
	kindCommunity = 0
	kindADM1      = ADM1
	kindADM2      = ADM2
	kindADM3      = ADM3
)

// qualifiers are words that, before or after a name, say which kind of
// place the query means: "Idlib province", "Homs city", "ناحية سراقب".
// Places of that kind rank first among equal scores.
var qualifiers = map[string]int{
	"governorate": kindADM1, "province": kindADM1, "muhafaza": kindADM1, "muhafazah": kindADM1, "muhafazat": kindADM1,
	"district": kindADM2, "mantika": kindADM2, "mantiqa": kindADM2, "mintaqa": kindADM2, "mintaqah": kindADM2,
	"subdistrict": kindADM3, "sub-district": kindADM3, "nahiya": kindADM3, "nahia": kindADM3, "nahiyah": kindADM3,
	"city": kindCommunity, "town": kindCommunity, "village": kindCommunity,
	"محافظة": kindADM1, "محافظه": kindADM1, "منطقة": kindADM2, "منطقه": kindADM2, "ناحية": kindADM3, "ناحيه": kindADM3,
	"مدينة": kindCommunity, "مدينه": kindCommunity, "بلدة": kindCommunity, "بلده": kindCommunity, "قرية": kindCommunity, "قريه": kindCommunity,
}

// qualified takes a qualifier word off the start or end of a query.
func qualified(q string) (string, int) {
	words := strings.Fields(q)
	if len(words) < 2 {
		return q, anyKind
	}
	clean := func(w string) string { return strings.ToLower(strings.Trim(w, ".,;:()")) }
	if k, ok := qualifiers[clean(words[len(words)-1])]; ok {
		return strings.Join(words[:len(words)-1], " "), k
	}
	if k, ok := qualifiers[clean(words[0])]; ok {
		words = words[1:]
		if len(words) > 1 && clean(words[0]) == "of" {
			words = words[1:]
		}
		return strings.Join(words, " "), k
	}
	return q, anyKind
}

// exonyms are names the news uses that are not transliterations of the
// gazetteer's English name: classical and foreign exonyms, the Arabic name
// where OCHA uses an English one, and Kurdish names. Each maps to the
// gazetteer's English name, which Lookup then searches as if it had been
// asked. Transliteration variants (Idlib, Hamah, Deraa, Qamishli) need no
// entry: the phonetic key handles them.
var exonyms = []struct{ alias, name string }{
	{"Palmyra", "Tadmor"},        // classical name
	{"Halab", "Aleppo"},          // the Arabic name
	{"Alep", "Aleppo"},           // French
	{"Dimashq", "Damascus"},      // the Arabic name
	{"Damas", "Damascus"},        // French
	{"Kobani", "Ain Al Arab"},    // Kurdish
	{"Kobane", "Ain Al Arab"},    // Kurdish
	{"Serekaniye", "Ras Al Ain"}, // Kurdish Serê Kaniyê
	{"Gire Spi", "Tell Abiad"},   // Kurdish Girê Spî
	{"Derik", "Al-Malikeyyeh"},   // Kurdish Dêrik
	{"Tabqa", "Al-Thawrah"},      // the town's old name, still the usual one
}

// Lookup returns the places a name may mean, best first, at most limit of
// them (DefaultLimit if limit < 1). The name may be English, in any of the
// usual transliterations, or Arabic. It searches the communities and the
// governorates, districts and sub-districts.
//
// Candidates sort by Score. Places that share a name score alike, and rank
// the more important first: a governorate capital, the governorate, a
// district centre, the district, a sub-district centre, the sub-district,
// then other communities; and a community comes just before the units it
// lies in that bear its name, since a unit is named after its town. So
// "Idlib" gives the city, the governorate, then the district; "Duma" the
// town (which OCHA marks as a sub-district centre), then Duma district; and
// where the town is missing from the communities (Al-Qusayr, Homs), the
// unit comes before villages elsewhere that happen to share its name. A
// word such as "province", "district", "city" (or محافظة, منطقة, مدينة)
// before or after the name puts places of that kind first.
//
// Lookup returns nil when nothing matches, as for a name with no letters
// or digits.
func Lookup(name string, limit int) []Candidate {
	if limit < 1 {
		limit = DefaultLimit
	}
	if utf8.RuneCountInString(name) > maxQueryRunes {
		name = string([]rune(name)[:maxQueryRunes])
	}
	g := loadGazetteer()
	s := g.newSearch()
	defer g.done(s)
	if bare, kind := qualified(name); kind != anyKind {
		// Search the name without the qualifier, and also with it, in
		// case the qualifier is part of a name ("رحية مدينة").
		s.kind = kind
		s.run(bare)
	}
	s.run(name)
	return s.candidates(limit)
}

// run searches for name, English or Arabic.
func (s *search) run(name string) {
	if hasArabic(name) {
		if folded, raw := arabicWords(name); len(folded) > 0 {
			s.arabic(folded, raw)
		}
		return
	}
	words := latinWords(name)
	if len(words) == 0 {
		return
	}
	if target, ok := s.g.aliases[phoneticKey(words)]; ok {
		s.note = fmt.Sprintf("%s is another name for %s", strings.TrimSpace(name), target)
		s.latin(latinWords(target))
		s.note = ""
	}
	s.latin(words)
}

// place is a community or unit as the gazetteer ranks and describes it.
type place struct {
	pcode, name, nameAR, adm1 string
	adm2, adm3                string // a community's district and sub-district
	legacy                    string // a sub-district's LegacyPCode
	lat, lon                  float64
	rank                      int    // administrative importance, 0 first
	about                     string // what and where it is, for Note
}

// kind is kindCommunity or the level of a unit, read from the P-code.
func (p *place) kind() int {
	if p.pcode[0] == 'C' {
		return kindCommunity
	}
	return (len(p.pcode) - 2) / 2
}

// spelling is one name of a place: its English or Arabic name, or one of
// the alternatives a name lists.
type spelling struct {
	place  int32
	text   string
	fold   []rune // the folded name, to grade transliteration variants
	key    []rune // the phonetic key (Latin) or the fold (Arabic)
	ntri   int    // distinct trigrams of key
	part   bool   // one of several names the place lists
	arabic bool
}

type gazetteer struct {
	places    []place
	spellings []spelling
	// Indexes from a fold, key, skeleton or trigram to spellings.
	exact, phonetic, skeleton, trigrams map[string][]int32
	aliases                             map[string]string // phonetic key of an exonym → gazetteer name
	pool                                sync.Pool         // of *search
}

var loadGazetteer = sync.OnceValue(buildGazetteer)

func buildGazetteer() *gazetteer {
	g := &gazetteer{
		exact: map[string][]int32{}, phonetic: map[string][]int32{},
		skeleton: map[string][]int32{}, trigrams: map[string][]int32{},
		aliases: map[string]string{},
	}
	units := unitIndex()
	nameOf := func(pcode string) string {
		if u, ok := units[pcode]; ok {
			return u.NameEN
		}
		return pcode
	}
	add := func(p place) {
		i := int32(len(g.places))
		g.places = append(g.places, p)
		for j, s := range splitAlternatives(p.name, false) {
			g.addLatin(i, s, j > 0)
		}
		for j, s := range splitAlternatives(p.nameAR, true) {
			g.addArabic(i, s, j > 0)
		}
	}
	for _, c := range loadCommunities() {
		p := place{pcode: c.PCode, name: c.NameEN, nameAR: c.NameAR, adm1: c.ADM1, adm2: c.ADM2, adm3: c.ADM3, lat: c.Lat, lon: c.Lon}
		var what string
		switch c.CapitalLevel {
		case 1:
			p.rank, what = 0, "governorate capital"
			if c.ADM1 == "SY01" {
				what = "national capital"
			}
		case 2:
			p.rank, what = 2, "district centre"
		case 3:
			p.rank, what = 4, "sub-district centre"
		default:
			p.rank, what = 6, "community"
		}
		p.about = fmt.Sprintf("%s, %s district, %s", what, nameOf(c.ADM2), nameOf(c.ADM1))
		add(p)
	}
	for _, u := range loadADM1() {
		add(place{pcode: u.PCode, name: u.NameEN, nameAR: u.NameAR, adm1: u.ADM1, lon: u.Centroid[0], lat: u.Centroid[1],
			rank: 1, about: "governorate (ADM1); lat/lon is its centroid"})
	}
	for _, u := range loadADM2() {
		add(place{pcode: u.PCode, name: u.NameEN, nameAR: u.NameAR, adm1: u.ADM1, lon: u.Centroid[0], lat: u.Centroid[1],
			rank: 3, about: fmt.Sprintf("district (ADM2), %s; lat/lon is its centroid", nameOf(u.ADM1))})
	}
	for _, u := range loadADM3() {
		add(place{pcode: u.PCode, name: u.NameEN, nameAR: u.NameAR, adm1: u.ADM1, legacy: u.LegacyPCode, lon: u.Centroid[0], lat: u.Centroid[1],
			rank: 5, about: fmt.Sprintf("sub-district (ADM3), %s district, %s; lat/lon is its centroid", nameOf(u.ADM2), nameOf(u.ADM1))})
	}
	for _, e := range exonyms {
		g.aliases[phoneticKey(latinWords(e.alias))] = e.name
	}
	return g
}

// index appends spelling si to the list of k, once per place. A place's
// spellings are added one after the other, so an earlier one of the same
// place can only be last in the list.
func index(m map[string][]int32, k string, si int32, place int32, spellings []spelling) {
	l := m[k]
	if n := len(l); n > 0 && spellings[l[n-1]].place == place {
		return
	}
	m[k] = append(l, si)
}

func (g *gazetteer) addLatin(pi int32, text string, part bool) {
	words := latinWords(text)
	if len(words) == 0 {
		return
	}
	key := phoneticKey(words)
	g.addSpelling(pi, spelling{text: text, part: part}, strings.Join(words, ""), key, latinSkeleton(key), key)
}

func (g *gazetteer) addArabic(pi int32, text string, part bool) {
	folded, raw := arabicWords(text)
	if len(folded) == 0 {
		return
	}
	fold := strings.Join(folded, "")
	g.addSpelling(pi, spelling{text: text, part: part, arabic: true}, fold, "", arabicSkeleton(raw), fold)
}

func (g *gazetteer) addSpelling(pi int32, sp spelling, fold, key, skel, fuzzy string) {
	si := int32(len(g.spellings))
	tri := trigrams([]rune(fuzzy))
	sp.place, sp.fold, sp.key, sp.ntri = pi, []rune(fold), []rune(fuzzy), len(tri)
	g.spellings = append(g.spellings, sp)
	index(g.exact, fold, si, pi, g.spellings)
	if key != "" {
		index(g.phonetic, key, si, pi, g.spellings)
	}
	if len(skel) >= 3 {
		index(g.skeleton, skel, si, pi, g.spellings)
	}
	for _, t := range tri {
		index(g.trigrams, t, si, pi, g.spellings)
	}
}
