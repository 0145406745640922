package intake

import (
	"strings"
	"time"

	"truce"
)

// Draft is an incident a news text tells of, as read: each value with the
// text it came from, and the report it would make, for the reviewer to
// correct and file.
type Draft struct {
	// Span is the sentences the draft was read from.
	Span       Span        `json:"span"`
	When       *When       `json:"when,omitempty"`
	Where      []Place     `json:"where,omitempty"` // most specific first
	Who        []ActorRef  `json:"who,omitempty"`
	What       *Event      `json:"what,omitempty"`
	Casualties *Casualties `json:"casualties,omitempty"`
	// Report is the report the draft makes as read (see Draft.report):
	// what a monitor edits and files. It is incomplete when the text does
	// not say when, where or what, and filing it then fails validation.
	Report truce.ReportInput `json:"report"`
}

// ActorRef is an actor a text names.
type ActorRef struct {
	Actor truce.ActorID `json:"actor"`
	// Role is "perpetrator" or "target" as the sentence reads ("shelled
	// by X", "X shelled", "against X", "X positions"), or empty.
	Role string `json:"role,omitempty"`
	Span Span   `json:"span"`
}

// Event is the ACLED event and sub-event type a keyword gives.
type Event struct {
	EventType    string `json:"event_type"`
	SubEventType string `json:"sub_event_type"`
	Span         Span   `json:"span"` // the keyword
}

// Roles an actor has in an incident.
const (
	RolePerpetrator = "perpetrator"
	RoleTarget      = "target"
)

var (
	byWords      = wordSet("by от со стороны por pela pelo قبل")
	againstWords = wordSet("against on targeting targeted at positions position of по против на contra sobre ضد على استهدف استهدفت مواقع")
)

// sentences splits toks at sentence ends and line breaks.
func sentences(text string, toks []token) [][2]int {
	var out [][2]int
	start := 0
	for i, t := range toks {
		end := false
		switch t.raw {
		case ".", "!", "?", "؟", "…":
			end = true
		}
		if i+1 < len(toks) && strings.Contains(text[t.end:toks[i+1].start], "\n") {
			end = true
		}
		if end {
			if i+1 > start {
				out = append(out, [2]int{start, i + 1})
			}
			start = i + 1
		}
	}
	if start < len(toks) {
		out = append(out, [2]int{start, len(toks)})
	}
	return out
}

// readNews reads a news text's incidents: a sentence with an event's
// keyword opens one, and the sentences after it that say no other event
// add to it (where, when, casualties); a sentence of casualties before
// any event opens one without a type.
func readNews(text string, toks []token, ref time.Time, opt Options) []Draft {
	actors := readersOf(opt.Agreement).actors()
	var drafts []Draft
	var cur *Draft
	for _, s := range sentences(text, toks) {
		var ev *Event
		evAt := -1
		for i := s[0]; i < s[1]; i++ {
			if r, n := eventAt(toks, i); n > 0 {
				ev = &Event{r.event, r.sub, spanOf(text, toks[i].start, toks[i+n-1].end)}
				evAt = i
				break
			}
		}
		cas := casualtiesIn(text, toks, s[0], s[1])
		if ev != nil || (cur == nil && cas != nil) {
			drafts = append(drafts, Draft{Span: spanOf(text, toks[s[0]].start, toks[s[1]-1].end), What: ev})
			cur = &drafts[len(drafts)-1]
		} else if cur == nil {
			continue
		} else {
			cur.Span = spanOf(text, cur.Span.Start, toks[s[1]-1].end)
		}
		if cur.Casualties == nil {
			cur.Casualties = cas
		}
		if cur.When == nil {
			cur.When = whenIn(text, toks, s[0], s[1], ref)
		}
		have := map[string]bool{}
		for _, p := range cur.Where {
			have[p.PCode] = true
		}
		for _, p := range placesIn(text, toks, s[0], s[1], actors) {
			if !have[p.PCode] {
				cur.Where = append(cur.Where, p)
			}
		}
		cur.Who = append(cur.Who, actorsIn(text, toks, s[0], s[1], evAt, actors)...)
	}
	for i := range drafts {
		d := &drafts[i]
		if d.When == nil && !ref.IsZero() {
			d.When = &When{Date: ref.Format(time.DateOnly), Precision: 2}
		}
		sortPlaces(d.Where)
		d.Report = d.report(opt.Source)
	}
	return drafts
}

