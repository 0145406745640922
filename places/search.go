package places

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// search is the state of one Lookup; searches are pooled.
type search struct {
	g       *gazetteer
	hits    map[int32]hit // best match by place
	counts  []uint16      // trigrams shared with the query, by spelling
	touched []int32       // spellings whose count is not zero
	note    string        // set while searching through an exonym
	kind    int           // the kind of place the query asked for, or anyKind
}

type hit struct {
	score float64
	via   int32 // the spelling that matched
	how   int   // byExact …
	note  string
}

const (
	byExact = iota
	byVariant
	bySkeleton
	byFuzzy
)

func (g *gazetteer) newSearch() *search {
	if s, ok := g.pool.Get().(*search); ok {
		return s
	}
	return &search{g: g, hits: map[int32]hit{}, counts: make([]uint16, len(g.spellings)), kind: anyKind}
}

func (g *gazetteer) done(s *search) {
	clear(s.hits)
	s.touched = s.touched[:0]
	s.note, s.kind = "", anyKind
	g.pool.Put(s)
}

// floor2 rounds a graded score down to hundredths, so that places that
// match about as well tie, and rank by importance.
func floor2(x float64) float64 { return math.Floor(x*100+1e-9) / 100 }

// consider keeps a match of spelling si if it is the place's best so far.
func (s *search) consider(si int32, score float64, how int) {
	sp := &s.g.spellings[si]
	if sp.part {
		score = math.Round((score-partPenalty)*100) / 100
	}
	if h, ok := s.hits[sp.place]; ok && h.score >= score {
		return
	}
	s.hits[sp.place] = hit{score: score, via: si, how: how, note: s.note}
}

func (s *search) latin(words []string) {
	g := s.g
	fold := strings.Join(words, "")
	key := phoneticKey(words)
	rfold, rkey := []rune(fold), []rune(key)
	for _, si := range g.exact[fold] {
		s.consider(si, scoreExact, byExact)
	}
	for _, si := range g.phonetic[key] {
		jw := jaroWinkler(rfold, g.spellings[si].fold)
		s.consider(si, min(floor2(scoreVariant+0.05*jw), scoreVariant+0.04), byVariant)
	}
	s.bySkeleton(latinSkeleton(key), rkey)
	s.fuzzy(rkey)
}

func (s *search) arabic(folded, raw []string) {
	fold := strings.Join(folded, "")
	for _, si := range s.g.exact[fold] {
		s.consider(si, scoreExact, byExact)
	}
	rfold := []rune(fold)
	s.bySkeleton(arabicSkeleton(raw), rfold)
	s.fuzzy(rfold)
}

func (s *search) bySkeleton(skel string, key []rune) {
	if len(skel) < minSkeleton {
		return
	}
	for _, si := range s.g.skeleton[skel] {
		jw := jaroWinkler(key, s.g.spellings[si].key) // 0 for an Arabic spelling
		s.consider(si, min(floor2(scoreSkeleton+0.1*jw), scoreSkeleton+0.09), bySkeleton)
	}
}

// fuzzy scores the spellings that share trigrams with key.
func (s *search) fuzzy(key []rune) {
	if len(key) < minFuzzy {
		return
	}
	g := s.g
	tri := trigrams(key)
	for _, t := range tri {
		for _, si := range g.trigrams[t] {
			if s.counts[si] == 0 {
				s.touched = append(s.touched, si)
			}
			s.counts[si]++
		}
	}
	for _, si := range s.touched {
		shared := float64(s.counts[si])
		s.counts[si] = 0
		sp := &g.spellings[si]
		dice := 2 * shared / float64(len(tri)+sp.ntri)
		if dice < minDice {
			continue
		}
		sim := (dice + jaroWinkler(key, sp.key)) / 2
		if sim >= minSimilarity {
			s.consider(si, min(floor2(scoreFuzzy*sim), scoreFuzzy-0.01), byFuzzy)
		}
	}
	s.touched = s.touched[:0]
}

