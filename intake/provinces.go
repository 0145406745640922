package intake

import (
	"slices"
	"strings"
	"sync"

	"truce/i18n"
	"truce/places"
)

// provinceSpellings are the common spellings of the governorates' names
// beyond OCHA's and the exonyms of package i18n: transliterations news
// agencies use, the articles written or not, and the Russian case forms a
// count puts a name in ("в провинции Латакии"). A spelling of several
// words is matched whole ("Rif Dimashq" before "Damascus").
var provinceSpellings = map[string]string{
	"SY01": "Damascus|Dimashq|Damasco|Damas|Дамаск|Дамаска|Дамаске|دمشق",
	"SY02": "Aleppo|Halab|Alepo|Alep|Halep|Алеппо|Халеб|حلب",
	"SY03": "Rural Damascus|Rif Dimashq|Rif Dimashk|Reef Damascus|Damascus countryside|Damascus Countryside|Eastern Ghouta|East Ghouta|Ghouta|" +
		"Восточная Гута|Восточной Гуте|Восточной Гуты|Гута|Гуте|Гуты|ريف دمشق|الغوطة الشرقية|الغوطة",
	"SY04": "Homs|Hims|Homs|Хомс|Хомса|Хомсе|حمص",
	"SY05": "Hama|Hamah|Hamá|Хама|حماة|حماه",
	"SY06": "Lattakia|Latakia|Latakiya|Lattaquié|Laodicea|Lazkiye|Латакия|Латакии|Латакию|Латакией|اللاذقية|لاذقیه",
	"SY07": "Idleb|Idlib|Edlib|Ідліб|Идлиб|Идлиба|Идлибе|إدلب|ادلب",
	"SY08": "Al-Hasakeh|Hasakeh|Hasakah|al-Hasakah|Hasaka|al-Hasaka|Haseke|Хасеке|Эль-Хасеке|الحسكة",
	"SY09": "Deir-ez-Zor|Deir ez-Zor|Deir ez Zor|Deir al-Zour|Deir el-Zour|Deir Ezzor|Deir-ez-Zour|Deir Ez-Zor|Deyrizor|" +
		"Дейр-эз-Зор|Дейр-эз-Зоре|Дейр-эз-Зора|دير الزور",
	"SY10": "Tartous|Tartus|Tartous|Тартус|Тартуса|Тартусе|طرطوس",
	"SY11": "Ar-Raqqa|Raqqa|ar-Raqqah|Raqqah|al-Raqqa|Rakka|Ракка|Ракки|Ракке|الرقة",
	"SY12": "Dar'a|Daraa|Deraa|Dera'a|Dara'a|Derra|Dera|Дераа|Даръа|Дараа|درعا",
	"SY13": "As-Sweida|Sweida|as-Suwayda|Suwayda|al-Suwayda|Sweida|Swaida|as-Sweida|Süveyda|Эс-Сувейда|Сувейда|Сувейде|Сувейды|السويداء",
	"SY14": "Quneitra|al-Quneitra|Al-Quneitra|el-Quneitra|Qunaytirah|al-Qunaytirah|Kuneitra|Kuneytra|Эль-Кунейтра|Кунейтра|Кунейтры|Кунейтре|القنيطرة",
}

// provinceIndex maps the first folded word of each spelling to the
// spellings that start with it, longest first.
type provinceName struct {
	words []string
	pcode string
}

var provinceIndex = sync.OnceValue(func() map[string][]provinceName {
	idx := map[string][]provinceName{}
	seen := map[string]bool{}
	add := func(pcode, name string) {
		var words []string
		for _, t := range tokenize(name) {
			if t.kind == tokWord {
				words = append(words, t.fold)
			}
		}
		key := pcode + " " + strings.Join(words, " ")
		if len(words) == 0 || seen[key] {
			return
		}
		seen[key] = true
		idx[words[0]] = append(idx[words[0]], provinceName{words, pcode})
		// "al-Quneitra" is also written "Quneitra", and the reverse.
		if len(words) == 1 {
			for _, art := range []string{"al-", "el-", "ar-", "as-", "ad-", "ash-"} {
				if rest, ok := strings.CutPrefix(words[0], art); ok && rest != "" {
					k2 := pcode + " " + rest
					if !seen[k2] {
						seen[k2] = true
						idx[rest] = append(idx[rest], provinceName{[]string{rest}, pcode})
					}
				}
			}
		}
	}
	for _, g := range places.Governorates() {
		add(g.PCode, g.NameEN)
		add(g.PCode, g.NameAR)
		for _, l := range i18n.Langs {
			add(g.PCode, i18n.Governorate(g.PCode, l))
		}
	}
	for pcode, names := range provinceSpellings {
		for n := range strings.SplitSeq(names, "|") {
			add(pcode, n)
		}
	}
	for k := range idx {
		slices.SortStableFunc(idx[k], func(a, b provinceName) int { return len(b.words) - len(a.words) })
	}
	return idx
})

// province reads a governorate's name at toks[i]: its P-code and the
// number of tokens it spans, or 0. An Arabic conjunction or preposition
// attached to the name ("واللاذقية", "بحلب") is read through.
func province(toks []token, i int) (string, int) {
	t := toks[i]
	if t.kind != tokWord {
		return "", 0
	}
	idx := provinceIndex()
	first := t.fold
	cands, ok := idx[first]
	if !ok && len(first) > 2 {
		for _, p := range []string{"و", "ب", "ف", "ل"} {
			if rest, cut := strings.CutPrefix(first, p); cut {
				if c, ok2 := idx[rest]; ok2 {
					cands, ok = c, true
					break
				}
			}
		}
	}
	if !ok {
		return "", 0
	}
next:
	for _, c := range cands {
		if i+len(c.words) > len(toks) {
			continue
		}
		for k := 1; k < len(c.words); k++ {
			if toks[i+k].fold != c.words[k] {
				continue next
			}
		}
		return c.pcode, len(c.words)
	}
	return "", 0
}
