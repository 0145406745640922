// Package i18n holds what truce's publications need to speak the
// languages of the mechanism: the five languages (English, Arabic,
// Russian, Turkish, Persian), their writing direction, and the names of
// Syria's governorates in each. Fixed texts live with the publications
// that print them, keyed by language.
package i18n

import "fmt"

// Lang is a language of truce's publications: an ISO 639-1 code.
type Lang string

const (
	EN Lang = "en"
	AR Lang = "ar"
	RU Lang = "ru"
	TR Lang = "tr"
	FA Lang = "fa"
)

// Langs lists the languages, English first.
var Langs = []Lang{EN, AR, RU, TR, FA}

// Parse returns the language of code, or an error naming the choices.
func Parse(code string) (Lang, error) {
	for _, l := range Langs {
		if string(l) == code {
			return l, nil
		}
	}
	return "", fmt.Errorf("%q is not a language of truce's publications: en, ar, ru, tr or fa", code)
}

// RTL reports whether the language is written right to left.
func (l Lang) RTL() bool { return l == AR || l == FA }

// Dir is the HTML dir attribute for the language: "rtl" or "ltr".
func (l Lang) Dir() string {
	if l.RTL() {
		return "rtl"
	}
	return "ltr"
}

// governorates are the names of Syria's governorates by OCHA P-code, in
// each language: OCHA's English and Arabic names, and the usual Russian,
// Turkish and Persian exonyms.
var governorates = map[string][5]string{
	//      en                ar             ru                  tr               fa
	"SY01": {"Damascus", "دمشق", "Дамаск", "Şam", "دمشق"},
	"SY02": {"Aleppo", "حلب", "Алеппо", "Halep", "حلب"},
	"SY03": {"Rural Damascus", "ريف دمشق", "Дамаск (провинция)", "Kırsal Şam", "ریف دمشق"},
	"SY04": {"Homs", "حمص", "Хомс", "Humus", "حمص"},
	"SY05": {"Hama", "حماة", "Хама", "Hama", "حماه"},
	"SY06": {"Lattakia", "اللاذقية", "Латакия", "Lazkiye", "لاذقیه"},
	"SY07": {"Idleb", "إدلب", "Идлиб", "İdlib", "ادلب"},
	"SY08": {"Al-Hasakeh", "الحسكة", "Хасеке", "Haseke", "حسکه"},
	"SY09": {"Deir-ez-Zor", "دير الزور", "Дейр-эз-Зор", "Deyrizor", "دیرالزور"},
	"SY10": {"Tartous", "طرطوس", "Тартус", "Tartus", "طرطوس"},
	"SY11": {"Ar-Raqqa", "الرقة", "Ракка", "Rakka", "رقه"},
	"SY12": {"Dar'a", "درعا", "Дераа", "Dera", "درعا"},
	"SY13": {"As-Sweida", "السويداء", "Эс-Сувейда", "Süveyda", "سویدا"},
	"SY14": {"Quneitra", "القنيطرة", "Эль-Кунейтра", "Kuneytra", "قنیطره"},
}

// Governorate returns the name of the governorate with the P-code in the
// language; the code itself when it names none.
func Governorate(pcode string, l Lang) string {
	names, ok := governorates[pcode]
	if !ok {
		return pcode
	}
	for i, x := range Langs {
		if x == l {
			return names[i]
		}
	}
	return names[0]
}