// whenIn reads the first date in toks[from:to].
func whenIn(text string, toks []token, from, to int, ref time.Time) *When {
	for i := from; i < to; i++ {
		if d, n := dateAt(toks[:to], i, ref); n > 0 {
			sp := spanOf(text, toks[i].start, toks[i+n-1].end)
			return &When{Date: d.Format(time.DateOnly), Precision: 1, Span: &sp}
		}
		if d, n := relativeAt(toks[:to], i, ref); n > 0 {
			sp := spanOf(text, toks[i].start, toks[i+n-1].end)
			return &When{Date: d.Format(time.DateOnly), Precision: 1, Span: &sp, Relative: true}
		}
	}
	return nil
}

// actorsIn finds the actors named in toks[from:to] and their roles: after
// "by" the perpetrator, after "against", "on", "targeting" the target;
// otherwise before the event's keyword the perpetrator and after it the
// target.
func actorsIn(text string, toks []token, from, to, evAt int, actors *actorIndex) []ActorRef {
	var out []ActorRef
	for i := from; i < to; i++ {
		id, n := actors.at(toks, i)
		if n == 0 {
			continue
		}
		role := ""
		for k := i - 1; k >= from && k >= i-2; k-- {
			if byWords[toks[k].fold] {
				role = RolePerpetrator
				break
			}
			if againstWords[toks[k].fold] {
				role = RoleTarget
				break
			}
		}
		if role == "" && i+n < to && againstWords[toks[i+n].fold] && toks[i+n].fold == "positions" {
			role = RoleTarget // "Jaish al-Islam positions"
		}
		if role == "" && evAt >= 0 && i > evAt && i <= evAt+3 && isArabicRune([]rune(toks[i].raw)[0]) {
			role = RolePerpetrator // Arabic puts the subject after the verb: "قصفت قوات النظام"
		}
		if role == "" && evAt >= 0 {
			if i < evAt {
				role = RolePerpetrator
			} else {
				role = RoleTarget
			}
		}
		out = append(out, ActorRef{Actor: id, Role: role, Span: spanOf(text, toks[i].start, toks[i+n-1].end)})
		i += n - 1
	}
	return out
}

// sortPlaces puts communities before governorates, each in the text's
// order: the most specific place first.
func sortPlaces(ps []Place) {
	var towns, govs []Place
	for _, p := range ps {
		if p.Governorate {
			govs = append(govs, p)
		} else {
			towns = append(towns, p)
		}
	}
	copy(ps, append(towns, govs...))
}

// report makes the draft's report: the day at noon UTC (a text rarely
// gives the hour), the first place's point (ACLED geo precision 1 for a
// town, 3 for a governorate), the event type, the first perpetrator and
// target, the casualties, and as description the sentences the draft was
// read from, verbatim: the source text stays with the report.
func (d *Draft) report(source string) truce.ReportInput {
	in := truce.ReportInput{Description: clipText(d.Span.Text, truce.MaxDescription)}
	if d.When != nil {
		in.OccurredAt = d.When.Date + "T12:00:00Z"
		in.TimePrecision = d.When.Precision
	}
	if len(d.Where) > 0 {
		p := d.Where[0]
		lon, lat := p.Lon, p.Lat
		in.Lon, in.Lat, in.Place = &lon, &lat, p.Span.Text
		in.GeoPrecision = 1
		if p.Governorate {
			in.GeoPrecision = 3
		}
	}
	if d.What != nil {
		in.EventType, in.SubEventType = d.What.EventType, d.What.SubEventType
	}
	for _, a := range d.Who {
		if a.Role == RolePerpetrator && in.Perpetrator == "" {
			in.Perpetrator = string(a.Actor)
		}
		if a.Role == RoleTarget && in.Target == "" && string(a.Actor) != in.Perpetrator {
			in.Target = string(a.Actor)
		}
	}
	in.Casualties = d.Casualties.report()
	if source != "" {
		in.Sources = []string{source}
	}
	return in
}

// clipText cuts s to at most n characters.
func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