// candidates ranks the hits and writes their notes: by score; among equal
// scores, the kind of place asked for first, then by importance, a
// community just before the units it lies in that match as well (they are
// named after it), then by P-code.
func (s *search) candidates(limit int) []Candidate {
	g := s.g
	if len(s.hits) == 0 {
		return nil
	}
	type ranked struct {
		p    int32
		h    hit
		rank float64
	}
	type unitKey struct {
		score float64
		pcode string
	}
	rs := make([]ranked, 0, len(s.hits))
	shared := map[string]int{}     // places by the fold of a spelling that matched exactly or as a variant
	units := map[unitKey]float64{} // rank of the units among the hits
	for p, h := range s.hits {
		pl := &g.places[p]
		r := ranked{p, h, float64(pl.rank)}
		rs = append(rs, r)
		if h.how <= byVariant {
			shared[string(g.spellings[h.via].fold)]++
		}
		if pl.kind() != kindCommunity {
			units[unitKey{h.score, pl.pcode}] = r.rank
			if pl.legacy != "" {
				units[unitKey{h.score, pl.legacy}] = r.rank
			}
		}
	}
	for i := range rs {
		pl := &g.places[rs[i].p]
		if pl.kind() == kindCommunity {
			for _, u := range [...]string{pl.adm1, pl.adm2, pl.adm3} {
				if r, ok := units[unitKey{rs[i].h.score, u}]; ok && r-0.5 < rs[i].rank {
					rs[i].rank = r - 0.5
				}
			}
		}
		if s.kind != anyKind && pl.kind() == s.kind {
			rs[i].rank -= 10
		}
	}
	sort.Slice(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.h.score != b.h.score {
			return a.h.score > b.h.score
		}
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return g.places[a.p].pcode < g.places[b.p].pcode
	})
	if len(rs) > limit {
		rs = rs[:limit]
	}
	out := make([]Candidate, len(rs))
	for i, r := range rs {
		p := &g.places[r.p]
		sp := &g.spellings[r.h.via]
		notes := []string{p.about}
		if r.h.note != "" {
			notes = append(notes, r.h.note)
		}
		switch r.h.how {
		case byVariant:
			notes = append(notes, fmt.Sprintf("spelled %q here", sp.text))
		case bySkeleton:
			notes = append(notes, fmt.Sprintf("same consonants as %q", sp.text))
		case byFuzzy:
			notes = append(notes, fmt.Sprintf("approximate match for %q", sp.text))
		}
		if sp.part {
			notes = append(notes, fmt.Sprintf("one of the names in %q", p.name))
		}
		if n := shared[string(sp.fold)]; r.h.how <= byVariant && n > 1 {
			notes = append(notes, fmt.Sprintf("%d places share this name; ranked by administrative importance", n))
		}
		out[i] = Candidate{PCode: p.pcode, Name: p.name, NameAR: p.nameAR, ADM1: p.adm1, Lat: p.lat, Lon: p.lon,
			Score: r.h.score, Note: strings.Join(notes, "; ")}
	}
	return out
}

// trigrams returns the distinct trigrams of s padded with ^ and $.
func trigrams(s []rune) []string {
	p := make([]rune, 0, len(s)+2)
	p = append(append(append(p, '^'), s...), '$')
	var out []string
	for i := 0; i+3 <= len(p); i++ {
		t := string(p[i : i+3])
		dup := false
		for _, o := range out {
			if o == t {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, t)
		}
	}
	return out
}

// jaroWinkler is the Jaro–Winkler similarity of a and b, in [0,1].
func jaroWinkler(a, b []rune) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	window := max(len(b)/2-1, 0)
	var bufA, bufB [64]bool
	var ma, mb []bool
	if len(b) <= len(bufB) {
		ma, mb = bufA[:len(a)], bufB[:len(b)]
	} else {
		ma, mb = make([]bool, len(a)), make([]bool, len(b))
	}
	m := 0
	for i, r := range a {
		lo, hi := max(i-window, 0), min(i+window+1, len(b))
		for j := lo; j < hi; j++ {
			if !mb[j] && b[j] == r {
				ma[i], mb[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, j := 0, 0
	for i := range a {
		if !ma[i] {
			continue
		}
		for !mb[j] {
			j++
		}
		if a[i] != b[j] {
			t++
		}
		j++
	}
	fm := float64(m)
	jaro := (fm/float64(len(a)) + fm/float64(len(b)) + (fm-float64(t)/2)/fm) / 3
	prefix := 0
	for prefix < 4 && prefix < len(a) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
