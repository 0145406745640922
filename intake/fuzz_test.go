package intake_test

import (
	"testing"
	"time"
	"unicode/utf8"

	"truce/intake"
)

// FuzzRead reads any text: it must not panic, and every span it gives
// must be the text at its offsets.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"The Russian side registered 14 cases in Latakia (5), Hama (3), and Damascus (6).",
		"Российской частью зафиксировано 37 фактов открытия огня в провинциях: Алеппо – 11, Латакия – 11, Идлиб – 10, Хама – пять.",
		"سجل الجانب الروسي سبعة خروقات في محافظات حلب (3) واللاذقية (2) وإدلب (2).",
		"Syrian Arab Army artillery shelled Kafr Nabl on Monday, killing two civilians.",
		"On 2017-03-05 clashes near Saraqib; 5 de março de 2017; 5 آذار/مارس 2017; twenty-",
		"(", "in", "killed 1999", "خمسة و", "vinte e",
	} {
		f.Add(s)
	}
	a := astana(f)
	f.Fuzz(func(t *testing.T, text string) {
		doc, err := intake.Read(text, intake.Options{Agreement: a, Date: time.Date(2017, 4, 5, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			if utf8.ValidString(text) && len(text) <= intake.MaxText {
				t.Fatalf("Read(%q) = %v", text, err)
			}
			return
		}
		check := func(sp *intake.Span) {
			if sp == nil {
				return
			}
			if sp.Start < 0 || sp.End > len(text) || sp.Start > sp.End || text[sp.Start:sp.End] != sp.Text {
				t.Fatalf("Read(%q): span %d:%d %q is not the text there", text, sp.Start, sp.End, sp.Text)
			}
		}
		check(doc.DateSpan)
		for _, s := range doc.Sides {
			check(s.SideSpan)
			check(s.TotalSpan)
			for _, sps := range s.GovernorateSpans {
				for i := range sps {
					check(&sps[i])
				}
			}
		}
		for _, d := range doc.Drafts {
			for _, sp := range spansOf(d) {
				check(&sp)
			}
		}
	})
}
