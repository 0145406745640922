package truce

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkText checks a free-text field: valid UTF-8, between min and max
// characters, and no control characters other than newline and tab.
func checkText(field, s string, min, max int) error {
	if !utf8.ValidString(s) {
		return Invalidf(field, "must be valid UTF-8")
	}
	n := utf8.RuneCountInString(s)
	if n < min {
		if min == 1 {
			return Invalidf(field, "is required")
		}
		return Invalidf(field, "must be at least %d characters", min)
	}
	if min > 0 && strings.TrimSpace(s) == "" {
		return Invalidf(field, "is required: it holds only spaces")
	}
	if n > max {
		return Invalidf(field, "must be at most %d characters (got %d)", max, n)
	}
	for _, r := range s {
		if r == '\n' || r == '\t' {
			continue
		}
		if r == utf8.RuneError {
			return Invalidf(field, "must not contain U+FFFD, the mark of text that was not valid UTF-8")
		}
		if unicode.IsControl(r) {
			return Invalidf(field, "must not contain control characters (found U+%04X)", r)
		}
	}
	return nil
}

// checkLine is checkText for one-line fields: no newline or tab either.
func checkLine(field, s string, min, max int) error {
	if err := checkText(field, s, min, max); err != nil {
		return err
	}
	for _, r := range s {
		if r == '\n' || r == '\t' {
			return Invalidf(field, "must be a single line")
		}
	}
	return nil
}
