package intake

import (
	"strings"
	"time"
)

// months are month names, folded: English (and abbreviations), Russian
// (genitive, as dates write them), Arabic (Levantine and Egyptian),
// Portuguese. The Levantine names of two words (كانون الثاني) are read by
// monthAt.
var months = map[string]time.Month{}

// weekdays are weekday names, folded, in the forms "on Tuesday", "во
// вторник", "يوم الثلاثاء", "na terça-feira" write them.
var weekdays = map[string]time.Weekday{}

func init() {
	for i, ws := range []string{
		"january jan январь января янв يناير جانفي janeiro",
		"february feb февраль февраля фев فبراير شباط fevereiro",
		"march mar март марта آذار اذار مارس março",
		"april apr апрель апреля апр أبريل ابريل نيسان abril",
		"may май мая مايو أيار ايار maio",
		"june jun июнь июня يونيو حزيران junho",
		"july jul июль июля يوليو تموز julho",
		"august aug август августа авг أغسطس اغسطس آب agosto",
		"september sep sept сентябрь сентября сен سبتمبر أيلول ايلول setembro",
		"october oct октябрь октября окт أكتوبر اكتوبر outubro",
		"november nov ноябрь ноября نوفمبر novembro",
		"december dec декабрь декабря дек ديسمبر dezembro",
	} {
		for w := range strings.FieldsSeq(ws) {
			months[fold(w)] = time.Month(i + 1)
		}
	}
	for i, ws := range []string{
		"sunday воскресенье الأحد الاحد domingo",
		"monday понедельник الاثنين الإثنين segunda-feira",
		"tuesday вторник الثلاثاء terça-feira",
		"wednesday среда среду الأربعاء الاربعاء quarta-feira",
		"thursday четверг الخميس quinta-feira",
		"friday пятница пятницу الجمعة sexta-feira",
		"saturday суббота субботу السبت sábado",
	} {
		for w := range strings.FieldsSeq(ws) {
			weekdays[fold(w)] = time.Weekday(i)
		}
	}
}

// relativeDays are words that name a day by its distance from the
// document's: "yesterday", "вчера", "أمس".
var relativeDays = map[string]int{
	"today": 0, "tonight": 0, "сегодня": 0, "اليوم": 0, "hoje": 0,
	"yesterday": -1, "вчера": -1, "امس": -1, "البارحه": -1, "ontem": -1,
	"позавчера": -2,
}

// When is the day an incident happened, as the text gives it.
type When struct {
	Date string `json:"date"` // YYYY-MM-DD
	// Precision is ACLED's time precision: 1 the day is given, 2 it is
	// the document's own date (the text names no day).
	Precision int   `json:"precision"`
	Span      *Span `json:"span,omitempty"`
	// Relative says the day was read against the document's date ("on
	// Tuesday", "yesterday").
	Relative bool `json:"relative,omitempty"`
}

// monthAt reads a month's name at toks[i]: the month and tokens spanned.
func monthAt(toks []token, i int) (time.Month, int) {
	f := toks[i].fold
	if f == "كانون" || f == "تشرين" {
		if i+1 < len(toks) {
			switch toks[i+1].fold {
			case "الثاني":
				if f == "كانون" {
					return time.January, 2
				}
				return time.November, 2
			case "الاول":
				if f == "كانون" {
					return time.December, 2
				}
				return time.October, 2
			}
		}
		return 0, 0
	}
	if m, ok := months[f]; ok && toks[i].kind == tokWord {
		n := 1
		// "آذار/مارس": the Levantine and Egyptian names together.
		if i+2 < len(toks) && toks[i+1].raw == "/" && months[toks[i+2].fold] == m {
			n = 3
		}
		return m, n
	}
	return 0, 0
}

// dateAt reads an absolute date at toks[i]: "2017-03-05", "05.03.2017",
// "5 March 2017", "March 5, 2017", "5 марта 2017 года", "5 de março de
// 2017", "5 آذار 2017"; a date without a year takes ref's. It returns the
// date and the number of tokens spanned, or 0.
func dateAt(toks []token, i int, ref time.Time) (time.Time, int) {
	num := func(k int) (int, bool) {
		if k < len(toks) && toks[k].kind == tokNumber && toks[k].fold == "" {
			return toks[k].num, true
		}
		return 0, false
	}
	mk := func(y, m, d int) (time.Time, bool) {
		if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
			return time.Time{}, false
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		return t, t.Day() == d
	}
	if a, ok := num(i); ok && i+4 < len(toks) {
		sep := toks[i+1].raw
		if (sep == "-" || sep == "." || sep == "/") && toks[i+3].raw == sep {
			b, ok1 := num(i + 2)
			c, ok2 := num(i + 4)
			if ok1 && ok2 {
				if t, ok := mk(a, b, c); ok && a >= 1900 { // 2017-03-05
					return t, 5
				}
				if t, ok := mk(c, b, a); ok { // 05.03.2017
					return t, 5
				}
			}
		}
	}
	// "5 March 2017", "5 de março de 2017"
	if d, ok := num(i); ok && d >= 1 && d <= 31 && i+1 < len(toks) {
		k := i + 1
		if toks[k].fold == "de" {
			k++
		}
		if k < len(toks) {
			if m, n := monthAt(toks, k); n > 0 {
				k += n
				y, yn := ref.Year(), 0
				kk := k
				if kk < len(toks) && toks[kk].fold == "de" {
					kk++
				}
				if v, ok := num(kk); ok && v >= 1900 {
					y, yn = v, kk+1-k
				}
				if t, ok := mk(y, int(m), d); ok && (yn > 0 || !ref.IsZero()) {
					return t, k + yn - i
				}
			}
		}
	}
	// "March 5, 2017", "March 5"
	if m, n := monthAt(toks, i); n > 0 {
		if d, ok := num(i + n); ok && d >= 1 && d <= 31 {
			k := i + n + 1
			if k < len(toks) && toks[k].raw == "," {
				k++
			}
			if v, ok := num(k); ok && v >= 1900 {
				if t, ok := mk(v, int(m), d); ok {
					return t, k + 1 - i
				}
			}
			if t, ok := mk(ref.Year(), int(m), d); ok && !ref.IsZero() {
				return t, n + 1
			}
		}
	}
	return time.Time{}, 0
}

// relativeAt reads a day named relative to ref at toks[i]: "yesterday",
// "on Tuesday" (the latest Tuesday on or before ref).
func relativeAt(toks []token, i int, ref time.Time) (time.Time, int) {
	if ref.IsZero() || toks[i].kind != tokWord {
		return time.Time{}, 0
	}
	f := toks[i].fold
	if d, ok := relativeDays[f]; ok {
		return ref.AddDate(0, 0, d), 1
	}
	if f == "last" && i+1 < len(toks) && toks[i+1].fold == "night" {
		return ref.AddDate(0, 0, -1), 2
	}
	w, ok := weekdays[f]
	if !ok {
		// "يوم الثلاثاء" is read at the weekday; an attached و or ب
		// ("والثلاثاء") is read through.
		for _, p := range []string{"و", "ب"} {
			if rest, cut := strings.CutPrefix(f, p); cut {
				if w, ok = weekdays[rest]; ok {
					break
				}
			}
		}
	}
	if !ok {
		return time.Time{}, 0
	}
	back := (int(ref.Weekday()) - int(w) + 7) % 7
	return ref.AddDate(0, 0, -back), 1
}
