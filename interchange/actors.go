package interchange

import (
	"strings"

	"truce"
)

// resolveName returns the spelling of a dataset's actor name that the
// agreement resolves to one of its actors, and the actor. It tries the
// name as given, then without a trailing parenthesis ("Islamic State
// (Syria)"), each side of ACLED's "ABBREVIATION: Full name", and the
// country of "Government of X" (UCDP) or "Military Forces of X" and
// "Police Forces of X" (ACLED). ok is false when none resolves: the report
// then names no actor, and the name stays in its origin fields.
//
// The spelling returned is what the report's perpetrator or target is
// filed as, so the report's *_as_given field keeps the dataset's own name
// whenever that name resolves as it is.
func resolveName(a *truce.Agreement, name string) (string, truce.ActorID, bool) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > truce.MaxActorName {
		return "", "", false
	}
	var tried []string
	try := func(s string) (string, truce.ActorID, bool) {
		s = strings.TrimSpace(s)
		if s == "" {
			return "", "", false
		}
		for _, t := range tried {
			if t == s {
				return "", "", false
			}
		}
		tried = append(tried, s)
		if id, ok := a.ResolveActor(s); ok {
			return s, id, true
		}
		return "", "", false
	}
	variants := []string{name, stripParen(name)}
	if abbr, full, ok := strings.Cut(name, ": "); ok {
		variants = append(variants, abbr, full, stripParen(full))
	}
	for _, v := range variants {
		if s, id, ok := try(v); ok {
			return s, id, true
		}
	}
	for _, v := range variants {
		for _, prefix := range []string{"Government of ", "Military Forces of ", "Police Forces of "} {
			if rest, ok := strings.CutPrefix(v, prefix); ok {
				if s, id, ok := try(stripParen(rest)); ok {
					return s, id, true
				}
			}
		}
	}
	return "", "", false
}

// stripParen removes a trailing parenthesis: "Military Forces of Syria
// (2000-)" gives "Military Forces of Syria".
func stripParen(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, " ("); i > 0 {
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}
