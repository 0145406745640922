package interchange

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// oneLine makes s fit a one-line report field of at most max characters:
// line breaks, tabs and control characters become spaces, runs of spaces
// one, and a longer text is cut with an ellipsis. Text that is not UTF-8
// loses its broken bytes.
func oneLine(s string, max int) string {
	return clipRunes(strings.Join(strings.FieldsFunc(cleanText(s), func(r rune) bool {
		return unicode.IsSpace(r)
	}), " "), max)
}

// cleanText drops what a report's free text may not hold: bytes that are
// not UTF-8 and control characters other than line breaks and tabs.
func cleanText(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, badRune) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "") {
		switch {
		case r == '\r':
			// Windows line ends: the \n that follows stays.
		case badRune(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func badRune(r rune) bool {
	return r == utf8.RuneError || r == '\r' || (unicode.IsControl(r) && r != '\n' && r != '\t')
}

// clipRunes cuts s to at most max characters, ending a cut text with "…".
func clipRunes(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// parseCount reads a non-negative whole number; empty is ok=false with no
// error.
func parseCount(column, s string) (n int, ok bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		// Some exports write counts as 12.0.
		if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && f == float64(int(f)) {
			v, err = int(f), nil
		}
	}
	if err != nil || v < 0 {
		return 0, false, rowError(column, "%q is not a count (a whole number from 0)", clipRunes(s, 40))
	}
	return v, true, nil
}

// parseDegrees reads a latitude or longitude.
func parseDegrees(column, s string) (*float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, rowError(column, "is empty: truce needs the point where the event happened")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, rowError(column, "%q is not a number of degrees", clipRunes(s, 40))
	}
	return &v, nil
}

// formatDegrees writes a coordinate with the digits it needs and no more.
func formatDegrees(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
