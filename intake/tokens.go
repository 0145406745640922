package intake

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// tokKind is what a token is.
type tokKind uint8

const (
	tokWord tokKind = iota
	tokNumber
	tokPunct
)

// token is a word, a number or a punctuation mark of the text. A number
// is digits or number words ("seven", "восемь", "سبعة", "twenty-one");
// compound number words are one token.
type token struct {
	kind       tokKind
	start, end int    // byte offsets into the text
	raw        string // the text as written
	fold       string // lower case, without diacritics or apostrophes; Arabic folded
	num        int    // the value of a number
}

// isWordRune reports whether r continues a word: letters, digits, marks,
// apostrophes. Hyphens join words ("al-Quneitra", "Russian-Turkish") when a
// letter follows them.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '\'' || r == '’' || r == 'ʼ' || r == 'ʿ' || r == 'ـ'
}

// tokenize splits text into tokens and reads numbers.
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/5)
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r) || r == '\u200f' || r == '\u200e' || r == '\u00a0':
			i += n
		case isDigit(r):
			j := i
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if !isDigit(r2) {
					break
				}
				j += n2
			}
			// Digits glued to letters ("24h", "الـ24") stay numbers; the
			// letters after them become a word of their own.
			toks = append(toks, token{kind: tokNumber, start: i, end: j, raw: text[i:j], num: digitsValue(text[i:j])})
			i = j
		case isWordRune(r):
			j := i
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if isWordRune(r2) && !isDigit(r2) {
					j += n2
					continue
				}
				if r2 == '-' || r2 == '‐' {
					if r3, _ := utf8.DecodeRuneInString(text[j+n2:]); unicode.IsLetter(r3) {
						j += n2
						continue
					}
				}
				break
			}
			w := text[i:j]
			toks = append(toks, token{kind: tokWord, start: i, end: j, raw: w, fold: fold(w)})
			i = j
		default:
			toks = append(toks, token{kind: tokPunct, start: i, end: i + n, raw: text[i : i+n], fold: text[i : i+n]})
			i += n
		}
	}
	return mergeNumbers(toks)
}

func isDigit(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= '٠' && r <= '٩') || (r >= '۰' && r <= '۹')
}

// digitsValue reads ASCII, Arabic-Indic or Persian digits; numbers past
// nine digits are cut, as no count in a bulletin comes near.
func digitsValue(s string) int {
	v := 0
	for _, r := range s {
		d := 0
		switch {
		case r >= '0' && r <= '9':
			d = int(r - '0')
		case r >= '٠' && r <= '٩':
			d = int(r - '٠')
		case r >= '۰' && r <= '۹':
			d = int(r - '۰')
		}
		if v < 1e9 {
			v = v*10 + d
		}
	}
	return v
}

// fold is the form words are compared in: lower case, without
// diacritics, apostrophes or tatweel, with the Arabic letters that are
// spelt several ways made one.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c == '\'' {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	// Cyrillic and Arabic words, most of what is not ASCII here, need
	// no normalisation: their letters are mapped one by one. Latin
	// letters with accents are decomposed and their marks dropped.
	slow := false
	for _, r := range s {
		if (r >= 0x80 && r < 0x400) || (r >= 0x1E00 && r < 0x1F00) {
			slow = true
			break
		}
	}
	if slow {
		s = norm.NFD.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == 'ʼ', r == 'ʿ', r == 'ـ':
			continue
		case r == 'ё' || r == 'Ё':
			r = 'е'
		case r == 'й' || r == 'Й':
			r = 'и' // as NFD with the breve dropped would
		case r == 'ی' || r == 'ى' || r == 'ئ':
			r = 'ي'
		case r == 'ک':
			r = 'ك'
		case r == 'ة':
			r = 'ه'
		case r == 'ؤ':
			r = 'و'
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	if slow {
		return norm.NFC.String(b.String())
	}
	return b.String()
}
