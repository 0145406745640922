package intake

import (
	"truce"
)

// Side is what one reporting side of a bulletin counted: a total and a
// count per governorate, each with the text it was read from.
type Side struct {
	// Side is the guarantor that registered the counts, as the agreement
	// names it; empty when the text does not say and no default was given.
	Side     truce.ActorID `json:"side"`
	SideSpan *Span         `json:"side_span,omitempty"`
	// Total is the count the text gives for the side; when it gives none
	// but gives counts per province, their sum, and TotalSpan is nil.
	Total     int   `json:"total"`
	TotalSpan *Span `json:"total_span,omitempty"`
	// Governorates are the counts by OCHA P-code (SY01 … SY14); a
	// governorate the text does not give a count for is absent.
	Governorates map[string]int `json:"governorates"`
	// GovernorateSpans are, for each P-code, the texts its count was read
	// from (a province named twice is counted twice).
	GovernorateSpans map[string][]Span `json:"governorate_spans,omitempty"`
}

// violationNouns follow a side's total: "14 cases", "twelve ceasefire
// violations", "37 фактов", "5 casos", "سبعة خروقات". One or two words may
// come between ("such", "ceasefire", "truce").
var violationNouns = wordSet("violations violation cases case instances instance facts breaches times incidents attacks " +
	"нарушений нарушения нарушение фактов факта факт случаев случая обстрелов обстрела " +
	"casos caso violações violação ocorrências incidentes " +
	"خروقات خرقا خرق انتهاكات انتهاكا انتهاك حالات حالة حوادث " +
	"ihlal ihlali vaka")

// prepositions come between a count and the province it is of: "seven in
// Idlib", "два в провинции Хама", "três em Aleppo", "ثلاثة في حلب".
var prepositions = wordSet("in at в во em na no nas nos في")

// provinceFillers are the words around a province's name that do not
// change which it is: "in the provinces of", "the Damascus province",
// "в провинциях", "nas províncias de", "في محافظات".
var provinceFillers = wordSet("the of province provinces governorate governorates region area areas syrian " +
	"провинции провинциях провинция провинцию провинций мухафазе мухафазы " +
	"província províncias provincia provincias de da do das dos " +
	"محافظة محافظات محافظه منطقة il ili ilinde ilinin")

// listJoins join provinces that share a count: "three in Hama and Idlib".
var listJoins = wordSet("and и e و ve , ،")

// readBulletin reads the sides of a bulletin: each side's phrase opens a
// stretch of text that runs to the next one, and the stretch before the
// first belongs to def (the publisher's side, when known) — unless it
// names the joint commission ("According to the Russia-Turkey Commission
// … 39 cases"), whose combined counts are no one side's. A stretch with
// no count ("the Russian side found confirmation to neither of them") is
// no side.
func readBulletin(text string, toks []token, sr *sideResolver, def truce.ActorID) []Side {
	cues := sr.cues(toks)
	first := len(toks)
	if len(cues) > 0 {
		first = cues[0].at
	}
	for _, t := range toks[:first] {
		if sr.joint(t) {
			def = ""
			break
		}
	}
	var sides []Side
	start, side := 0, def
	var sideSpan *Span
	flush := func(end int) {
		if s, ok := readCounts(text, toks[start:end], start); ok {
			s.Side, s.SideSpan = side, sideSpan
			sides = append(sides, s)
		}
	}
	for _, c := range cues {
		flush(c.at)
		start, side = c.at, c.side
		sp := spanOf(text, toks[c.at].start, toks[c.end-1].end)
		sideSpan = &sp
	}
	flush(len(toks))
	return sides
}

