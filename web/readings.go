package web

import (
	"slices"
	"strconv"

	"truce"
	"truce/i18n"
	"truce/intake"
	"truce/workflow"
)

// draftItem is a queued draft as the pages show it: what the reader took
// from its text, and its sentences cut at the words each value came from,
// so that the reviewer sees why.
type draftItem struct {
	*workflow.QueuedDraft
	PageLang i18n.Lang // the page's language, for the templates' parts
	Readings []reading
	Segments []segment
	// Pick says the places read offer themselves to the form's place, as
	// the review page's do.
	Pick bool
}

func newDraftItem(d *workflow.QueuedDraft, a *truce.Agreement, l i18n.Lang) draftItem {
	rs := readingsOf(&d.Draft, a, l)
	return draftItem{QueuedDraft: d, PageLang: l, Readings: rs, Segments: segmentsOf(d.Text, d.Draft.Span, rs)}
}

// reading is a value the reader took from a draft's text.
type reading struct {
	Kind  string      // its text key: draft.when, draft.where, draft.who, draft.what, draft.killed or draft.injured
	Value string      // the value, in the page's language where it has one
	Note  string      // a text key that qualifies the value, or ""
	Span  intake.Span // the words it was read from; empty when none
	// Place is a place read, for the review form to take: one of the
	// gazetteer's candidates, with its score.
	Place *intake.Place
}

// readingsOf lists what the reader took from a draft: when, every place
// (most specific first), who, what, and the casualties.
func readingsOf(d *intake.Draft, a *truce.Agreement, l i18n.Lang) []reading {
	var out []reading
	if w := d.When; w != nil {
		r := reading{Kind: "draft.when", Value: w.Date}
		if w.Span != nil {
			r.Span = *w.Span
		}
		switch {
		case w.Relative:
			r.Note = "draft.relative"
		case w.Span == nil:
			r.Note = "draft.nodate"
		}
		out = append(out, r)
	}
	for i := range d.Where {
		p := &d.Where[i]
		r := reading{Kind: "draft.where", Value: p.Name + ", " + i18n.Governorate(p.ADM1, l), Span: p.Span, Place: p}
		if p.Governorate {
			r.Value, r.Note = i18n.Governorate(p.PCode, l), "draft.gov"
		}
		out = append(out, r)
	}
	for _, x := range d.Who {
		r := reading{Kind: "draft.who", Value: actorName(a, l, x.Actor), Span: x.Span}
		switch x.Role {
		case intake.RolePerpetrator:
			r.Note = "draft.perpetrator"
		case intake.RoleTarget:
			r.Note = "draft.target"
		}
		out = append(out, r)
	}
	if x := d.What; x != nil {
		out = append(out, reading{Kind: "draft.what", Value: x.EventType + " — " + x.SubEventType, Span: x.Span})
	}
	if c := d.Casualties; c != nil {
		note := ""
		if c.Civilians {
			note = "draft.civilians"
		}
		for _, x := range []struct {
			kind string
			n    *intake.Count
		}{{"draft.killed", c.Killed}, {"draft.injured", c.Injured}} {
			if x.n != nil {
				out = append(out, reading{Kind: x.kind, Value: strconv.Itoa(x.n.N), Note: note, Span: x.n.Span})
			}
		}
	}
	return out
}

// segment is a stretch of a draft's sentences: plain words, or the words
// a value was read from (Kind and Value are the reading's).
type segment struct {
	Text        string
	Kind, Value string
}

// segmentsOf cuts a draft's sentences, span of text, at the words its
// readings came from, so that the page can mark each. A reading whose
// words overlap an earlier reading's (another gazetteer candidate for the
// same name) or lie outside the sentences is not marked; the list of
// readings still shows it.
func segmentsOf(text string, span intake.Span, rs []reading) []segment {
	if span.Start < 0 || span.End > len(text) || span.Start > span.End {
		return []segment{{Text: span.Text}}
	}
	marks := slices.Clone(rs)
	slices.SortStableFunc(marks, func(x, y reading) int { return x.Span.Start - y.Span.Start })
	var out []segment
	at := span.Start
	for _, r := range marks {
		if r.Span.Start < at || r.Span.End > span.End || r.Span.End <= r.Span.Start {
			continue
		}
		if r.Span.Start > at {
			out = append(out, segment{Text: text[at:r.Span.Start]})
		}
		out = append(out, segment{Text: text[r.Span.Start:r.Span.End], Kind: r.Kind, Value: r.Value})
		at = r.Span.End
	}
	if at < span.End {
		out = append(out, segment{Text: text[at:span.End]})
	}
	return out
}
