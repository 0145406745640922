package screport

import (
	"math"
	"strconv"
	"strings"

	"truce/i18n"
)

// Numbers are written with Western digits in every language, as the
// mechanism's documents are, grouped and with the decimal sign each
// language uses with them. They run left to right in Arabic and Persian
// text too: isolate wraps them so that the bidirectional algorithm keeps
// a range such as "2017-01-01 – 2017-03-31" in its order.

// groupSep and decimalSep are the digit-group and decimal separators.
func groupSep(l i18n.Lang) string {
	switch l {
	case i18n.RU:
		return "\u00a0" // a no-break space
	case i18n.TR:
		return "."
	}
	return ","
}

func decimalSep(l i18n.Lang) string {
	switch l {
	case i18n.RU, i18n.TR:
		return ","
	}
	return "."
}

// num writes an integer with digit groups.
func num(l i18n.Lang, n int) string {
	s := strconv.Itoa(max(n, -n))
	if len(s) > 4 || (len(s) == 4 && l != i18n.RU) {
		var b strings.Builder
		for i, c := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteString(groupSep(l))
			}
			b.WriteRune(c)
		}
		s = b.String()
	}
	if n < 0 {
		s = "-" + s
	}
	return s
}

// dec writes a number with one decimal.
func dec(l i18n.Lang, f float64) string {
	v := math.Round(f * 10)
	whole, frac := int(v/10), int(math.Abs(math.Mod(v, 10)))
	return num(l, whole) + decimalSep(l) + strconv.Itoa(frac)
}

// percent writes n of total as a percentage with no decimals.
func percent(l i18n.Lang, n, total int) string {
	if total == 0 {
		return "–"
	}
	p := int(math.Round(100 * float64(n) / float64(total)))
	switch l {
	case i18n.TR:
		return "%" + strconv.Itoa(p)
	case i18n.FA, i18n.AR:
		return strconv.Itoa(p) + "%"
	case i18n.RU:
		return strconv.Itoa(p) + "\u00a0%"
	}
	return strconv.Itoa(p) + "%"
}

// isolate keeps a run of numbers, dates or Latin text left to right
// inside right-to-left text (U+2066 LEFT-TO-RIGHT ISOLATE … U+2069 POP
// DIRECTIONAL ISOLATE); in left-to-right languages it is the text.
func isolate(l i18n.Lang, s string) string {
	if !l.RTL() {
		return s
	}
	return "\u2066" + s + "\u2069"
}