// readCounts reads a total and counts per province from one side's
// stretch of tokens; off is the index of its first token in the text's.
func readCounts(text string, toks []token, off int) (Side, bool) {
	s := Side{Governorates: map[string]int{}, GovernorateSpans: map[string][]Span{}}
	used := make([]bool, len(toks))
	count := func(pcode string, n int, from, to int) {
		s.Governorates[pcode] += n
		s.GovernorateSpans[pcode] = append(s.GovernorateSpans[pcode], spanOf(text, toks[from].start, toks[to].end))
	}
	// The total: the first number a violation noun follows.
	for i, t := range toks {
		if t.kind != tokNumber {
			continue
		}
		if j, ok := nounAfter(toks, i); ok {
			s.Total = t.num
			sp := spanOf(text, t.start, toks[j].end)
			s.TotalSpan = &sp
			used[i] = true
			break
		}
	}
	for i := 0; i < len(toks); i++ {
		if used[i] {
			continue
		}
		// "Aleppo (27)", "Алеппо – 11", "Damascus (four)"
		if pcode, n := province(toks, i); n > 0 {
			if v, last, ok := countAfter(toks, i+n); ok {
				count(pcode, v, i, last)
				for k := i; k <= last; k++ {
					used[k] = true
				}
				i = last
			}
			continue
		}
		// "seven in Idlib", "five - in the province of Hama", "three in
		// the provinces of Hama and Idlib" (three each)
		if toks[i].kind != tokNumber {
			continue
		}
		j := i + 1
		if j < len(toks) && isDash(toks[j]) {
			j++
		}
		if j >= len(toks) || !prepositions[toks[j].fold] {
			continue
		}
		j++
		var found []int // token index of each province
		var lens []int
		for j < len(toks) {
			if provinceFillers[toks[j].fold] {
				j++
				continue
			}
			if pcode, n := province(toks, j); n > 0 {
				if _, _, own := countAfter(toks, j+n); own {
					break // it has its own count
				}
				_ = pcode
				found = append(found, j)
				lens = append(lens, n)
				j += n
				continue
			}
			if len(found) > 0 && listJoins[toks[j].fold] && j+1 < len(toks) && toks[j+1].kind != tokNumber {
				j++
				continue
			}
			break
		}
		for k, at := range found {
			pcode, _ := province(toks, at)
			count(pcode, toks[i].num, i, at+lens[k]-1)
			for m := at; m < at+lens[k]; m++ {
				used[m] = true
			}
		}
		if len(found) > 0 {
			used[i] = true
		}
	}
	if s.TotalSpan == nil {
		if len(s.Governorates) == 0 {
			return s, false
		}
		for _, n := range s.Governorates {
			s.Total += n
		}
	}
	if len(s.GovernorateSpans) == 0 {
		s.GovernorateSpans = nil
	}
	_ = off
	return s, true
}

// nounAfter reports whether a violation noun follows the number at i,
// with at most two words between, and where.
func nounAfter(toks []token, i int) (int, bool) {
	for j := i + 1; j < len(toks) && j <= i+3; j++ {
		if toks[j].kind != tokWord {
			return 0, false
		}
		if violationNouns[toks[j].fold] {
			return j, true
		}
	}
	return 0, false
}

// countAfter reads a province's own count after its name: "(27)",
// "(four)", "– 11", ": 3". It returns the count and the index of its last
// token.
func countAfter(toks []token, j int) (int, int, bool) {
	if j+2 < len(toks) && toks[j].raw == "(" && toks[j+1].kind == tokNumber && toks[j+2].raw == ")" {
		return toks[j+1].num, j + 2, true
	}
	if j+1 < len(toks) && (isDash(toks[j]) || toks[j].raw == ":") && toks[j+1].kind == tokNumber {
		// "Idlib – 10" but not "Idlib - in …" nor a total ("– 10 cases").
		if _, noun := nounAfter(toks, j+1); !noun {
			return toks[j+1].num, j + 1, true
		}
	}
	return 0, 0, false
}

func isDash(t token) bool {
	switch t.raw {
	case "-", "–", "—", "‒", "―":
		return true
	}
	return false
}
