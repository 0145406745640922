package intake

import (
	"strings"

	"truce"
)

// The guarantors a bulletin's reporting side may be, by the English name
// the agreement resolves (its alias), and the ids used when no agreement
// is given.
var countries = []struct {
	name string        // resolved with Agreement.ResolveActor
	id   truce.ActorID // without an agreement
	// adjectives and nouns that name the country in a side's phrase,
	// folded: English, Russian (the cases a side takes), Portuguese,
	// Arabic, Turkish.
	words string
}{
	{"Russia", "RU", "russian russia российской российская российский российские российскую российского русской россия россии " +
		"russo russa russos russas russe الروسي الروسيه روسيا rus rusya"},
	{"Turkey", "TR", "turkish turkey турецкой турецкая турецкий турецкие турецкую турецкого турция турции " +
		"turco turca turcos turcas turc التركي التركيه تركيا turk türk turkiye türkiye"},
	{"Iran", "IR", "iranian iran иранской иранская иранский иранские иранскую иранского иран ирана " +
		"iraniano iraniana iranianos الايراني الايرانيه ايران iran"},
}

// sideNouns follow the country in English, Russian and Turkish ("the
// Russian side", "Турецкой частью", "Rus tarafı") and precede it in
// Portuguese and Arabic ("o lado turco", "الجانب الروسي").
var sideNouns = wordSet("side part party officers officials delegation representatives servicemen monitors military " +
	"частью часть части стороной сторона стороны стороне представители представителями офицеры офицерами военные военными " +
	"tarafı tarafi tarafınca tarafindan heyeti " +
	"lado parte oficiais militares representantes delegação " +
	"الجانب الطرف القسم الوفد الضباط")

// sideVerbs follow a country's name when the country itself is the
// subject: "Turkey has recorded 19 violations".
var sideVerbs = wordSet("has have recorded registered reported зафиксировала зарегистрировала сообщила registrou سجلت")

// nounFirst are the side nouns of languages that put the adjective after.
var nounFirst = wordSet("lado parte oficiais militares representantes delegação الجانب الطرف القسم الوفد الضباط")

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[fold(w)] = true
	}
	return m
}

// sideCue is a phrase naming a reporting side.
type sideCue struct {
	at, end int // token indices
	side    truce.ActorID
}

// sideResolver gives the actor id of each country in the agreement.
type sideResolver struct {
	words map[string]truce.ActorID
}

func newSideResolver(a *truce.Agreement) *sideResolver {
	r := &sideResolver{words: map[string]truce.ActorID{}}
	for _, c := range countries {
		id := c.id
		if a != nil {
			if got, ok := a.ResolveActor(c.name); ok && a.IsGuarantor(got) {
				id = got
			} else {
				continue // not a guarantor of this agreement
			}
		}
		for _, w := range strings.Fields(c.words) {
			r.words[fold(w)] = id
		}
	}
	return r
}

// cues finds the phrases naming a reporting side.
func (r *sideResolver) cues(toks []token) []sideCue {
	var out []sideCue
	for i := range toks {
		id, ok := r.words[toks[i].fold]
		if !ok || toks[i].kind != tokWord {
			continue
		}
		// "the Russian side", "Turkey has recorded"
		if i+1 < len(toks) && (sideNouns[toks[i+1].fold] && !nounFirst[toks[i+1].fold] || sideVerbs[toks[i+1].fold]) {
			out = append(out, sideCue{i, i + 2, id})
			continue
		}
		// "o lado russo", "الجانب الروسي"
		if i > 0 && nounFirst[toks[i-1].fold] {
			out = append(out, sideCue{i - 1, i + 1, id})
		}
	}
	return out
}

// joint reports whether a word names two guarantors together, as the
// joint commission is named: "Russia-Turkey", "Russian-Turkish",
// "российско-турецкой".
func (r *sideResolver) joint(t token) bool {
	a, b, ok := strings.Cut(t.fold, "-")
	if !ok {
		return false
	}
	x, okx := r.words[a]
	if !okx {
		// "российско-": the first half of a compound adjective.
		x, okx = r.words[strings.TrimSuffix(a, "о")+"ой"]
	}
	y, oky := r.words[b]
	return okx && oky && x != y
}
