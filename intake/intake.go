package intake

import (
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"truce"
)

// Kinds of document.
const (
	KindBulletin = "bulletin"
	KindNews     = "news"
)

// MaxText is the longest text Read accepts, in bytes: a bulletin or a
// news article is a few kilobytes; a book is not a document.
const MaxText = 256 << 10

// Span is a stretch of the text a value was read from.
type Span struct {
	Start int    `json:"start"` // byte offset of its first byte
	End   int    `json:"end"`   // byte offset just past its last
	Text  string `json:"text"`
}

func spanOf(text string, start, end int) Span { return Span{start, end, text[start:end]} }

// Options say what Read knows of a document besides its text.
type Options struct {
	// Agreement gives the guarantors a bulletin's sides are, and the
	// actors a news text names. Without one, sides are RU, TR and IR and
	// no actor is found.
	Agreement *truce.Agreement
	// Date is the document's date; relative dates ("on Tuesday") are read
	// against it. Zero: the first date the text gives.
	Date time.Time
	// Side is whose counts a bulletin gives before it names a side: its
	// publisher's (the Russian Reconciliation Centre's bulletins of 2016
	// name none). Empty leaves such counts without a side, as does a text
	// that gives them as the joint commission's.
	Side truce.ActorID
	// Kind is KindBulletin or KindNews; empty decides from the text.
	Kind string
	// Source is the document's public reference (a URL), carried into
	// the drafts' reports.
	Source string
}

// Document is what Read found in a text.
type Document struct {
	Kind string `json:"kind"`
	Lang string `json:"lang"` // en, ru, ar, pt, or und
	// Date is the document's date (YYYY-MM-DD), from Options or the text;
	// empty when neither gives one.
	Date     string `json:"date,omitempty"`
	DateSpan *Span  `json:"date_span,omitempty"`
	// Sides are a bulletin's counts, one per reporting side in the
	// order the text gives them.
	Sides []Side `json:"sides,omitempty"`
	// Drafts are a news text's incidents.
	Drafts []Draft `json:"drafts,omitempty"`
}

// Read reads a document. It fails only on input it cannot read at all:
// text too long or not UTF-8, or an unknown kind; a text with nothing in
// it reads as news without drafts.
func Read(text string, opt Options) (*Document, error) {
	if len(text) > MaxText {
		return nil, truce.Invalidf("text", "at most %d bytes, not %d", MaxText, len(text))
	}
	if !utf8.ValidString(text) {
		return nil, truce.Invalidf("text", "not UTF-8")
	}
	switch opt.Kind {
	case "", KindBulletin, KindNews:
	default:
		return nil, truce.Invalidf("kind", "%q is not bulletin or news", opt.Kind)
	}
	toks := tokenize(text)
	doc := &Document{Lang: language(text)}
	ref := opt.Date
	if !ref.IsZero() {
		doc.Date = ref.Format(time.DateOnly)
	} else {
		for i := range toks {
			if d, n := dateAt(toks, i, time.Time{}); n > 0 {
				ref = d
				doc.Date = d.Format(time.DateOnly)
				sp := spanOf(text, toks[i].start, toks[i+n-1].end)
				doc.DateSpan = &sp
				break
			}
		}
	}
	var sides []Side
	if opt.Kind != KindNews {
		sides = readBulletin(text, toks, readersOf(opt.Agreement).sides, opt.Side)
	}
	if opt.Kind == KindBulletin || (opt.Kind == "" && isBulletin(sides)) {
		doc.Kind, doc.Sides = KindBulletin, sides
		if doc.Sides == nil {
			doc.Sides = []Side{}
		}
		return doc, nil
	}
	doc.Kind = KindNews
	doc.Drafts = readNews(text, toks, ref, opt)
	return doc, nil
}

// isBulletin reports whether the counts read look like a bulletin's: a
// count of violations that names its side or is broken down by province.
func isBulletin(sides []Side) bool {
	for _, s := range sides {
		if s.TotalSpan != nil && (s.SideSpan != nil || len(s.Governorates) > 0) {
			return true
		}
	}
	return false
}

// language guesses the text's language from its letters: Cyrillic is
// Russian, Arabic script Arabic, Latin with Portuguese's marks
// Portuguese, other Latin English.
func language(text string) string {
	var cyr, ara, lat, pt int
	for _, r := range text {
		switch {
		case r >= 0x0400 && r <= 0x04FF:
			cyr++
		case r >= 0x0600 && r <= 0x06FF:
			ara++
		case r == 'ã' || r == 'õ' || r == 'ç' || r == 'ú' || r == 'á' || r == 'ê':
			pt++
			lat++
		case r < 0x80 && unicode.IsLetter(r):
			lat++
		}
	}
	switch {
	case cyr == 0 && ara == 0 && lat == 0:
		return "und"
	case cyr >= ara && cyr >= lat:
		return "ru"
	case ara >= lat:
		return "ar"
	case pt >= 3:
		return "pt"
	}
	return "en"
}

// String describes a side's counts in one line, for the command line.
func (s Side) String() string {
	side := string(s.Side)
	if side == "" {
		side = "?"
	}
	return fmt.Sprintf("%s %d %v", side, s.Total, s.Governorates)
}
