package intake

import (
	"strings"
	"sync"
)

// taxonomy maps keywords to ACLED event and sub-event types, in English,
// Russian, Arabic and Portuguese. Rows are tried in order, the more
// specific first: a text about an air strike that also mentions shelling
// reads as the air strike. A keyword is one word or several (separated
// by spaces); a trailing * matches any ending, for inflected words
// ("обстрел*" is обстрел, обстрела, обстреляли).
var taxonomy = []struct {
	event, sub string
	keywords   string // separated by "|"
}{
	{"Explosions/Remote violence", "Chemical weapon",
		"chemical attack|chemical weapons|chlorine|sarin|toxic gas|химическ*|хлор*|зарин*|كيماوي*|الكيماوي*|غاز سام|الكلور|químic*"},
	{"Explosions/Remote violence", "Suicide bomb",
		"suicide*|car bomb|vbied|смертник*|шахид*|انتحاري*|سيارة مفخخة|مفخخ*|suicida*|carro-bomba"},
	{"Explosions/Remote violence", "Remote explosive/landmine/IED",
		"ied|roadside bomb|landmine*|land mine|mine exploded|explosive device|самодельн*|фугас*|мина|мину|عبوة ناسفة|عبوه ناسفه|لغم|ألغام|الغام|mina terrestre|explosivo improvisado"},
	{"Explosions/Remote violence", "Air/drone strike",
		"airstrike*|air strike*|air raid*|airstrike|warplane*|aircraft|helicopter*|barrel bomb*|drone*|uav|bombed from the air|" +
			"авиаудар*|авиаци*|беспилотник*|дрон*|бомбардиров*|غارة|غارات|الطيران|طيران|طائرة|طائرات|مسيرة|مسيره|براميل|برميل|" +
			"ataque aéreo|ataques aéreos|bombardeio aéreo|drone*|avião|aviões"},
	{"Explosions/Remote violence", "Grenade", "grenade*|гранат*|قنبلة يدوية|قنابل يدوية|granada*"},
	{"Explosions/Remote violence", "Shelling/artillery/missile attack",
		"shell*|artillery|mortar*|rocket*|missile*|bombard*|grad|mlrs|" +
			"обстрел*|артиллер*|миномет*|минометн*|ракет*|снаряд*|" +
			"قصف|القصف|قصفت|قذائف|قذيفة|قذيفه|صواريخ|صاروخ|مدفعي*|الهاون|هاون|راجمات|" +
			"bombardeio*|artilharia|morteiro*|foguete*|míssil|mísseis|disparos"},
	{"Violence against civilians", "Abduction/forced disappearance",
		"abduct*|kidnap*|похищ*|похитил*|خطف|اختطاف|اختطف*|sequestr*"},
	{"Battles", "Government regains territory",
		"recaptured|regained control|retook|liberated|освободил*|أعاد السيطرة|استعاد*|retomou|recuperou"},
	{"Battles", "Non-state actor overtakes territory",
		"captured|seized control|took control|overran|захватил*|سيطر*|capturou|tomou o controle"},
	{"Battles", "Armed clash",
		"clash*|fighting|fought|battle*|firefight|exchange of fire|exchanged fire|opened fire|attacked positions|sniper*|gunfire|" +
			"столкновени*|бой|боя|бои|боестолкновени*|перестрелк*|открыли огонь|открытия огня|снайпер*|" +
			"اشتباك*|الاشتباكات|معارك|معركة|مواجهات|قناص*|إطلاق نار|اطلاق نار|" +
			"confronto*|combate*|tiroteio*|franco-atirador*"},
	{"Violence against civilians", "Attack",
		"massacre*|executed|execution*|killed civilians|attack on civilians|расстрел*|казн*|مجزرة|مجزره|إعدام|اعدام|massacre|execução"},
	{"Protests", "Peaceful protest",
		"protest*|demonstrat*|rally|протест*|митинг*|демонстрац*|مظاهرة|مظاهرات|تظاهر*|وقفة احتجاجية|protesto*|manifestaç*"},
	{"Strategic developments", "Arrests",
		"arrested|arrests|detained|арестова*|задержа*|اعتقال|اعتقل*|احتجاز|preso*|detido*"},
}

// taxRule is a keyword of the taxonomy, folded into words.
type taxRule struct {
	words      []string
	prefix     bool // the last word matches any ending
	event, sub string
	rank       int
}

var taxIndex = sync.OnceValue(func() map[string][]taxRule {
	idx := map[string][]taxRule{}
	for rank, row := range taxonomy {
		for kw := range strings.SplitSeq(row.keywords, "|") {
			prefix := strings.HasSuffix(kw, "*")
			kw = strings.TrimSuffix(kw, "*")
			var words []string
			for w := range strings.FieldsSeq(kw) {
				words = append(words, fold(w))
			}
			if len(words) == 0 {
				continue
			}
			r := taxRule{words, prefix, row.event, row.sub, rank}
			// Index by the first word, or by its first three runes for a
			// prefix rule of one word.
			key := words[0]
			if prefix && len(words) == 1 {
				key = runePrefix(key, 3)
			}
			idx[key] = append(idx[key], r)
		}
	}
	return idx
})

func runePrefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// eventAt reads a taxonomy keyword at toks[i]: the rule and the number of
// tokens it spans, or 0.
func eventAt(toks []token, i int) (taxRule, int) {
	t := toks[i]
	if t.kind != tokWord {
		return taxRule{}, 0
	}
	idx := taxIndex()
	best, bestN := taxRule{rank: len(taxonomy)}, 0
	try := func(rules []taxRule) {
		for _, r := range rules {
			n := len(r.words)
			if i+n > len(toks) {
				continue
			}
			ok := true
			for k, w := range r.words {
				f := toks[i+k].fold
				last := k == n-1
				if !(f == w || (last && r.prefix && strings.HasPrefix(f, w))) {
					ok = false
					break
				}
			}
			if ok && (bestN == 0 || n > bestN || (n == bestN && r.rank < best.rank)) {
				best, bestN = r, n
			}
		}
	}
	try(idx[t.fold])
	if p := runePrefix(t.fold, 3); p != t.fold {
		try(idx[p])
	} else if len(t.fold) > 0 {
		// A word of three letters or fewer is its own prefix key, tried above.
	}
	// Arabic words take attached conjunctions and prepositions.
	if bestN == 0 {
		for _, p := range []string{"و", "ب", "ف", "ل"} {
			if rest, ok := strings.CutPrefix(t.fold, p); ok && len(rest) > 2 {
				saved := toks[i].fold
				toks[i].fold = rest
				try(idx[rest])
				try(idx[runePrefix(rest, 3)])
				toks[i].fold = saved
				if bestN > 0 {
					break
				}
			}
		}
	}
	return best, bestN
}
