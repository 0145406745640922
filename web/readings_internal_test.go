package web

import (
	"reflect"
	"testing"

	"truce/i18n"
	"truce/intake"
)

// TestTextsInEveryLanguage: every fixed text is written in every
// language; text would otherwise fall back to English without a sign.
func TestTextsInEveryLanguage(t *testing.T) {
	for key, ts := range texts {
		for i, s := range ts {
			if s == "" {
				t.Errorf("texts[%q] has no %s", key, i18n.Langs[i])
			}
		}
	}
}

// TestSegments: a draft's sentences are cut at the words its readings
// came from, in the text's order; readings without words, overlapping an
// earlier one or outside the sentences are not marked.
func TestSegments(t *testing.T) {
	text := "Before. Forces shelled Douma, killing five. After."
	span := intake.Span{Start: 8, End: 43, Text: text[8:43]}
	at := func(kind string, start, end int) reading {
		return reading{Kind: kind, Value: kind, Span: intake.Span{Start: start, End: end, Text: text[start:end]}}
	}
	for _, tc := range []struct {
		name string
		rs   []reading
		want []segment
	}{
		{"None", nil, []segment{{Text: "Forces shelled Douma, killing five."}}},
		{"InTextOrder", []reading{at("where", 23, 28), at("who", 8, 14), at("killed", 30, 42)}, []segment{
			{Text: "Forces", Kind: "who", Value: "who"}, {Text: " shelled "}, {Text: "Douma", Kind: "where", Value: "where"},
			{Text: ", "}, {Text: "killing five", Kind: "killed", Value: "killed"}, {Text: "."},
		}},
		{"Overlapping", []reading{at("where", 23, 28), at("where2", 23, 28), at("what", 15, 25)}, []segment{
			{Text: "Forces "}, {Text: "shelled Do", Kind: "what", Value: "what"}, {Text: "uma, killing five."},
		}},
		{"NoWords", []reading{{Kind: "when", Value: "2017-04-04"}}, []segment{{Text: "Forces shelled Douma, killing five."}}},
		{"Outside", []reading{at("when", 0, 6), at("who", 44, 49)}, []segment{{Text: "Forces shelled Douma, killing five."}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := segmentsOf(text, span, tc.rs); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("segmentsOf = %q, want %q", got, tc.want)
			}
		})
	}
	// A span that does not fit the text is shown unmarked, not sliced.
	bad := intake.Span{Start: 40, End: 400, Text: "as stored"}
	if got := segmentsOf(text, bad, []reading{at("who", 8, 14)}); !reflect.DeepEqual(got, []segment{{Text: "as stored"}}) {
		t.Errorf("segmentsOf(a span past the text) = %q", got)
	}
}
