package intake

import (
	"strings"
	"unicode"

	"truce/places"
)

// Place is a place a text names, resolved through the gazetteer.
type Place struct {
	PCode string  `json:"pcode"` // a community's Cnnnn, or a governorate's SYnn
	Name  string  `json:"name"`  // the gazetteer's English name
	ADM1  string  `json:"adm1"`  // the governorate it is in
	Lat   float64 `json:"lat"`
	Lon   float64 `json:"lon"`
	// Score is the gazetteer's (places.Candidate.Score): 1 the same name,
	// 0.9 and up another spelling of it.
	Score float64 `json:"score"`
	// Governorate says the text names a governorate, not a town: its
	// point is the governorate's centroid.
	Governorate bool `json:"governorate,omitempty"`
	Span        Span `json:"span"`
}

// minPlaceScore is the least gazetteer score a name must match with:
// other spellings of a name, not approximate matches, which the
// gazetteer gives for any word ("Russian" matches Ras Al Ain at 0.94, so
// names are also only looked up after a preposition of place).
const minPlaceScore = 0.88

// placeWords come before a place's name: "in Douma", "near Saraqib", "the
// town of Kafr Nabl", "في دوما", "بلدة كفرنبل", "в Думе".
var placeWords = wordSet("in near at outside around of into toward towards from on " +
	"в во у под около близ районе района окрестностях пункт пункте пункта поселке поселка городе города деревне селе села " +
	"em perto na no nas nos " +
	"في قرب بلدة مدينة قرية حي ريف بريف بمدينة ببلدة بقرية محيط مخيم اطراف أطراف على")

// notPlaces are capitalised words a sentence often puts after a
// preposition that the gazetteer would match loosely.
var notPlaces = wordSet("the a an syria syrian russian russia turkish turkey iranian iran government army forces " +
	"monday tuesday wednesday thursday friday saturday sunday january february march april may june july august " +
	"september october november december province governorate district city town village countryside area " +
	"north south east west northern southern eastern western central the un united nations ministry defence defense centre center " +
	"сирии сирия россии турции армии")

// cyrillic transliterates Russian letters for the gazetteer, which holds
// English and Arabic names.
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "y",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sh", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
}

func translit(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if t, ok := cyrillic[r]; ok {
			b.WriteString(t)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// placesIn finds the governorates and gazetteer places named in
// toks[from:to].
func placesIn(text string, toks []token, from, to int, actors *actorIndex) []Place {
	var out []Place
	seen := map[string]bool{}
	addGov := func(pcode string, i, n int) {
		if seen[pcode] {
			return
		}
		seen[pcode] = true
		u, ok := places.UnitByPCode(pcode)
		if !ok {
			return
		}
		out = append(out, Place{PCode: pcode, Name: u.NameEN, ADM1: pcode, Lon: u.Centroid[0], Lat: u.Centroid[1],
			Score: 1, Governorate: true, Span: spanOf(text, toks[i].start, toks[i+n-1].end)})
	}
	for i := from; i < to; i++ {
		if toks[i].kind != tokWord {
			continue
		}
		// A governorate is one only as a province: "Idlib province",
		// "the province of Hama", "محافظة إدلب"; otherwise a governorate's
		// name is its capital, which the gazetteer finds.
		if pcode, n := province(toks, i); n > 0 {
			before := i > from && provinceFillers[toks[i-1].fold] && toks[i-1].fold != "the"
			after := i+n < to && provinceFillers[toks[i+n].fold] && toks[i+n].fold != "the" && toks[i+n].fold != "of"
			// A name of several words ("Rural Damascus", "ريف دمشق") is
			// only ever the governorate's.
			if before || after || n > 1 {
				addGov(pcode, i, n)
				i += n - 1
				continue
			}
		}
		if i+1 >= to {
			continue
		}
		// After a preposition of place, or the verb of an event ("shelled
		// Kafr Nabl").
		// Arabic and Russian names are not capitalised as Latin ones
		// are, so that only a preposition introduces them.
		if !placeWords[toks[i].fold] {
			if _, n := eventAt(toks, i); n == 0 || !latinWord(toks[i+1].raw) {
				continue
			}
		}
		// Up to three words of a name after the preposition, longest first.
		start := i + 1
		for n := min(3, to-start); n >= 1; n-- {
			if !nameWords(toks[start : start+n]) {
				continue
			}
			if id, _ := actors.at(toks, start); id != "" {
				break
			}
			q := text[toks[start].start:toks[start+n-1].end]
			if hasCyrillic(q) {
				q = translit(q)
			}
			cands := places.Lookup(q, 1)
			if len(cands) == 0 || cands[0].Score < minPlaceScore {
				continue
			}
			c := cands[0]
			key := c.PCode
			if !seen[key] {
				seen[key] = true
				out = append(out, Place{PCode: c.PCode, Name: c.Name, ADM1: c.ADM1, Lat: c.Lat, Lon: c.Lon, Score: c.Score,
					Governorate: len(c.PCode) == 4, Span: spanOf(text, toks[start].start, toks[start+n-1].end)})
			}
			i = start + n - 1
			break
		}
	}
	return out
}

// nameWords reports whether toks may be a place's name: words, the first
// capitalised (or Arabic), none a common word.
func nameWords(toks []token) bool {
	for k, t := range toks {
		if t.kind != tokWord || notPlaces[t.fold] || placeWords[t.fold] {
			return false
		}
		r := []rune(t.raw)[0]
		if k == 0 && unicode.IsLower(r) && !isArabicRune(r) {
			return false
		}
		if k > 0 && unicode.IsLower(r) && !isArabicRune(r) {
			// Particles inside a name: "Maarat al Numan", "Deir ez Zor".
			head, _, _ := strings.Cut(t.fold, "-")
			switch head {
			case "al", "el", "ez", "es", "ash", "ad", "ar", "as", "an", "at", "az":
			default:
				return false
			}
		}
	}
	return true
}

func isArabicRune(r rune) bool { return r >= 0x0600 && r <= 0x06FF }

func hasCyrillic(s string) bool {
	for _, r := range s {
		if r >= 0x0400 && r <= 0x04FF {
			return true
		}
	}
	return false
}

// latinWord reports whether a word begins with a Latin letter.
func latinWord(w string) bool {
	for _, r := range w {
		return r < 0x250 && unicode.IsLetter(r)
	}
	return false
}
