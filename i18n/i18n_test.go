package i18n_test

import (
	"testing"

	"truce/i18n"
	"truce/places"
)

// TestGovernorates checks that every governorate of the built-in
// geography has a name in every language, and that the English and
// Arabic names are OCHA's.
func TestGovernorates(t *testing.T) {
	us := places.Governorates()
	if len(us) != 14 {
		t.Fatalf("%d governorates in the built-in geography, want 14", len(us))
	}
	for _, u := range us {
		for _, l := range i18n.Langs {
			if got := i18n.Governorate(u.PCode, l); got == "" || got == u.PCode {
				t.Errorf("Governorate(%s, %s) = %q, want a name", u.PCode, l, got)
			}
		}
		if got := i18n.Governorate(u.PCode, i18n.EN); got != u.NameEN {
			t.Errorf("Governorate(%s, en) = %q, want OCHA's %q", u.PCode, got, u.NameEN)
		}
		if got := i18n.Governorate(u.PCode, i18n.AR); got != u.NameAR {
			t.Errorf("Governorate(%s, ar) = %q, want OCHA's %q", u.PCode, got, u.NameAR)
		}
	}
	if got := i18n.Governorate("SY99", i18n.RU); got != "SY99" {
		t.Errorf("Governorate(SY99) = %q, want the code back", got)
	}
}

func TestParse(t *testing.T) {
	for _, l := range i18n.Langs {
		if got, err := i18n.Parse(string(l)); err != nil || got != l {
			t.Errorf("Parse(%q) = %q, %v", l, got, err)
		}
	}
	if _, err := i18n.Parse("de"); err == nil {
		t.Error("Parse(de) gave no error")
	}
	if !i18n.AR.RTL() || !i18n.FA.RTL() || i18n.RU.RTL() || i18n.FA.Dir() != "rtl" || i18n.TR.Dir() != "ltr" {
		t.Error("writing directions: Arabic and Persian are right to left, the others left to right")
	}
}
