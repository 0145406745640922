package intake

import (
	"slices"
	"strings"
	"unicode"

	"truce"
)

// actorIndex finds an agreement's actors in text by any of their names or
// aliases, in any of its languages, longest name first.
type actorIndex struct {
	byFirst map[string][]actorName
}

type actorName struct {
	words []string // folded
	// exact is the name as written, for short upper-case aliases ("IS",
	// "SAA", "US") that must match case and all, not the word "is".
	exact string
	id    truce.ActorID
}

func newActorIndex(a *truce.Agreement) *actorIndex {
	x := &actorIndex{byFirst: map[string][]actorName{}}
	if a == nil {
		return x
	}
	for _, act := range a.Actors {
		names := []string{}
		for _, n := range act.Names {
			names = append(names, n)
		}
		names = append(names, act.Aliases...)
		for _, n := range names {
			var words []string
			for _, t := range tokenize(n) {
				if t.kind == tokWord {
					words = append(words, t.fold)
				}
			}
			if len(words) == 0 {
				continue
			}
			an := actorName{words: words, id: act.ID}
			if len(words) == 1 && len([]rune(n)) <= 4 && isUpper(n) {
				an.exact = n
			}
			x.byFirst[words[0]] = append(x.byFirst[words[0]], an)
		}
	}
	for k := range x.byFirst {
		slices.SortStableFunc(x.byFirst[k], func(a, b actorName) int { return len(b.words) - len(a.words) })
	}
	return x
}

func isUpper(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// at reads an actor's name at toks[i]: its id and the tokens spanned.
func (x *actorIndex) at(toks []token, i int) (truce.ActorID, int) {
	f := toks[i].fold
	cands := x.byFirst[f]
	if cands == nil {
		// Arabic attaches و and ب: "وداعش".
		for _, p := range []string{"و", "ب", "ل"} {
			if rest, ok := strings.CutPrefix(f, p); ok {
				if cands = x.byFirst[rest]; cands != nil {
					break
				}
			}
		}
	}
next:
	for _, c := range cands {
		if i+len(c.words) > len(toks) {
			continue
		}
		if c.exact != "" && toks[i].raw != c.exact {
			continue
		}
		for k := 1; k < len(c.words); k++ {
			if toks[i+k].fold != c.words[k] {
				continue next
			}
		}
		return c.id, len(c.words)
	}
	return "", 0
}
