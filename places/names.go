package places

import (
	"strings"
	"unicode"
)

// How a name becomes something to match. A name is compared at three
// strengths, strictest first:
//
//   - fold: lower case, Latin diacritics and apostrophes (ʿ ʾ ') dropped,
//     the Arabic article stripped (al-, el-, ar-, as-, ash-, ad-, an-, at-,
//     az-, ez-, … whether spaced, hyphened or attached: "Al Bab", "al-Bab",
//     "Albab", "Bab"), and the words run together. For Arabic: tashkil and
//     tatweel dropped, alef and hamza forms folded to ا, ة to ه, ى to ي, ال
//     stripped from each word, and "مركز"/"مدينة" before a name dropped.
//   - key (Latin only): the fold spelled phonetically, so that the many
//     English transliterations of one Arabic name meet: kh, gh, q, k, c, g
//     are one letter; sh, ch, sch another; th→t, dh→d, ph→f, v→w, p→b;
//     every run of vowels (a e i o u, and y/w where they are vowels, as in
//     "Dayr", "Zawr") is one vowel; doubled letters are single; a final h
//     after a vowel (Hamah, Raqqah) is dropped. Khan Shaykhoun, Khan
//     Shaykhun and Khan Shaykun all become "kanSakan".
//   - skeleton: the consonants of the key (no vowels, w or y), or of an
//     Arabic name written in the same letters (ح→h, خ→k, ق→k, ش→S, ص→s …;
//     ا و ي ع ء dropped; ة as t inside a phrase). It lets a Latin query meet
//     an Arabic name ("Halab" and حلب are both hlb) and absorbs vowels
//     written or not ("Qunaytirah", "Quneitra"). Only used from three
//     consonants up.

// articles are the Arabic article as English transliterations write it,
// alone or assimilated to a sun letter (ar-Raqqa, ash-Shaykh, ez-Zor).
var articles = map[string]bool{
	"al": true, "el": true, "il": true, "ul": true, "l": true,
	"ar": true, "er": true, "as": true, "es": true, "ad": true, "ed": true,
	"an": true, "en": true, "at": true, "et": true, "az": true, "ez": true,
	"ash": true, "esh": true, "ath": true, "eth": true, "adh": true, "edh": true,
	"aj": true, "ej": true,
}

// prefixWords are words before a name that say what it is rather than
// which: "Markaz Darayya" is the central sub-district of Darayya.
var prefixWords = map[string]bool{"markaz": true}

// latinFolds spells Latin letters with diacritics (and a few ligatures)
// in plain ASCII, the way the folded forms compare them.
var latinFolds = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a", 'ạ': "a",
	'æ': "ae", 'ç': "ch", 'ć': "c", 'č': "ch", 'ď': "d", 'đ': "d", 'ḍ': "d", 'ḏ': "dh", 'ð': "dh",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ĕ': "e", 'ė': "e", 'ę': "e", 'ě': "e", 'ẹ': "e",
	'ğ': "gh", 'ġ': "gh", 'ģ': "g", 'ḥ': "h", 'ḩ': "h", 'ħ': "h", 'ẖ': "kh", 'ḫ': "kh",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ĩ': "i", 'ī': "i", 'ĭ': "i", 'į': "i", 'ı': "i", 'ị': "i",
	'ķ': "k", 'ḳ': "k", 'ĺ': "l", 'ļ': "l", 'ľ': "l", 'ł': "l", 'ñ': "n", 'ń': "n", 'ņ': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ŏ': "o", 'ő': "o", 'œ': "oe", 'ọ': "o",
	'ŕ': "r", 'ŗ': "r", 'ř': "r", 'ś': "s", 'ŝ': "s", 'ṣ': "s", 'ş': "sh", 'š': "sh", 'ß': "ss",
	'ţ': "t", 'ť': "t", 'ŧ': "t", 'ṭ': "t", 'ṯ': "th", 'þ': "th",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ũ': "u", 'ū': "u", 'ŭ': "u", 'ů': "u", 'ű': "u", 'ų': "u", 'ụ': "u",
	'ŵ': "w", 'ý': "y", 'ÿ': "y", 'ŷ': "y", 'ź': "z", 'ż': "z", 'ž': "zh", 'ẓ': "z",
}

