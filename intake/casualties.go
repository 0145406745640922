package intake

import (
	"strings"

	"truce"
)

// Casualties are the dead and wounded a text gives numbers for.
type Casualties struct {
	Killed    *Count `json:"killed,omitempty"`
	Injured   *Count `json:"injured,omitempty"`
	Civilians bool   `json:"civilians,omitempty"` // the text says they were civilians
}

// Count is a number read from text.
type Count struct {
	N    int  `json:"n"`
	Span Span `json:"span"`
}

var (
	killWords = wordSet("killed killing kills dead died deaths death fatalities lives " +
		"погибли погиб погибла погибло погибших погибшими убиты убит убито убитых жертв жертвами " +
		"مقتل قتلى قتل قتيلا قتيل قتيلين استشهاد شهداء شهيدا شهيد مصرع " +
		"mortos morreram mortes morto")
	injureWords = wordSet("injured injuring injuries wounded wounding hurt " +
		"ранены ранен ранена ранено раненых ранения ранениями пострадали пострадавших " +
		"إصابة اصابه إصابات اصابات جرحى جريحا جرحي مصابين اصابة جرح " +
		"feridos ferido ferindo")
	civilianWords = wordSet("civilian civilians residents children women " +
		"мирных мирные мирный жителей жителя детей " +
		"مدنيين مدنيا مدني المدنيين أطفال اطفال نساء " +
		"civis civil crianças")
)

// numberFollows are the words a count comes after more often than
// before: "killing 5", "مقتل سبعة", "погибли три".
var numberFollows = wordSet("killing wounding injuring kills " +
	"погибли погибло убиты ранены пострадали " +
	"مقتل اصابه إصابة استشهاد مصرع جرح اصابة " +
	"matando ferindo morreram")

// casualtiesIn reads numbers of killed and injured in toks[from:to]: a
// number up to three words before the word ("five civilians were
// killed", "12 погибших") or two after ("killing 5", "مقتل 5 مدنيين").
func casualtiesIn(text string, toks []token, from, to int) *Casualties {
	var c Casualties
	used := map[int]bool{}
	for i := from; i < to; i++ {
		f := toks[i].fold
		kill, injure := killWords[f], injureWords[f]
		if !kill && !injure {
			// An attached و or ب: "وإصابة".
			if len(f) > 2 {
				if r := []rune(f); r[0] == 'و' || r[0] == 'ب' {
					rest := string(r[1:])
					kill, injure = killWords[rest], injureWords[rest]
				}
			}
		}
		if !kill && !injure {
			continue
		}
		back := func() int {
			for k := i - 1; k >= from && k >= i-4; k-- {
				t := toks[k]
				if t.kind == tokNumber && !used[k] {
					return k
				}
				if t.kind == tokPunct || killWords[t.fold] || injureWords[t.fold] || listJoins[t.fold] {
					break
				}
			}
			return -1
		}
		fwd := func() int {
			for k := i + 1; k < to && k <= i+3; k++ {
				t := toks[k]
				if t.kind == tokNumber && !used[k] {
					return k
				}
				if t.kind == tokPunct || killWords[t.fold] || injureWords[t.fold] {
					break
				}
			}
			return -1
		}
		var n int
		if numberFollows[f] || numberFollows[strings.TrimLeft(f, "وب")] {
			if n = fwd(); n < 0 {
				n = back()
			}
		} else if n = back(); n < 0 {
			n = fwd()
		}
		if n < 0 || toks[n].num > 10000 || (toks[n].fold == "" && toks[n].num >= 1900 && toks[n].num <= 2200) {
			continue
		}
		lo, hi := min(n, i), max(n, i)
		for k := max(from, lo-2); k <= min(to-1, hi+2); k++ {
			if civilianWords[toks[k].fold] {
				c.Civilians = true
			}
		}
		used[n] = true
		cnt := &Count{N: toks[n].num, Span: spanOf(text, toks[lo].start, toks[hi].end)}
		if kill && c.Killed == nil {
			c.Killed = cnt
		} else if injure && c.Injured == nil {
			c.Injured = cnt
		}
	}
	if c.Killed == nil && c.Injured == nil {
		return nil
	}
	return &c
}

// report gives the casualties as a report records them: the number read
// as low, best and high, and the same for civilians when the text says
// they were.
func (c *Casualties) report() *truce.Casualties {
	if c == nil {
		return nil
	}
	est := func(x *Count) *truce.Estimate {
		if x == nil {
			return nil
		}
		return &truce.Estimate{Low: x.N, Best: x.N, High: x.N}
	}
	out := &truce.Casualties{Killed: est(c.Killed), Injured: est(c.Injured)}
	if c.Civilians {
		out.KilledCivilians, out.InjuredCivilians = est(c.Killed), est(c.Injured)
	}
	return out
}