// isMark reports whether r is written for the ʿayn or hamza, or is an
// apostrophe: left out, without splitting the word ("Ma'arrat").
func isMark(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', 'ʻ', 'ʿ', 'ʾ', '`', '´', 'ʹ', '′', 'ʽ':
		return true
	}
	return false
}

// hasArabic reports whether s has a letter of the Arabic script.
func hasArabic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// latinWords returns the folded words of a Latin-script name: lower case,
// ASCII where a fold is known, marks dropped, split at anything else that
// is not a letter or digit, articles and prefix words removed.
func latinWords(s string) []string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case isMark(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Lm, r):
			// apostrophes, combining marks, modifier letters, tatweel
		case latinFolds[r] != "":
			b.WriteString(latinFolds[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	out := words[:0]
	for i, w := range words {
		last := i == len(words)-1
		if !last && (articles[w] || (len(out) == 0 && prefixWords[w])) {
			continue
		}
		out = append(out, stripAttachedArticle(w))
	}
	return out
}

// stripAttachedArticle removes an article written onto its word:
// "Elbab", "Albab" (al/el and at least three letters), "Ezzor",
// "Arraqqa" (a vowel before a doubled sun letter).
func stripAttachedArticle(w string) string {
	if len(w) >= 5 && (strings.HasPrefix(w, "al") || strings.HasPrefix(w, "el")) {
		return w[2:]
	}
	if len(w) >= 4 && (w[0] == 'a' || w[0] == 'e') && w[1] == w[2] && strings.IndexByte("tdrzsln", w[1]) >= 0 {
		return w[2:]
	}
	if len(w) >= 6 && (w[0] == 'a' || w[0] == 'e') && (strings.HasPrefix(w[1:], "shsh") || strings.HasPrefix(w[1:], "thth")) {
		return w[3:]
	}
	return w
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// phoneticKey spells folded Latin words phonetically; see the top of this
// file. The vowel is written 'a', sh as 'S'.
func phoneticKey(words []string) string {
	var out []byte
	emit := func(c byte) {
		if n := len(out); n > 0 && out[n-1] == c {
			return // doubled letters, runs of vowels
		}
		out = append(out, c)
	}
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			c := w[i]
			next := byte(0)
			if i+1 < len(w) {
				next = w[i+1]
			}
			if c >= 0x80 { // a letter without a fold: itself
				emit(c)
				continue
			}
			switch {
			case strings.HasPrefix(w[i:], "sch"):
				emit('S')
				i += 2
			case c == 's' && next == 'h', c == 'c' && next == 'h':
				emit('S')
				i++
			case (c == 'k' || c == 'g') && next == 'h', c == 'c' && next == 'k':
				emit('k')
				i++
			case c == 't' && next == 'h':
				emit('t')
				i++
			case c == 'd' && next == 'h':
				emit('d')
				i++
			case c == 'p' && next == 'h':
				emit('f')
				i++
			case c == 'd' && next == 'j', c == 'z' && next == 'h':
				emit('j')
				i++
			case isVowel(c):
				emit('a')
			case c == 'y' || c == 'w':
				if isVowel(next) {
					// A consonant. After a consonant, an unwritten vowel
					// comes first: "Sweida" is "Suwayda".
					if n := len(out); n > 0 && out[n-1] != 'a' && i > 0 {
						emit('a')
					}
					emit(c)
				} else {
					emit('a') // Dayr, Zawr: part of the vowel
				}
			case c == 'h' && i == len(w)-1 && len(out) > 0 && out[len(out)-1] == 'a':
				// Final h after a vowel: ta marbuta, Hamah = Hama.
			case c == 'q' || c == 'k' || c == 'c' || c == 'g':
				emit('k')
			case c == 'v':
				emit('w')
			case c == 'p':
				emit('b')
			case c == 'x':
				emit('k')
				emit('s')
			default:
				emit(c)
			}
		}
	}
	return string(out)
}

// latinSkeleton is the key without its vowels, w and y.
func latinSkeleton(key string) string {
	var b []byte
	for i := 0; i < len(key); i++ {
		if c := key[i]; c != 'a' && c != 'w' && c != 'y' {
			b = append(b, c)
		}
	}
	return string(b)
}

// arabicFolds are the letters Arabic spellings of one name write
// differently, folded to one.
var arabicFolds = map[rune]rune{
	'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ٲ': 'ا', 'ٳ': 'ا',
	'ؤ': 'و', 'ئ': 'ي', 'ى': 'ي', 'ی': 'ي', 'ک': 'ك', 'ڪ': 'ك',
}

// arabicPrefixWords are words before a name that say what it is: "مركز"
// (centre, of a district named after its town) and "مدينة" (city).
var arabicPrefixWords = map[string]bool{"مركز": true, "مدينه": true, "ناحيه": true}

// arabicWords returns the folded words of an Arabic name, and the same
// words with ة not yet folded to ه, for arabicSkeleton.
func arabicWords(s string) (folded, raw []string) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == 'ـ' || unicode.Is(unicode.Mn, r) || r == 'ء' || r == 'ٔ' || r == 'ٕ':
			// tatweel, tashkil, hamza alone: left out
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if f, ok := arabicFolds[r]; ok {
				r = f
			}
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		last := i == len(words)-1
		fw := strings.ReplaceAll(w, "ة", "ه")
		if !last && len(raw) == 0 && arabicPrefixWords[fw] {
			continue
		}
		if strings.HasPrefix(w, "ال") && len([]rune(w)) >= 4 {
			w = strings.TrimPrefix(w, "ال")
			fw = strings.TrimPrefix(fw, "ال")
		}
		raw = append(raw, w)
		folded = append(folded, fw)
	}
	return folded, raw
}

// arabicConsonants writes Arabic letters in the consonant alphabet of the
// phonetic key. Letters absent (ا و ي ع ى) are vowels, ʿayn or glides that
// English spellings write as vowels or not at all.
var arabicConsonants = map[rune]byte{
	'ب': 'b', 'ت': 't', 'ث': 't', 'ج': 'j', 'ح': 'h', 'خ': 'k', 'د': 'd', 'ذ': 'd',
	'ر': 'r', 'ز': 'z', 'س': 's', 'ش': 'S', 'ص': 's', 'ض': 'd', 'ط': 't', 'ظ': 'z',
	'غ': 'k', 'ف': 'f', 'ق': 'k', 'ك': 'k', 'ل': 'l', 'م': 'm', 'ن': 'n', 'ه': 'h',
	'پ': 'b', 'چ': 'j', 'ڤ': 'f', 'گ': 'k', 'ژ': 'j',
}

// arabicSkeleton is the consonant skeleton of Arabic words (as returned
// raw by arabicWords): a final ه or ة is left out (Hama, Raqqa), a ة
// inside a phrase is t (Maarrat an-Numan).
func arabicSkeleton(raw []string) string {
	var b []byte
	var prev byte // the consonant of the letter before, to write a doubled one once
	for i, w := range raw {
		rs := []rune(w)
		for j, r := range rs {
			final := j == len(rs)-1
			c, ok := arabicConsonants[r]
			switch {
			case r == 'ة' && final && i == len(raw)-1, r == 'ه' && final:
				c, ok = 0, false
			case r == 'ة':
				c, ok = 't', true
			}
			if ok && c != prev {
				b = append(b, c)
			}
			prev = c
		}
	}
	return string(b)
}

// splitAlternatives splits a name that lists several ("Khan Mamid - Khan
// Mohammed", "ترمك تحتاني_ترمك شيخان") into its parts, after the whole.
func splitAlternatives(name string, arabic bool) []string {
	out := []string{name}
	var parts []string
	if arabic {
		parts = strings.FieldsFunc(name, func(r rune) bool { return r == '_' || r == '-' })
	} else {
		parts = strings.Split(name, " - ")
	}
	if len(parts) > 1 {
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}
